import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .choices import AuditSource, RegionLevel
from .models import Agency, AuditEntry, Region

region_code = RegexValidator(r"^\d{6}(\d{3})?$", _("Enter a 6-digit region code (or a 9-digit town code)."))


class RegionCodeFilter(django_filters.CharFilter):
    """Rows inside the region with this code (a filter within what the user may see, never a widening)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [region_code])
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.within(value) if queryset.model is Region else queryset.in_region(value)


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
    actor = django_filters.NumberFilter(field_name="actor_id", label=_("Actor ID"))
    request_id = django_filters.CharFilter(label=_("Request ID"))
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("Since"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("Until"))

    class Meta:
        model = AuditEntry
        fields = ["action", "source", "actor", "request_id", "since", "until"]
