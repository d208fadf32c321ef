"""The printed documents of a supervision inspection, as A4 PDFs (SAMR Order 49, regulations.md §1.3).

- `result_record_pdf`: the 食品生产经营监督检查结果记录表 handed to the business on the spot (art. 35), signed by
  it or with its refusal and a witness recorded (art. 34), shown at its premises until the next inspection
  and published within 20 working days (art. 39).
- `rectification_order_pdf`: the 责令改正通知书 that sets a written deadline for the failed items (art. 33).

Both are official forms, so always in Chinese. They are drawn as the placard is (shian/registry/placard.py):
ReportLab with the vendored Noto Sans SC embedded as a subset, the same fonts and colours.
"""

import base64
import binascii
import datetime
import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shian.registry.placard import BOLD, INK, LANGUAGE, MUTED, REGULAR, business_format, permits, register_fonts

from .choices import InspectionKind, Outcome, RectificationKind, Result

ORDER_49 = "《食品生产经营监督检查管理办法》"
RESULT_RECORD_TITLE = "食品生产经营监督检查结果记录表"
RECTIFICATION_TITLE = "责令改正通知书"
AUTHOR = "Shian 食安"

# The forms' fixed wording (not the interface's translations: a form reads the same whatever the language).
RESULT_TEXT = {Result.COMPLIANT: "符合", Result.BASIC: "基本符合", Result.NONCOMPLIANT: "不符合"}
KIND_TEXT = {
    InspectionKind.ROUTINE: "日常监督检查",
    InspectionKind.FLYING: "飞行检查",
    InspectionKind.SYSTEM: "体系检查",
    InspectionKind.FOLLOW_UP: "跟踪检查",
}
OUTCOME_TEXT = {Outcome.YES: "是", Outcome.NO: "否", Outcome.NOT_APPLICABLE: "不适用"}
NOT_ANSWERED = "—"

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
FOOTER_Y = 10 * mm
WIDTH = PAGE_W - 2 * MARGIN
GRID = colors.HexColor("#5b6573")
SHADE = colors.HexColor("#eef1f4")
FAILED_SHADE = colors.HexColor("#fbeeee")

SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_PIXELS = 4000 * 4000  # a pad's drawing; anything larger is not one
SIGNATURE_W, SIGNATURE_H = 50 * mm, 18 * mm

TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=26, alignment=TA_CENTER, textColor=INK)
SUBTITLE = ParagraphStyle("subtitle", fontName=REGULAR, fontSize=10, leading=14, alignment=TA_CENTER, textColor=INK)
HEADING = ParagraphStyle(
    "heading", fontName=BOLD, fontSize=11.5, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm, textColor=INK
)
BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=17, textColor=INK, wordWrap="CJK")
BODY_INDENT = ParagraphStyle("body-indent", parent=BODY, firstLineIndent=21)
BODY_BOLD = ParagraphStyle("body-bold", parent=BODY, fontName=BOLD)
RESULT = ParagraphStyle("result", parent=BODY, fontName=BOLD, fontSize=13, leading=20, spaceBefore=1 * mm)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=TA_RIGHT)
CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=12, textColor=INK, wordWrap="CJK")
CELL_BOLD = ParagraphStyle("cell-bold", parent=CELL, fontName=BOLD)
CELL_CENTER = ParagraphStyle("cell-center", parent=CELL, alignment=TA_CENTER)
CELL_CENTER_BOLD = ParagraphStyle("cell-center-bold", parent=CELL_CENTER, fontName=BOLD)
TABLE_STYLE = [
    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
    ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # for the empty cells a span covers (else ReportLab's Helvetica)
    ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
]
NOTE = ParagraphStyle("note", fontName=REGULAR, fontSize=8.5, leading=13, textColor=MUTED, wordWrap="CJK")


# --- Helpers ------------------------------------------------------------------------------------------------


