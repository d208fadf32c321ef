"""The operator list: filters, search, capped count, exports, all within what the user may see."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.registry.choices import LicenceStatus, OperatorCategory, OperatorStatus, SpecialFood
from shian.registry.models import Filing, Licence, Operator, Staff
from shian.registry.rules import mod11_10_check_digit
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.registry.views import lists

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def jy(county: str, seq: int) -> str:
    """A well-formed JY catering licence number of `county` with a correct check digit."""
    body = f"2{county}{seq:06d}"
    return f"JY{body}{mod11_10_check_digit(body)}"


def licence(operator, seq: int, *, expires_on=None, status=LicenceStatus.VALID, county=None) -> Licence:
    return Licence.objects.create(
        operator=operator,
        kind="JY",
        number=jy(county or operator.region_id, seq),
        issued_on=datetime.date(2021, 1, 1),
        expires_on=expires_on,
        status=status,
    )


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Freeze the local date the filters count from."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def inspector_client(client, inspector):
    client.force_login(inspector)
    return client


def names(client, **params) -> set[str]:
    """The operator names on the list's rows (the htmx partial, as live search swaps it in)."""
    response = client.get(reverse("operator-list"), params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return set(re.findall(r'data-testid="operator-row">\s*<td>\s*<a href="[^"]+">([^<]+)</a>', response.text))


def export_rows(client, fmt: str = "csv", **params) -> list[list]:
    response = client.get(reverse("operator-export", args=[fmt]), params)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- Filters ------------------------------------------------------------------------------------------


def test_expiring_filters_take_valid_licences_expiring_in_the_next_30_60_90_days(inspector_client):
    expiries = {"今天到期": 0, "第30天": 30, "第31天": 31, "第60天": 60, "第90天": 90, "第91天": 91, "昨天过期": -1}
    for seq, (name, offset) in enumerate(expiries.items()):
        licence(OperatorFactory(name=name), seq, expires_on=days(offset))
    suspended = OperatorFactory(name="暂停许可")
    licence(suspended, 99, expires_on=days(10), status=LicenceStatus.SUSPENDED)
    OperatorFactory(name="无许可")

    assert names(inspector_client, licence_state="expiring_30") == {"今天到期", "第30天"}
    assert names(inspector_client, licence_state="expiring_60") == {"今天到期", "第30天", "第31天", "第60天"}
    assert names(inspector_client, licence_state="expiring_90") == {
        "今天到期",
        "第30天",
        "第31天",
        "第60天",
        "第90天",
    }


def test_expired_takes_operators_whose_licences_ran_out_with_none_valid_today(inspector_client):
    licence(OperatorFactory(name="已过期"), 1, expires_on=days(-1))
    renewed = OperatorFactory(name="已换证")
    licence(renewed, 2, expires_on=days(-30))
    licence(renewed, 3, expires_on=days(1800))
    licence(OperatorFactory(name="今天还有效"), 4, expires_on=days(0))
    licence(OperatorFactory(name="长期有效"), 5, expires_on=None)
    OperatorFactory(name="无许可")

    assert names(inspector_client, licence_state="expired") == {"已过期"}


def test_staff_health_filter_finds_active_staff_with_a_missing_or_expired_certificate(inspector_client):
    def staff(operator, expires_on, active=True):
        Staff.objects.create(operator=operator, name="员工", health_certificate_expires_on=expires_on, active=active)

    staff(OperatorFactory(name="健康证过期"), days(-1))
    staff(OperatorFactory(name="没有健康证"), None)
    staff(OperatorFactory(name="离职员工过期"), days(-100), active=False)
    valid = OperatorFactory(name="今天到期仍有效")
    staff(valid, days(0))
    staff(valid, days(300))
    OperatorFactory(name="无员工")

    assert names(inspector_client, staff_health_expired="true") == {"健康证过期", "没有健康证"}
    assert names(inspector_client, staff_health_expired="false") == {"离职员工过期", "今天到期仍有效", "无员工"}


def test_special_food_filter_takes_any_or_one_special_food(inspector_client):
    OperatorFactory(name="保健食品店", special_foods=[SpecialFood.HEALTH_FOOD])
    OperatorFactory(name="母婴店", special_foods=[SpecialFood.INFANT_FORMULA, SpecialFood.MEDICAL_FOOD])
    OperatorFactory(name="普通餐馆")

    assert names(inspector_client, special_food="true") == {"保健食品店", "母婴店"}
    assert names(inspector_client, special_food=SpecialFood.INFANT_FORMULA) == {"母婴店"}
    assert names(inspector_client, special_food=SpecialFood.HEALTH_FOOD) == {"保健食品店"}


def test_category_and_status_filters(inspector_client):
    OperatorFactory(name="学校食堂", category=OperatorCategory.CANTEEN, canteen_kind="school")
    OperatorFactory(name="超市", category=OperatorCategory.SALES)
    OperatorFactory(name="停业餐馆", status=OperatorStatus.CLOSED)

    assert names(inspector_client, category=OperatorCategory.CANTEEN) == {"学校食堂"}
    assert names(inspector_client, category="") == {"学校食堂", "超市", "停业餐馆"}  # the select's "any"
    assert names(inspector_client, status=OperatorStatus.CLOSED) == {"停业餐馆"}


def test_region_filter_narrows_a_city_inspectors_list_to_one_county(client):
    city = RegulatorFactory(agency=AgencyFactory(region=region("320500")))
    client.force_login(city)
    OperatorFactory(name="姑苏店", region=region("320508"))
    OperatorFactory(name="吴中店", region=region("320506"))
    OperatorFactory(name="南京店", region=region("320102"))

    assert names(client) == {"姑苏店", "吴中店"}
    assert names(client, region="320506") == {"吴中店"}
    assert names(client, region="320102") == set()  # a filter never widens what the user may see
    page = client.get(reverse("operator-list")).text
    assert '<option value="320506">· 吴中区</option>' in page and 'value="320102"' not in page


def test_filters_combine(inspector_client):
    target = OperatorFactory(name="目标", category=OperatorCategory.CATERING)
    licence(target, 1, expires_on=days(20))
    Staff.objects.create(operator=target, name="员工", health_certificate_expires_on=days(-5))
    other_category = OperatorFactory(name="超市", category=OperatorCategory.SALES)
    licence(other_category, 2, expires_on=days(20))
    Staff.objects.create(operator=other_category, name="员工", health_certificate_expires_on=days(-5))
    healthy = OperatorFactory(name="健康证齐全")
    licence(healthy, 3, expires_on=days(20))

    assert names(inspector_client, category="catering", licence_state="expiring_30", staff_health_expired="true") == {
        "目标"
    }


# --- Search -------------------------------------------------------------------------------------------


def test_search_by_name_fragment_credit_code_licence_and_filing_number(inspector_client):
    noodles = OperatorFactory(name="姑苏区好味面馆")
    butcher = OperatorFactory(name="姑苏区放心肉铺")
    shop = OperatorFactory(name="姑苏区便民超市")
    number = licence(butcher, 7, expires_on=days(400)).number
    Filing.objects.create(operator=shop, number="YB13205080000123")

    assert names(inspector_client, q="好味") == {"姑苏区好味面馆"}
    assert names(inspector_client, q=noodles.credit_code.lower()) == {"姑苏区好味面馆"}
    assert names(inspector_client, q=f" {number.lower()} ") == {"姑苏区放心肉铺"}
    assert names(inspector_client, q="yb13205080000123") == {"姑苏区便民超市"}
    assert names(inspector_client, q="姑苏区") == {"姑苏区好味面馆", "姑苏区放心肉铺", "姑苏区便民超市"}
    assert names(inspector_client, q=number[:10]) == set()  # numbers match whole, not in part


@pytest.mark.postgres
@pytest.mark.parametrize("fragment", ["面馆", "好味面馆"])
def test_name_search_uses_the_bigram_index_on_postgresql(fragment):
    if connection.vendor != "postgresql":
        pytest.skip("the bigram index is PostgreSQL's (run with SHIAN_DATABASE_URL=postgres://...)")
    from shian.core.bulk import insert_rows

    # Rows with statistics, and no sequential scan, for the planner to choose as on a registry of a million:
    # the bigram index, not a walk through the list index (region, name, id)
    insert_rows(Operator, [{"name": f"经营主体{n}号", "credit_code": "", "region_id": "320508"} for n in range(5000)])
    sql, params = Operator.objects.filter(name__fragment=fragment).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('registry_operator_name_bigrams')")  # as autovacuum would
        cursor.execute("ANALYZE registry_operator")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_operator_name_bigrams" in plan


def test_name_fragments_of_one_two_and_more_characters_find_the_right_operators(inspector_client):
    for name in ["好味面馆", "好运饭店", "味美小吃", "100%纯手工面"]:
        OperatorFactory(name=name)
    assert names(inspector_client, q="面馆") == {"好味面馆"}
    assert names(inspector_client, q="好") == {"好味面馆", "好运饭店"}
    assert names(inspector_client, q="味") == {"好味面馆", "味美小吃"}
    assert names(inspector_client, q="好味面馆") == {"好味面馆"}
    assert names(inspector_client, q="0%纯") == {"100%纯手工面"}
    assert names(inspector_client, q="面店") == set()


def test_search_never_reaches_another_countys_operators(inspector_client):
    elsewhere = OperatorFactory(name="吴中区好味面馆", region=region("320506"))
    number = licence(elsewhere, 1, expires_on=days(400)).number
    Filing.objects.create(operator=elsewhere, number="YB13205060000001")
    OperatorFactory(name="姑苏区好味面馆")

    assert names(inspector_client, q="好味") == {"姑苏区好味面馆"}
    assert names(inspector_client, q=elsewhere.credit_code) == set()
    assert names(inspector_client, q=number) == set()
    assert names(inspector_client, q="YB13205060000001") == set()


def test_business_users_see_and_search_only_their_own_operators(client):
    owner = BusinessUserFactory()
    mine = OperatorFactory(name="我的面馆")
    MembershipFactory(user=owner, operator=mine)
    OperatorFactory(name="邻居面馆")
    client.force_login(owner)

    assert names(client) == {"我的面馆"}
    assert names(client, q="面馆") == {"我的面馆"}
    assert 'name="region"' not in client.get(reverse("operator-list")).text  # no jurisdiction to narrow
    assert [row[0] for row in export_rows(client)[1:]] == ["我的面馆"]


# --- The page -----------------------------------------------------------------------------------------


def test_the_page_offers_every_filter_and_exports_that_keep_them(inspector_client):
    licence(OperatorFactory(name="姑苏区好味面馆", category=OperatorCategory.CATERING), 1, expires_on=days(10))
    page = inspector_client.get(
        reverse("operator-list"), {"q": "面馆", "licence_state": "expiring_30"}, headers={"Accept-Language": "en"}
    ).text

    for name in ["q", "category", "status", "licence_state", "staff_health_expired", "special_food"]:
        assert f'name="{name}"' in page
    assert 'name="region"' not in page  # a county inspector has nothing to narrow to (see the city test)
    assert '<option value="expiring_30" selected>' in page
    export = reverse("operator-export", args=["csv"])
    assert f'href="{export}?q=%E9%9D%A2%E9%A6%86&amp;licence_state=expiring_30"' in page
    row = page[page.index('data-testid="operator-row"') :]
    assert jy("320508", 1) in row and "Catering service" in row


def test_the_count_stops_at_the_cap_on_a_large_list(inspector_client, monkeypatch):
    monkeypatch.setattr(lists.CappedPaginator, "cap", 3)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    for n in range(5):
        OperatorFactory(name=f"店{n}")

    capped = inspector_client.get(reverse("operator-list"), headers={"Accept-Language": "en"}).text
    assert "More than 3 food businesses" in capped
    assert "of the first 3" in capped and "Page 1 of 2" in capped

    exact = inspector_client.get(reverse("operator-list"), {"q": "店1"}, headers={"Accept-Language": "en"}).text
    assert "1 food business" in exact and "More than" not in exact


def test_a_bad_filter_value_is_shown_as_an_error_not_a_crash(inspector_client):
    response = inspector_client.get(reverse("operator-list"), {"region": "32x", "licence_state": "soon"})
    assert response.status_code == 200
    assert "is-invalid" in response.text


# --- Exports ------------------------------------------------------------------------------------------


def test_csv_export_has_the_useful_columns_and_follows_the_filters(inspector_client):
    noodles = OperatorFactory(
        name="姑苏区好味面馆", legal_representative="王五", phone="0512-65550000", address="人民路1号"
    )
    first = licence(noodles, 1, expires_on=days(10))
    second = licence(noodles, 2, expires_on=days(700))
    OperatorFactory(name="姑苏区放心肉铺")
    OperatorFactory(name="吴中区好味面馆", region=region("320506"))

    rows = export_rows(inspector_client, q="好味")
    assert len(rows) == 2
    assert rows[1][:2] == ["姑苏区好味面馆", noodles.credit_code]
    assert rows[1][4:6] == ["320508", "人民路1号"]
    assert rows[1][7] == f"{first.number}; {second.number}"
    assert rows[1][8] == f"{days(10).isoformat()}; {days(700).isoformat()}"
    assert rows[1][10:] == ["王五", "0512-65550000", ""]  # not graded yet: no risk grade


def test_xlsx_export_is_scoped_to_the_jurisdiction(inspector_client):
    OperatorFactory(name="姑苏店")
    OperatorFactory(name="吴中店", region=region("320506"))
    assert [row[0] for row in export_rows(inspector_client, "xlsx")[1:]] == ["姑苏店"]


def test_export_queries_do_not_grow_with_the_rows(inspector_client, django_assert_max_num_queries):
    for n in range(3):
        licence(OperatorFactory(name=f"店{n}"), n, expires_on=days(100))
    with django_assert_max_num_queries(10) as few:
        export_rows(inspector_client)
    for n in range(3, 40):
        licence(OperatorFactory(name=f"店{n}"), n, expires_on=days(100))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(export_rows(inspector_client)) == 41


def test_unknown_export_format_is_404(inspector_client):
    assert inspector_client.get(reverse("operator-export", args=["pdf"])).status_code == 404
