"""Ledger: hash-chained appends against plain inserts of the same rows, and verification speed.

Two ways of writing: one entry per transaction (a web request or an API call; baseline: one plain insert
per transaction) and a batch of entries in one transaction (an import; baseline: one bulk insert).

    python benchmarks/ledger.py [--entries 20000]
"""

import argparse

from harness import setup_django, timer, write


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    entries = parser.parse_args().entries
    setup_django()

    from django.db import transaction
    from django.utils import timezone

    from shian.core.models import LedgerEntry, LedgerHead
    from shian.core.services.ledger import LedgerItem, ledger_append, ledger_append_many, ledger_verify

    payload = {"verdict": "合格", "sha256": "0" * 64, "value": "0.05", "unit": "mg/kg"}

    def plain(n: int) -> LedgerEntry:
        return LedgerEntry(
            seq=10_000_000 + n, at=timezone.now(), kind="bench", payload=payload, prev_hash="0" * 64, hash=f"{n:064d}"
        )

    def reset() -> None:
        LedgerEntry.objects.all().delete()
        LedgerHead.objects.all().delete()

    figures: dict = {"entries": entries}
    with timer(figures, "single_baseline_insert_s"):
        for n in range(entries):
            with transaction.atomic():
                plain(n).save()
    reset()
    with timer(figures, "single_ledger_append_s"):
        for _ in range(entries):
            ledger_append(kind="bench", payload=payload)
    reset()
    with timer(figures, "batch_baseline_bulk_insert_s"), transaction.atomic():
        LedgerEntry.objects.bulk_create([plain(n) for n in range(entries)], batch_size=1000)
    reset()
    with timer(figures, "batch_ledger_append_many_s"):
        ledger_append_many(LedgerItem(kind="bench", payload=payload) for _ in range(entries))
    with timer(figures, "verify_s"):
        report = ledger_verify()
    assert report.ok and report.checked == entries, report
    figures["single_appends_per_s"] = round(entries / figures["single_ledger_append_s"])
    figures["single_ratio_vs_plain_insert"] = round(
        figures["single_ledger_append_s"] / figures["single_baseline_insert_s"], 2
    )
    figures["batch_appends_per_s"] = round(entries / figures["batch_ledger_append_many_s"])
    figures["batch_ratio_vs_bulk_insert"] = round(
        figures["batch_ledger_append_many_s"] / figures["batch_baseline_bulk_insert_s"], 2
    )
    figures["verified_per_s"] = round(entries / figures["verify_s"])
    write("ledger", figures)


if __name__ == "__main__":
    main()
