"""The printed documents of an inspection: the result record handed over on the spot (监督检查结果记录表, Order 49
arts. 34, 35, 39) and the rectification order with its written deadline (责令改正通知书, art. 33)."""

import base64
import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.inspection.choices import InspectionKind, InspectionStatus, Outcome, RectificationKind, Result
from shian.inspection.documents import rectification_order_pdf, result_record_pdf, signature_png
from shian.inspection.models import ChecklistItem, ChecklistTemplate, Inspection, ItemResult, Rectification
from shian.inspection.services import checklist_load
from shian.registry.choices import LicenceKind
from shian.registry.models import Licence
from shian.registry.rules import mod11_10_check_digit
from shian.registry.tests.factories import OperatorFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"),
]

CATERING = Path(__file__).resolve().parent.parent / "checklists" / "catering.toml"
BUSINESS = "平江路百年老面馆"
AGENCY = "苏州市姑苏区市场监督管理局"
LICENCE = "JY" + "2320508000042" + mod11_10_check_digit("2320508000042")
STARTED = datetime.datetime(2026, 3, 5, 9, 30)
FINISHED = datetime.datetime(2026, 3, 5, 11, 5)
ISSUED = datetime.datetime(2026, 3, 5, 11, 20)

# Failed items of the shipped catering checklist, with the inspectors' notes.
LICENCE_NOT_SHOWN = ("1.3", "许可证正本放在抽屉内，未在就餐区悬挂")
NO_HEALTH_RECORD = ("2.2", "3月1日至4日晨检记录缺失")
NO_HEALTH_CERTIFICATE = ("2.1", "面点师傅王某健康证明已过期")


def aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def text_of(pdf: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def row_of(pdf: bytes, code: str) -> list[str]:
    """The words on the first line of a table row, found by its item code (first or second cell): the cells of
    a row are top-aligned, so that line has each cell's start: the code, the text, the mark, the answer and
    the note."""
    lines = text_of(pdf, "-layout").splitlines()
    return next(line.split() for line in lines if code in line.split()[:2])


def column_text(pdf: bytes, left_mm: float, width_mm: float) -> str:
    """The text of a band of every page (a table column), without whitespace: a wrapped cell reads whole,
    whatever pdftotext makes of the cells beside it."""
    pt = 72 / 25.4
    area = ["-x", f"{left_mm * pt:.0f}", "-y", "0", "-W", f"{width_mm * pt:.0f}", "-H", "842"]
    return flat(text_of(pdf, *area))


ITEM_COLUMN = (18 + 12 + 0.5, 92 - 1)  # of the result record: after the margin and the code column
ORDER_ITEM_COLUMN = (18 + 24 + 0.5, 82 - 1)  # of the rectification order: after the number and code columns


def flat(text: str) -> str:
    """The text without whitespace: lines wrap anywhere in Chinese, and cells wrap inside tables."""
    return "".join(text.split())


def pages(text: str) -> int:
    return len([page for page in text.split("\f") if page.strip()])


def png_data_url() -> str:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    for x in range(20, 280):
        image.putpixel((x, 50 + (x % 17) - 8), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def template():
    template, _created = checklist_load(content=CATERING.read_bytes())
    return template


@pytest.fixture
def agency():
    return AgencyFactory(name=AGENCY, region=region("320508"))


@pytest.fixture
def inspectors(agency):
    return [RegulatorFactory(agency=agency, real_name="张明察"), RegulatorFactory(agency=agency, real_name="李秉公")]


@pytest.fixture
def operator():
    operator = OperatorFactory(name=BUSINESS, address="苏州市姑苏区平江路188号")
    Licence.objects.create(
        operator=operator,
        kind=LicenceKind.JY,
        number=LICENCE,
        licensed_items="热食类食品制售",
        issued_on=datetime.date(2024, 3, 1),
        expires_on=datetime.date(2029, 2, 28),
    )
    return operator


def make_inspection(template, operator, agency, inspectors, *, failed=(), key_failed=(), **fields) -> Inspection:
    """A finished inspection of the whole checklist: the `failed` (code, note) items answered no, 3.x items not
    applicable, everything else yes."""
    fields = {
        "result": Result.BASIC,
        "derived_result": Result.BASIC,
        "signed_by": "王店长",
        "signature": png_data_url(),
        "publish_by": datetime.date(2026, 4, 2),
        **fields,
    }
    inspection = Inspection.objects.create(
        operator=operator,
        kind=InspectionKind.ROUTINE,
        template=template,
        agency=agency,
        status=InspectionStatus.FINISHED,
        started_at=aware(STARTED),
        finished_at=aware(FINISHED),
        created_by=inspectors[0],
        **fields,
    )
    inspection.inspectors.set(inspectors)
    notes = dict(failed)
    ItemResult.objects.bulk_create(
        ItemResult(
            inspection=inspection,
            item=item,
            outcome=Outcome.NO if item.code in notes else Outcome.NOT_APPLICABLE if item.code == "3.1" else Outcome.YES,
            note=notes.get(item.code, ""),
        )
        for item in template.items.all()
    )
    return inspection


def make_order(inspection, codes, *, by) -> Rectification:
    order = Rectification.objects.create(
        inspection=inspection,
        operator=inspection.operator,
        kind=RectificationKind.DEADLINE,
        requirement="悬挂许可证正本，补齐晨检记录并培训当班人员",
        working_days=10,
        deadline=datetime.date(2026, 3, 19),
        issued_at=aware(ISSUED),
        issued_by=by,
    )
    order.answers.set(inspection.answers.filter(item__code__in=codes))
    return order


# --- The result record --------------------------------------------------------------------------------------


def test_the_result_record_names_the_business_the_inspection_and_every_checklist_item(
    template, operator, agency, inspectors
):
    inspection = make_inspection(template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN, NO_HEALTH_RECORD])
    pdf = result_record_pdf(inspection)
    text = flat(text_of(pdf))

    assert "食品生产经营监督检查结果记录表" in text
    assert BUSINESS in text and LICENCE in text and operator.credit_code in text and "平江路188号" in text
    assert "日常监督检查" in text and "2026年3月5日09:30至11:05" in text and AGENCY in text
    assert "张明察、李秉公" in text
    items = column_text(pdf, *ITEM_COLUMN)
    for item in template.items.all():
        assert item.text in items, item.code
    assert "餐饮服务提供者资质" in text and "从业人员健康管理" in text  # the section rows


def test_the_result_record_shows_failed_items_with_their_notes_the_counts_and_the_result(
    template, operator, agency, inspectors
):
    inspection = make_inspection(template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN, NO_HEALTH_RECORD])
    pdf = result_record_pdf(inspection)
    text = flat(text_of(pdf))

    for code, note in (LICENCE_NOT_SHOWN, NO_HEALTH_RECORD):
        assert template.items.get(code=code).text in text and note in text
        row = row_of(pdf, code)
        assert row[2:4] == ["一般", "否"] and "".join(row[4:]) == note[: len("".join(row[4:]))] != ""
    assert row_of(pdf, "1.1")[2:] == ["重点", "是"]
    assert row_of(pdf, "3.1")[2:] == ["重点", "不适用"]
    items = template.items.count()
    assert f"本次检查项目{items - 1}项（不适用1项）；重点项目不符合0项，一般项目不符合2项。" in text
    assert "检查结果：基本符合" in text
    assert "拟立案调查" not in text and "按检查要点判定" not in text


def test_the_signed_record_carries_the_name_and_the_signature_image(template, operator, agency, inspectors):
    inspection = make_inspection(template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN])
    pdf = result_record_pdf(inspection)
    text = flat(text_of(pdf))
    assert "负责人：王店长" in text and "拒绝签字" not in text
    assert b"/Subtype /Image" in pdf

    unsigned = make_inspection(template, OperatorFactory(), agency, inspectors, signature="")
    assert b"/Subtype /Image" not in result_record_pdf(unsigned)


