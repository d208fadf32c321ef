import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ..models import GENESIS_HASH, LedgerEntry, LedgerHead, signed_in
from .audit import json_value


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *, seq: int, at: str, kind: str, object_type: str, object_id: str, actor_id, payload, prev_hash: str
) -> str:
    """SHA-256 over the entry's canonical JSON, including the previous entry's hash."""
    body = {
        "seq": seq,
        "at": at,
        "kind": kind,
        "object_type": object_type,
        "object_id": object_id,
        "actor_id": actor_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _hash_of(entry: LedgerEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at.astimezone(datetime.UTC).isoformat(),
        kind=entry.kind,
        object_type=entry.object_type,
        object_id=entry.object_id,
        actor_id=entry.actor_id,
        payload=entry.payload,
        prev_hash=entry.prev_hash,
    )


def ledger_lock() -> LedgerHead:
    """Lock the chain's head for the rest of the transaction: appends (and anything that must be decided
    in the ledger's order, such as "was this file seen before?") queue behind it."""
    try:
        return LedgerHead.objects.select_for_update().get(pk=1)
    except LedgerHead.DoesNotExist:
        try:
            with transaction.atomic():
                LedgerHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another writer created it first
        return LedgerHead.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class LedgerItem:
    """One entry to append: what kind of evidence or decision, its content, about what, by whom."""

    kind: str
    payload: dict
    obj: models.Model | None = None
    actor: object = None


@transaction.atomic
def ledger_append_many(items: Iterable[LedgerItem]) -> list[LedgerEntry]:
    """Append entries to the hash chain in order, under one lock of its head, which is written once: the
    way for an import or a batch to record many decisions in one transaction. The head is locked for the
    rest of the transaction, so appends from any number of processes form one chain."""
    head = ledger_lock()
    seq, prev_hash, entries = head.seq, head.hash, []
    for item in items:
        seq += 1
        actor = signed_in(item.actor)
        entry = LedgerEntry(
            seq=seq,
            at=timezone.now(),
            kind=item.kind,
            object_type=item.obj._meta.label_lower if item.obj is not None else "",
            object_id=str(item.obj.pk) if item.obj is not None else "",
            actor_id=actor.pk if actor else None,
            actor_label=actor.display_name if actor else "",
            payload=json.loads(canonical_json(json_value(item.payload))),  # exactly what the database gives back
            prev_hash=prev_hash,
        )
        entry.hash = prev_hash = _hash_of(entry)
        entries.append(entry)
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    if entries:
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    return entries


def ledger_append(*, kind: str, payload: dict, obj: models.Model | None = None, actor=None) -> LedgerEntry:
    """Append one entry to the hash chain (in a transaction that appends many, use `ledger_append_many`:
    rewriting the head row once per entry within one transaction gets slower with every entry)."""
    return ledger_append_many([LedgerItem(kind=kind, payload=payload, obj=obj, actor=actor)])[0]


@dataclass(frozen=True)
class LedgerReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def ledger_verify(*, chunk_size: int = 5000, progress: Callable[[int], None] | None = None) -> LedgerReport:
    """Walk the chain in order and report the first entry that was altered, removed or moved.
    `progress(n)` is told every `chunk_size` entries how many more were checked."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return LedgerReport(False, checked, expected_seq, f"entry {expected_seq} is missing (next is {entry.seq})")
        if entry.prev_hash != prev_hash:
            return LedgerReport(False, checked, entry.seq, "its link to the previous entry does not match")
        if _hash_of(entry) != entry.hash:
            return LedgerReport(False, checked, entry.seq, "its content does not match its hash")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
        if progress is not None and checked % chunk_size == 0:
            progress(chunk_size)
    head = LedgerHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return LedgerReport(
            False,
            checked,
            checked + 1,
            f"the chain ends at {checked} but its head records {head_seq}: entries were removed",
        )
    return LedgerReport(True, checked)
