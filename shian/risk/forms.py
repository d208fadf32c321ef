from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Grade
from .ruleset import StaticTable

_SELECT = {"class": "form-select"}


class OverrideForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"), choices=Grade.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}), max_length=2000
    )


class FactsForm(forms.Form):
    """The facts a static table reads that the registry does not keep, one field per recorded factor."""

    def __init__(self, *args, table: StaticTable, recorded: set[str], values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for factor in table.factors:
            if factor.fact not in recorded or factor.fact in self.fields:
                continue
            if factor.kind == "choice":
                choices = [(c.value, c.label) for c in factor.choices]
                field = (
                    forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
                    if factor.multiple
                    else forms.ChoiceField(
                        choices=[("", "—"), *choices], widget=forms.Select(attrs={"class": "form-select"})
                    )
                )
            elif factor.kind == "flag":
                field = forms.BooleanField(widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            else:
                field = forms.DecimalField(min_value=0, widget=forms.NumberInput(attrs={"class": "form-control"}))
            field.required = False
            field.label = factor.label
            field.initial = values.get(factor.fact)
            self.fields[factor.fact] = field

    def facts(self) -> dict:
        return {key: (str(value) if hasattr(value, "as_tuple") else value) for key, value in self.cleaned_data.items()}
