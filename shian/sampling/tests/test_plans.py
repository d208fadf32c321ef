"""Sampling plans (quota per 1,000 residents, split over foods, drawn over businesses) and 你点我检."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from shian.core.models import Region
from shian.registry.tests.factories import OperatorFactory
from shian.sampling.choices import NominationStatus, TaskStatus
from shian.sampling.models import FoodCategory, Nomination, PublicVote, SamplingTask
from shian.sampling.rules import plan_quota, split_quota, weighted_draw
from shian.sampling.selectors import plan_progress
from shian.sampling.services import nomination_create, plan_create, sample_record, vote_cast

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_the_quota_is_rounded_up_from_the_population():
    assert plan_quota(922_000, D("4")) == 3688
    assert plan_quota(1_001, D("3")) == 4  # 3.003 batches: round up


def test_a_split_adds_up_and_follows_the_weights():
    shares = split_quota(10, {"a": D(1), "b": D(1), "c": D(2)})
    assert sum(shares.values()) == 10 and shares["c"] == 5
    assert split_quota(3, {"a": D(1), "b": D(0)}) == {"a": 3}
    assert split_quota(0, {"a": D(1)}) == {}


def test_a_weighted_draw_repeats_with_its_seed_and_favours_heavy_keys():
    weights = {n: D(10) if n < 10 else D(1) for n in range(100)}
    assert weighted_draw(weights, 5, "s") == weighted_draw(weights, 5, "s")
    heavy = sum(sum(1 for k in weighted_draw(weights, 10, f"s{n}") if k < 10) for n in range(100))
    assert heavy > 400  # ten heavy keys of a hundred take over 40 % of the draws (a fair draw gives 10 %)
    assert len(set(weighted_draw(weights, 100, "s"))) == 100  # without replacement


@pytest.fixture
def gusu_population(db):
    Region.objects.filter(code="320508").update(population=1_000)
    return Region.objects.get(code="320508")


def test_a_plan_splits_its_quota_over_the_foods_and_assigns_every_task(starter, samplers, gusu_population):
    shops = [OperatorFactory(name=f"店{n}", category="sales", region=gusu_population) for n in range(12)]
    OperatorFactory(name="餐馆", category="catering", region=gusu_population)  # not a place food is bought
    plan = plan_create(region=gusu_population, year=2026, by=samplers[0], batches_per_thousand=D("12"))
    assert plan.quota == 12
    assert sum(q.batches for q in plan.quotas.all()) == 12
    tasks = list(plan.tasks.all())
    assert len(tasks) == 12 and all(t.operator in shops for t in tasks)
    assert {t.officer for t in tasks} == set(samplers)
    with pytest.raises(ValidationError, match="already has a plan"):
        plan_create(region=gusu_population, year=2026, by=samplers[0])


def test_a_plan_needs_a_population(starter, samplers):
    with pytest.raises(ValidationError, match="population"):
        plan_create(region=Region.objects.get(code="320506"), year=2026, by=samplers[0])


def test_grades_failures_and_votes_weigh_on_the_draw(starter, samplers, gusu_population, failed, shop):
    soy = FoodCategory.objects.get(catalogue=starter, name="酱油", level=4)
    nomination_create(region=gusu_population, category=soy, phone="13900000001", client="1.1.1.1")
    for n in range(2, 40):
        vote_cast(nomination=Nomination.objects.get(), phone=f"139000000{n:02d}", client=f"1.1.1.{n}")
    plan = plan_create(region=gusu_population, year=2027, by=samplers[0], batches_per_thousand=D("30"))
    quotas = {q.category.name: q for q in plan.quotas.select_related("category")}
    assert quotas["酱油"].votes == 39 and quotas["酱油"].failures == 1
    assert quotas["酱油"].batches == max(q.batches for q in quotas.values())
    voted = SamplingTask.objects.filter(plan=plan, nomination__isnull=False)
    assert voted.exists() and all("public_votes" in t.reasons for t in voted)
    assert Nomination.objects.get().status == NominationStatus.PLANNED
    assert any("failed_before" in t.reasons for t in SamplingTask.objects.filter(plan=plan, operator=shop))


def test_a_sample_for_a_task_completes_it_and_counts_towards_the_plan(starter, samplers, gusu_population, lab):
    shop = OperatorFactory(name="唯一的店", category="sales", region=gusu_population)
    plan = plan_create(region=gusu_population, year=2026, by=samplers[0], batches_per_thousand=D("1"))
    task = plan.tasks.get()
    assert task.operator == shop
    sample_record(
        by=samplers[0],
        operator=shop,
        category=task.category,
        lab=lab,
        samplers=samplers,
        product_name="样品",
        quantity="1",
        backup_quantity="1",
        task=task,
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.sample is not None
    progress = plan_progress(plan)
    assert (progress["quota"], progress["sampled"], progress["completion"]) == (1, 1, 1.0)
    assert progress["officers"][0]["done"] == 1


def test_one_vote_per_phone_and_an_address_is_throttled(starter, gusu_population):
    vinegar = FoodCategory.objects.get(catalogue=starter, name="食醋", level=4)
    nomination = nomination_create(region=gusu_population, category=vinegar, phone="139 0000 0001", client="2.2.2.2")
    again = nomination_create(region=gusu_population, category=vinegar, phone="13900000002", client="2.2.2.3")
    assert again == nomination and PublicVote.objects.count() == 2  # joined, not repeated
    with pytest.raises(ValidationError, match="already voted"):
        vote_cast(nomination=nomination, phone="13900000001", client="2.2.2.4")
    with pytest.raises(ValidationError, match="mobile number"):
        vote_cast(nomination=nomination, phone="12345", client="2.2.2.4")
    for n in range(30):  # VOTES_PER_HOUR from one address
        vote_cast(nomination=nomination, phone=f"137000000{n:02d}", client="3.3.3.3")
    with pytest.raises(ValidationError, match="Too many"):
        vote_cast(nomination=nomination, phone="13800000098", client="3.3.3.3")
    assert "13900000001" not in str(list(PublicVote.objects.values_list("voter", flat=True)))
