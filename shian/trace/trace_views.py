"""The trace page: a lot or trace code traced both ways, as a graph of the chain (ECharts), its holders and
its events, with the spreadsheet and the EPCIS document to download, and a control order to open from it."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .choices import BIZ_STEP_LABELS
from .selectors import TraceStartError, trace_of, trace_start
from .selectors.trace import BACKWARD, FORWARD, Trace

DIRECTIONS = {"both": (BACKWARD, FORWARD), "backward": (BACKWARD,), "forward": (FORWARD,)}
_COLOURS = {"start": "#d63939", BACKWARD: "#206bc4", FORWARD: "#f59f00"}


def chain_chart(trace: Trace) -> dict:
    """An ECharts graph: the lots (the start red, upstream blue, downstream orange) joined by their links, and
    each holder joined to the lot it holds."""
    nodes, links = [], []
    for lot in trace.lots.values():
        label = f"{lot['product__name'] or ''} {lot['lot_code'] or lot['identifier']}".strip()
        nodes.append(
            {
                "id": f"lot-{lot['id']}",
                "name": label,
                "symbolSize": 34 if lot["direction"] == "start" else 24,
                "itemStyle": {"color": _COLOURS.get(lot["direction"], "#868e96")},
                "category": 0,
            }
        )
    links += [{"source": f"lot-{a}", "target": f"lot-{b}"} for a, b, _event in trace.links]
    places = {}
    for holder in trace.holders:
        key = f"place-{holder['location_id']}"
        if key not in places:
            places[key] = {"id": key, "name": holder["location"], "symbol": "rect", "symbolSize": 16, "category": 1}
        links.append({"source": f"lot-{holder['lot']}", "target": key, "lineStyle": {"type": "dashed"}})
    return {
        "tooltip": {},
        "legend": [{"data": [_("Lots"), _("Holders")]}],
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "draggable": True,
                "label": {"show": True, "position": "right", "fontSize": 11},
                "force": {"repulsion": 220, "edgeLength": 90},
                "edgeSymbol": ["none", "arrow"],
                "categories": [{"name": _("Lots")}, {"name": _("Holders")}],
                "data": nodes + list(places.values()),
                "links": [link for link in links if link["source"] != link["target"]],
            }
        ],
    }


@login_required
@permission_required("trace.view_traceevent", raise_exception=True)
def trace_page(request):
    code = request.GET.get("code", "").strip()
    direction = request.GET.get("direction", "both")
    context = {"code": code, "direction": direction if direction in DIRECTIONS else "both"}
    if code:
        try:
            lots, codes = trace_start(code)
        except TraceStartError as exc:
            context["error"] = str(exc)
        else:
            trace = trace_of(lots=lots, codes=codes, directions=DIRECTIONS[context["direction"]], user=request.user)
            labels = {lot["id"]: lot["lot_code"] or lot["identifier"] for lot in trace.lots.values()}
            for event in trace.events:
                event["step"] = BIZ_STEP_LABELS.get(event["biz_step"], event["biz_step"])
            for holder in trace.holders:
                holder["lot_label"] = labels.get(holder["lot"], "")
            context |= {"trace": trace, "chart": chain_chart(trace), "lots": list(trace.lots.values())}
    return render(request, "trace/trace.html", context)
