from shian.registry.public_sections import Section, public_section
from shian.registry.rules import mask_name

from .selectors import published_spot_tests


@public_section
def spot_tests_section(operator) -> Section | None:
    """Published results of the bureau's spot tests of the business's food-safety managers (the results of spot
    tests are made public: Food Safety Law art. 44 [S]): date, role, the person's surname, score and result; never
    a full name or an ID number."""
    exams = published_spot_tests(operator)
    if not exams:
        return None
    rows = [
        {
            "date": exam.submitted_at,
            "role": exam.get_audience_display(),
            "name": mask_name(exam.staff.name),
            "score": exam.score,
            "passed": exam.passed,
        }
        for exam in exams
    ]
    return Section("training/public/section_spot_tests.html", {"tests": rows}, order=40)
