"""Bulk import of operators: validation of every row, all-or-nothing by default, upsert, idempotence."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from shian.core.models import AuditEntry
from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.registry.importing import COLUMNS, operators_import, template_workbook
from shian.registry.models import Filing, Licence, Operator
from shian.registry.rules import mod11_10_check_digit
from shian.registry.tests.factories import credit_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

KEYS = ["name", "credit_code", "licence_no", "category", "region_code", "address", "licence_expires"]


def jy(county: str, seq: int, fmt: str = "2") -> str:
    digits = f"{fmt}{county}{seq:06d}"
    return "JY" + digits + mod11_10_check_digit(digits)


def row(n: int, **changes) -> dict:
    values = {
        "name": f"测试餐馆{n}",
        "credit_code": credit_code(n),
        "licence_no": jy("320508", n),
        "category": "catering",
        "region_code": "320508",
        "address": f"人民路{n}号",
        "licence_expires": "2028-12-31",
    }
    return values | changes


def write_csv(path: Path, rows: list[dict], keys=None) -> Path:
    keys = keys or list(rows[0])
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_clean_file_creates_operators_licences_and_audit_entries(tmp_path):
    report = operators_import(path=write_csv(tmp_path / "ok.csv", [row(1), row(2), row(3)]))
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 0)
    assert report.written and not report.errors
    operator = Licence.objects.get(number=jy("320508", 2)).operator
    assert (operator.name, operator.region_id, operator.category) == ("测试餐馆2", "320508", "catering")
    assert str(operator.licences.get().expires_on) == "2028-12-31"
    assert AuditEntry.objects.filter(action="operator.import.create").count() == 3


def test_each_created_operator_has_an_audit_entry_as_the_orm_would_write_it(tmp_path):
    from shian.core.services.audit import snapshot

    operators_import(path=write_csv(tmp_path / "ok.csv", [row(1, lat="31.3", lon="120.6")]))
    operator = Operator.objects.get()
    entry = AuditEntry.objects.get(action="operator.import.create")
    assert (entry.object_id, entry.object_repr, entry.region_id) == (str(operator.pk), "测试餐馆1", "320508")
    assert entry.after == snapshot(operator) and entry.after["latitude"] == "31.300000"
    assert entry.action_label == "Registered a food business by bulk import"


def test_the_audit_entries_name_the_importing_user(tmp_path):
    registrar = RegulatorFactory(agency=AgencyFactory(region=region("320508")))
    operators_import(path=write_csv(tmp_path / "ok.csv", [row(1), row(2)]), by=registrar)
    entries = AuditEntry.objects.filter(action="operator.import.create")
    assert {(e.actor_id, e.actor_label) for e in entries} == {(registrar.pk, registrar.display_name)}


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "ok.csv", [row(1), row(2)])
    operators_import(path=path)
    audits = AuditEntry.objects.count()
    report = operators_import(path=path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert "2 unchanged" in report.summary()
    assert Operator.objects.count() == 2 and AuditEntry.objects.count() == audits


def test_a_changed_row_updates_the_operator_with_an_audit_entry(tmp_path):
    operators_import(path=write_csv(tmp_path / "v1.csv", [row(1), row(2)]))
    report = operators_import(path=write_csv(tmp_path / "v2.csv", [row(1, address="新地址9号"), row(2)]))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    operator = Licence.objects.get(number=jy("320508", 1)).operator
    assert operator.address == "新地址9号"
    entry = AuditEntry.objects.get(action="operator.import.update")
    assert entry.before["address"] == "人民路1号" and entry.after["address"] == "新地址9号"


def test_new_licence_dates_update_the_licence_with_an_audit_entry(tmp_path):
    operators_import(path=write_csv(tmp_path / "v1.csv", [row(1), row(2)]))
    report = operators_import(path=write_csv(tmp_path / "v2.csv", [row(1, licence_expires="2030-06-30"), row(2)]))
    assert (report.updated, report.unchanged) == (1, 1)
    licence = Licence.objects.get(number=jy("320508", 1))
    assert str(licence.expires_on) == "2030-06-30"
    entry = AuditEntry.objects.get(action="licence.import.update")
    assert entry.object_id == str(licence.pk) and entry.region_id == "320508"
    assert (entry.before["expires_on"], entry.after["expires_on"]) == ("2028-12-31", "2030-06-30")
    assert not AuditEntry.objects.filter(action="operator.import.update").exists()


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"credit_code": credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1")},
            "credit_code",
            "credit code",
        ),
        ({"region_code": "329999"}, "region_code", "unknown county"),
        ({"licence_no": "JY2320508000005"}, "licence_no", "SC or JY"),
        ({"licence_no": "XK-123"}, "licence_no", "malformed"),
        ({"name": ""}, "name", "missing"),
        ({"licence_expires": "2028-13-45"}, "licence_expires", "bad date"),
        ({"category": "飞船"}, "category", "unknown business format"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_row_column_and_reason(tmp_path, changes, column, reason):
    report = operators_import(path=write_csv(tmp_path / "bad.csv", [row(4), row(5, **changes)]))
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert reason in report.errors[0].message
    assert not report.written and not Operator.objects.exists()


def test_a_duplicate_licence_in_the_file_names_the_first_row(tmp_path):
    report = operators_import(
        path=write_csv(tmp_path / "dup.csv", [row(1), row(2), row(3, licence_no=jy("320508", 1))])
    )
    [error] = report.errors
    assert (error.row, error.column) == (4, "licence_no") and "row 2" in error.message


def test_every_bad_row_is_listed_and_partial_writes_the_good_ones(tmp_path):
    rows = [row(1), row(2, name=""), row(3), row(4, region_code="000000")]
    path = write_csv(tmp_path / "mixed.csv", rows)
    report = operators_import(path=path)
    assert [e.row for e in report.errors] == [3, 5] and not Operator.objects.exists()
    report = operators_import(path=path, partial=True)
    assert report.written and (report.created, report.rejected) == (2, 2)
    assert set(Operator.objects.values_list("name", flat=True)) == {"测试餐馆1", "测试餐馆3"}


def test_a_dry_run_counts_but_writes_nothing(tmp_path):
    report = operators_import(path=write_csv(tmp_path / "ok.csv", [row(1), row(2)]), dry_run=True)
    assert report.created == 2 and not report.written
    assert not Operator.objects.exists() and not AuditEntry.objects.exists()


def test_warnings_never_block_a_row(tmp_path):
    report = operators_import(path=write_csv(tmp_path / "warn.csv", [row(1, licence_no=jy("320506", 1))]))
    assert report.created == 1 and report.written
    assert any(w.column == "licence_no" and "320506" in w.message for w in report.warnings)


def test_chinese_headers_labels_filings_and_canteens(tmp_path):
    headers = {c.key: c.header for c in COLUMNS}
    rows = [
        {
            headers["name"]: "实验小学食堂",
            headers["credit_code"]: credit_code(1),
            headers["licence_no"]: jy("320508", 1, "3"),
            headers["category"]: "单位食堂",
            headers["region_code"]: "320508",
            headers["address"]: "学府路1号",
            headers["canteen_kind"]: "学校",
            headers["special_food"]: "",
        },
        {
            headers["name"]: "便利店",
            headers["credit_code"]: credit_code(2),
            headers["licence_no"]: "YB23205080001",
            headers["category"]: "食品销售者",
            headers["region_code"]: "320508",
            headers["address"]: "学府路2号",
            headers["canteen_kind"]: "",
            headers["special_food"]: "保健食品、婴幼儿配方",
        },
    ]
    report = operators_import(path=write_csv(tmp_path / "zh.csv", rows))
    assert report.created == 2, report.errors
    canteen = Operator.objects.get(name="实验小学食堂")
    assert (canteen.category, canteen.canteen_kind) == ("canteen", "school")
    shop = Filing.objects.get(number="YB23205080001").operator
    assert shop.special_foods == ["health_food", "infant_formula"]


def test_a_canteen_without_its_kind_is_rejected(tmp_path):
    report = operators_import(path=write_csv(tmp_path / "c.csv", [row(1, category="canteen", canteen_kind="")]))
    assert [e.column for e in report.errors] == ["canteen_kind"]


def test_xlsx_files_and_the_template(tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(template_workbook())
    report = operators_import(path=template, dry_run=True)
    assert report.created == 1 and not report.errors, report.errors
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(KEYS)
    sheet.append([row(7)[k] for k in KEYS[:4]] + [320508, "人民路7号", "2028-12-31"])  # a county typed as a number
    workbook.save(tmp_path / "numbers.xlsx")
    assert operators_import(path=tmp_path / "numbers.xlsx").created == 1


def test_a_regulator_imports_only_into_their_jurisdiction(tmp_path):
    inspector = RegulatorFactory(agency=AgencyFactory(region=region("320508")))
    report = operators_import(path=write_csv(tmp_path / "j.csv", [row(1), row(2, region_code="320506")]), by=inspector)
    assert [(e.row, e.column) for e in report.errors] == [(3, "region_code")]
    assert "jurisdiction" in report.errors[0].message


def test_a_regulator_cannot_overwrite_another_countys_business_by_its_licence_number(tmp_path):
    operators_import(path=write_csv(tmp_path / "theirs.csv", [row(1, region_code="320506", name="吴中区面馆")]))
    inspector = RegulatorFactory(agency=AgencyFactory(region=region("320508")))
    report = operators_import(path=write_csv(tmp_path / "mine.csv", [row(1), row(2)]), by=inspector, partial=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "licence_no")]
    assert "outside your jurisdiction" in report.errors[0].message
    assert (report.created, report.updated, report.rejected) == (1, 0, 1)
    theirs = Licence.objects.get(number=jy("320508", 1)).operator
    assert (theirs.name, theirs.region_id) == ("吴中区面馆", "320506")


def test_an_interrupted_import_leaves_nothing_half_written(tmp_path, monkeypatch):
    from shian.registry.importing import service, writing

    monkeypatch.setattr(service, "CHUNK", 2)
    original, calls = writing.ChunkWriter.__call__, []

    def fail_on_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(writing.ChunkWriter, "__call__", fail_on_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        operators_import(path=write_csv(tmp_path / "big.csv", [row(n) for n in range(1, 6)]))
    assert not Operator.objects.exists() and not AuditEntry.objects.exists()


def test_missing_required_columns_stop_the_import(tmp_path):
    from shian.registry.importing import FileError

    path = write_csv(tmp_path / "cols.csv", [{"name": "x", "address": "y"}])
    with pytest.raises(FileError, match="credit_code"):
        operators_import(path=path)


def test_the_command_prints_the_summary_and_fails_on_bad_rows(tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", [row(1), row(2)])
    call_command("import", "operators", str(good))
    assert "2 created" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [row(3), row(4, name="")])
    with pytest.raises(CommandError, match="--partial"):
        call_command("import", "operators", str(bad), "--report", str(tmp_path / "report.csv"))
    assert "row 3, name" in capsys.readouterr().err
    assert "missing" in (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    call_command("import", "operators", str(bad), "--partial")
    assert Operator.objects.count() == 3
