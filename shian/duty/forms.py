"""Forms of the duty pages: they parse input; the services validate it and their errors come back onto the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shian.registry.forms import ServiceModelForm
from shian.registry.models import Staff

from .choices import Assessment, DutyRole, ProblemStatus
from .logbook import SPECS
from .models import MonthlyMeeting, RiskControlList, RiskPoint, WeeklyProblem, WeeklyReview
from .services.records import MEETING_FIELDS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRIORITY_ROWS = 5


class PointForm(ServiceModelForm):
    class Meta:
        model = RiskPoint
        fields = ["number", "stage", "risk", "hazard", "level", "measure", "owner", "frequency", "photo", "question"]
        widgets = {"hazard": forms.Textarea(attrs={"rows": 2}), "measure": forms.Textarea(attrs={"rows": 2})}


class ListForm(ServiceModelForm):
    class Meta:
        model = RiskControlList
        fields = ["name", "records_on"]


class AnswerForm(forms.Form):
    ok = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes")
    problem = forms.CharField(required=False, max_length=500)
    action = forms.CharField(required=False, max_length=500)


class AppointmentForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("Person"), queryset=Staff.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=DutyRole.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    appointed_on = forms.DateField(
        label=_("Appointed on"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    full_time = forms.BooleanField(
        label=_("Full-time"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = operator.staff.filter(active=True).order_by("name")


class ReviewForm(ServiceModelForm):
    class Meta:
        model = WeeklyReview
        fields = ["recipient", "copy_to", "analysis", "assessment"]
        widgets = {"analysis": forms.Textarea(attrs={"rows": 3}), "assessment": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = Assessment.choices  # chosen before signing; no empty choice offered


class RectificationLineForm(ServiceModelForm):
    """A problem's rectification line: measure, owner, deadline, state."""

    class Meta:
        model = WeeklyProblem
        fields = ["measure", "owner", "deadline", "status"]
        widgets = {
            "measure": forms.TextInput(attrs={"placeholder": _("Rectification measure")}),
            "owner": forms.TextInput(attrs={"placeholder": _("Responsible")}),
            "deadline": _DATE,
            "status": forms.Select(choices=ProblemStatus.choices),
        }


class ProblemForm(RectificationLineForm):
    """A problem found in the weekly investigation itself, with its rectification line."""

    class Meta(RectificationLineForm.Meta):
        fields = ["description", *RectificationLineForm.Meta.fields]
        widgets = {
            **RectificationLineForm.Meta.widgets,
            "description": forms.TextInput(attrs={"placeholder": _("Problem found in this week's investigation")}),
        }


class MeetingForm(ServiceModelForm):
    class Meta:
        model = MonthlyMeeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "held_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "director_report": forms.Textarea(attrs={"rows": 4}),
            "hazards": forms.Textarea(attrs={"rows": 3}),
            "open_issues": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }


class PriorityForm(forms.Form):
    text = forms.CharField(
        label=_("Priority"), required=False, max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    owner = forms.CharField(
        label=_("Responsible"), required=False, max_length=64, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


PriorityFormSet = forms.formset_factory(PriorityForm, extra=0, min_num=PRIORITY_ROWS, max_num=20)


def entry_form_class(kind: str, operator) -> type[forms.Form]:
    """A form of one operational record, built from its fields (logbook.SPECS); `read_entry` checks the values."""
    text = {"class": "form-control"}
    built = {}
    for spec in SPECS[kind]:
        if spec.type == "staff":
            choices = [("", "—"), *operator.staff.filter(active=True).order_by("name").values_list("pk", "name")]
            field = forms.ChoiceField(choices=choices, widget=forms.Select(attrs={"class": "form-select"}))
        elif spec.type == "choice":
            field = forms.ChoiceField(
                choices=[("", "—"), *spec.choices], widget=forms.Select(attrs={"class": "form-select"})
            )
        elif spec.type == "choices":
            field = forms.MultipleChoiceField(choices=spec.choices, widget=forms.CheckboxSelectMultiple)
        elif spec.type == "bool":
            field = forms.BooleanField(widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
        elif spec.type == "time":
            field = forms.CharField(widget=forms.TimeInput(attrs={**text, "type": "time"}))
        elif spec.type in ("int", "decimal"):
            field = forms.CharField(widget=forms.TextInput(attrs={**text, "inputmode": "decimal"}))
        else:
            field = forms.CharField(max_length=spec.max_length, widget=forms.TextInput(attrs=text))
        field.required, field.label = False, spec.label
        built[spec.name] = field
    return type(f"{kind.title()}Form", (forms.Form,), built)


class SelfRectificationForm(forms.Form):
    answers = forms.ModelMultipleChoiceField(
        label=_("Items to fix"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    requirement = forms.CharField(
        label=_("What must be fixed"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = answers[0].self_inspection.answers.filter(pk__in=[a.pk for a in answers])
        self.fields["answers"].label_from_instance = lambda a: f"{a.item.code} {a.item.text[:40]} — {a.note}"
