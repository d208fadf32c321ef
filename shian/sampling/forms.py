from django import forms
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role, UserKind
from shian.core.models import User
from shian.core.rules import region_code_range

from .choices import CategoryLevel, SampleStatus, Verdict
from .models import FoodCategory, Lab

_SELECT = {"class": "form-select"}
_TEXT = {"class": "form-control"}
_CHECK = {"class": "form-check-input"}


def _text(label, required=True, max_length=200, **kwargs):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=_TEXT), **kwargs
    )


class SampleForm(forms.Form):
    """The sampling form (抽样单)."""

    category = forms.ModelChoiceField(
        label=_("Food category (细类)"), queryset=FoodCategory.objects.none(), widget=forms.Select(attrs=_SELECT)
    )
    product_name = _text(_("Product name"))
    brand = _text(_("Brand"), required=False, max_length=100)
    specification = _text(_("Specification"), required=False, max_length=100)
    batch_no = _text(_("Batch number"), required=False, max_length=64)
    production_date = forms.DateField(
        label=_("Production or purchase date"), required=False, widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
    )
    quantity = _text(_("Quantity sampled"), max_length=64)
    backup_quantity = _text(_("Backup sample for re-test"), max_length=64)
    price = forms.DecimalField(
        label=_("Price paid (samples are bought)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    producer_name = _text(_("Producer"), required=False)
    producer_address = _text(_("Producer's address"), required=False, max_length=255)
    place = _text(_("Place of sampling"), required=False, max_length=255)
    seal_numbers = _text(_("Seal numbers"), required=False)
    lab = forms.ModelChoiceField(
        label=_("Lab"), queryset=Lab.objects.filter(active=True), widget=forms.Select(attrs=_SELECT)
    )
    samplers = forms.ModelMultipleChoiceField(
        label=_("Other samplers"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, operator, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FoodCategory.objects.filter(level=CategoryLevel.DETAIL).order_by(
            "catalogue__code", "-catalogue__version", "order"
        )
        low, high = region_code_range(operator.region_id[:2] + "0000")
        officers = User.objects.filter(
            kind=UserKind.REGULATOR,
            is_active=True,
            groups__name__in=[Role.SAMPLING_OFFICER, Role.AGENCY_HEAD],
            agency__region_id__gte=low,
            **({"agency__region_id__lt": high} if high else {}),
        )
        self.fields["samplers"].queryset = officers.exclude(pk=user.pk).distinct().order_by("username")


class ResultRowForm(forms.Form):
    analyte = _text(_("Test item"), max_length=200)
    value = _text(_("Result"), max_length=64, help_text=_('A number, "未检出" or "<0.01".'))
    unit = _text(_("Unit"), required=False, max_length=32)
    lod = _text(_("Limit of detection"), required=False, max_length=32)
    method = _text(_("Method"), required=False)


ResultRowFormSet = forms.formset_factory(ResultRowForm, extra=0, min_num=1, validate_min=True)


class ConclusionForm(forms.Form):
    concluded_on = forms.DateField(
        label=_("Date of the conclusion"),
        required=False,
        help_text=_("Fill it in when the report is final: the sample is then concluded."),
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}),
    )


class RetestApplyForm(forms.Form):
    reason = forms.CharField(label=_("Why you apply for a re-test"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))
    fee = forms.DecimalField(
        label=_("Fee paid in advance"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs=_TEXT),
    )


class RetestDecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Accept and draw the re-test lab")), ("no", _("Refuse"))],
    )
    reason = forms.CharField(
        label=_("Reason (for a refusal)"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    )


class DisposalOrderForm(forms.Form):
    requirement = forms.CharField(
        label=_("What the business must do"),
        initial="封存库存问题食品、暂停销售并下架、召回已售出产品，查明不合格原因并整改，报告处置情况。",
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
    )


class DisposalReportForm(forms.Form):
    sealed = forms.BooleanField(label=_("Products sealed"), required=False, widget=forms.CheckboxInput(attrs=_CHECK))
    sales_stopped = forms.BooleanField(
        label=_("Sales stopped"), required=False, widget=forms.CheckboxInput(attrs=_CHECK)
    )
    recalled_quantity = _text(_("Quantity recalled"), required=False, max_length=100)
    cause = forms.CharField(label=_("Cause analysis"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))


class DisposalVerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Verdict"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Close")), ("no", _("Return for more"))],
    )
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))
    open_case = forms.BooleanField(
        label=_("Open a case for enforcement"), required=False, widget=forms.CheckboxInput(attrs=_CHECK)
    )


class SampleFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *SampleStatus.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        required=False,
        choices=[("", _("Any verdict")), *Verdict.choices],
        widget=forms.Select(attrs=_SELECT),
    )
