"""Region scoping: a county inspector never reaches another county's records, through any door; a business
user reaches only its own operators. Proven on the real Operator model."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shian.core.choices import Role, UserKind
from shian.core.tests.factories import (
    AgencyFactory,
    BusinessUserFactory,
    RegulatorFactory,
    UserFactory,
    region,
)
from shian.registry.models import Operator
from shian.registry.tests.factories import MembershipFactory, OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops():
    """One shop in 姑苏区 (320508), one in 吴中区 (320506), both in 苏州市, and one in 南京市玄武区."""
    return {
        "gusu": OperatorFactory(name="姑苏甲店", region=region("320508")),
        "wuzhong": OperatorFactory(name="吴中乙店", region=region("320506")),
        "nanjing": OperatorFactory(name="玄武丙店", region=region("320102")),
    }


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_visible_to_follows_the_jurisdiction(shops, inspector):
    city = RegulatorFactory(agency=AgencyFactory(region=region("320500")))
    province = RegulatorFactory(agency=AgencyFactory(region=region("320000")))
    assert names(Operator.objects.visible_to(inspector)) == ["姑苏甲店"]
    assert names(Operator.objects.visible_to(city)) == ["吴中乙店", "姑苏甲店"]
    assert names(Operator.objects.visible_to(province)) == ["吴中乙店", "姑苏甲店", "玄武丙店"]


def test_business_user_sees_only_its_own_operators(shops):
    owner = BusinessUserFactory()
    MembershipFactory(user=owner, operator=shops["wuzhong"])
    assert names(Operator.objects.visible_to(owner)) == ["吴中乙店"]
    stranger = BusinessUserFactory()
    assert not Operator.objects.visible_to(stranger).exists()


@pytest.mark.parametrize("kind", [UserKind.LAB, UserKind.PUBLIC])
def test_labs_and_public_see_no_operator_records(shops, kind):
    assert not Operator.objects.visible_to(UserFactory(kind=kind)).exists()


def test_anonymous_and_inactive_users_see_nothing(shops, inspector, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Operator.objects.visible_to(AnonymousUser()).exists()
    inspector.is_active = False
    assert not Operator.objects.visible_to(inspector).exists()


def test_regulator_without_jurisdiction_sees_nothing(shops):
    user = UserFactory(kind=UserKind.REGULATOR, jurisdiction=None)
    assert not Operator.objects.visible_to(user).exists()


def test_scope_is_a_range_on_the_row_itself(inspector):
    sql = str(Operator.objects.visible_to(inspector).query)
    assert '"region_id" >= 320508' in sql and '"region_id" < 320509' in sql and "core_region" not in sql


class TestEveryDoor:
    """The same county inspector against another county's shop, door by door."""

    @pytest.fixture(autouse=True)
    def _login(self, client, inspector, shops):
        client.force_login(inspector)
        self.client, self.shops = client, shops

    def test_list_page(self):
        body = self.client.get(reverse("operator-list")).content.decode()
        assert "姑苏甲店" in body and "吴中乙店" not in body

    def test_search(self):
        hidden = reverse("operator-detail", args=[self.shops["wuzhong"].pk])
        for query in ["吴中乙店", "乙店", self.shops["wuzhong"].credit_code]:
            body = self.client.get(reverse("operator-list"), {"q": query}).content.decode()
            assert hidden not in body  # (the query itself is echoed in the search box)
        body = self.client.get(reverse("operator-list"), {"q": "甲店"}).content.decode()
        assert reverse("operator-detail", args=[self.shops["gusu"].pk]) in body

    def test_region_filter_cannot_widen_the_scope(self):
        body = self.client.get(reverse("operator-list"), {"region": "320506"}).content.decode()
        assert "吴中乙店" not in body

    def test_detail_page(self):
        assert self.client.get(reverse("operator-detail", args=[self.shops["gusu"].pk])).status_code == 200
        assert self.client.get(reverse("operator-detail", args=[self.shops["wuzhong"].pk])).status_code == 404

    def test_audit_timeline_page(self):
        other = self.shops["wuzhong"]
        assert self.client.get(reverse("audit-object", args=["registry.operator", other.pk])).status_code == 404

    def test_csv_export(self):
        response = self.client.get(reverse("operator-export", args=["csv"]))
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert [r[0] for r in rows[1:]] == ["姑苏甲店"]

    def test_xlsx_export(self):
        response = self.client.get(reverse("operator-export", args=["xlsx"]), {"q": "店"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["姑苏甲店"]

    def test_api_list_and_detail(self):
        listed = self.client.get("/api/v1/operators/").json()["results"]
        assert [o["name"] for o in listed] == ["姑苏甲店"]
        assert self.client.get(f"/api/v1/operators/{self.shops['wuzhong'].pk}/").status_code == 404
        assert self.client.get(f"/api/v1/operators/{self.shops['gusu'].pk}/").status_code == 200

    def test_api_search_and_filter(self):
        assert self.client.get("/api/v1/operators/", {"q": "吴中"}).json()["results"] == []
        assert self.client.get("/api/v1/operators/", {"region": "320506"}).json()["results"] == []

    def test_api_audit_timeline(self):
        other = self.shops["wuzhong"]
        response = self.client.get("/api/v1/audit/timeline/", {"type": "registry.operator", "id": other.pk})
        assert response.status_code == 404


def test_business_user_through_every_door(client, shops):
    owner = BusinessUserFactory(roles=[Role.PRINCIPAL])
    MembershipFactory(user=owner, operator=shops["gusu"])
    client.force_login(owner)
    assert "吴中乙店" not in client.get(reverse("operator-list")).content.decode()
    assert client.get(reverse("operator-detail", args=[shops["wuzhong"].pk])).status_code == 404
    assert client.get(reverse("operator-detail", args=[shops["gusu"].pk])).status_code == 200
    assert [o["name"] for o in client.get("/api/v1/operators/").json()["results"]] == ["姑苏甲店"]
    rows = b"".join(client.get(reverse("operator-export", args=["csv"])).streaming_content).decode("utf-8-sig")
    assert "姑苏甲店" in rows and "吴中乙店" not in rows and "玄武丙店" not in rows


def test_a_malformed_region_filter_is_a_field_error_not_an_empty_list(client, inspector):
    client.force_login(inspector)
    response = client.get("/api/v1/operators/", {"region": "3205"})
    assert response.status_code == 400
    assert "region" in response.json()["error"]["details"]
