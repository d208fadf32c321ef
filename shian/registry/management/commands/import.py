from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shian.registry.importing import FileError, operators_import, template_workbook


class Command(BaseCommand):
    help = (
        "Bulk imports. `import operators FILE [--partial] [--dry-run] [--as USERNAME]` loads food businesses "
        "from CSV or XLSX (upsert by licence or filing number); `import operators --template OUT.xlsx` writes "
        "the template. `import epcis FILE [--as USERNAME]` captures an EPCIS 2.0 document (JSON-LD or XML). "
        "`import purchases|sales FILE --as USERNAME` loads a business's purchase or sales ledger (CSV or XLSX)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        operators = sub.add_parser("operators", help="food businesses (一企一档)")
        operators.add_argument("file", nargs="?", type=Path)
        operators.add_argument("--partial", action="store_true", help="write the good rows even if some are bad")
        operators.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
        operators.add_argument("--as", dest="username", help="import as this user (limits it to their jurisdiction)")
        operators.add_argument("--template", type=Path, help="write the XLSX template to this path and stop")
        operators.add_argument("--report", type=Path, help="write every bad row and warning to this CSV")
        epcis = sub.add_parser("epcis", help="trace events: an EPCIS 2.0 document (JSON-LD or XML)")
        epcis.add_argument("file", type=Path)
        epcis.add_argument("--as", dest="username", help="capture as this user (limits it to their sites)")
        for name, what in (("purchases", "进货查验台账"), ("sales", "销售台账")):
            ledger = sub.add_parser(name, help=f"a business's ledger ({what}), CSV or XLSX")
            ledger.add_argument("file", type=Path)
            ledger.add_argument("--as", dest="username", required=True, help="a staff member of the business")

    def handle(self, *args, what, file, username=None, **options):
        if what == "epcis":
            return self._epcis(file, self._user(username))
        if what in ("purchases", "sales"):
            return self._ledger(what, file, self._user(username))
        return self._operators(file, username, **options)

    @staticmethod
    def _user(username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}")
        return user

    def _epcis(self, file, user):
        from shian.trace.services import EpcisFileError, epcis_file_capture

        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            result = epcis_file_capture(path=file, by=user)
        except EpcisFileError as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors:
            where = "document" if error.event is None else f"event {error.event}"
            self.stderr.write(f"ERROR   {where} {error.path}: {error.message}")
        if not result.ok:
            raise CommandError(f"Nothing was captured: {len(result.errors)} problems.")
        self.stdout.write(f"{len(result.stored)} events captured, {len(result.duplicates)} already there.")

    def _ledger(self, what, file, user):
        from django.core.exceptions import ValidationError

        from shian.trace.services.ledgers import purchases_import, sales_import

        membership = user.operator_memberships.select_related("operator").first()
        if membership is None:
            raise CommandError(f"{user.username} acts for no business")
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        run = purchases_import if what == "purchases" else sales_import
        try:
            result = run(operator=membership.operator, by=user, path=file)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for problem in result.errors:
            self.stderr.write(f"ERROR   {problem}")
        for refusal in result.refused:
            self.stderr.write(f"REFUSED {refusal}")
        if result.errors:
            raise CommandError(f"Nothing was written: {len(result.errors)} rows cannot be read.")
        self.stdout.write(f"{result.rows} rows: {result.accepted} recorded, {len(result.refused)} refused.")

    def _operators(self, file, username, *, partial, dry_run, template, report, **options):
        if template:
            template.write_bytes(template_workbook())
            self.stdout.write(f"Template written to {template}")
            return
        if file is None or not file.exists():
            raise CommandError(f"No such file: {file}")
        user = self._user(username)
        with tqdm(unit=" rows", disable=not self.stderr.isatty()) as bar:
            try:
                result = operators_import(path=file, by=user, partial=partial, dry_run=dry_run, progress=bar.update)
            except FileError as exc:
                raise CommandError(str(exc)) from None
        for problem in result.errors[:50]:
            self.stderr.write(f"ERROR   {problem}")
        for problem in result.warnings[:50]:
            self.stderr.write(f"WARNING {problem}")
        hidden = max(0, len(result.errors) - 50) + max(0, len(result.warnings) - 50)
        if hidden:
            self.stderr.write(f"… and {hidden} more (use --report FILE for all of them)")
        if report:
            self._write_report(report, result)
        self.stdout.write(result.summary())
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif not result.written:
            raise CommandError("Nothing was written because some rows are bad (use --partial to write the good rows).")

    @staticmethod
    def _write_report(path: Path, result) -> None:
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["level", "row", "column", "message"])
            writer.writerows(("error", e.row, e.column, e.message) for e in result.errors)
            writer.writerows(("warning", w.row, w.column, w.message) for w in result.warnings)