def test_a_noncompliant_record_with_a_refusal_names_the_witness_and_marks_the_case(
    template, operator, agency, inspectors
):
    inspection = make_inspection(
        template,
        operator,
        agency,
        inspectors,
        failed=[NO_HEALTH_CERTIFICATE, LICENCE_NOT_SHOWN],
        result=Result.NONCOMPLIANT,
        derived_result=Result.NONCOMPLIANT,
        signed_by="",
        signature="",
        refused=True,
        witness="赵守信（平江街道网格员）",
        for_case=True,
        stop_order=True,
        stop_order_note="无有效健康证明的人员立即停止从事接触直接入口食品的工作",
    )
    pdf = result_record_pdf(inspection)
    text = flat(text_of(pdf))

    assert row_of(pdf, "2.1")[2:4] == ["重点", "否"] and NO_HEALTH_CERTIFICATE[1] in text
    assert "重点项目不符合1项，一般项目不符合1项" in text
    assert "检查结果：不符合" in text and "检查结果：基本符合" not in text
    assert "拟立案调查" in text
    assert "被检查单位拒绝签字。见证人：赵守信（平江街道网格员）" in text
    assert "责令立即停止：无有效健康证明的人员立即停止从事接触直接入口食品的工作" in text
    assert b"/Subtype /Image" not in pdf


def test_a_result_other_than_the_checklists_gives_the_reason(template, operator, agency, inspectors):
    inspection = make_inspection(
        template,
        operator,
        agency,
        inspectors,
        failed=[LICENCE_NOT_SHOWN],
        result=Result.NONCOMPLIANT,
        derived_result=Result.BASIC,
        result_reason="同一问题上次检查已责令整改，至今未改正",
    )
    text = flat(text_of(result_record_pdf(inspection)))
    assert "检查结果：不符合" in text
    assert "按检查要点判定为“基本符合”" in text and "同一问题上次检查已责令整改，至今未改正" in text


def test_the_record_notes_publication_within_20_working_days_and_its_date(template, operator, agency, inspectors):
    text = flat(text_of(result_record_pdf(make_inspection(template, operator, agency, inspectors))))
    assert "20个工作日内向社会公开（第三十九条），公开期限至2026年4月2日" in text
    assert "第三十五条" in text and "检查结果：符合" not in text  # fixture result is 基本符合

    undated = make_inspection(template, OperatorFactory(), agency, inspectors, publish_by=None)
    assert "公开期限至" not in flat(text_of(result_record_pdf(undated)))


def test_a_long_checklist_runs_over_numbered_pages_and_a_short_one_fits_on_one(template, operator, agency, inspectors):
    pdf = result_record_pdf(make_inspection(template, operator, agency, inspectors))
    text = text_of(pdf)
    count = pages(text)
    assert count >= 2
    for number, page in enumerate(text.split("\f")[:count], start=1):
        assert f"第{number}页共{count}页" in flat(page)
    header = ["项目", "检查内容", "类别", "结果", "说明"]
    layout = text_of(pdf, "-layout").splitlines()
    assert sum(1 for line in layout if line.split() == header) == count  # the header row repeats on every page

    short = ChecklistTemplate.objects.create(
        code="mini", version=1, name="小餐饮检查要点表", sector="catering", categories=["vendor"]
    )
    for n in range(1, 4):
        ChecklistItem.objects.create(
            template=short,
            section_code="1",
            section_title="资质",
            code=f"1.{n}",
            text=f"第{n}项检查内容",
            key=n == 1,
            points=Decimal(1),
            order=n,
        )
    short_text = text_of(result_record_pdf(make_inspection(short, OperatorFactory(), agency, inspectors)))
    assert pages(short_text) == 1 and "第1页共1页" in flat(short_text)


def test_the_record_is_a_small_pdf_with_the_noto_font_embedded_as_a_subset(template, operator, agency, inspectors):
    pdf = result_record_pdf(make_inspection(template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN]))
    assert pdf.startswith(b"%PDF-")
    # About 600 distinct characters at some 200 bytes a glyph: the whole catering checklist costs ~130 KB,
    # against 10 MB for the font file.
    assert len(pdf) < 160 * 1024
    assert b"FontFile2" in pdf  # embedded TrueType, not a CID reference
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSansSC-Regular", pdf)  # a subset (its tag prefixes the name)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSansSC-Bold", pdf)
    assert b"STSong" not in pdf and b"Helvetica" not in pdf  # no font that is not embedded


