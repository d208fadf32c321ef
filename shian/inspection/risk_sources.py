"""What risk grading reads from inspections: the finished full inspections (the latest one gives the dynamic
score) and the events that move a grade (不符合, obstruction, stop orders)."""

from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Concat, TruncDate

from shian.risk.sources import DynamicQueries, dynamic_source, event_source

from .choices import InspectionStatus, Outcome, Result
from .models import Inspection, ItemResult


@dynamic_source
def full_inspections() -> DynamicQueries:
    return DynamicQueries(
        bases=Inspection.objects.filter(full=True, status=InspectionStatus.FINISHED).annotate(
            basis_id=F("id"),
            at=F("finished_at"),
            on=TruncDate("finished_at"),
            # 符合 by the checklist: no item failed (rules.checklist_result)
            may_have_failed=ExpressionWrapper(~Q(derived_result=Result.COMPLIANT), output_field=BooleanField()),
        ),
        failed_items=ItemResult.objects.filter(outcome=Outcome.NO).annotate(
            basis_id=F("inspection_id"),
            code=F("item__code"),
            text=F("item__text"),
            points=F("item__points"),
            order=F("item__order"),
        ),
    )


# kind of event, label, and which finished inspections make it
_EVENTS = (
    ("inspection.noncompliant", "监督检查结果不符合", Q(result=Result.NONCOMPLIANT)),
    ("inspection.obstructed", "拒绝、阻挠监督检查", Q(obstructed=True)),
    ("inspection.stop_order", "责令停止生产经营", Q(stop_order=True)),
)


@event_source
def inspection_events():
    finished = Inspection.objects.filter(status=InspectionStatus.FINISHED)
    return [
        finished.filter(condition).annotate(
            event=Value(kind, CharField()),
            on=TruncDate("finished_at"),
            label=Value(label, CharField()),
            ref=Concat(Value("inspection:"), F("id"), output_field=CharField()),
        )
        for kind, label, condition in _EVENTS
    ]
