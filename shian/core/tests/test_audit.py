import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from shian.core.choices import AuditSource
from shian.core.context import operation
from shian.core.models import AuditEntry
from shian.core.services.audit import audit_record
from shian.core.tests.factories import region
from shian.registry.services import operator_create, operator_update
from shian.registry.tests.factories import OperatorFactory, credit_code

pytestmark = pytest.mark.django_db


def test_a_service_write_records_actor_action_object_and_change(inspector):
    operator = OperatorFactory(name="旧名字")
    with operation(source=AuditSource.WEB, request_id="req-0001-abcdef"):
        operator_update(operator=operator, by=inspector, name="新名字")
    entry = AuditEntry.objects.get(action="operator.update")
    assert entry.actor == inspector and entry.actor_label == inspector.real_name
    assert entry.object_id == str(operator.pk) and entry.object_repr == "新名字"
    assert entry.region_id == "320508"
    assert entry.before["name"] == "旧名字" and entry.after["name"] == "新名字"
    with translation.override("en"):
        assert ("name", "name", "旧名字", "新名字") in [tuple(c) for c in entry.changes]
    assert (entry.source, entry.request_id) == ("web", "req-0001-abcdef")
    with translation.override("en"):
        assert entry.action_label == "Changed a food business"


def test_audit_and_change_share_one_transaction(inspector):
    with pytest.raises(RuntimeError), transaction.atomic():
        operator_create(by=inspector, name="回滚店", credit_code=credit_code(7), region=region("320508"))
        raise RuntimeError("the request fails after the write")
    assert not AuditEntry.objects.filter(action="operator.create").exists()


def test_audit_outside_a_transaction_is_refused(regions):
    operator = OperatorFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="x", obj=operator)


def test_invalid_input_writes_neither_record_nor_audit(inspector):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        operator_create(by=inspector, name="坏代码店", credit_code="91320500000000000X", region=region("320508"))
    assert "credit_code" in error.value.message_dict
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("source", "expected"), [(AuditSource.CLI, "cli"), (AuditSource.JOB, "job")])
def test_source_is_recorded_for_cli_and_jobs(inspector, source, expected):
    with operation(source=source):
        operator_create(by=None, name="命令行店", credit_code=credit_code(8), region=region("320508"))
    entry = AuditEntry.objects.get(action="operator.create")
    assert entry.source == expected and len(entry.request_id) == 32 and entry.actor is None


def test_web_requests_carry_their_request_id_into_the_audit(client, inspector):
    client.force_login(inspector)
    response = client.post(reverse("inbox-mark-read"), headers={"X-Request-ID": "trace-12345678"})
    assert response["X-Request-ID"] == "trace-12345678"
    response = client.get(reverse("home"), headers={"X-Request-ID": "bad id with spaces"})
    assert response["X-Request-ID"] != "bad id with spaces" and len(response["X-Request-ID"]) == 32


def test_object_timeline_page_and_api(client, inspector):
    operator = OperatorFactory(name="时间线店")
    operator_update(operator=operator, by=inspector, name="时间线店二")
    operator_update(operator=operator, by=inspector, address="新地址")
    client.force_login(inspector)
    page = client.get(reverse("audit-object", args=["registry.operator", operator.pk]))
    assert page.status_code == 200 and "新地址" in page.content.decode()
    api = client.get("/api/v1/audit/timeline/", {"type": "registry.operator", "id": operator.pk}).json()
    assert [e["action"] for e in api["results"]] == ["operator.update", "operator.update"]
    assert api["results"][0]["after"]["address"] == "新地址"


def test_audit_log_is_scoped_and_needs_the_permission(client, inspector, other_county_inspector):
    mine, theirs = OperatorFactory(region=region("320508")), OperatorFactory(region=region("320506"))
    operator_update(operator=mine, by=inspector, address="甲")
    operator_update(operator=theirs, by=other_county_inspector, address="乙")
    client.force_login(inspector)
    listed = client.get("/api/v1/audit/").json()["results"]
    assert {e["object_id"] for e in listed} == {str(mine.pk)}
    page = client.get(reverse("audit-log")).content.decode()
    assert mine.name in page and theirs.name not in page


def test_unknown_object_types_are_404(client, inspector):
    client.force_login(inspector)
    assert client.get(reverse("audit-object", args=["nope.model", 1])).status_code == 404
    assert client.get(reverse("audit-object", args=["core.user", inspector.pk])).status_code == 404


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "127.0.0.1"),  # no trusted proxy: a client cannot spoof its address
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # what the client wrote itself is ignored
        (2, "1.2.3.4, 10.0.0.2", "1.2.3.4"),
    ],
)
def test_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    from shian.core.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", headers={"X-Forwarded-For": forwarded}, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected


def test_entries_about_accounts_are_readable_where_the_log_shows_them(client, inspector):
    """A regulator's audit log lists account changes in their region; the link must lead to those entries."""
    from shian.core.choices import Role, UserKind
    from shian.core.services.users import user_create

    colleague = user_create(
        by=None,
        username="colleague",
        password="Long-enough-pw-1",
        kind=UserKind.REGULATOR,
        roles=[Role.INSPECTOR],
        agency=inspector.agency,
    )
    elsewhere = user_create(
        by=None, username="elsewhere", password="Long-enough-pw-1", kind=UserKind.PUBLIC, roles=[Role.PUBLIC]
    )
    client.force_login(inspector)
    page = client.get(reverse("audit-object", args=["core.user", colleague.pk]))
    assert page.status_code == 200 and "user.create" in page.content.decode()
    assert client.get(reverse("audit-object", args=["core.user", elsewhere.pk])).status_code == 404


def test_changes_are_shown_with_field_and_choice_labels(inspector):
    from shian.registry.choices import OperatorStatus

    operator = OperatorFactory()
    operator_update(operator=operator, by=inspector, status=OperatorStatus.SUSPENDED)
    entry = AuditEntry.objects.get(action="operator.update")
    with translation.override("en"):
        [change] = [c for c in entry.changes if c.field == "status"]
        assert (change.label, str(change.before), str(change.after)) == ("status", "Operating", "Suspended")