def test_an_unreadable_signature_leaves_the_name_and_a_remark(template, operator, agency, inspectors):
    inspection = make_inspection(template, operator, agency, inspectors, signature="data:image/png;base64,@@@")
    pdf = result_record_pdf(inspection)
    assert "负责人：王店长" in flat(text_of(pdf)) and "签名图像无法显示" in flat(text_of(pdf))
    assert b"/Subtype /Image" not in pdf


def test_only_a_png_data_url_is_taken_as_a_signature():
    assert signature_png(png_data_url()).startswith(b"\x89PNG")
    jpeg = io.BytesIO()
    Image.new("RGB", (10, 10)).save(jpeg, format="JPEG")
    assert signature_png("data:image/png;base64," + base64.b64encode(jpeg.getvalue()).decode()) is None
    assert signature_png("data:image/svg+xml;base64,PHN2Zz4=") is None
    assert signature_png("王店长") is None


# --- The rectification order --------------------------------------------------------------------------------


def test_the_rectification_order_lists_the_items_to_fix_the_deadline_and_its_legal_basis(
    template, operator, agency, inspectors
):
    inspection = make_inspection(
        template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN, NO_HEALTH_RECORD, ("1.4", "未公示投诉电话")]
    )
    order = make_order(inspection, ["1.3", "2.2"], by=inspectors[0])
    pdf = rectification_order_pdf(order)
    text = flat(text_of(pdf))

    assert "责令改正通知书" in text
    assert f"姑苏市监责改〔2026〕{order.pk}号" in text
    assert f"{BUSINESS}：" in text and LICENCE in text and operator.credit_code in text
    assert "2026年3月5日，本机关执法人员依法对你单位进行了日常监督检查" in text
    items = column_text(pdf, *ORDER_ITEM_COLUMN)
    for number, (code, note) in enumerate((LICENCE_NOT_SHOWN, NO_HEALTH_RECORD), start=1):
        assert template.items.get(code=code).text in items and note in text
        row = row_of(pdf, code)
        assert row[:2] == [str(number), code] and row[3] == "一般" and note.startswith("".join(row[4:]) or "∅")
    assert "未公示投诉电话" not in text  # failed, but not part of this order
    assert "《食品生产经营监督检查管理办法》第三十三条" in text
    assert "于2026年3月19日前（10个工作日内）改正" in text
    assert "整改要求：悬挂许可证正本，补齐晨检记录并培训当班人员" in text
    assert "上传" in text and "平台" in text
    assert f"{AGENCY}2026年3月5日（印章）" in text
    assert "执法人员：张明察、李秉公" in text


def test_the_rectification_order_is_a_small_pdf_with_the_noto_font_embedded(template, operator, agency, inspectors):
    inspection = make_inspection(template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN])
    pdf = rectification_order_pdf(make_order(inspection, ["1.3"], by=inspectors[0]))
    assert pdf.startswith(b"%PDF-") and len(pdf) < 80 * 1024
    assert b"FontFile2" in pdf and re.search(rb"/BaseFont /[A-Z]{6}\+NotoSansSC-Regular", pdf)
    assert b"STSong" not in pdf and b"Helvetica" not in pdf
    assert pages(text_of(pdf)) == 1


def test_the_result_record_refers_to_the_rectification_order(template, operator, agency, inspectors):
    inspection = make_inspection(template, operator, agency, inspectors, failed=[LICENCE_NOT_SHOWN, NO_HEALTH_RECORD])
    order = make_order(inspection, ["1.3", "2.2"], by=inspectors[0])
    text = flat(text_of(result_record_pdf(inspection)))
    assert f"责令限期改正：第1.3、2.2项，于2026年3月19日前改正（姑苏市监责改〔2026〕{order.pk}号）" in text
