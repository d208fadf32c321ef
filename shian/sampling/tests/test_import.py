"""Importing a lab's results file: every row of a known sample kept, every other row reported with its reason."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from shian.sampling.choices import ResultSource, ResultStatus, SampleStatus, Verdict
from shian.sampling.models import TestResult
from shian.sampling.services import results_import

from .factories import LabFactory, LabUserFactory

pytestmark = pytest.mark.usefixtures("english")

HEADER = "样品编号,检验项目,检验结果,单位,检出限,定量限,检验方法,检验结论日期\n"


def write_csv(tmp_path, lines: list[str]):
    path = tmp_path / "results.csv"
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_a_results_file_is_judged_and_its_messy_rows_kept_for_review(record, analyst, tmp_path):
    soy, vinegar, other = record("酱油"), record("食醋"), record("芝麻油")
    today = timezone.localdate().isoformat()
    path = write_csv(
        tmp_path,
        [
            f"{soy.code},苯甲酸,0.3,g/kg,0.005,,GB 5009.28,{today}",
            f"{soy.code},山梨酸,未检出,g/kg,0.005,,GB 5009.28,{today}",
            f"{soy.code},氨基酸态氮,0.7,g/100mL,,,GB 5009.235,{today}",
            f"{vinegar.code},总酸,2.9,g/100mL,,,GB 12456,{today}",  # below the minimum: fails
            f"{other.code},酸价,1..2,mg/g,,,,",
            f"{other.code},过氧化值,0.1,克/100克,,,,",
            "320508202699999,苯甲酸,0.1,g/kg,,,,",
        ],
    )
    report = results_import(path=path, by=analyst)
    assert report.rows == 7 and report.judged == 5
    assert report.pending == ["row 6: the value '1..2' is not a number"]
    assert report.refused == ["row 8: no sample 320508202699999 of yours"]
    assert sorted(report.concluded) == sorted([soy.code, vinegar.code])
    soy.refresh_from_db(), vinegar.refresh_from_db(), other.refresh_from_db()
    assert (soy.verdict, vinegar.verdict) == (Verdict.PASS, Verdict.FAIL)
    assert other.status == SampleStatus.TESTING and other.received_at is not None
    kept = TestResult.objects.get(sample=other, status=ResultStatus.PENDING_REVIEW)
    assert kept.value_text == "1..2" and kept.source == ResultSource.IMPORT


def test_an_analyst_imports_only_for_the_samples_sent_to_their_lab(record, tmp_path):
    sample = record()
    stranger = LabUserFactory(lab=LabFactory(name="别的检测所"))
    report = results_import(path=write_csv(tmp_path, [f"{sample.code},苯甲酸,0.1,g/kg,,,,"]), by=stranger)
    assert report.refused == [f"row 2: no sample {sample.code} of yours"]
    assert not TestResult.objects.exists()


def test_an_xlsx_file_reads_the_same(record, analyst, tmp_path):
    sample = record()
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([sample.code, "苯甲酸", 1.5, "g/kg", None, None, "GB 5009.28", timezone.localdate()])
    sheet.append([sample.code, "山梨酸", 0, "g/kg", None, None, "GB 5009.28", timezone.localdate()])
    sheet.append([sample.code, "氨基酸态氮", 0.9, "g/100mL", None, None, None, timezone.localdate()])
    path = tmp_path / "results.xlsx"
    book.save(path)
    report = results_import(path=path, by=analyst)
    assert report.judged == 3 and report.concluded == [sample.code]
    sample.refresh_from_db()
    assert sample.verdict == Verdict.FAIL


def test_a_file_without_the_required_columns_is_refused_whole(record, analyst, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("样品编号,检验项目\nX,铅\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="Required columns are missing: value"):
        results_import(path=path, by=analyst)


def test_the_command_imports_and_lists_every_problem_row(record, analyst, tmp_path, capsys):
    sample = record()
    path = write_csv(tmp_path, [f"{sample.code},苯甲酸,0.1,g/kg,,,,", f"{sample.code},铅,x,mg/kg,,,,"])
    call_command("sampling", "import-results", str(path), "--as", analyst.username)
    captured = capsys.readouterr()
    assert "2 rows: 1 judged, 1 kept for review, 0 refused" in captured.out
    assert "row 3: the value 'x' is not a number" in captured.err
    with pytest.raises(CommandError, match="no such file"):
        call_command("sampling", "import-results", str(tmp_path / "none.csv"))
