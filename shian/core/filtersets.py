import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import AuditSource, RegionLevel
from .models import Agency, AuditEntry, Region


class RegionFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("level"))
    parent = django_filters.CharFilter(field_name="parent_id", label=_("parent code"))
    within = django_filters.CharFilter(method="filter_within", label=_("within region code"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("name contains"))

    class Meta:
        model = Region
        fields = ["level", "parent", "within", "q"]

    def filter_within(self, queryset, name, value):
        try:
            return queryset.within(value)
        except ValueError:
            return queryset.none()


class AgencyFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("within region code"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("name contains"))

    class Meta:
        model = Agency
        fields = ["kind", "region", "q"]

    def filter_region(self, queryset, name, value):
        try:
            return queryset.in_region(value)
        except ValueError:
            return queryset.none()


class AuditEntryFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith", label=_("action"))
    source = django_filters.ChoiceFilter(choices=AuditSource.choices, label=_("source"))
    actor = django_filters.NumberFilter(field_name="actor_id", label=_("actor id"))
    request_id = django_filters.CharFilter(label=_("request id"))
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("since"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("until"))

    class Meta:
        model = AuditEntry
        fields = ["action", "source", "actor", "request_id", "since", "until"]
