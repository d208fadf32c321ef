from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shian.core.models import LedgerHead
from shian.core.services.ledger import ledger_verify


class Command(BaseCommand):
    help = "The evidence ledger. `ledger verify` checks the whole hash chain and reports the first broken entry."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the hash chain")

    def handle(self, *args, action, **options):
        total = LedgerHead.objects.values_list("seq", flat=True).first() or 0
        with tqdm(total=total, unit=" entries", disable=total < 50_000 or not self.stdout.isatty()) as bar:
            report = ledger_verify(progress=bar.update)
        if not report.ok:
            raise CommandError(
                f"Ledger BROKEN at entry {report.broken_seq}: {report.reason} "
                f"({report.checked} entries verified before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"Ledger OK: {report.checked} entries verified"))
