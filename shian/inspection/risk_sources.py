"""What risk grading reads from inspections: the latest full inspection of each operator (the dynamic score)
and the events that move a grade (不符合, obstruction, stop orders)."""

from collections.abc import Iterator

from django.db.models import Max
from django.utils import timezone

from shian.risk.rules import InspectionBasis, RiskEvent
from shian.risk.sources import dynamic_source, event_source

from .choices import InspectionStatus, Outcome, Result
from .models import Inspection, ItemResult


@dynamic_source
def latest_full_inspections(operator_ids: list[int]) -> dict[int, InspectionBasis]:
    finished = Inspection.objects.filter(operator_id__any_of=operator_ids, status=InspectionStatus.FINISHED, full=True)
    latest = finished.values("operator_id").annotate(last=Max("finished_at")).order_by()
    found = {}
    rows = finished.filter(finished_at__in=latest.values("last")).values(
        "id", "operator_id", "finished_at", "failed_points", "applicable_points"
    )
    for row in rows:
        current = found.get(row["operator_id"])
        if current is None or (row["finished_at"], row["id"]) > current:
            found[row["operator_id"]] = (row["finished_at"], row["id"], row)
    failed = {}
    for inspection_id, code, text, points in (
        ItemResult.objects.filter(inspection_id__any_of=[v[1] for v in found.values()], outcome=Outcome.NO)
        .order_by("item__order")
        .values_list("inspection_id", "item__code", "item__text", "item__points")
    ):
        failed.setdefault(inspection_id, []).append((code, text, points))
    return {
        operator_id: InspectionBasis(
            inspection_id=row["id"],
            on=timezone.localdate(row["finished_at"]),
            failed_points=row["failed_points"],
            applicable_points=row["applicable_points"],
            failed_items=tuple(failed.get(row["id"], ())),
        )
        for operator_id, (_, _, row) in found.items()
    }


@event_source
def inspection_events(operator_ids: list[int], since) -> Iterator[RiskEvent]:
    rows = Inspection.objects.filter(
        operator_id__any_of=operator_ids, status=InspectionStatus.FINISHED, finished_at__date__gte=since
    ).values_list("id", "operator_id", "finished_at", "result", "obstructed", "stop_order")
    for pk, operator_id, finished_at, result, obstructed, stop_order in rows:
        on = timezone.localdate(finished_at)
        if result == Result.NONCOMPLIANT:
            yield RiskEvent(operator_id, "inspection.noncompliant", on, "监督检查结果不符合", f"inspection:{pk}")
        if obstructed:
            yield RiskEvent(operator_id, "inspection.obstructed", on, "拒绝、阻挠监督检查", f"inspection:{pk}")
        if stop_order:
            yield RiskEvent(operator_id, "inspection.stop_order", on, "责令停止生产经营", f"inspection:{pk}")
