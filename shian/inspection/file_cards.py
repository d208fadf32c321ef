from shian.core.home import Card
from shian.registry.file_cards import file_card

from .models import Inspection, Rectification


@file_card
def inspections_card(operator, user) -> Card | None:
    if not user.has_perm("inspection.view_inspection"):
        return None
    inspections = Inspection.objects.visible_to(user).filter(operator=operator).order_by("-started_at")[:5]
    open_orders = Rectification.objects.visible_to(user).open().filter(operator=operator)[:5]
    context = {
        "inspections": inspections,
        "open_orders": open_orders,
        "can_start": user.has_perm("inspection.add_inspection"),
        "can_recuse": user.has_perm("inspection.add_recusal"),
    }
    return Card("inspection/cards/file_inspections.html", context, order=20)
