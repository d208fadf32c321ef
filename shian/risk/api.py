import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, viewsets

from shian.core.api.auth import TokenHasScope
from shian.core.filtersets import IdFilter, RegionCodeFilter
from shian.registry.filtersets import CodesFilter

from .choices import Grade
from .models import RiskGrade


class RiskGradeFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="operator__region_id")
    grade = CodesFilter(choices=Grade.choices, label=_("Grade"))
    current = django_filters.ChoiceFilter(
        choices=[("true", _("Current grades only")), ("false", _("History only"))],
        method="filter_current",
        label=_("Current grades or history"),
    )

    class Meta:
        model = RiskGrade
        fields = ["operator", "region", "grade", "current"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(is_current=value == "true")


class PointSerializer(serializers.Serializer):
    part = serializers.CharField()
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=1)
    basis = serializers.CharField()


class RiskGradeSerializer(serializers.ModelSerializer):
    ruleset = serializers.CharField(source="ruleset.code", read_only=True)
    ruleset_version = serializers.IntegerField(source="ruleset.version", read_only=True)
    points = PointSerializer(many=True, read_only=True)

    class Meta:
        model = RiskGrade
        fields = [
            "id",
            "operator",
            "grade",
            "computed_grade",
            "score_grade",
            "static_score",
            "dynamic_score",
            "credit_score",
            "total_score",
            "basis",
            "reason",
            "ruleset",
            "ruleset_version",
            "graded_at",
            "is_current",
            "points",
        ]


class RiskGradeViewSet(viewsets.ReadOnlyModelViewSet):
    """Risk grades the caller may see, with every point and its basis; `current=true` for the grades in force,
    the others are the history."""

    serializer_class = RiskGradeSerializer
    filterset_class = RiskGradeFilterSet
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated, TokenHasScope, permissions.DjangoModelPermissions]
    required_scopes = {"GET": "risk:read"}

    def get_queryset(self):
        return RiskGrade.objects.visible_to(self.request.user).select_related("ruleset").order_by("-graded_at", "-id")
