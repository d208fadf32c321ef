import datetime
import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from .choices import AuditSource, RegionLevel
from .models import Agency, AuditEntry, Region

region_code = RegexValidator(r"^\d{6}(\d{3})?$", _("Enter a 6-digit region code (or a 9-digit town code)."))


@extend_schema_field({"type": "string", "pattern": r"^\d{6}(\d{3})?$"})
class RegionCodeFilter(django_filters.CharFilter):
    """Rows inside the region with this code (a filter within what the user may see, never a widening)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [region_code])
        kwargs.setdefault("strip", False)  # a code padded with whitespace (even U+0085) is no region code
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.within(value) if queryset.model is Region else queryset.in_region(value)


class WholeNumberField(forms.IntegerField):
    """Digits only: Django's IntegerField also takes "12.0" (it drops a point followed by zeros), which the
    schema's `integer` does not allow."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not re.fullmatch(r"-?\d+", value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """A database id: a whole number in the range of a 64-bit key (anything else is a field error)."""

    field_class = WholeNumberField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class InstantField(IsoDateTimeField):
    """An ISO 8601 date and time, converted to UTC (PostgreSQL refuses offsets beyond ±15:59); instants
    beyond the calendar's range clamp to its ends."""

    def to_python(self, value):
        try:
            value = super().to_python(value)
        except OverflowError:
            return datetime.datetime.max.replace(tzinfo=datetime.UTC)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            return (datetime.datetime.min if value.year == 1 else datetime.datetime.max).replace(tzinfo=datetime.UTC)


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class RegionFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("Level"))
    parent = django_filters.CharFilter(field_name="parent_id", label=_("Parent code"))
    within = RegionCodeFilter(label=_("Within region"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("Name contains"))

    class Meta:
        model = Region
        fields = ["level", "parent", "within", "q"]


class AgencyFilterSet(django_filters.FilterSet):
    region = RegionCodeFilter(label=_("Within region"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("Name contains"))

    class Meta:
        model = Agency
        fields = ["kind", "region", "q"]


class AuditEntryFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith", label=_("Action"))
    source = django_filters.ChoiceFilter(choices=AuditSource.choices, label=_("Source"))
    actor = IdFilter(field_name="actor_id", label=_("Actor ID"))
    request_id = django_filters.CharFilter(label=_("Request ID"))
    since = InstantFilter(field_name="at", lookup_expr="gte", label=_("Since"))
    until = InstantFilter(field_name="at", lookup_expr="lt", label=_("Until"))

    class Meta:
        model = AuditEntry
        fields = ["action", "source", "actor", "request_id", "since", "until"]
