"""What risk grading reads from inspections: the latest full inspection of each operator (the dynamic score)
and the events that move a grade (不符合, obstruction, stop orders)."""

from collections.abc import Iterator

from django.db.models import Q
from django.db.models.functions import TruncDate

from shian.risk.rules import InspectionBasis, RiskEvent
from shian.risk.sources import dynamic_source, event_source

from .choices import InspectionStatus, Outcome, Result
from .models import Inspection, ItemResult
from .selectors import newest_per_operator


@dynamic_source
def latest_full_inspections(operator_ids: list[int]) -> dict[int, InspectionBasis]:
    full = Inspection.objects.filter(operator_id__any_of=operator_ids, full=True)
    found = newest_per_operator(full, "failed_points", "applicable_points")
    failed = {}
    for inspection_id, code, text, points in (
        ItemResult.objects.filter(inspection_id__any_of=[row["id"] for row in found.values()], outcome=Outcome.NO)
        .order_by("item__order")
        .values_list("inspection_id", "item__code", "item__text", "item__points")
    ):
        failed.setdefault(inspection_id, []).append((code, text, points))
    return {
        operator_id: InspectionBasis(
            inspection_id=row["id"],
            on=row["on"],
            failed_points=row["failed_points"],
            applicable_points=row["applicable_points"],
            failed_items=tuple(failed.get(row["id"], ())),
        )
        for operator_id, row in found.items()
    }


@event_source
def inspection_events(operator_ids: list[int], since) -> Iterator[RiskEvent]:
    """Only the inspections that make an event (不符合, obstruction, a stop order), dated in the database."""
    rows = (
        Inspection.objects.filter(
            operator_id__any_of=operator_ids, status=InspectionStatus.FINISHED, finished_at__date__gte=since
        )
        .filter(Q(result=Result.NONCOMPLIANT) | Q(obstructed=True) | Q(stop_order=True))
        .annotate(on=TruncDate("finished_at"))
        .values_list("id", "operator_id", "on", "result", "obstructed", "stop_order")
    )
    for pk, operator_id, on, result, obstructed, stop_order in rows:
        if result == Result.NONCOMPLIANT:
            yield RiskEvent(operator_id, "inspection.noncompliant", on, "监督检查结果不符合", f"inspection:{pk}")
        if obstructed:
            yield RiskEvent(operator_id, "inspection.obstructed", on, "拒绝、阻挠监督检查", f"inspection:{pk}")
        if stop_order:
            yield RiskEvent(operator_id, "inspection.stop_order", on, "责令停止生产经营", f"inspection:{pk}")
