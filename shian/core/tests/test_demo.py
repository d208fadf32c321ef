import pytest
from django.core.management import call_command

from shian.core.choices import Role, UserKind
from shian.core.demo import DEMO_PASSWORD
from shian.core.models import Agency, ApiToken, AuditEntry, User
from shian.registry.models import Operator


@pytest.fixture
def demo(db, capsys):
    call_command("demo")
    return capsys.readouterr().out


def test_demo_builds_a_province_with_two_cities_and_four_counties(demo):
    regions = set(Agency.objects.values_list("region_id", flat=True))
    assert {"320000", "320500", "320100", "320508", "320506", "320102", "320106"} <= regions
    counties = set(Operator.objects.values_list("region_id", flat=True))
    assert counties == {"320508", "320506", "320102", "320106"}
    assert Operator.objects.count() == 12


def test_demo_has_one_user_for_every_role_and_prints_the_logins(demo):
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    for username in ["demo-inspector", "demo-principal", "demo-lab", "demo-public"]:
        assert username in demo
    assert DEMO_PASSWORD in demo and "shian_" in demo  # the integration token, shown once
    inspector = User.objects.get(username="demo-inspector")
    assert inspector.check_password(DEMO_PASSWORD)
    assert (inspector.kind, inspector.jurisdiction_id) == (UserKind.REGULATOR, "320508")
    assert Operator.objects.visible_to(inspector).count() == 3
    officer = User.objects.get(username="demo-officer")
    assert Operator.objects.visible_to(officer).count() == 1


def test_a_second_run_adds_nothing(demo, capsys):
    counts = (
        User.objects.count(),
        Agency.objects.count(),
        Operator.objects.count(),
        AuditEntry.objects.count(),
        ApiToken.objects.count(),
    )
    call_command("demo")
    out = capsys.readouterr().out
    assert (
        User.objects.count(),
        Agency.objects.count(),
        Operator.objects.count(),
        AuditEntry.objects.count(),
        ApiToken.objects.count(),
    ) == counts
    assert "demo-inspector" in out and "shian_" not in out


def test_operators_option_grows_the_demo(demo):
    call_command("demo", "--operators", "20")
    assert Operator.objects.count() == 20


def test_demo_writes_are_audited(demo):
    assert AuditEntry.objects.filter(action="user.create").count() == User.objects.count()
    assert AuditEntry.objects.filter(action="operator.create").count() == 12


def test_demo_businesses_have_realistic_formats_licences_and_staff(demo):
    from django.utils import timezone

    from shian.registry.models import Licence, Staff
    from shian.registry.rules import check_id_number, check_licence_number, jy_category

    today = timezone.localdate()
    categories = dict(Operator.objects.values_list("name", "category"))
    assert categories["吴中区平价超市"] == "sales" and categories["姑苏区放心肉铺"] == "sales"
    assert categories["玄武区中心小学食堂"] == "canteen" and categories["鼓楼区好味面馆"] == "catering"
    assert Operator.objects.get(name="鼓楼区社区长者食堂").canteen_kind == "elderly_care"
    for operator in Operator.objects.prefetch_related("licences", "staff"):
        (licence,) = operator.licences.all()
        check = check_licence_number(licence.number, county=operator.region_id)
        assert check.ok and check.warnings == [], licence.number
        assert jy_category(licence.number) == operator.category
        assert 3 <= len(operator.staff.all()) <= 5
        assert all(check_id_number(member.id_number).ok for member in operator.staff.all())
    days_left = sorted((licence.expires_on - today).days for licence in Licence.objects.all())
    assert sum(d < 0 for d in days_left) == 1
    assert any(0 <= d <= 30 for d in days_left) and any(30 < d <= 60 for d in days_left)
    assert any(60 < d <= 90 for d in days_left)
    assert Staff.objects.filter(health_certificate_expires_on__lt=today).exists()
    assert Staff.objects.filter(health_certificate_expires_on__gte=today).exists()


def test_a_second_run_adds_no_licences_or_staff(demo):
    from shian.registry.models import Licence, Staff

    counts = (Licence.objects.count(), Staff.objects.count())
    call_command("demo")
    assert (Licence.objects.count(), Staff.objects.count()) == counts
