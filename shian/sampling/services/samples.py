"""Samples: the sampling form recorded, the lab receiving the sample (SAMR Order 15, regulations.md §2). The
[S]/[R] time limits come from settings.SHIAN_SAMPLING."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import Role, UserKind
from shian.core.models import User
from shian.core.rules import region_contains
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.notifications import notify
from shian.core.workdays import CalendarYearUnknown, WorkingCalendar
from shian.registry.models import Operator

from ..choices import CategoryLevel, SampleStatus, Stage
from ..models import FoodCategory, Lab, Sample
from .plans import task_complete

STAGE_OF_CATEGORY = {
    "production": Stage.PRODUCTION,
    "workshop": Stage.PRODUCTION,
    "sales": Stage.DISTRIBUTION,
    "vendor": Stage.DISTRIBUTION,
    "cold_storage": Stage.DISTRIBUTION,
}


def clock(name: str) -> int:
    return settings.SHIAN_SAMPLING[name]


def deadline(start: datetime.date, working_days: int, calendar: WorkingCalendar | None = None):
    """The last day of a limit in working days from `start`; None while that year's calendar is unknown."""
    try:
        return (calendar or WorkingCalendar()).add_working_days(start, working_days)
    except CalendarYearUnknown:
        return None


def _check_samplers(operator: Operator, samplers: Sequence[User]) -> None:
    """At least two samplers [R: regulations.md §2, SHIAN_SAMPLING MIN_SAMPLERS], each a regulator whose agency
    covers the sampled business."""
    people = {u.pk: u for u in samplers}.values()
    if len(people) < clock("MIN_SAMPLERS"):
        raise ValidationError({"samplers": _("A sample needs at least %(n)d samplers.") % {"n": clock("MIN_SAMPLERS")}})
    for person in people:
        if person.kind != UserKind.REGULATOR or not person.has_role(Role.SAMPLING_OFFICER, Role.AGENCY_HEAD):
            raise ValidationError({"samplers": _("%(name)s is not a sampling officer.") % {"name": person}})
        if not person.agency_id or not region_contains(person.agency.region_id, operator.region_id):
            raise ValidationError(
                {"samplers": _("%(name)s's agency does not cover this business's county.") % {"name": person}}
            )


def _next_code(region: str, year: int) -> str:
    """抽样单编号: the county code, the year and a running number within them."""
    prefix = f"{region}{year}"
    last = Sample.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def sample_record(
    *,
    by: User,
    operator: Operator,
    category: FoodCategory,
    lab: Lab,
    samplers: Sequence[User],
    product_name: str,
    quantity: str,
    backup_quantity: str,
    sampled_at: datetime.datetime | None = None,
    stage: str = "",
    task=None,
    **form,
) -> Sample:
    """Record a sampling form (抽样单), for a plan's `task` if given. `form` holds its other fields (brand,
    specification, batch_no, production_date, price, producer_name, producer_address, producer_credit_code,
    producer, place, seal_numbers); photos are 五定 evidence uploaded for the sample afterwards. The sample
    must reach the lab within the to-lab limit."""
    if by not in samplers:
        samplers = [by, *samplers]
    _check_samplers(operator, samplers)
    errors = {}
    if category.level != CategoryLevel.DETAIL:
        errors["category"] = _("Choose a detailed category (细类).")
    if not lab.active:
        errors["lab"] = _("This lab is not active.")
    if not backup_quantity.strip():
        errors["backup_quantity"] = _("A backup sample for a re-test is kept with every sample.")
    if errors:
        raise ValidationError(errors)
    sampled_at = sampled_at or timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                sample = Sample(
                    code=_next_code(operator.region_id, timezone.localtime(sampled_at).year),
                    operator=operator,
                    region_id=operator.region_id,
                    agency=by.agency,
                    stage=stage or STAGE_OF_CATEGORY.get(operator.category, Stage.CATERING),
                    category=category,
                    product_name=product_name,
                    quantity=quantity,
                    backup_quantity=backup_quantity,
                    lab=lab,
                    sampled_at=sampled_at,
                    lab_due=deadline(timezone.localdate(sampled_at), clock("TO_LAB_WORKING_DAYS")),
                    created_by=by,
                    **form,
                )
                sample.full_clean(exclude=["samplers"])
                sample.save()
                break
        except IntegrityError:
            continue  # another sample took the number: take the next one
    else:
        raise ValidationError(_("Could not number the sample; try again."))
    sample.samplers.set(samplers)
    if task is not None:
        task_complete(task=task, sample=sample)
    audit_record(
        actor=by,
        action="sampling.sample.record",
        obj=sample,
        after=snapshot(sample) | {"samplers": sorted(u.pk for u in samplers)},
    )
    notify(
        recipients=User.objects.filter(lab_memberships__lab=lab, is_active=True),
        kind="sampling.sample.sent",
        title=_("Sample %(code)s is on its way to your lab") % {"code": sample.code},
        link=f"/sampling/samples/{sample.pk}/",
    )
    return sample


def require_lab_member(sample: Sample, by) -> None:
    if by is not None and by.kind == UserKind.LAB and not by.lab_memberships.filter(lab=sample.lab_id).exists():
        raise ValidationError(_("This sample was sent to another lab."))


def received(sample: Sample, at: datetime.datetime, calendar: WorkingCalendar | None = None) -> dict:
    """The fields a lab's receipt sets: the report is due within the reporting limit from that day."""
    before = snapshot(sample)
    sample.received_at = at
    sample.report_due = deadline(timezone.localdate(at), clock("REPORT_WORKING_DAYS"), calendar)
    sample.status = SampleStatus.TESTING
    return before


@transaction.atomic
def sample_receive(*, sample: Sample, by, received_at: datetime.datetime | None = None) -> Sample:
    """The lab receives the sample."""
    require_lab_member(sample, by)
    if sample.status != SampleStatus.SAMPLED:
        raise ValidationError(_("The lab has already received this sample."))
    before = received(sample, received_at or timezone.now())
    sample.save(update_fields=["received_at", "report_due", "status"])
    audit_record(actor=by, action="sampling.sample.receive", obj=sample, before=before, after=snapshot(sample))
    return sample
