"""Director performance evaluation (履职评价): per appointed food-safety director, a score from duty completion,
inspection results, sampling results, rectification timeliness and training, weights from configuration, ranked
within a region. Reads across the inspection, sampling and training modules; writes nothing."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from shian.inspection.choices import RectificationKind
from shian.inspection.models import Inspection, Rectification
from shian.registry.models import Operator
from shian.sampling.choices import SampleStatus
from shian.sampling.models import Sample
from shian.training.models import Exam

from .choices import DutyRole
from .models import Appointment
from .rules import performance_score
from .selectors import standings

COMPONENTS = ("duty", "inspection", "sampling", "rectification", "training")


@dataclass
class Evaluation:
    appointment: Appointment
    components: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None

    @property
    def operator(self) -> Operator:
        return self.appointment.operator


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _duty(standing) -> float | None:
    rates = [value.rate for value in [*standing.completion.values(), *standing.logs.values()] if value.rate is not None]
    return _mean([rate * 100 for rate in rates])


def evaluations(
    operators: QuerySet[Operator],
    *,
    first: datetime.date,
    last: datetime.date,
    today: datetime.date,
    role: str = DutyRole.DIRECTOR,
) -> list[Evaluation]:
    """The evaluation of each business's appointed director (or officers, with `role`) over the window, best first."""
    appointments = list(
        Appointment.objects.current(on=last)
        .filter(operator__in=operators, role=role)
        .select_related("operator__region", "staff")
    )
    ids = {a.operator_id for a in appointments}
    table = standings(Operator.objects.filter(pk__in=ids), first=first, last=last, today=today)
    points = settings.SHIAN_DUTY["PERFORMANCE_RESULT_POINTS"]
    results = defaultdict(list)
    for pk, result in (
        Inspection.objects.finished()
        .filter(operator__in=ids, finished_at__date__range=(first, last))
        .values_list("operator_id", "result")
    ):
        results[pk].append(points.get(result, 0))
    samples = defaultdict(list)
    for pk, status in Sample.objects.filter(
        operator__in=ids, status__in=[SampleStatus.PASSED, SampleStatus.FAILED], sampled_at__date__range=(first, last)
    ).values_list("operator_id", "status"):
        samples[pk].append(100 if status == SampleStatus.PASSED else 0)
    orders = defaultdict(list)
    for pk, deadline, closed_at in Rectification.objects.filter(
        operator__in=ids, kind=RectificationKind.DEADLINE, deadline__range=(first, min(last, today))
    ).values_list("operator_id", "deadline", "closed_at"):
        orders[pk].append(100 if closed_at is not None and closed_at.date() <= deadline else 0)
    exams = {}
    for staff_id, score in (
        Exam.objects.filter(staff__in=[a.staff_id for a in appointments], submitted_at__date__range=(first, last))
        .order_by("submitted_at")
        .values_list("staff_id", "score")
    ):
        exams[staff_id] = score  # the latest one counts
    weights = settings.SHIAN_DUTY["PERFORMANCE_WEIGHTS"]
    found = []
    for appointment in appointments:
        pk = appointment.operator_id
        components = {
            "duty": _duty(table[pk]) if table[pk].plan else 0.0,
            "inspection": _mean(results[pk]),
            "sampling": _mean(samples[pk]),
            "rectification": _mean(orders[pk]),
            "training": float(exams.get(appointment.staff_id, 0)),
        }
        found.append(Evaluation(appointment, components, performance_score(components, weights)))
    found.sort(key=lambda e: (e.score is None, -(e.score or 0), e.operator.name))
    for rank, evaluation in enumerate(found, start=1):
        evaluation.rank = rank
    return found
