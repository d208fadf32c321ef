"""Sampling plans and 你点我检: a region's yearly quota split over foods and drawn over businesses, weighted by
risk grade, past failures and public votes; and the public's nominations and votes."""

import hashlib
import hmac
import re
import secrets
from collections import Counter, defaultdict
from contextlib import suppress
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from shian.core.choices import RegionLevel, Role, UserKind
from shian.core.models import Region, User
from shian.core.rules import region_contains
from shian.core.services.audit import audit_record, snapshot
from shian.registry.choices import OperatorStatus
from shian.registry.models import Operator
from shian.risk.models import RiskGrade

from ..choices import CategoryLevel, NominationStatus, PlanStatus, TaskStatus, Verdict
from ..models import FoodCategory, Nomination, PlanQuota, PublicVote, Sample, SamplingPlan, SamplingTask
from ..rules import plan_quota, split_quota, weighted_draw

# Where a food is bought for sampling: producers, workshops, sellers and stalls (a canteen or a restaurant is
# sampled for what it serves, which these categories do not describe).
SAMPLED_FORMATS = ["production", "workshop", "sales", "vendor"]
FAILURE_YEARS = 3


def _weights() -> dict:
    config = settings.SHIAN_SAMPLING
    return {
        "grade": {k: Decimal(str(v)) for k, v in config["GRADE_WEIGHTS"].items()},
        "failure": Decimal(str(config["FAILURE_WEIGHT"])),
        "vote": Decimal(str(config["VOTE_WEIGHT"])),
    }


def region_population(region: Region) -> int | None:
    """The region's resident population, or the sum of its counties' when only they have one."""
    if region.population:
        return region.population
    counties = Region.objects.within(region.code).filter(level=RegionLevel.COUNTY).exclude(code=region.code)
    total = counties.aggregate(total=Sum("population"))["total"]
    return total or None


def _detailed_categories() -> list[FoodCategory]:
    """The detailed categories (细类) of the newest version of each loaded catalogue."""
    newest = {}
    for catalogue_id, code, version in FoodCategory.objects.values_list(
        "catalogue_id", "catalogue__code", "catalogue__version"
    ).distinct():
        if code not in newest or version > newest[code][1]:
            newest[code] = (catalogue_id, version)
    ids = [catalogue_id for catalogue_id, _v in newest.values()]
    return list(FoodCategory.objects.filter(catalogue_id__in=ids, level=CategoryLevel.DETAIL).order_by("code"))


def _officers(region: Region) -> list[User]:
    users = User.objects.filter(
        kind=UserKind.REGULATOR, is_active=True, groups__name__in=[Role.SAMPLING_OFFICER, Role.AGENCY_HEAD]
    ).select_related("agency")
    return sorted(
        {u for u in users if u.agency_id and region_contains(u.agency.region_id, region.code)}, key=lambda u: u.username
    )


@transaction.atomic
def plan_create(*, region: Region, year: int, by, batches_per_thousand: Decimal | None = None) -> SamplingPlan:
    """Draw up a region's plan for a year: the quota, its split over the foods (weight 1, plus past failures in
    the region and public votes) and the businesses to sample for each food (weighted by risk grade, past
    failures and votes for their kind of shop), each task assigned to a sampling officer in turn."""
    population = region_population(region)
    if not population:
        raise ValidationError(
            _("The resident population of %(region)s is not known: load it first.") % {"region": region.name}
        )
    if SamplingPlan.objects.filter(region=region, year=year).exists():
        raise ValidationError(_("%(region)s already has a plan for %(year)s.") % {"region": region.name, "year": year})
    categories = _detailed_categories()
    if not categories:
        raise ValidationError(_("No food catalogue is loaded."))
    rate = Decimal(str(batches_per_thousand or settings.SHIAN_SAMPLING["BATCHES_PER_THOUSAND"]))
    weights, since = _weights(), f"{year - FAILURE_YEARS}-01-01"
    samples = Sample.objects.in_region(region.code).filter(final_verdict=Verdict.FAIL, sampled_at__date__gte=since)
    failures = Counter(dict(samples.values_list("category__code").annotate(n=Count("id"))))
    operator_failures = Counter(dict(samples.values_list("operator_id").annotate(n=Count("id"))))
    nominations = list(
        Nomination.objects.in_region(region.code)
        .filter(status=NominationStatus.OPEN)
        .annotate(n=Count("votes"))
        .select_related("category")
    )
    votes = Counter()
    for nomination in nominations:
        votes[nomination.category.code] += nomination.n
    category_weight = {
        c: 1 + weights["failure"] * failures[c.code] + weights["vote"] * votes[c.code] for c in categories
    }
    plan = SamplingPlan.objects.create(
        region=region,
        year=year,
        title=_("%(region)s food sampling plan %(year)s") % {"region": region.name, "year": year},
        batches_per_thousand=rate,
        population=population,
        quota=plan_quota(population, rate),
        seed=secrets.token_hex(8),
        created_by=by,
    )
    shares = split_quota(plan.quota, category_weight)
    PlanQuota.objects.bulk_create(
        PlanQuota(
            plan=plan, category=c, batches=n, weight=category_weight[c], failures=failures[c.code], votes=votes[c.code]
        )
        for c, n in shares.items()
    )
    operators = list(
        Operator.objects.in_region(region.code)
        .filter(status=OperatorStatus.OPERATING, category__in=SAMPLED_FORMATS)
        .values_list("pk", "category")
    )
    grades = dict(
        RiskGrade.objects.filter(is_current=True, operator_id__in=[pk for pk, _c in operators]).values_list(
            "operator_id", "grade"
        )
    )
    by_food = defaultdict(list)
    for nomination in nominations:
        by_food[nomination.category.code].append(nomination)
    officers, tasks = _officers(region), []
    for category, batches in shares.items():
        asked = by_food.get(category.code, [])
        weight, why = {}, {}
        for pk, kind in operators:
            grade = grades.get(pk, "")
            voted = [n for n in asked if n.shop_kind in ("", kind)]
            weight[pk] = (
                weights["grade"].get(grade, weights["grade"][""])
                + weights["failure"] * operator_failures[pk]
                + weights["vote"] * sum(n.n for n in voted)
            )
            why[pk] = (
                ([f"grade_{grade}"] if grade else [])
                + (["failed_before"] if operator_failures[pk] else [])
                + (["public_votes"] if voted else []),
                voted[0] if voted else None,
            )
        for pk in weighted_draw(weight, batches, f"{plan.seed}:{category.code}"):
            reasons, nomination = why[pk]
            officer = officers[len(tasks) % len(officers)] if officers else None
            tasks.append(
                SamplingTask(
                    plan=plan,
                    operator_id=pk,
                    category=category,
                    officer=officer,
                    weight=weight[pk],
                    reasons=reasons,
                    nomination=nomination,
                )
            )
    SamplingTask.objects.bulk_create(tasks, batch_size=2000)
    taken = {t.nomination_id for t in tasks if t.nomination_id}
    Nomination.objects.filter(pk__in=taken).update(status=NominationStatus.PLANNED)
    audit_record(
        actor=by,
        action="sampling.plan.create",
        obj=plan,
        after=snapshot(plan) | {"tasks": len(tasks), "categories": len(shares)},
    )
    return plan


