"""The printed documents of food sampling, as A4 PDFs: the test result notice (抽样检验结果通知书) served on the
sampled business and the producer after a failure (SAMR Order 15 art. 29 [R]; FSL art. 88 [V]). An official
form, so always in Chinese; drawn as the inspection documents are (shian/inspection/documents.py)."""

from django.utils import timezone, translation
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from shian.inspection.documents import (
    BODY,
    BODY_BOLD,
    BODY_INDENT,
    CELL,
    CELL_BOLD,
    FAILED_SHADE,
    NOTE,
    RIGHT,
    SHADE,
    SUBTITLE,
    TABLE_STYLE,
    TITLE,
    WIDTH,
    agency_short,
    build_pdf,
    business_rows,
    cn_date,
    facts_table,
    para,
)
from shian.registry.placard import LANGUAGE, register_fonts

from .choices import Verdict

NOTICE_TITLE = "食品安全抽样检验结果通知书"
VERDICT_TEXT = {Verdict.PASS: "合格", Verdict.FAIL: "不合格", Verdict.NOT_JUDGED: "不判定"}


def notice_number(sample) -> str:
    """The notice's document number, derived: 姑苏市监抽检通〔2026〕12号."""
    year = timezone.localtime(sample.notified_at or sample.reported_at).year
    return f"{agency_short(sample.agency)}市监抽检通〔{year}〕{sample.pk}号"


def result_notice_pdf(sample) -> bytes:
    """The notice of a failed sample as PDF bytes: the food and where it was sampled, the lab and its
    conclusion, every item with its result, limit and the standard judged by, the right to a re-test within
    7 working days [V: FSL art. 88 ¶1] and the follow-up handling the business owes."""
    register_fonts()
    with translation.override(LANGUAGE):
        number = notice_number(sample)
        return build_pdf(
            _story(sample, number),
            title=f"{NOTICE_TITLE} · {sample.operator.name}",
            subject=number,
            footer=f"{NOTICE_TITLE} {number}",
        )


def _story(sample, number: str) -> list:
    served = timezone.localdate(sample.notified_at) if sample.notified_at else timezone.localdate()
    sampled = timezone.localdate(sample.sampled_at)
    story = [para(NOTICE_TITLE, TITLE), para(number, SUBTITLE), Spacer(1, 6 * mm)]
    story.append(para(f"{sample.operator.name}：", BODY_BOLD))
    story.append(
        para(
            f"{cn_date(sampled)}，本机关依法对你单位经营的下列食品进行了抽样检验。经{sample.lab.name}检验"
            f"（检验结论日期：{cn_date(sample.concluded_on)}），该样品检验结论为：不合格。",
            BODY_INDENT,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(facts_table(_food_rows(sample)))
    story.append(Spacer(1, 3 * mm))
    story.append(para("检验项目及结果", BODY_BOLD))
    story.append(_items_table(sample))
    story.append(Spacer(1, 3 * mm))
    retest_by = f"（即{cn_date(sample.retest_due)}前）" if sample.retest_due else ""
    story.append(
        para(
            "你单位如对检验结论有异议，可以自收到本通知书之日起七个工作日内" + retest_by + "，向本机关或者其上一级"
            "市场监督管理部门提出书面复检申请，并预先支付复检费用；复检结论表明食品合格的，复检费用由抽样检验的"
            "市场监督管理部门承担（《中华人民共和国食品安全法》第八十八条、《中华人民共和国食品安全法实施条例》"
            "第四十二条）。逾期未提出的，不予受理。可登录“食安”平台在本通知书下提出申请。",
            BODY_INDENT,
        )
    )
    story.append(
        para(
            "你单位应当立即采取封存库存问题食品、暂停生产经营、下架、召回等措施，控制食品安全风险，查明不合格"
            "原因并进行整改，在平台上报告核查处置情况及佐证材料。",
            BODY_INDENT,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(facts_table(business_rows(sample.operator, served)))
    story.append(Spacer(1, 10 * mm))
    story.append(
        KeepTogether(
            [
                para(sample.agency.name, RIGHT),
                para(cn_date(served), RIGHT),
                para("（印章）", RIGHT),
                Spacer(1, 6 * mm),
                para("被抽样单位签收：______________　　签收日期：______年____月____日", BODY),
                Spacer(1, 3 * mm),
                para("本通知书一式三份，被抽样单位、标称的食品生产者各一份，一份由本机关存档。", NOTE),
            ]
        )
    )
    return story


def _food_rows(sample) -> list[tuple[str, str]]:
    production = cn_date(sample.production_date) if sample.production_date else "—"
    return [
        ("样品编号", sample.code),
        ("样品名称", sample.product_name),
        ("食品类别", sample.category.name),
        ("商标 / 规格型号", f"{sample.brand or '—'} / {sample.specification or '—'}"),
        ("生产日期或批号", f"{production} / {sample.batch_no or '—'}"),
        ("标称生产者", f"{sample.producer_name or '—'}　{sample.producer_address}".strip()),
        ("抽样地点", sample.place or sample.operator.address or "—"),
        ("检验机构", sample.lab.name),
    ]


def _items_table(sample) -> Table:
    head = [para(text, CELL_BOLD) for text in ("检验项目", "检验结果", "标准要求", "单项判定", "判定依据")]
    rows, failed = [head], []
    for n, r in enumerate(sample.results.filter(retest=None).select_related("limit", "analyte"), start=1):
        limit = r.limit
        required = "—"
        if limit is not None:
            required = {"max": "≤", "min": "≥"}.get(limit.kind, "") + (
                f"{format(limit.value.normalize(), 'f')} {limit.unit}" if limit.value else limit.get_kind_display()
            )
        value = "未检出" if r.not_detected else f"{r.value_text} {r.unit_text}".strip()
        rows.append(
            [
                para(r.analyte.name if r.analyte else r.analyte_text, CELL),
                para(value, CELL),
                para(required, CELL),
                para(VERDICT_TEXT.get(r.verdict, "—"), CELL_BOLD if r.verdict == Verdict.FAIL else CELL),
                para(r.citation or "—", CELL),
            ]
        )
        if r.verdict == Verdict.FAIL:
            failed.append(n)
    table = Table(rows, colWidths=[42 * mm, 28 * mm, 30 * mm, 18 * mm, WIDTH - 118 * mm], repeatRows=1)
    style = [*TABLE_STYLE, ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("BACKGROUND", (0, n), (-1, n), FAILED_SHADE) for n in failed]
    table.setStyle(TableStyle(style))
    return table
