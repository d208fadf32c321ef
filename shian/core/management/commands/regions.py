from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shian.core.services.regions import region_populations_load, regions_load


class Command(BaseCommand):
    help = (
        "Administrative divisions (GB/T 2260). `regions load [--towns]` loads the shipped codes (idempotent); "
        "`regions population FILE` sets resident populations from a CSV or XLSX (行政区划代码,常住人口[,年份])."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load the shipped region codes")
        load.add_argument("--towns", action="store_true", help="also load township-level codes (NBS 2023)")
        population = sub.add_parser("population", help="set resident populations (sampling quotas use them)")
        population.add_argument("file", type=Path)

    def handle(self, *args, action, towns=False, **options):
        if action == "population":
            try:
                count = region_populations_load(path=options["file"])
            except ValidationError as exc:
                raise CommandError("\n".join(exc.messages)) from exc
            self.stdout.write(f"Populations set for {count} regions")
            return
        summary = regions_load(towns=towns)
        self.stdout.write(
            f"Regions: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged"
            + (f", {summary.skipped} towns skipped (county not in GB/T 2260 list)" if summary.skipped else "")
        )
