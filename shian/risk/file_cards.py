from shian.core.home import Card
from shian.registry.file_cards import file_card

from .models import RiskGrade


@file_card
def grade_card(operator, user) -> Card | None:
    if not user.has_perm("risk.view_riskgrade"):
        return None
    grade = RiskGrade.objects.visible_to(user).current().filter(operator=operator).first()
    return Card("risk/cards/file_grade.html", {"grade": grade}, order=10)
