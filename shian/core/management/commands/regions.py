from django.core.management.base import BaseCommand

from shian.core.services.regions import regions_load


class Command(BaseCommand):
    help = "Administrative divisions (GB/T 2260). `regions load [--towns]` loads the shipped codes (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load the shipped region codes")
        load.add_argument("--towns", action="store_true", help="also load township-level codes (NBS 2023)")

    def handle(self, *args, action, towns=False, **options):
        summary = regions_load(towns=towns)
        self.stdout.write(
            f"Regions: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged"
            + (f", {summary.skipped} towns skipped (county not in GB/T 2260 list)" if summary.skipped else "")
        )
