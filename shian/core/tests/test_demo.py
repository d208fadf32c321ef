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
