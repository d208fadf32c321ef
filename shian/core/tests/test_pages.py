"""Every page of the web console renders for the user it is for, with the content that user relies on."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from openpyxl import load_workbook

from shian.core import views
from shian.core.choices import Role, UserKind
from shian.core.models import Notification
from shian.core.tests.factories import DEMO_PASSWORD, BusinessUserFactory, UserFactory, region
from shian.registry.services import operator_create, operator_update
from shian.registry.tests.factories import MembershipFactory, OperatorFactory, credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def gusu(inspector):
    """Two businesses in the inspector's county (one renamed, so it has an audit trail) and one next door."""
    canteen = operator_create(
        by=inspector,
        name="姑苏区实验小学食堂",
        credit_code=credit_code(901),
        region=region("320508"),
        address="苏州市姑苏区十全街1号",
    )
    operator_update(operator=canteen, by=inspector, name="姑苏区实验小学学生食堂")
    noodles = OperatorFactory(name="姑苏区好味面馆", region=region("320508"))
    elsewhere = OperatorFactory(name="吴中区太湖饭店", region=region("320506"))
    return {"canteen": canteen, "noodles": noodles, "elsewhere": elsewhere}


@pytest.fixture
def inspector_client(client, inspector):
    client.force_login(inspector)
    return client


def html(response) -> str:
    return response.content.decode()


def test_the_inspector_home_greets_them_and_charts_their_county(inspector_client, inspector, gusu):
    response = inspector_client.get(reverse("home"))
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="zh-hans">' in page
    assert 'data-testid="home-regulator"' in page
    assert inspector.display_name in page and "苏州市姑苏区市场监督管理局" in page
    assert 'data-testid="operators-total">2<' in page  # the business next door is not counted
    assert '<script id="chart-operators" type="application/json">' in page
    assert 'data-chart="chart-operators"' in page
    assert 'data-testid="card-audit"' in page and "姑苏区实验小学学生食堂" in page
    assert f'href="{reverse("operator-list")}"' in page and f'href="{reverse("inbox")}"' in page


@pytest.mark.parametrize(
    ("factory", "kind", "expected"),
    [
        (BusinessUserFactory, "business", 'data-testid="card-my-operators"'),
        (lambda: UserFactory(kind=UserKind.LAB, roles=[Role.LAB]), "lab", 'data-testid="api-access-card"'),
        (lambda: UserFactory(kind=UserKind.PUBLIC, roles=[Role.PUBLIC]), "public", 'data-testid="profile-card"'),
    ],
)
def test_every_kind_of_user_has_a_home(client, factory, kind, expected):
    user = factory()
    client.force_login(user)
    page = html(client.get(reverse("home")))
    assert f'data-testid="home-{kind}"' in page
    assert expected in page and 'data-testid="card-inbox"' in page
    assert 'data-testid="card-audit"' not in page


def test_a_business_user_sees_their_own_business_on_their_home(client, gusu):
    user = BusinessUserFactory()
    MembershipFactory(user=user, operator=gusu["noodles"])
    client.force_login(user)
    page = html(client.get(reverse("home")))
    assert "姑苏区好味面馆" in page and "姑苏区实验小学学生食堂" not in page


def test_the_inbox_highlights_unread_notes_and_marks_them_all_read(inspector_client, inspector):
    Notification.objects.create(recipient=inspector, kind="test", title="整改到期提醒", body="请于今日完成整改")
    Notification.objects.create(recipient=inspector, kind="test", title="上周的通知", read_at="2026-01-05T09:00+08:00")
    page = html(inspector_client.get(reverse("inbox")))
    assert page.count("is-unread") == 1 and "整改到期提醒" in page and "上周的通知" in page
    assert 'id="unread-badge"' in page and ">1</span>" in page
    assert f'hx-post="{reverse("inbox-mark-read")}"' in page

    badge = inspector_client.post(reverse("inbox-mark-read"), headers={"HX-Request": "true"})
    assert badge.status_code == 200 and 'id="unread-badge"' in html(badge) and "<html" not in html(badge)
    assert not Notification.objects.filter(recipient=inspector, read_at__isnull=True).exists()
    assert "is-unread" not in html(inspector_client.get(reverse("inbox")))


def test_mark_all_read_works_as_a_plain_form(inspector_client, inspector):
    Notification.objects.create(recipient=inspector, kind="test", title="新任务")
    response = inspector_client.post(reverse("inbox-mark-read"))
    assert response.status_code == 302 and response.url == reverse("inbox")
    assert not Notification.objects.filter(recipient=inspector, read_at__isnull=True).exists()


def test_the_audit_log_lists_changes_in_the_jurisdiction(inspector_client, gusu):
    response = inspector_client.get(reverse("audit-log"), {"action": "operator.update"})
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="audit-filter"' in page and 'name="source"' in page
    assert "operator.update" in page and "operator.create" not in page
    link = reverse("audit-object", args=["registry.operator", gusu["canteen"].pk])
    assert f'href="{link}"' in page


