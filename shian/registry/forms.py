"""Forms of the operator's file: they parse and present input; the services validate it (the model's
`full_clean`, identifier rules) and their errors come back onto the fields with `add_service_errors`."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from shian.core.choices import RegionLevel
from shian.core.evidence.forms import EvidenceUploadForm
from shian.core.models import Region

from .choices import SpecialFood
from .models import EDITABLE_FIELDS, SCALE_FIELDS, Filing, Licence, Operator, Staff

_TEXT_INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.Textarea, forms.DateInput)


class ServiceModelForm(forms.ModelForm):
    """A form whose fields come from the model but whose model validation is left to the service: the form
    never builds or changes the instance (so an edit's audit `before` stays what is stored), and the service's
    `ValidationError` is put back onto the fields. Widgets get Tabler classes; fields in error are marked."""

    fieldsets: list[tuple[str, list[str]]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, _TEXT_INPUTS):
                css = "form-control"
            else:
                continue
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def _post_clean(self):
        """No instance is built and no model validation runs here: the service does both."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's validation errors on the fields they name (the rest above the form)."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        for name, messages in errors.items():
            self.add_error(name if name in self.fields else None, messages)

    def groups(self) -> list[tuple[str, list]]:
        """The bound fields grouped as `fieldsets` says (every field once; the rest in a last group)."""
        if not self.fieldsets:
            return [("", list(self))]
        seen, groups = set(), []
        for title, names in self.fieldsets:
            fields = [self[name] for name in names if name in self.fields]
            seen.update(names)
            if fields:
                groups.append((title, fields))
        rest = [self[name] for name in self.fields if name not in seen]
        if rest:
            groups.append(("", rest))
        return groups


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = f"{obj.parent.name} " if obj.parent_id else ""
        return f"{parent}{obj.name} ({obj.code})"


class OperatorForm(ServiceModelForm):
    """Create or edit a food business. The county must lie in the user's jurisdiction."""

    special_foods = forms.MultipleChoiceField(
        label=_("Special foods"),
        choices=SpecialFood.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Health food, infant formula or food for special medical purposes it produces or sells."),
    )
    region = CountyChoiceField(label=_("County"), queryset=Region.objects.none())

    fieldsets = [
        (
            _("Identity"),
            ["name", "credit_code", "category", "canteen_kind", "special_foods", "status", "legal_representative"],
        ),
        (_("Place and contact"), ["region", "address", "latitude", "longitude", "phone"]),
        (
            _("Scale (used for risk grading)"),
            SCALE_FIELDS,
        ),
    ]

    class Meta:
        model = Operator
        fields = EDITABLE_FIELDS
        help_texts = {
            "credit_code": _("18 characters (GB 32100). Several sites of one company share it."),
            "canteen_kind": _("Only for an institutional canteen."),
            "latitude": _("Decimal degrees, e.g. 31.317000."),
            "longitude": _("Decimal degrees, e.g. 120.619000."),
        }
        widgets = {
            "credit_code": forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Region.objects.current().filter(level=RegionLevel.COUNTY).select_related("parent")
        if not user.is_superuser:
            counties = counties.within(user.jurisdiction_id) if user.jurisdiction_id else counties.none()
        self.fields["region"].queryset = counties
        self.fields["canteen_kind"].choices = [("", "—"), *self.fields["canteen_kind"].choices[1:]]
        if not self.instance.pk:
            del self.fields["status"]

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()


class LicenceForm(ServiceModelForm):
    """Add or edit a licence; its kind (SC or JY) follows from the number."""

    class Meta:
        model = Licence
        fields = ["number", "licensed_items", "authority", "issued_on", "expires_on", "status"]
        help_texts = {
            "number": _("SC or JY followed by 14 digits, e.g. JY23205080000018."),
            "licensed_items": _("The business items or food categories the licence names."),
        }
        widgets = {
            "number": forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
            "licensed_items": forms.Textarea(attrs={"rows": 3}),
            "issued_on": _date_widget(),
            "expires_on": _date_widget(),
        }

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class FilingForm(ServiceModelForm):
    """Add or edit a filing (备案) of a seller of prepackaged food only."""

    class Meta:
        model = Filing
        fields = ["number", "items", "authority", "filed_on", "cancelled_on"]
        widgets = {
            "number": forms.TextInput(attrs={"spellcheck": "false"}),
            "items": forms.Textarea(attrs={"rows": 3}),
            "filed_on": _date_widget(),
            "cancelled_on": _date_widget(),
        }


class StaffForm(ServiceModelForm):
    """Add or edit a staff member. Who may not see full ID numbers sees the stored one masked and leaves the
    field empty to keep it."""

    class Meta:
        model = Staff
        fields = [
            "name",
            "role",
            "id_number",
            "phone",
            "health_certificate_no",
            "health_certificate_issued_on",
            "health_certificate_expires_on",
        ]
        help_texts = {"id_number": _("18 characters; shown masked to most users.")}
        widgets = {
            "id_number": forms.TextInput(
                attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}
            ),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "health_certificate_issued_on": _date_widget(),
            "health_certificate_expires_on": _date_widget(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.id_number and not user.has_perm("registry.view_full_id_number"):
            self.initial["id_number"] = ""
            field = self.fields["id_number"]
            field.widget.attrs["placeholder"] = self.instance.masked_id_number
            field.help_text = _("Stored as %(masked)s. Leave empty to keep it, or type the whole new number.") % {
                "masked": self.instance.masked_id_number
            }

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class HealthCertificateUploadForm(EvidenceUploadForm):
    """A photo or PDF scan of a staff member's health certificate, filed as 五定 evidence of their business."""

    def __init__(self, *args, staff: Staff, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["operator"]
        self.fields.pop("region", None)
        self.fields["file"].label = _("Health certificate (photo or PDF)")
        self.fields["scene"].initial = _("Health certificate of %(name)s") % {"name": staff.name}

    def clean(self):
        data = forms.Form.clean(self)
        data.pop("region", None)
        return data
