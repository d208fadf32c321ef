from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shian.inspection.checklist import ChecklistError
from shian.inspection.models import ChecklistTemplate
from shian.inspection.services import checklist_load

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"


class Command(BaseCommand):
    help = "Inspection checklists. `checklist load FILE… [--shipped] [--jurisdiction CODE]`; `checklist list`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load checklist files (TOML)")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument("--shipped", action="store_true", help="the national checklists shipped with Shian")
        load.add_argument("--jurisdiction", default="", help="region code the files apply in (default: national)")
        sub.add_parser("list", help="list the loaded checklists")

    def handle(self, *args, what, **options):
        if what == "list":
            for t in ChecklistTemplate.objects.all():
                state = "in use" if t.active else "not in use"
                self.stdout.write(f"{t.code:14} v{t.version:<3} {t.jurisdiction or 'national':8} {state:10} {t.name}")
            return
        paths = [*options["files"], *(sorted(SHIPPED.glob("*.toml")) if options["shipped"] else [])]
        if not paths:
            raise CommandError("Name the files to load, or --shipped.")
        failed = False
        for path in paths:
            try:
                template, new = checklist_load(content=path.read_bytes(), jurisdiction=options["jurisdiction"])
            except FileNotFoundError:
                failed = True
                self.stderr.write(f"{path}: no such file")
            except ChecklistError as exc:
                failed = True
                for problem in exc.problems:
                    self.stderr.write(f"{path}: {problem}")
            else:
                items = template.items.count()
                self.stdout.write(
                    f"{path.name}: {template.code} v{template.version}, {items} items"
                    f"{'' if new else ' (already loaded)'}"
                )
        if failed:
            raise CommandError("Some files were not loaded.")
