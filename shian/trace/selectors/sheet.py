"""The sortable traceability spreadsheet of a trace, in the style FDA FSMA 204 asks firms to hand over within
24 hours (21 CFR 1.1455(c)(3)(ii)): one row per critical tracking event and lot."""

from django.utils import timezone

from ..choices import BIZ_STEP_LABELS, EventKind, ItemRole
from .trace import Trace

HEADERS = [
    "追溯批次码 Traceability lot code",
    "产品 Product description",
    "数量 Quantity",
    "单位 Unit of measure",
    "地点 Location",
    "地区 Region",
    "环节 Critical tracking event",
    "日期 Date",
    "时间 Time",
    "单据类型 Reference document type",
    "单据号 Reference document number",
    "来源 Source",
    "去向 Destination",
    "事件 Event ID",
]


def _step(event: dict, item: dict) -> str:
    if event["type"] == EventKind.TRANSFORMATION:
        return "加工投入 Input" if item["role"] == ItemRole.INPUT else "加工产出 Output"
    return str(BIZ_STEP_LABELS.get(event["biz_step"], event["biz_step"]))


def sheet_rows(trace: Trace):
    """The rows, in time order (what the spreadsheet is sorted by until its reader sorts it otherwise)."""
    for event in trace.events:
        documents = event["documents"] or [{"type": "", "id": ""}]
        when = timezone.localtime(event["time"])
        for item in event["items"]:
            if item["lot"] is None:
                continue
            lot = trace.lots.get(item["lot"], {})
            yield [
                lot.get("identifier", ""),
                lot.get("product__name") or "",
                "" if item["quantity"] is None else f"{item['quantity'].normalize():f}",
                item["unit"],
                event["location"],
                event["region"],
                _step(event, item),
                when.strftime("%Y-%m-%d"),
                when.strftime("%H:%M"),
                "; ".join(d["type"] for d in documents if d["type"]),
                "; ".join(d["id"] for d in documents if d["id"]),
                event["source"],
                event["destination"],
                event["event_id"],
            ]
