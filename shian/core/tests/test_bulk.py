"""Bulk writes without model instances (imports): `insert_rows` and the `any_of` lookup, on both databases."""

import gc

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from shian.core.bulk import chunked, insert_rows, update_grouped, without_cycle_collection
from shian.core.models import AuditEntry, Region

pytestmark = pytest.mark.django_db


def entry(n: int, **values) -> dict:
    return {
        "action": "test.insert",
        "content_type_id": ContentType.objects.get_for_model(Region).pk,
        "object_id": str(n),
        "object_repr": f"第{n}条",
        "source": "cli",
    } | values


def test_inserted_rows_get_their_keys_and_the_models_defaults():
    rows = [entry(1, after={"名称": "甲", "n": 1}), entry(2, region_id="320508")]
    insert_rows(AuditEntry, rows)
    first, second = (AuditEntry.objects.get(pk=row["id"]) for row in rows)
    assert (first.object_repr, first.after, first.before, first.region_id) == (
        "第1条",
        {"名称": "甲", "n": 1},
        None,
        None,
    )
    assert (second.object_id, second.region_id, second.request_id, second.actor_id) == ("2", "320508", "", None)
    assert first.at is not None and rows[0]["at"] == first.at  # auto_now_add, and the dict holds the row as stored
    assert rows[1]["client_ip"] is None and rows[1]["actor_label"] == ""


def test_a_failed_insert_writes_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(AuditEntry, [entry(1), entry(2, source=None)])
    assert not AuditEntry.objects.exists()


def test_any_of_matches_the_listed_values_only():
    insert_rows(AuditEntry, [entry(n) for n in range(1, 6)])
    assert set(AuditEntry.objects.filter(object_id__any_of=["2", "4", "9"]).values_list("object_id", flat=True)) == {
        "2",
        "4",
    }
    ids = list(AuditEntry.objects.values_list("pk", flat=True)[:2])
    assert AuditEntry.objects.filter(pk__any_of=ids).count() == 2
    assert not AuditEntry.objects.filter(object_id__any_of=[]).exists()


def test_the_cycle_collector_is_off_inside_and_as_it_was_afterwards():
    assert gc.isenabled()
    with pytest.raises(ValueError), without_cycle_collection():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with without_cycle_collection():
            pass
        assert not gc.isenabled()  # left off by whoever turned it off
    finally:
        gc.enable()


def test_chunked_splits_in_order_without_losing_or_repeating_any():
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []


@pytest.mark.django_db
def test_update_grouped_saves_each_instances_own_values():
    from shian.core.tests.factories import AgencyFactory

    agencies = [AgencyFactory(name=f"局{n}", phone="") for n in range(5)]
    for n, agency in enumerate(agencies):
        agency.phone = "110" if n % 2 else f"12{n}"
    update_grouped(type(agencies[0]), agencies, ["phone"])
    stored = sorted(type(agencies[0]).objects.filter(pk__in=[a.pk for a in agencies]).values_list("name", "phone"))
    assert stored == [("局0", "120"), ("局1", "110"), ("局2", "122"), ("局3", "110"), ("局4", "124")]