def cn_date(day: datetime.date | None) -> str:
    """2026年3月5日, as forms write dates."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment) if moment else None


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def agency_short(agency) -> str:
    """The short name a document number starts with: the agency's region without its level, 姑苏区 → 姑苏."""
    name = agency.region.name
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "地区", "新区", "省", "市", "区", "县", "旗", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def rectification_number(order) -> str:
    """The order's document number, derived: 姑苏市监责改〔2026〕12号."""
    year = _local(order.issued_at).year
    return f"{agency_short(order.inspection.agency)}市监责改〔{year}〕{order.pk}号"


def _inspectors(inspection) -> list[str]:
    people = sorted(inspection.inspectors.all(), key=lambda u: (u.pk != inspection.created_by_id, u.pk))
    return [person.display_name for person in people]


def business_rows(operator, on: datetime.date) -> list[tuple[str, str]]:
    rows = [("被检查单位", operator.name), ("统一社会信用代码", operator.credit_code or "—")]
    rows += [(label, number) for label, number in permits(operator, on)]
    rows += [("经营业态", business_format(operator)), ("经营地址", operator.address or "—")]
    return rows


def facts_table(rows: list[tuple[str, str]]) -> Table:
    table = Table(
        [[para(label, CELL), para(value, CELL)] for label, value in rows],
        colWidths=[34 * mm, WIDTH - 34 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                *TABLE_STYLE,
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.6 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
            ]
        )
    )
    return table


def signature_png(data_url: str) -> bytes | None:
    """The PNG of a signature stored as a data URL, shrunk to the size it is drawn at and flattened on white;
    None when it is no readable PNG (the form then shows the name alone)."""
    if not data_url.startswith(SIGNATURE_PREFIX):
        return None
    try:
        raw = base64.b64decode(data_url[len(SIGNATURE_PREFIX) :], validate=True)
        with PILImage.open(io.BytesIO(raw)) as image:
            if image.format != "PNG" or image.width * image.height > SIGNATURE_MAX_PIXELS:
                return None
            image.load()
            rgba = image.convert("RGBA")
    except (binascii.Error, ValueError, OSError, UnidentifiedImageError, PILImage.DecompressionBombError):
        return None
    flat = PILImage.new("RGBA", rgba.size, "white")
    flat.alpha_composite(rgba)
    flat = flat.convert("L")
    flat.thumbnail((600, 220))
    out = io.BytesIO()
    flat.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _signature_image(png: bytes) -> Image:
    with PILImage.open(io.BytesIO(png)) as image:
        width, height = image.size
    scale = min(SIGNATURE_W / width, SIGNATURE_H / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale, hAlign="LEFT")


