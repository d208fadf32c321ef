"""The ledger's hash chain: tampering directly in the database is detected, and concurrent writers from
several processes still build one valid chain."""

import itertools
import multiprocessing

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from shian.core.models import GENESIS_HASH, LedgerEntry, LedgerHead
from shian.core.services.ledger import LedgerItem, ledger_append, ledger_append_many, ledger_verify
from shian.registry.tests.factories import OperatorFactory


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def chain(db, inspector):
    operator = OperatorFactory()
    return [
        ledger_append(
            kind="test.decision",
            payload={"n": n, "verdict": "合格", "value": "0.05"},
            obj=operator,
            actor=inspector,
        )
        for n in range(1, 6)
    ]


def test_entries_link_each_to_the_previous(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))
    head = LedgerHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, chain[-1].hash)
    assert ledger_verify().ok and ledger_verify().checked == 5


def test_an_empty_ledger_verifies(db):
    assert ledger_verify().ok


def test_edited_payload_is_detected(chain):
    sql(
        "UPDATE core_ledgerentry SET payload = %s WHERE seq = 3",
        '{"n": 3, "verdict": "不合格", "value": "0.05"}',
    )
    report = ledger_verify()
    assert not report.ok and report.broken_seq == 3 and "content" in report.reason


def test_edited_time_or_kind_is_detected(chain):
    sql("UPDATE core_ledgerentry SET kind = 'test.other' WHERE seq = 2")
    assert ledger_verify().broken_seq == 2


def test_rehashed_edit_still_breaks_the_next_link(chain):
    """Someone who edits an entry and recomputes its own hash still breaks the following entry's link."""
    from shian.core.services.ledger import _hash_of

    entry = LedgerEntry.objects.get(seq=2)
    entry.payload = {"n": 2, "verdict": "不合格"}
    entry.hash = _hash_of(entry)
    LedgerEntry.objects.filter(pk=entry.pk).update(payload=entry.payload, hash=entry.hash)
    report = ledger_verify()
    assert not report.ok and report.broken_seq == 3 and "link" in report.reason


def test_deleted_entry_is_detected(chain):
    sql("DELETE FROM core_ledgerentry WHERE seq = 2")
    report = ledger_verify()
    assert not report.ok and report.broken_seq == 2 and "missing" in report.reason


def test_deleted_last_entries_are_detected(chain):
    sql("DELETE FROM core_ledgerentry WHERE seq >= 4")
    report = ledger_verify()
    assert not report.ok and report.broken_seq == 4 and "removed" in report.reason


def test_reordered_entries_are_detected(chain):
    sql("UPDATE core_ledgerentry SET seq = 1000 WHERE seq = 2")
    sql("UPDATE core_ledgerentry SET seq = 2 WHERE seq = 3")
    sql("UPDATE core_ledgerentry SET seq = 3 WHERE seq = 1000")
    report = ledger_verify()
    assert not report.ok and report.broken_seq == 2


def test_verify_command_reports_ok_and_the_first_broken_entry(chain, capsys):
    call_command("ledger", "verify")
    assert "Ledger OK: 5 entries verified" in capsys.readouterr().out
    sql("UPDATE core_ledgerentry SET payload = %s WHERE seq = 4", '{"n": 40}')
    with pytest.raises(CommandError, match="BROKEN at entry 4"):
        call_command("ledger", "verify")


def test_deleting_a_user_does_not_rewrite_the_ledger(chain, inspector):
    inspector.delete()
    assert ledger_verify().ok
    assert LedgerEntry.objects.get(seq=1).actor_id is not None


def _append_many(count: int, tag: str) -> None:
    connections.close_all()  # a forked child must open its own connection
    for n in range(count):
        ledger_append(kind="test.concurrent", payload={"writer": tag, "n": n})
    connections.close_all()


@pytest.mark.postgres
def test_concurrent_appends_from_two_processes_keep_one_chain(regions):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking (run with SHIAN_DATABASE_URL=postgres://...)")
    ledger_append(kind="test.start", payload={})
    connections.close_all()
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_append_many, args=(60, tag)) for tag in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert writer.exitcode == 0
    assert LedgerEntry.objects.count() == 121
    assert list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 122))
    report = ledger_verify()
    assert report.ok and report.checked == 121


def test_verify_reports_progress_for_long_chains(chain):
    seen = []
    assert ledger_verify(chunk_size=2, progress=seen.append).ok
    assert seen == [2, 2]


def test_a_batch_continues_the_chain_in_order(chain):
    batch = ledger_append_many([LedgerItem(kind="test.batch", payload={"row": n}) for n in range(1, 4)])
    assert [e.seq for e in batch] == [6, 7, 8]
    assert batch[0].prev_hash == chain[-1].hash and batch[2].prev_hash == batch[1].hash
    ledger_append(kind="test.after", payload={})
    assert ledger_append_many([]) == []
    report = ledger_verify()
    assert report.ok and report.checked == 9
