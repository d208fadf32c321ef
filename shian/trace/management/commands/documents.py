from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shian.trace.services.receiving_data import SHIPPED, receiving_data_load


class Command(BaseCommand):
    help = (
        "What receiving a food requires: `documents load FILE` or `documents load --shipped` loads document kinds "
        "and product classes (trace code required or not, papers to check) from TOML."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a TOML file of document kinds and product classes")
        load.add_argument("file", nargs="?", type=Path)
        load.add_argument("--shipped", action="store_true", help="the set shipped with Shian")

    def handle(self, *args, action, file, shipped, **options):
        path = SHIPPED if shipped else file
        if path is None or not path.exists():
            raise CommandError(f"No such file: {path} (give FILE or --shipped)")
        try:
            kinds, classes = receiving_data_load(content=path.read_bytes())
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"{kinds} document kinds and {classes} product classes loaded from {path.name}.")