def test_an_operators_audit_trail_shows_what_changed(inspector_client, gusu):
    response = inspector_client.get(reverse("audit-object", args=["registry.operator", gusu["canteen"].pk]))
    assert response.status_code == 200
    page = html(response)
    assert "operator.update" in page and "operator.create" in page
    assert "姑苏区实验小学食堂</del>" in page and "姑苏区实验小学学生食堂</ins>" in page


def test_the_operator_list_searches_and_filters(inspector_client, gusu):
    page = html(inspector_client.get(reverse("operator-list")))
    assert 'data-testid="operator-search"' in page
    assert "姑苏区好味面馆" in page and "姑苏区实验小学学生食堂" in page and "吴中区太湖饭店" not in page
    assert f'href="{reverse("operator-export", args=["csv"])}"' in page

    found = html(inspector_client.get(reverse("operator-list"), {"q": "面馆"}))
    assert "姑苏区好味面馆" in found and "姑苏区实验小学学生食堂" not in found
    assert f'href="{reverse("operator-export", args=["xlsx"])}?q=%E9%9D%A2%E9%A6%86"' in found

    rows = inspector_client.get(reverse("operator-list"), {"q": "面馆"}, headers={"HX-Request": "true"})
    assert "<html" not in html(rows) and 'data-testid="operator-row"' in html(rows)
    assert html(rows).count('data-testid="operator-row"') == 1


def test_the_operator_detail_shows_its_facts_and_links_its_audit_trail(inspector_client, gusu):
    canteen = gusu["canteen"]
    page = html(inspector_client.get(reverse("operator-detail", args=[canteen.pk])))
    assert canteen.credit_code in page and "苏州市姑苏区十全街1号" in page
    assert reverse("audit-object", args=["registry.operator", canteen.pk]) in page
    assert 'data-testid="operator-status"' in page


def test_an_operator_outside_the_jurisdiction_is_a_friendly_404(inspector_client, gusu):
    response = inspector_client.get(reverse("operator-detail", args=[gusu["elsewhere"].pk]))
    assert response.status_code == 404 and "页面不存在" in html(response)


def test_exports_follow_the_search(inspector_client, gusu):
    csv_response = inspector_client.get(reverse("operator-export", args=["csv"]), {"q": "面馆"})
    assert csv_response.status_code == 200
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert "姑苏区好味面馆" in text and "姑苏区实验小学学生食堂" not in text

    xlsx = inspector_client.get(reverse("operator-export", args=["xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"姑苏区好味面馆", "姑苏区实验小学学生食堂"}


def test_the_login_page_has_the_form_and_the_language_switch(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = html(response)
    assert 'name="username"' in page and 'name="password"' in page
    assert f'action="{reverse("set_language")}"' in page
    assert 'data-testid="lang-zh-hans"' in page and 'data-testid="lang-en"' in page


def test_a_wrong_password_shows_the_error_on_the_login_page(client, inspector):
    response = client.post(reverse("login"), {"username": inspector.username, "password": "wrong-password"})
    assert response.status_code == 200 and 'class="alert alert-danger"' in html(response)


def test_logging_in_lands_on_the_home_page(client, inspector):
    response = client.post(reverse("login"), {"username": inspector.username, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert 'data-testid="home-regulator"' in html(response)


def test_repeated_failures_lock_the_login_for_the_cool_off_minutes(client, inspector, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": inspector.username, "password": "wrong"}, headers={"Accept-Language": "en"}
        )
    assert response.status_code == 429
    page = html(response)
    assert 'data-testid="locked-out"' in page
    assert f"{round(settings.AXES_COOLOFF_TIME * 60)} minutes" in page


def test_the_language_switch_changes_the_page_language(inspector_client):
    response = inspector_client.post(reverse("set_language"), {"language": "en", "next": reverse("inbox")})
    assert response.status_code == 302 and response.url == reverse("inbox")
    assert '<html lang="en">' in html(inspector_client.get(reverse("inbox")))


def test_the_password_change_page_renders_its_form(inspector_client):
    page = html(inspector_client.get(reverse("password_change")))
    assert 'name="old_password"' in page and 'name="new_password1"' in page and 'name="new_password2"' in page


def test_an_unknown_address_shows_the_friendly_404_in_both_languages(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = html(response)
    assert "页面不存在" in page and "Page not found" in page


def test_the_500_page_renders_without_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = views.error_500(rf.get("/somewhere/"))
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode() and "Something went wrong" in response.content.decode()


def test_the_403_page_is_bilingual(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = views.error_403(request)
    page = response.content.decode()
    assert response.status_code == 403 and "您没有权限" in page and "You do not have permission" in page


def test_operator_file_links_to_evidence_upload_for_that_operator(client, inspector):
    from shian.registry.tests.factories import OperatorFactory

    operator = OperatorFactory()
    client.force_login(inspector)
    page = client.get(reverse("operator-detail", args=[operator.pk])).content.decode()
    upload = f"{reverse('evidence-upload')}?operator={operator.pk}"
    assert upload in page
    assert client.get(upload).status_code == 200
