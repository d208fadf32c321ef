"""The closure report of a control order or recall (管控/召回处置情况报告), as an A4 PDF in Chinese: the suspect
lots, every holder with what the trace said it held and what it reported, and the totals. Drawn as the
inspection documents are (shian/inspection/documents.py)."""

from decimal import Decimal

from django.utils import timezone, translation
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from shian.inspection.documents import (
    BODY,
    BODY_BOLD,
    CELL,
    CELL_BOLD,
    SHADE,
    SUBTITLE,
    TABLE_STYLE,
    TITLE,
    WIDTH,
    build_pdf,
    cn_date,
    facts_table,
    para,
)
from shian.registry.placard import LANGUAGE, register_fonts

from .choices import ControlKind, ControlStatus, HolderStatus

TITLES = {ControlKind.CONTROL: "问题食品管控处置情况报告", ControlKind.RECALL: "食品召回处置情况报告"}
STATUS_TEXT = {HolderStatus.NOTIFIED: "未确认", HolderStatus.ACKNOWLEDGED: "已确认", HolderStatus.REPORTED: "已报告"}


def _amount(value) -> str:
    return "—" if value is None else f"{Decimal(value).normalize():f}"


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def closure_report_pdf(order) -> bytes:
    """The report as PDF bytes; marked as an interim report while the order is open."""
    register_fonts()
    with translation.override(LANGUAGE):
        title = TITLES[order.kind]
        return build_pdf(
            _story(order, title), title=f"{title} · {order.number}", subject=order.number, footer=order.number
        )


def _story(order, title: str) -> list:
    holders = list(order.holders.select_related("location", "location__region", "lot", "lot__product"))
    closed = order.status == ControlStatus.CLOSED
    story = [para(title if closed else f"{title}（进行中）", TITLE), para(order.number, SUBTITLE), Spacer(1, 5 * mm)]
    lots = "；".join(
        f"{lot.product.name if lot.product else ''} {lot.lot_code or lot.identifier}" for lot in order.lots.all()
    )
    rows = [
        ("涉及批次", lots),
        ("问题原因", order.reason),
        ("开具时间", _moment(order.opened_at)),
        ("管控时限", _moment(order.due_at)),
        ("关闭时间", _moment(order.closed_at)),
    ]
    if order.sample_id:
        rows.insert(1, ("不合格样品", order.sample.code))
    story += [facts_table(rows), Spacer(1, 4 * mm), para("各持有者处置情况", BODY_BOLD)]
    header = ["持有者", "地区", "批次", "应控数量", "封存", "退回", "销毁", "已售出", "状态"]
    table_rows = [[para(text, CELL_BOLD) for text in header]]
    for h in holders:
        table_rows.append(
            [
                para(h.location.name + ("（在途）" if h.in_transit else ""), CELL),
                para(h.location.region.name if h.location.region else "—", CELL),
                para(h.lot.lot_code or h.lot.identifier, CELL),
                para(f"{_amount(h.expected)} {h.unit}", CELL),
                *(para(_amount(getattr(h, key)), CELL) for key in ("sealed", "returned", "destroyed", "sold")),
                para(STATUS_TEXT[h.status], CELL),
            ]
        )
    widths = [36 * mm, 18 * mm, 26 * mm, 20 * mm, 14 * mm, 14 * mm, 14 * mm, 14 * mm]
    table = Table(table_rows, colWidths=[*widths, WIDTH - sum(widths)], repeatRows=1)
    table.setStyle(TableStyle([*TABLE_STYLE, ("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
    story += [table, Spacer(1, 4 * mm)]
    totals = {key: sum((getattr(h, key) for h in holders), Decimal(0)) for key in ("sealed", "returned", "destroyed")}
    story.append(
        para(
            f"共{len(holders)}个持有者，封存{_amount(totals['sealed'])}、退回{_amount(totals['returned'])}、"
            f"销毁{_amount(totals['destroyed'])}。" + (f"结论：{order.closing_note}" if order.closing_note else ""),
            BODY,
        )
    )
    story.append(para(f"报告日期：{cn_date(timezone.localdate())}", BODY))
    return story
