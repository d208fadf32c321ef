"""The risk page of an operator, its forms, the list filter and the public page, for each kind of user."""

import re

import pytest
from django.urls import reverse

from shian.core.choices import Role
from shian.core.tests.factories import BusinessUserFactory, RegulatorFactory
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.risk.models import RegradeRun, RiskFact, RiskGrade
from shian.risk.services import operator_regrade, ruleset_load

from .shipped import shipped_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(db, inspector):
    ruleset_load(content=shipped_bytes("cn-2016"))
    operator = OperatorFactory(name="姑苏超市", category="sales", floor_area_m2=350)
    operator_regrade(operator=operator, by=inspector)
    return operator


@pytest.fixture
def head(inspector):
    return RegulatorFactory(username="head", agency=inspector.agency, roles=[Role.AGENCY_HEAD])


def test_the_risk_page_explains_each_point(client, inspector, graded):
    client.force_login(inspector)
    page = client.get(reverse("operator-risk", args=[graded.pk])).content.decode()
    assert 'data-part="static"' in page and 'data-part="dynamic"' in page
    assert "350（200 &lt; x ≤ 1000）" in page  # the floor area and its bracket
    assert 'data-testid="override-form"' not in page  # an inspector may not set a grade by hand


def test_an_agency_head_overrides_with_a_reason_and_lifts_it(client, head, graded):
    client.force_login(head)
    url = reverse("operator-risk-override", args=[graded.pk])
    client.post(url, {"grade": "D", "reason": ""})
    assert RiskGrade.objects.current().get(operator=graded).basis == "computed"
    client.post(url, {"grade": "D", "reason": "群众投诉集中"})
    current = RiskGrade.objects.current().get(operator=graded)
    assert (current.grade, current.basis, current.reason) == ("D", "override", "群众投诉集中")
    page = client.get(reverse("operator-risk", args=[graded.pk])).content.decode()
    assert 'data-testid="override-note"' in page
    client.post(url, {"lift": "1"})
    assert RiskGrade.objects.current().get(operator=graded).basis == "computed"


def test_recorded_facts_change_the_grade(client, inspector, db):
    ruleset_load(content=shipped_bytes("cn-2016"))
    maker = OperatorFactory(category="production", special_foods=["health_food"])
    operator_regrade(operator=maker, by=inspector)
    before = RiskGrade.objects.current().get(operator=maker).static_score
    client.force_login(inspector)
    page = client.get(reverse("operator-risk", args=[maker.pk])).content.decode()
    assert 'data-testid="facts-form"' in page and 'name="hf_main_ingredient"' in page
    client.post(reverse("operator-risk-facts", args=[maker.pk]), {"hf_main_ingredient": ["extracts"]})
    assert RiskFact.objects.get(operator=maker, key="hf_main_ingredient").value == ["extracts"]
    assert RiskGrade.objects.current().get(operator=maker).static_score > before


def test_another_county_and_another_business_get_404(client, other_county_inspector, graded):
    stranger = BusinessUserFactory(roles=[Role.OFFICER])
    for user in (other_county_inspector, stranger):
        client.force_login(user)
        assert client.get(reverse("operator-risk", args=[graded.pk])).status_code in (403, 404)
    owner = BusinessUserFactory(username="owner", roles=[Role.PRINCIPAL])
    MembershipFactory(user=owner, operator=graded)
    client.force_login(owner)
    assert client.get(reverse("operator-risk", args=[graded.pk])).status_code == 403  # businesses see no scores


def test_the_list_filters_and_shows_grades(client, inspector, graded):
    other = OperatorFactory(name="姑苏小吃")
    client.force_login(inspector)
    grade = RiskGrade.objects.current().get(operator=graded).grade
    page = client.get(reverse("operator-list"), {"risk_grade": grade}).content.decode()
    assert "姑苏超市" in page and other.name not in page
    assert 'data-testid="operator-grade"' in page
    api = client.get("/api/v1/operators/", {"risk_grade": grade}).json()["results"]
    assert [(row["name"], row["risk_grade"]) for row in api] == [("姑苏超市", grade)]


def test_the_public_page_shows_the_grade(client, graded):
    page = client.get(f"/p/{graded.public_id}/").content.decode()
    grade = RiskGrade.objects.current().get(operator=graded).grade
    assert 'id="risk-grade"' in page and f'data-grade="{grade}"' in page
    assert "静态" not in page and "Static" not in page  # the points stay with regulators


def test_a_regrade_job_is_queued_from_the_page(client, head, graded, django_capture_on_commit_callbacks):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("risk-regrade"))
    run = RegradeRun.objects.get()
    assert run.region_id == head.jurisdiction_id and run.status in ("queued", "done")
    assert client.get(reverse("risk-regrade")).status_code == 200


def test_the_api_lists_grades_with_points_in_scope(client, inspector, other_county_inspector, graded):
    client.force_login(inspector)
    rows = client.get("/api/v1/risk/grades/", {"current": "true"}).json()["results"]
    assert len(rows) == 1 and rows[0]["operator"] == graded.pk and rows[0]["points"]
    client.force_login(other_county_inspector)
    assert client.get("/api/v1/risk/grades/").json()["results"] == []


def test_the_home_page_counts_grades_in_scope(client, inspector, other_county_inspector, graded):
    grade = RiskGrade.objects.current().get(operator=graded).grade
    client.force_login(inspector)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="card-risk-grades"' in page
    assert f'data-grade-count="{grade}"' in page
    counts = dict(re.findall(r'data-grade-count="([A-D])".*?fw-bold">(\d+)<', page, re.S))
    assert counts[grade] == "1"
    client.force_login(other_county_inspector)
    page = client.get(reverse("home")).content.decode()
    assert dict(re.findall(r'data-grade-count="([A-D])".*?fw-bold">(\d+)<', page, re.S))[grade] == "0"
