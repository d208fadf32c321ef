import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shian.core.filtersets import RegionCodeFilter

from .choices import OperatorStatus
from .models import Operator


class OperatorFilterSet(django_filters.FilterSet):
    """Shared by the operator list page, its exports and the API."""

    q = django_filters.CharFilter(method="search", label=_("Search name or credit code"))
    region = RegionCodeFilter(label=_("Region code"))
    status = django_filters.ChoiceFilter(choices=OperatorStatus.choices, label=_("Status"))

    class Meta:
        model = Operator
        fields = ["q", "region", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(credit_code=value.upper()))
