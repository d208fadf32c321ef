"""Ledger: appends per second and verification speed, against plain inserts of the same rows as baseline.

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

    from shian.core.models import LedgerEntry
    from shian.core.services.ledger import ledger_append, ledger_verify

    payload = {"verdict": "合格", "sha256": "0" * 64, "value": "0.05", "unit": "mg/kg"}
    figures: dict = {"entries": entries}
    with timer(figures, "baseline_plain_insert_s"), transaction.atomic():
        now = timezone.now()
        for n in range(entries):
            LedgerEntry.objects.create(
                seq=10_000_000 + n, at=now, kind="bench", payload=payload, prev_hash="0" * 64, hash=f"{n:064d}"
            )
    LedgerEntry.objects.all().delete()
    with timer(figures, "ledger_append_s"), transaction.atomic():
        for _ in range(entries):
            ledger_append(kind="bench", payload=payload)
    with timer(figures, "ledger_verify_s"):
        report = ledger_verify()
    assert report.ok and report.checked == entries, report
    figures["appends_per_s"] = round(entries / figures["ledger_append_s"])
    figures["verified_per_s"] = round(entries / figures["ledger_verify_s"])
    figures["append_vs_plain_insert_ratio"] = round(figures["ledger_append_s"] / figures["baseline_plain_insert_s"], 2)
    write("ledger", figures)


if __name__ == "__main__":
    main()
