from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shian.core.choices import RegionLevel, Role, UserKind
from shian.core.models import Agency, Region, User
from shian.core.rules import region_code_range
from shian.registry.choices import OperatorCategory

from .choices import CategoryLevel, RapidFollowUp, RapidResult, SampleStatus, Verdict
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
    loq = _text(_("Limit of quantification"), required=False, max_length=32)
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


class PlanForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), widget=forms.Select(attrs=_SELECT)
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=_TEXT))
    batches_per_thousand = forms.DecimalField(
        label=_("Batches per 1,000 residents"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("Leave empty for the configured figure."),
        widget=forms.NumberInput(attrs=_TEXT),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY]
        regions = Region.objects.current().filter(level__in=levels)
        if not user.is_superuser:
            regions = regions.within(user.jurisdiction_id) if user.jurisdiction_id else regions.none()
        self.fields["region"].queryset = regions.order_by("code")


class VoteForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "tel", "autocomplete": "tel"}),
    )


class NominationForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Region.objects.current().filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]),
        widget=forms.Select(attrs=_SELECT),
    )
    category = forms.ModelChoiceField(
        label=_("Food"), queryset=FoodCategory.objects.none(), widget=forms.Select(attrs=_SELECT)
    )
    shop_kind = forms.ChoiceField(
        label=_("Kind of shop"),
        required=False,
        choices=[("", _("Any")), *OperatorCategory.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    note = _text(_("Why (optional)"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FoodCategory.objects.filter(level=CategoryLevel.DETAIL).order_by("code")
        # the cities and counties of the provinces the platform's bureaus serve, not all of China's 3,000
        provinces = {code[:2] for code in Agency.objects.values_list("region_id", flat=True)}
        served = Q()
        for prefix in provinces:
            served |= Q(code__startswith=prefix)
        self.fields["region"].queryset = self.fields["region"].queryset.filter(served).order_by("code")


class RapidBatchForm(forms.Form):
    tester = _text(_("Tester"), max_length=64)
    farm_produce = forms.BooleanField(
        label=_("Edible farm produce"), required=False, widget=forms.CheckboxInput(attrs=_CHECK)
    )


class RapidRowForm(forms.Form):
    product_name = _text(_("Product"), max_length=100)
    item = _text(_("Test item"), max_length=100, initial="有机磷和氨基甲酸酯类农药")
    method = _text(_("Method"), max_length=100, initial="酶抑制率法（速测卡）")
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", "—"), *RapidResult.choices], widget=forms.Select(attrs=_SELECT)
    )
    reading = _text(_("Reading"), required=False, max_length=32)


RapidRowFormSet = forms.formset_factory(RapidRowForm, extra=3, min_num=1, validate_min=True)


class RapidObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Why you object"), widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))


class RapidFollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=RapidFollowUp.choices, widget=forms.RadioSelect)
    sample_code = _text(_("Lab sample number"), required=False, max_length=32)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sample_code"].help_text = _("A sample taken at %(operator)s, for a lab sample.") % {
            "operator": operator.name
        }
