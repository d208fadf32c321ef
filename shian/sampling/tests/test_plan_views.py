"""Plan pages and API, an officer's tasks, and the public 你点我检 page."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from shian.core.models import Region
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.registry.tests.factories import OperatorFactory
from shian.sampling.choices import PlanStatus, TaskStatus
from shian.sampling.models import FoodCategory, Nomination, PublicVote, Sample, SamplingPlan
from shian.sampling.services import plan_create

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(starter, samplers):
    gusu = Region.objects.get(code="320508")
    gusu.population = 1000
    gusu.save()
    for n in range(4):
        OperatorFactory(name=f"超市{n}", category="sales", region=gusu)
    return plan_create(region=gusu, year=2026, by=samplers[0], batches_per_thousand=D("4"))


def test_an_officer_draws_up_a_plan_puts_it_in_force_and_samples_a_task(client, plan, samplers, lab):
    client.force_login(samplers[0])
    page = client.get(f"/sampling/plans/{plan.pk}/").content.decode()
    assert 'data-testid="plan-quota">4<' in page and 'data-testid="plan-activate"' in page
    client.post(f"/sampling/plans/{plan.pk}/activate/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    mine = client.get("/sampling/tasks/").content.decode()
    task = plan.tasks.filter(officer=samplers[0]).first()
    assert f"?task={task.pk}" in mine
    form = client.get(f"/sampling/samples/new/{task.operator_id}/?task={task.pk}").content.decode()
    assert 'data-testid="for-task"' in form
    client.post(
        f"/sampling/samples/new/{task.operator_id}/?task={task.pk}",
        {
            "category": task.category_id,
            "product_name": "样品",
            "quantity": "1",
            "backup_quantity": "1",
            "lab": lab.pk,
            "samplers": [samplers[1].pk],
        },
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and Sample.objects.get().task == task
    assert 'data-testid="plan-sampled">1 (25%)<' in client.get(f"/sampling/plans/{plan.pk}/").content.decode()


def test_a_plan_is_drawn_up_from_the_list_page(client, starter, samplers):
    Region.objects.filter(code="320508").update(population=500)
    client.force_login(samplers[0])
    response = client.post("/sampling/plans/", {"region": "320508", "year": "2027", "batches_per_thousand": "2"})
    made = SamplingPlan.objects.get(year=2027)
    assert response.status_code == 302 and made.quota == 1
    refused = client.post("/sampling/plans/", {"region": "320506", "year": "2027"})  # outside 姑苏
    assert refused.status_code == 200 and SamplingPlan.objects.count() == 1


def test_plans_are_scoped_and_hidden_from_businesses(client, plan):
    wuzhong = RegulatorFactory(
        agency=AgencyFactory(name="吴中区局", region=region("320506")), roles=["sampling_officer"]
    )
    city = RegulatorFactory(agency=AgencyFactory(name="苏州市局", region=region("320500")), roles=["inspector"])
    for user, status in ((wuzhong, 404), (city, 200), (BusinessUserFactory(), 403)):
        client.force_login(user)
        assert client.get(f"/sampling/plans/{plan.pk}/").status_code == status
    api = APIClient()
    api.force_login(city)
    body = api.get(f"/api/v1/sampling-plans/{plan.pk}/").json()
    assert body["quota"] == 4 and body["progress"]["sampled"] == 0
    assert sum(f["batches"] for f in body["progress"]["foods"]) == 4
    api.force_login(wuzhong)
    assert api.get("/api/v1/sampling-plans/").json()["results"] == []


def test_the_public_nominates_and_votes_once_per_phone(client, starter):
    soy = FoodCategory.objects.get(catalogue=starter, name="酱油", level=4)
    client.post(
        "/public/vote/nominate/",
        {"region": "320508", "category": soy.pk, "shop_kind": "sales", "phone": "13912345678", "note": "外卖常用"},
    )
    nomination = Nomination.objects.get()
    page = client.get("/public/vote/").content.decode()
    assert soy.name in page and 'data-votes="1"' in page
    client.post(f"/public/vote/{nomination.pk}/", {"phone": "13912345678"})
    assert PublicVote.objects.count() == 1
    client.post(f"/public/vote/{nomination.pk}/", {"phone": "13800001111"})
    assert 'data-votes="2"' in client.get("/public/vote/").content.decode()
    client.post(f"/public/vote/{nomination.pk}/", {"phone": "not-a-phone"})
    assert PublicVote.objects.count() == 2
