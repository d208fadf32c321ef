import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shian.duty.models import RiskControlList
from shian.duty.services.lists import SHIPPED, template_load


class Command(BaseCommand):
    help = (
        "Risk-control list templates (风险管控清单). `duty load FILE… [--shipped]` loads sector templates (TOML, "
        "shian/duty/data/lists/README.md; a version already loaded is left as it is); `duty templates` lists them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load template files")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument("--shipped", action="store_true", help="the templates shipped with Shian")
        sub.add_parser("templates", help="list the loaded templates")

    def handle(self, *args, what, **options):
        getattr(self, f"_{what}")(**options)

    def _load(self, files, shipped, **options):
        paths = [*files, *(sorted(SHIPPED.glob("*.toml")) if shipped else [])]
        if not paths:
            raise CommandError("Name the files to load, or --shipped.")
        failed = False
        for path in paths:
            try:
                template, created = template_load(data=tomllib.loads(path.read_text("utf-8")))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                failed = True
                self.stderr.write(f"{path}: {exc}")
            except ValidationError as exc:
                failed = True
                for message in exc.messages:
                    self.stderr.write(f"{path}: {message}")
            else:
                state = "loaded" if created else "already loaded"
                self.stdout.write(
                    f"{path.name}: {template.name} v{template.version}, {template.points.count()} points, {state}"
                )
        if failed:
            raise CommandError("Some files were not loaded (nothing of those was stored).")

    def _templates(self, **options):
        for template in RiskControlList.objects.templates().order_by("code", "version"):
            self.stdout.write(
                f"{template.code} v{template.version}  {template.name}  ({template.points.count()} points)"
            )