@transaction.atomic
def plan_activate(*, plan: SamplingPlan, by) -> SamplingPlan:
    """Put a drawn-up plan in force: its officers see their tasks."""
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("This plan is already in force."))
    before = snapshot(plan)
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status"])
    audit_record(actor=by, action="sampling.plan.activate", obj=plan, before=before, after=snapshot(plan))
    return plan


def task_complete(*, task: SamplingTask, sample: Sample) -> None:
    """A task is done by the sample recorded for it (called by `sample_record` in its transaction)."""
    if task.status != TaskStatus.OPEN or task.operator_id != sample.operator_id:
        raise ValidationError({"task": _("This task is done already or is for another business.")})
    task.status, task.sample = TaskStatus.DONE, sample
    task.save(update_fields=["status", "sample"])


# --- 你点我检 ----------------------------------------------------------------------------------------------

_PHONE = re.compile(r"1[3-9]\d{9}")
VOTES_PER_HOUR = 30  # per client address: enough for a family, not for a script
NOMINATIONS_PER_HOUR = 5


def _voter(phone: str) -> str:
    """A keyed hash of the phone number: one vote per phone, without keeping the number."""
    return hmac.new(settings.SECRET_KEY.encode(), phone.encode(), hashlib.sha256).hexdigest()


def _throttle(kind: str, client: str, limit: int) -> None:
    key = f"sampling.{kind}:{client}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > limit:
        raise ValidationError(_("Too many requests from this address; try again in an hour."))


def _phone(phone: str) -> str:
    phone = re.sub(r"[\s-]", "", phone or "")
    if not _PHONE.fullmatch(phone):
        raise ValidationError({"phone": _("Enter a mainland mobile number (11 digits).")})
    return phone


def vote_cast(*, nomination: Nomination, phone: str, client: str) -> int:
    """One vote per phone per nomination; returns the nomination's votes."""
    voter = _voter(_phone(phone))
    if nomination.status != NominationStatus.OPEN:
        raise ValidationError(_("This nomination is closed for votes."))
    _throttle("vote", client, VOTES_PER_HOUR)
    try:
        with transaction.atomic():
            PublicVote.objects.create(nomination=nomination, voter=voter)
    except IntegrityError:
        raise ValidationError(_("This phone has already voted for this food.")) from None
    return nomination.votes.count()


def nomination_create(
    *, region: Region, category: FoodCategory, phone: str, client: str, shop_kind: str = "", note: str = ""
) -> Nomination:
    """Nominate a food (and a kind of shop) for testing in a county or city; the nominator's vote is cast.
    The same open nomination is joined rather than repeated."""
    phone = _phone(phone)
    if region.level not in (RegionLevel.COUNTY, RegionLevel.CITY):
        raise ValidationError({"region": _("Choose a city or a county.")})
    if category.level != CategoryLevel.DETAIL:
        raise ValidationError({"category": _("Choose a food.")})
    _throttle("nominate", client, NOMINATIONS_PER_HOUR)
    with transaction.atomic():
        nomination, _created = Nomination.objects.get_or_create(
            region=region,
            category=category,
            shop_kind=shop_kind,
            status=NominationStatus.OPEN,
            defaults={"note": note[:200]},
        )
    with suppress(ValidationError):  # already voted for it: joining is enough
        vote_cast(nomination=nomination, phone=phone, client=client)
    return nomination
