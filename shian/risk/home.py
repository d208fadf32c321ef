from shian.core.choices import UserKind
from shian.core.home import Card, home_card

from .choices import Grade
from .selectors import grade_distribution


@home_card
def grades_card(user) -> Card | None:
    """How the businesses a regulator may see are graded, A to D."""
    if (user.kind != UserKind.REGULATOR and not user.is_superuser) or not user.has_perm("risk.view_riskgrade"):
        return None
    counts = grade_distribution(user=user)
    grades = [{"grade": g, "label": label, "n": counts.get(g, 0)} for g, label in Grade.choices]
    return Card(
        "risk/cards/home_grades.html",
        {"grades": grades, "total": sum(counts.values())},
        order=15,
        width="col-12 col-lg-4",
    )
