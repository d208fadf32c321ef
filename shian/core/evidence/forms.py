from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..choices import RegionLevel, UserKind
from ..models import Evidence, Region

Operator = Evidence._meta.get_field("operator").related_model

# Above this many visible food businesses a drop-down is too long for a phone (a county has tens of thousands):
# the business then comes from the page that links here (`?operator=<id>`), in a hidden field.
OPERATOR_SELECT_LIMIT = 200


class EvidenceUploadForm(forms.Form):
    """The 五定 upload form of a phone: camera photo, selfie, scene, phone, position from the browser's
    geolocation and the capture time. The service checks everything again; the form only parses."""

    file = forms.FileField(
        label=_("Photo or PDF"),
        widget=forms.FileInput(
            attrs={
                "accept": "image/*,application/pdf",
                "data-evidence-file": True,
                "capture": "environment",
                "class": "form-control",
            }
        ),
    )
    face_photo = forms.FileField(
        label=_("Photographer's face"),
        help_text=_("A selfie of the person taking the photo."),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "user", "class": "form-control"}),
    )
    scene = forms.CharField(
        label=_("Scene"),
        max_length=255,
        help_text=_("What the photo shows, e.g. the checklist item or the place in the kitchen."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "tel"}),
    )
    captured_at = forms.DateTimeField(
        label=_("Capture time"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control", "data-captured-at": True}, format="%Y-%m-%dT%H:%M"
        ),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        decimal_places=6,
        max_digits=9,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "readonly": True, "step": "any", "data-geo": "latitude"}
        ),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        decimal_places=6,
        max_digits=9,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "readonly": True, "step": "any", "data-geo": "longitude"}
        ),
    )
    operator = forms.ModelChoiceField(
        label=_("Food business"),
        queryset=Operator.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    region = forms.ModelChoiceField(
        label=_("County"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Needed when the evidence belongs to no food business."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        operators = Operator.objects.visible_to(user).select_related("region")
        self.fields["operator"].queryset = operators
        if len(operators.values_list("pk", flat=True)[: OPERATOR_SELECT_LIMIT + 1]) > OPERATOR_SELECT_LIMIT:
            self.fields["operator"].widget = forms.HiddenInput()
        self.fields["phone"].initial = user.phone
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["captured_at"].initial = now
        # The browser writes the moment a photo is chosen as wall time of the server's zone, whatever its own.
        self.fields["captured_at"].widget.attrs["data-utc-offset-minutes"] = int(now.utcoffset().total_seconds() // 60)
        if user.kind == UserKind.REGULATOR or user.is_superuser:
            counties = Region.objects.current().filter(level=RegionLevel.COUNTY)
            if user.jurisdiction_id:
                counties = counties.within(user.jurisdiction_id)
            self.fields["region"].queryset = counties
        else:
            del self.fields["region"]
            self.fields["operator"].required = True

    @cached_property
    def chosen_operator(self):
        """The food business the form is filed under, if one was chosen and the user may see it."""
        value = self["operator"].value()
        if value in (None, ""):
            return None
        try:
            return self.fields["operator"].queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            return None

    def clean(self):
        data = super().clean()
        operator = data.get("operator")
        data["region"] = operator.region if operator is not None else data.get("region")
        if data["region"] is None and "region" in self.fields and not self.has_error("region"):
            self.add_error("region", _("Choose a food business or a county."))
        return data
