import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from shian.trace.models import TraceEvent

from .builders import document, event
from .conftest import FARM, PORK, SALT, SAUSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_trace_prints_a_json_trace_both_ways_by_default(chain):
    body = json.loads(run("trace", SAUSAGE))
    assert body["directions"] == ["backward", "forward"]
    assert {lot["identifier"] for lot in body["lots"]} >= {PORK, SALT, SAUSAGE}


def test_trace_writes_the_spreadsheet_as_csv_or_xlsx(chain, tmp_path):
    rows = list(csv.reader(io.StringIO(run("trace", SAUSAGE, "--backward", "--format", "csv"))))
    assert rows[0][0] == "追溯批次码 Traceability lot code" and len(rows) > 5
    target = tmp_path / "trace.xlsx"
    run("trace", PORK, "--forward", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    assert sheet.max_row > 5 and sheet.cell(1, 7).value == "环节 Critical tracking event"


def test_trace_of_an_unknown_code_or_xlsx_to_the_terminal_is_an_error(chain):
    with pytest.raises(CommandError, match="nope"):
        run("trace", "nope")
    with pytest.raises(CommandError, match="--output"):
        run("trace", PORK, "--format", "xlsx")


def test_import_epcis_captures_a_file_and_reports_a_bad_one(tmp_path, superuser):
    good = tmp_path / "events.jsonld"
    good.write_text(json.dumps(document(event("shipping", "2026-03-01T08:00:00+08:00", at=FARM, lots=[(PORK, 1)]))))
    assert "1 events captured" in run("import", "epcis", str(good), "--as", superuser.username)
    assert "0 events captured, 1 already there" in run("import", "epcis", str(good))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not JSON"):
        run("import", "epcis", str(bad))
    assert TraceEvent.objects.count() == 1
