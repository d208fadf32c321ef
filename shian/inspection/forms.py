from django import forms
from django.utils.translation import gettext_lazy as _

from shian.core.models import User

from .choices import InspectionKind, Outcome, RectificationKind, Result
from .selectors import inspectors_covering

_SELECT = {"class": "form-select"}
_TEXT = {"class": "form-control"}


class InspectionStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices, widget=forms.Select(attrs=_SELECT))
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Co-inspectors"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    is_lead = forms.BooleanField(
        label=_("Follows a lead (suspected violation or clear hazard)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, operator, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_covering(operator.region_id).exclude(pk=user.pk)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(required=False, max_length=2000)
    affects_safety = forms.BooleanField(required=False)


class FinishForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("As the checklist gives")), *Result.choices],
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    result_reason = forms.CharField(
        label=_("Reason for another result"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))
    signed_by = forms.CharField(
        label=_("Signed by (the business's representative)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=_TEXT),
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-signature-value": True}))
    refused = forms.BooleanField(
        label=_("Refused to sign"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    witness = forms.CharField(label=_("Witness"), required=False, max_length=128, widget=forms.TextInput(attrs=_TEXT))
    stop_order = forms.BooleanField(
        label=_("Order to stop at once (latent incident risk)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    stop_order_note = forms.CharField(
        label=_("What must stop"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    )
    obstructed = forms.BooleanField(
        label=_("The business refused or obstructed the inspection"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_signature(self):
        value = self.cleaned_data["signature"]
        if value and not value.startswith("data:image/png;base64,"):
            raise forms.ValidationError(_("The signature must be drawn on the pad."))
        if len(value) > 400_000:
            raise forms.ValidationError(_("The signature image is too large."))
        return value


class RectificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RectificationKind.choices, widget=forms.RadioSelect)
    answers = forms.ModelMultipleChoiceField(
        label=_("Items to fix"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    requirement = forms.CharField(label=_("What must be fixed"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))
    working_days = forms.IntegerField(
        label=_("Working days allowed"),
        min_value=1,
        max_value=90,
        required=False,
        initial=10,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence of the fix on the spot"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, answers, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = answers
        self.fields["answers"].label_from_instance = lambda a: f"{a.item.code} {a.item.text}"
        self.fields["evidence"].queryset = evidence
        self.fields["evidence"].label_from_instance = lambda e: f"{e.scene} · {e.uploaded_at:%H:%M}"


class SubmitForm(forms.Form):
    response = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))


class VerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", _("Accept")), ("0", _("Return to the business"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))
