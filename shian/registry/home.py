from shian.core.choices import UserKind
from shian.core.home import Card, home_card

from .selectors import operator_list, operators_by_county


@home_card
def operators_card(user) -> Card | None:
    if user.kind not in (UserKind.REGULATOR, UserKind.BUSINESS) and not user.is_superuser:
        return None
    if user.kind == UserKind.BUSINESS:
        return Card("registry/cards/my_operators.html", {"operators": operator_list(user=user)[:10]}, order=10)
    counts = operators_by_county(user=user)
    chart = {
        "tooltip": {},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 24, "containLabel": True},
        "xAxis": {"type": "category", "data": [c["region__name"] for c in counts]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "barMaxWidth": 48, "data": [c["n"] for c in counts]}],
    }
    return Card(
        "registry/cards/operators_by_county.html",
        {"total": sum(c["n"] for c in counts), "chart": chart},
        order=10,
        width="col-12 col-lg-8",
    )
