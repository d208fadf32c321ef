import django_filters
from django.utils.translation import gettext_lazy as _

from shian.core.filtersets import IdFilter, RegionCodeFilter

from .choices import SampleStatus, Verdict
from .models import FoodCategory, Sample


class SampleFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="region_id")
    lab = IdFilter(field_name="lab_id", label=_("Lab id"))
    category = django_filters.CharFilter(label=_("Food category code (any level)"), method="filter_category")
    status = django_filters.ChoiceFilter(choices=SampleStatus.choices)
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices)
    sampled_from = django_filters.DateFilter(field_name="sampled_at", lookup_expr="date__gte", label=_("Sampled from"))
    sampled_to = django_filters.DateFilter(field_name="sampled_at", lookup_expr="date__lte", label=_("Sampled until"))

    class Meta:
        model = Sample
        fields = ["operator", "region", "lab", "category", "status", "verdict", "sampled_from", "sampled_to"]

    def filter_category(self, queryset, name, value):
        """Samples of the category or of any category below it (a category's lineage lists its ancestors)."""
        if not value:
            return queryset
        lineages = FoodCategory.objects.values_list("pk", "lineage")
        return queryset.filter(category_id__in=[pk for pk, lineage in lineages if value in lineage])