def _numbered_canvas(footer: str):
    """A canvas class that writes `footer` and 第 n 页 共 m 页 on every page once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []

        def showPage(self):
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(REGULAR, 8)
                self.setFillColor(MUTED)
                self.drawString(MARGIN, FOOTER_Y, footer)
                self.drawRightString(PAGE_W - MARGIN, FOOTER_Y, f"第 {self._pageNumber} 页　共 {total} 页")
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list, *, title: str, subject: str, footer: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=AUTHOR,
        subject=subject,
        pageCompression=1,
        invariant=1,
        initialFontName=REGULAR,
    )
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return out.getvalue()


# --- 监督检查结果记录表 ---------------------------------------------------------------------------------------------


def result_record_pdf(inspection) -> bytes:
    """The result record of `inspection` (监督检查结果记录表) as PDF bytes: the business, the inspection, every
    checklist item with its answer, the counts, the result and what follows from it, the signature or the
    refusal with its witness, and the publication note [V: Order 49 arts. 31–35, 39]."""
    register_fonts()  # before any Paragraph: they look their fonts up when made
    with translation.override(LANGUAGE):
        operator = inspection.operator
        story = _result_record_story(inspection)
        return build_pdf(
            story,
            title=f"{RESULT_RECORD_TITLE} · {operator.name}",
            subject=f"{operator.name} {cn_date(_inspection_day(inspection))}",
            footer=f"{RESULT_RECORD_TITLE} · {operator.name}",
        )


def _inspection_day(inspection) -> datetime.date:
    return _local(inspection.finished_at or inspection.started_at).date()


def _time_span(inspection) -> str:
    start, end = _local(inspection.started_at), _local(inspection.finished_at)
    text = f"{cn_date(start.date())} {start:%H:%M}"
    if end is None:
        return text
    return f"{text} 至 {end:%H:%M}" if end.date() == start.date() else f"{text} 至 {cn_date(end.date())} {end:%H:%M}"


def _result_record_story(inspection) -> list:
    operator = inspection.operator
    day = _inspection_day(inspection)
    rows = business_rows(operator, day)
    rows += [
        ("检查类型", KIND_TEXT.get(inspection.kind, inspection.kind) + ("" if inspection.full else "（部分检查要点）")),
        ("检查时间", _time_span(inspection)),
        ("检查机关", inspection.agency.name),
        ("检查人员", "、".join(_inspectors(inspection)) or "—"),
        ("检查要点表", f"{inspection.template.name}（第{inspection.template.version}版）"),
    ]
    story = [para(RESULT_RECORD_TITLE, TITLE), Spacer(1, 4 * mm), facts_table(rows)]

    story.append(para("一、检查内容及结果", HEADING))
    items = list(inspection.template.items.order_by("order"))
    answers = {answer.item_id: answer for answer in inspection.answers.all()}
    story.append(_items_table(items, answers))

    story.append(para("二、检查结论", HEADING))
    story += _conclusion(inspection, items, answers)

    story.append(KeepTogether([para("三、签字确认", HEADING), _signature_table(inspection, day)]))
    story.append(Spacer(1, 4 * mm))
    story.append(para(_publication_note(inspection), NOTE))
    return story


def _items_table(items, answers) -> Table:
    data = [[para(h, CELL_CENTER) for h in ("项目", "检查内容", "类别", "结果", "说明")]]
    style = [
        *TABLE_STYLE,
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),  # a row's cells share their first line
    ]
    section = None
    for item in items:
        if item.section_code != section:
            section = item.section_code
            data.append([para(f"{item.section_code}　{item.section_title}", CELL), "", "", "", ""])
            row = len(data) - 1
            style += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), SHADE)]
        answer = answers.get(item.pk)
        outcome = answer.outcome if answer else ""
        failed = outcome == Outcome.NO
        note = ""
        if failed:
            note = answer.note
            if answer.affects_safety:
                note = f"{note}（影响食品安全）" if note else "影响食品安全"
        data.append(
            [
                para(item.code, CELL_CENTER),
                para(item.text, CELL),
                para("重点" if item.key else "一般", CELL_CENTER_BOLD if item.key else CELL_CENTER),
                para(OUTCOME_TEXT.get(outcome, NOT_ANSWERED), CELL_CENTER_BOLD if failed else CELL_CENTER),
                para(note, CELL),
            ]
        )
        if failed:
            style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), FAILED_SHADE))
    table = Table(data, colWidths=[12 * mm, 92 * mm, 11 * mm, 15 * mm, WIDTH - 130 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _conclusion(inspection, items, answers) -> list:
    outcomes = [(item, answers[item.pk]) for item in items if item.pk in answers]
    applicable = sum(1 for _item, a in outcomes if a.outcome in (Outcome.YES, Outcome.NO))
    not_applicable = sum(1 for _item, a in outcomes if a.outcome == Outcome.NOT_APPLICABLE)
    unanswered = len(items) - applicable - not_applicable
    failed_key = sum(1 for item, a in outcomes if a.outcome == Outcome.NO and item.key)
    failed_general = sum(1 for item, a in outcomes if a.outcome == Outcome.NO and not item.key)
    affecting = sum(1 for item, a in outcomes if a.outcome == Outcome.NO and not item.key and a.affects_safety)

    counts = f"本次检查项目 {applicable} 项（不适用 {not_applicable} 项"
    counts += f"，未检查 {unanswered} 项）" if unanswered else "）"
    counts += f"；重点项目不符合 {failed_key} 项，一般项目不符合 {failed_general} 项"
    counts += f"（其中影响食品安全 {affecting} 项）。" if affecting else "。"
    parts = [para(counts, BODY)]

    result = RESULT_TEXT.get(inspection.result, "（未作出）")
    parts.append(para(f"检查结果：{result}", RESULT))
    if inspection.derived_result and inspection.result and inspection.result != inspection.derived_result:
        derived = RESULT_TEXT.get(inspection.derived_result, inspection.derived_result)
        parts.append(
            para(f"按检查要点判定为“{derived}”，检查人员判定为“{result}”，理由：{inspection.result_reason}", BODY)
        )
    if inspection.stop_order:
        parts.append(
            para(f"责令立即停止：{inspection.stop_order_note}（依据{ORDER_49}第三十一条）", BODY),
        )
    if inspection.for_case:
        parts.append(para(f"处理意见：拟立案调查（依据{ORDER_49}第三十二条、第三十三条第三款）", BODY))
    for order in inspection.rectifications.order_by("issued_at", "pk"):
        codes = "、".join(order.answers.order_by("item__order").values_list("item__code", flat=True))
        if order.kind == RectificationKind.DEADLINE:
            text = f"责令限期改正：第 {codes} 项，于{cn_date(order.deadline)}前改正（{rectification_number(order)}）"
        else:
            text = f"已当场改正：第 {codes} 项"
        parts.append(para(text, BODY))
    if inspection.obstructed:
        parts.append(para("被检查单位拒绝、阻挠或者干涉监督检查。", BODY))
    if inspection.summary:
        parts.append(para(f"检查情况说明：{inspection.summary}", BODY))
    return parts


def _signature_table(inspection, day: datetime.date) -> Table:
    business: list = [para("被检查单位签字（盖章）", CELL_BOLD), Spacer(1, 1.5 * mm)]
    if inspection.refused:
        business.append(para("被检查单位拒绝签字。", CELL_BOLD))
        business.append(para(f"见证人：{inspection.witness or '—'}", CELL))
    elif inspection.signed_by or inspection.signature:
        business.append(para(f"负责人：{inspection.signed_by or '—'}", CELL))
        png = signature_png(inspection.signature)
        if png is not None:
            business.append(_signature_image(png))
        elif inspection.signature:
            business.append(para("（签名图像无法显示）", CELL))
    else:
        business += [para("负责人签字：", CELL), Spacer(1, SIGNATURE_H)]
    business.append(para(f"日期：{cn_date(day)}", CELL))

    inspectors: list = [para("检查人员签字", CELL_BOLD), Spacer(1, 1.5 * mm)]
    inspectors.append(para("、".join(_inspectors(inspection)) or "—", CELL))
    inspectors.append(Spacer(1, SIGNATURE_H - 4 * mm))
    inspectors.append(para(f"检查机关：{inspection.agency.name}", CELL))
    inspectors.append(para(f"日期：{cn_date(day)}", CELL))

    table = Table([[business, inspectors]], colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle(
        TableStyle(
            [
                *TABLE_STYLE,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5 * mm),
            ]
        )
    )
    return table


def _publication_note(inspection) -> str:
    note = (
        f"本表依据{ORDER_49}第三十五条于检查现场书面告知被检查单位。"
        "监督检查结果自形成之日起20个工作日内向社会公开（第三十九条）"
    )
    if inspection.publish_by:
        note += f"，公开期限至{cn_date(inspection.publish_by)}"
    return (
        note + "。被检查单位应当将本表张贴或者公示于经营场所醒目位置，保持至下一次监督检查（第三十九条、第四十八条）。"
    )


# --- 责令改正通知书 ---------------------------------------------------------------------------------------------------


def rectification_order_pdf(order) -> bytes:
    """The rectification order (责令改正通知书) as PDF bytes: its number, the business, the failed items with the
    inspectors' notes, the requirement, the written deadline and its legal basis [V: Order 49 art. 33], how
    to report the fix on the platform, the issuing agency and date."""
    register_fonts()
    with translation.override(LANGUAGE):
        number = rectification_number(order)
        return build_pdf(
            _rectification_story(order, number),
            title=f"{RECTIFICATION_TITLE} · {order.operator.name}",
            subject=number,
            footer=f"{RECTIFICATION_TITLE} {number}",
        )


def _rectification_story(order, number: str) -> list:
    inspection, operator = order.inspection, order.operator
    agency = inspection.agency
    issued_on = _local(order.issued_at).date()
    story = [para(RECTIFICATION_TITLE, TITLE), para(number, SUBTITLE), Spacer(1, 6 * mm)]
    story.append(para(f"{operator.name}：", BODY_BOLD))
    story.append(Spacer(1, 1 * mm))
    inspected = cn_date(_inspection_day(inspection))
    kind = KIND_TEXT.get(inspection.kind, inspection.kind)
    story.append(
        para(
            f"{inspected}，本机关执法人员依法对你单位进行了{kind}，发现你单位存在下列不符合食品安全要求的问题：",
            BODY_INDENT,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(_order_items_table(order))
    story.append(Spacer(1, 3 * mm))

    if order.kind == RectificationKind.DEADLINE:
        days = f"（{order.working_days}个工作日内）" if order.working_days else ""
        demand = f"依据{ORDER_49}第三十三条的规定，现责令你单位于{cn_date(order.deadline)}前{days}改正上述问题。"
    else:
        demand = f"依据{ORDER_49}第三十三条的规定，现责令你单位当场改正上述问题。"
    story.append(para(demand, BODY_INDENT))
    story.append(para(f"整改要求：{order.requirement}", BODY_INDENT))
    story.append(
        para(
            "请你单位在整改期限内登录“食安”平台，在本通知书下填写整改情况并上传整改后的现场照片等佐证材料，"
            "报告整改情况。本机关将对整改情况进行跟踪核查并记录；逾期不改正或者整改不到位的，本机关将依法处理。",
            BODY_INDENT,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(facts_table(business_rows(operator, issued_on)))
    story.append(Spacer(1, 10 * mm))
    story.append(
        KeepTogether(
            [
                para(agency.name, RIGHT),
                para(cn_date(issued_on), RIGHT),
                para("（印章）", RIGHT),
                Spacer(1, 8 * mm),
                para(f"执法人员：{'、'.join(_inspectors(inspection)) or order.issued_by.display_name}", BODY),
                para("被检查单位签收：______________　　签收日期：______年____月____日", BODY),
                Spacer(1, 3 * mm),
                para("本通知书一式两份，一份交被检查单位，一份由本机关存档。", NOTE),
            ]
        )
    )
    return story


def _order_items_table(order) -> Table:
    data = [[para(h, CELL_CENTER) for h in ("序号", "项目", "检查内容", "类别", "发现的问题")]]
    answers = order.answers.select_related("item").order_by("item__order")
    for index, answer in enumerate(answers, start=1):
        item = answer.item
        note = answer.note or "不符合"
        if answer.affects_safety:
            note += "（影响食品安全）"
        data.append(
            [
                para(str(index), CELL_CENTER),
                para(item.code, CELL_CENTER),
                para(item.text, CELL),
                para("重点" if item.key else "一般", CELL_CENTER),
                para(note, CELL),
            ]
        )
    table = Table(data, colWidths=[12 * mm, 12 * mm, 82 * mm, 11 * mm, WIDTH - 117 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *TABLE_STYLE,
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
