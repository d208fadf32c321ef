from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ControlSource

_SELECT = {"class": "form-select"}
_TEXT = {"class": "form-control"}


class ControlOrderForm(forms.Form):
    """Open a control order: the suspect lots by trace code or lot identifier, one per line."""

    codes = forms.CharField(
        label=_("Suspect lots (trace codes or lot identifiers, one per line)"),
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3, "data-testid": "control-codes"}),
    )
    source = forms.ChoiceField(
        label=_("Reason for suspicion"),
        choices=[c for c in ControlSource.choices if c[0] != ControlSource.PRODUCER],
        widget=forms.Select(attrs=_SELECT),
    )
    sample_code = forms.CharField(
        label=_("Failed sample number"), required=False, max_length=32, widget=forms.TextInput(attrs=_TEXT)
    )
    reason = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3, "data-testid": "control-reason"})
    )


class RecallForm(forms.Form):
    """A producer recalls its own lots."""

    codes = ControlOrderForm.base_fields["codes"]
    reason = ControlOrderForm.base_fields["reason"]


class ControlReportForm(forms.Form):
    """What a holder did with a suspect lot."""

    sealed = forms.DecimalField(label=_("Sealed"), min_value=0, initial=0, widget=forms.NumberInput(attrs=_TEXT))
    returned = forms.DecimalField(
        label=_("Returned to the supplier"), min_value=0, initial=0, widget=forms.NumberInput(attrs=_TEXT)
    )
    destroyed = forms.DecimalField(label=_("Destroyed"), min_value=0, initial=0, widget=forms.NumberInput(attrs=_TEXT))
    sold = forms.DecimalField(
        label=_("Sold or used before the order"), min_value=0, initial=0, widget=forms.NumberInput(attrs=_TEXT)
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))


class ControlCloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))


class ReceiptForm(forms.Form):
    """An incoming check on a phone: the trace codes scanned (or the product and batch typed), the supplier,
    the quantity, and the papers that came with the delivery."""

    codes = forms.CharField(
        label=_("Trace codes (scan or type, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2, "inputmode": "text", "data-testid": "receive-codes"}),
    )
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None, widget=forms.Select(attrs=_SELECT))
    product_name = forms.CharField(label=_("Product (without a code)"), required=False, max_length=200,
                                   widget=forms.TextInput(attrs=_TEXT))  # fmt: skip
    batch = forms.CharField(
        label=_("Batch number"), required=False, max_length=120, widget=forms.TextInput(attrs=_TEXT)
    )
    product_class = forms.ModelChoiceField(
        label=_("Product class"), queryset=None, required=False, widget=forms.Select(attrs=_SELECT)
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0, widget=forms.NumberInput(attrs={**_TEXT, "step": "any"})
    )
    unit = forms.CharField(label=_("Unit"), max_length=16, initial="kg", widget=forms.TextInput(attrs=_TEXT))

    def __init__(self, *args, operator, **kwargs):
        from .models import ProductClass

        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = operator.suppliers.order_by("name")
        self.fields["product_class"].queryset = ProductClass.objects.order_by("name")
        for n in range(PAPERS):
            self.fields[f"paper{n}_kind"] = forms.ModelChoiceField(
                label=_("Paper"), queryset=_kinds(), required=False, widget=forms.Select(attrs=_SELECT)
            )
            self.fields[f"paper{n}_number"] = forms.CharField(
                label=_("Number"), required=False, max_length=100, widget=forms.TextInput(attrs=_TEXT)
            )
            self.fields[f"paper{n}_valid_until"] = forms.DateField(
                label=_("Valid until"), required=False, widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
            )
            self.fields[f"paper{n}_file"] = forms.FileField(
                label=_("Scan or photo"), required=False, widget=forms.ClearableFileInput(attrs=_TEXT)
            )

    def clean(self):
        data = super().clean()
        if not data.get("codes") and not (data.get("product_name") and data.get("batch")):
            raise forms.ValidationError(_("Scan the trace codes, or give the product and its batch number."))
        for n in range(PAPERS):
            if data.get(f"paper{n}_kind") and not data.get(f"paper{n}_number"):
                self.add_error(f"paper{n}_number", _("Give the paper's number."))
        return data

    def clean_codes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["codes"].splitlines() if line.strip()]

    def papers(self) -> list:
        from .services.receiving import PaperIn

        data = self.cleaned_data
        return [
            PaperIn(
                kind=data[f"paper{n}_kind"],
                number=data[f"paper{n}_number"],
                valid_until=data[f"paper{n}_valid_until"],
                file=data[f"paper{n}_file"],
            )
            for n in range(PAPERS)
            if data.get(f"paper{n}_kind")
        ]


PAPERS = 3


def _kinds():
    from .models import DocumentKind

    return DocumentKind.objects.exclude(level="supplier").order_by("name")


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=_TEXT))
    credit_code = forms.CharField(
        label=_("Unified social credit code"), required=False, max_length=18, widget=forms.TextInput(attrs=_TEXT)
    )
    licence_number = forms.CharField(label=_("Licence number"), required=False, max_length=40,
                                     widget=forms.TextInput(attrs=_TEXT))  # fmt: skip
    licence_valid_until = forms.DateField(
        label=_("Licence valid until"), required=False, widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
    )
    contact = forms.CharField(label=_("Contact"), required=False, max_length=100, widget=forms.TextInput(attrs=_TEXT))


class LedgerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ledger"),
        choices=[("purchases", _("Purchases (进货台账)")), ("sales", _("Sales (销售台账)"))],
        widget=forms.Select(attrs=_SELECT),
    )
    file = forms.FileField(label=_("CSV or XLSX file"), widget=forms.ClearableFileInput(attrs=_TEXT))
