from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shian.core.tabular import FileError, read_rows
from shian.sampling.choices import ResultSource
from shian.sampling.datafiles import DataFileError
from shian.sampling.models import FoodCatalogue, LimitSet
from shian.sampling.services import (
    RAPID_COLUMNS,
    catalogue_load,
    datafile_kind,
    limits_load,
    rapid_tests_record,
    results_import,
)

SHIPPED = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Sampling data. `sampling load FILE… [--shipped]` loads food catalogues and limit sets (TOML, "
        "docs/sampling-data.md; catalogues before the limits that refer to them); `sampling catalogues` and "
        "`sampling limits` list what is loaded; `sampling import-results FILE [--as USER]` imports a lab's results "
        "(CSV or XLSX) and reports every row kept for review or refused; `sampling import-rapid FILE [--as USER]` "
        "imports rapid tests (all rows, or none with every bad row's reasons)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load catalogue and limit files")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument("--shipped", action="store_true", help="the starter data shipped with Shian")
        sub.add_parser("catalogues", help="list the loaded food catalogues")
        sub.add_parser("limits", help="list the loaded limit sets")
        results = sub.add_parser("import-results", help="import test results (CSV or XLSX)")
        results.add_argument("file", type=Path)
        results.add_argument("--as", dest="username", help="import as this (lab) user; only their samples")
        rapid = sub.add_parser("import-rapid", help="import rapid tests (CSV or XLSX): all rows, or none")
        rapid.add_argument("file", type=Path)
        rapid.add_argument("--as", dest="username", help="import as this user; only their businesses")

    def handle(self, *args, what, **options):
        getattr(self, f"_{what.replace('-', '_')}")(**options)

    @staticmethod
    def _user_and_file(username, file):
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}")
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        return user

    def _import_rapid(self, file, username, **options):
        user = self._user_and_file(username, file)
        try:
            rows = list(read_rows(file, RAPID_COLUMNS))
        except FileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        batch = rapid_tests_record(rows=rows, by=user, source=ResultSource.IMPORT)
        if batch.problems:
            for line in batch.problems:
                self.stderr.write(line)
            raise CommandError(f"{file}: {len(batch.problems)} bad rows; nothing was recorded")
        positives = sum(t.result == "positive" for t in batch.recorded)
        self.stdout.write(f"{len(batch.recorded)} rapid tests recorded, {positives} positive")

    def _import_results(self, file, username, **options):
        user = self._user_and_file(username, file)
        try:
            report = results_import(path=file, by=user)
        except ValidationError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        for line in [*report.refused, *report.pending]:
            self.stderr.write(line)
        self.stdout.write(
            f"{report.rows} rows: {report.judged} judged, {len(report.pending)} kept for review, "
            f"{len(report.refused)} refused; {len(report.concluded)} samples concluded"
        )

    def _load(self, files, shipped, **options):
        paths = [*files, *(sorted(SHIPPED.glob("*.toml")) if shipped else [])]
        if not paths:
            raise CommandError("Name the files to load, or --shipped.")
        failed, queued = False, {"catalogue": [], "limits": []}
        for path in paths:
            try:
                content = path.read_bytes()
                queued[datafile_kind(content)].append((path, content))
            except FileNotFoundError:
                failed = True
                self.stderr.write(f"{path}: no such file")
            except DataFileError as exc:
                failed = True
                self.stderr.write(f"{path}: {exc}")
        for kind, load in (("catalogue", catalogue_load), ("limits", limits_load)):
            for path, content in queued[kind]:
                try:
                    loaded, new = load(content=content)
                except DataFileError as exc:
                    failed = True
                    for problem in exc.problems:
                        self.stderr.write(f"{path}: {problem}")
                else:
                    self.stdout.write(f"{path.name}: {loaded}{'' if new else ' (already loaded)'}")
        if failed:
            raise CommandError("Some files were not loaded.")

    def _catalogues(self, **options):
        for c in FoodCatalogue.objects.all():
            self.stdout.write(f"{c.code:16} v{c.version:<3} {c.year} {c.categories.count():5} categories  {c.name}")

    def _limits(self, **options):
        for s in LimitSet.objects.all():
            self.stdout.write(f"{s.code:16} v{s.version:<3} from {s.valid_from} {s.limits.count():6} limits  {s.title}")
