import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from shian.core.exports import write_table
from shian.trace.selectors import TraceStartError, trace_of, trace_start
from shian.trace.selectors.sheet import HEADERS, sheet_rows
from shian.trace.selectors.trace import BACKWARD, FORWARD


class Command(BaseCommand):
    help = (
        "Trace a lot or trace code: `trace CODE [--forward|--backward] [--format json|csv|xlsx] [--output FILE] "
        "[--as USERNAME]`. Both ways by default; CSV and XLSX are the sortable traceability spreadsheet."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="a trace code, or a lot's identifier (GS1 or local)")
        way = parser.add_mutually_exclusive_group()
        way.add_argument("--forward", action="store_true", help="only where it went")
        way.add_argument("--backward", action="store_true", help="only where it came from")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", type=Path, help="write to this file (needed for xlsx)")
        parser.add_argument("--as", dest="username", help="trace as this user (what they may see)")

    def handle(self, *args, code, forward, backward, format, output, username, **options):
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}")
        directions = (FORWARD,) if forward else (BACKWARD,) if backward else (BACKWARD, FORWARD)
        try:
            lots, codes = trace_start(code)
        except TraceStartError as exc:
            raise CommandError(str(exc)) from None
        trace = trace_of(lots=lots, codes=codes, directions=directions, user=user)
        if format == "xlsx" and output is None:
            raise CommandError("--format xlsx needs --output FILE")
        if output is not None:
            with output.open("wb" if format == "xlsx" else "w", **({} if format == "xlsx" else {"newline": ""})) as f:
                self._write(f, format, trace)
            self.stderr.write(f"{len(trace.lots)} lots, {len(trace.events)} events written to {output}")
        else:
            self._write(self.stdout, format, trace)

    @staticmethod
    def _write(stream, fmt, trace):
        if fmt == "json":
            stream.write(json.dumps(trace.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n")
        else:
            write_table(stream, fmt=fmt, headers=HEADERS, rows=sheet_rows(trace))
