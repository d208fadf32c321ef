"""Plan pages: drawing up, the draws, publication, inspectors' tasks, the public page, recusal."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shian.core.choices import Role
from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.inspection.models import InspectionPlan, Recusal
from shian.registry.tests.factories import OperatorFactory
from shian.risk.services import regrade, ruleset_load

from .test_planning import RULESETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(checklists, gusu):
    ruleset_load(content=(RULESETS / "cn-2016.toml").read_bytes())
    people = [RegulatorFactory(username=f"i{n}", agency=gusu) for n in range(4)]
    head = RegulatorFactory(username="head", agency=gusu, roles=[Role.AGENCY_HEAD])
    operators = [OperatorFactory(name=f"姑苏店{n}") for n in range(6)]
    regrade(region=region("320508"), by=None)
    return {"people": people, "head": head, "operators": operators}


def test_a_head_draws_up_draws_and_publishes_a_plan(client, world):
    client.force_login(world["head"])
    year = timezone.localdate().year
    client.post(reverse("plan-list"), {"year": year})
    plan = InspectionPlan.objects.get(region_id="320508", year=year)
    client.post(reverse("plan-draw", args=[plan.pk, "inspectors"]), {"seed": "abc"})
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="draw-verified"' in page and "abc" in page
    assert all(t.pair.inspector_1_id and t.pair.inspector_2_id for t in plan.targets.all())
    record = client.get(reverse("draw-record", args=[plan.draws.get().pk])).json()
    assert record["seed"] == "abc" and sum(map(len, record["pool"]["targets"].values())) == 6
    client.post(reverse("plan-publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "published"
    # an inspector finds their tasks and a routine inspection counts for the plan
    target = plan.targets.select_related("pair__inspector_1").first()
    client.force_login(target.pair.inspector_1)
    tasks = client.get(reverse("plan-my-tasks")).content.decode()
    assert target.operator.name in tasks
    client.post(
        reverse("inspection-new", args=[target.operator_id]),
        {"kind": "routine", "inspectors": [target.pair.inspector_2_id]},
    )
    assert target.inspections.count() == 1
    # the public sees the plan and the draws' seeds, not the inspectors
    client.logout()
    public = client.get(reverse("public-plan", args=[plan.pk])).content.decode()
    assert "abc" in public and target.pair.inspector_1.real_name not in public
    assert plan.title in client.get(reverse("public-plans")).content.decode()


def test_an_unpublished_plan_is_not_public_and_another_county_cannot_see_it(client, world):
    client.force_login(world["head"])
    client.post(reverse("plan-list"), {"year": 2026})
    plan = InspectionPlan.objects.get()
    client.post(reverse("plan-draw", args=[plan.pk, "inspectors"]), {"seed": "s"})
    draw = plan.draws.get()
    assert client.get(reverse("draw-record", args=[draw.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("public-plan", args=[plan.pk])).status_code == 404
    outsider = RegulatorFactory(username="wz", agency=AgencyFactory(region=region("320506")))
    client.force_login(outsider)
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("draw-record", args=[draw.pk])).status_code == 404


def test_an_inspector_cannot_draw_up_a_plan_or_draw(client, world):
    client.force_login(world["people"][0])
    assert client.post(reverse("plan-list"), {"year": 2026}).status_code == 403
    assert not InspectionPlan.objects.exists()


def test_an_inspector_declares_a_conflict(client, world):
    operator = world["operators"][0]
    me = world["people"][0]
    client.force_login(me)
    client.post(reverse("recusal-new", args=[operator.pk]), {"reason": "配偶经营"})
    assert Recusal.objects.get(inspector=me, operator=operator).reason == "配偶经营"
