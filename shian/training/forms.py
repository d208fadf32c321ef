"""Forms of the training pages: they parse input; the services check it and their errors come back as messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shian.registry.models import Staff

from .choices import Audience, ExamKind, QuestionKind
from .selectors import ReviewLine
from .services.exams import audiences_for

_SELECT = {"class": "form-select"}
_CHECK = {"class": "form-check-input"}


class StartForm(forms.Form):
    """Start a practice exam or the business's own assessment, for the roles the user's membership allows."""

    audience = forms.ChoiceField(label=_("Role"), widget=forms.Select(attrs=_SELECT))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(ExamKind.PRACTICE, ExamKind.PRACTICE.label), (ExamKind.ASSESSMENT, ExamKind.ASSESSMENT.label)],
        widget=forms.Select(attrs=_SELECT),
    )
    staff = forms.ModelChoiceField(
        label=_("Person assessed (assessments, optional)"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )

    def __init__(self, *args, operator, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [(a, Audience(a).label) for a in audiences_for(role)]
        self.fields["staff"].queryset = operator.staff.filter(active=True).order_by("name")


class ExamForm(forms.Form):
    """All the questions of an exam: a radio button per option for single-choice and true-or-false questions,
    a check box per option for multiple-choice ones. Unanswered questions score nothing."""

    def __init__(self, *args, lines: list[ReviewLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            choices = [(str(i), text) for i, text in enumerate(line.question.options)]
            if line.question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple(attrs=_CHECK))
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=_CHECK))
            field.required, field.label = False, line.question.text
            self.fields[f"q{line.question.pk}"] = field

    def items(self) -> list[tuple[ReviewLine, forms.BoundField]]:
        """Each question with its bound field, in order (for the template)."""
        return [(line, self[f"q{line.question.pk}"]) for line in self.lines]

    def answers(self) -> dict[int, list[int]]:
        """{question id: option indexes chosen}, from the cleaned data."""
        answers = {}
        for line in self.lines:
            value = self.cleaned_data.get(f"q{line.question.pk}")
            chosen = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
            answers[line.question.pk] = [int(v) for v in chosen]
        return answers


class AssignForm(forms.Form):
    """Pick the business's appointed directors and officers to spot-test."""

    staff = forms.MultipleChoiceField(label=_("People to test"), widget=forms.CheckboxSelectMultiple(attrs=_CHECK))

    def __init__(self, *args, people: list[tuple[Staff, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(staff.pk): staff for staff, _role in people}
        self.fields["staff"].choices = [
            (str(staff.pk), f"{staff.name} · {Audience(role).label}") for staff, role in people
        ]

    def chosen(self) -> list[Staff]:
        return [self.people[pk] for pk in self.cleaned_data["staff"]]
