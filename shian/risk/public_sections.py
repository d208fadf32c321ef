from shian.registry.public_sections import Section, public_section

from .models import RiskGrade


@public_section
def grade_section(operator) -> Section | None:
    """The current risk grade and when it was given (公示 on the business's notice board)."""
    grade = RiskGrade.objects.current().filter(operator=operator).only("grade", "graded_at").first()
    if grade is None:
        return None
    return Section("risk/public/section_grade.html", {"grade": grade}, order=20)
