"""The test result notice (抽样检验结果通知书) of a failed sample, read back from the PDF."""

import shutil
import subprocess

import pytest

from shian.sampling.documents import notice_number, result_notice_pdf
from shian.sampling.services import sample_notify

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def text_of(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_notice_names_the_failed_item_its_limit_the_standard_and_the_retest_right(failed, samplers):
    sample_notify(sample=failed, by=samplers[0])
    failed.refresh_from_db()
    pdf = result_notice_pdf(failed)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "食品安全抽样检验结果通知书" in text and notice_number(failed) in text
    assert failed.operator.name in text and failed.code in text and failed.lab.name in text
    sorbic = next(line for line in text.splitlines() if "山梨酸" in line)
    assert "1.5 g/kg" in sorbic and "≤1 g/kg" in sorbic and "不合格" in sorbic and "GB 2760-2024" in sorbic
    benzoic = next(line for line in text.splitlines() if "苯甲酸" in line)
    assert "合格" in benzoic and "不合格" not in benzoic
    assert "七个工作日内" in text and f"{failed.retest_due.year}年" in text
    assert "第八十八条" in text
