import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from shian.core.api.auth import TokenHasScope
from shian.core.filtersets import IdFilter, RegionCodeFilter

from .choices import InspectionStatus, RectificationStatus, Result
from .models import Inspection, ItemResult, Rectification
from .selectors import measures


class InspectionFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="operator__region_id")
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices)
    result = django_filters.ChoiceFilter(choices=Result.choices)

    class Meta:
        model = Inspection
        fields = ["operator", "region", "status", "result", "kind"]


class AnswerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    key = serializers.BooleanField(source="item.key", read_only=True)

    class Meta:
        model = ItemResult
        fields = ["code", "text", "key", "outcome", "affects_safety", "note"]


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "operator",
            "kind",
            "status",
            "full",
            "started_at",
            "finished_at",
            "result",
            "derived_result",
            "result_reason",
            "for_case",
            "stop_order",
            "publish_by",
            "published_at",
        ]


class InspectionDetailSerializer(InspectionSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    inspectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "inspectors", "answers"]


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspections the caller may see; the detail has every checklist answer."""

    filterset_class = InspectionFilterSet
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated, TokenHasScope]
    required_scopes = {"GET": "inspections:read"}

    def get_queryset(self):
        inspections = Inspection.objects.visible_to(self.request.user).order_by("-started_at", "-id")
        if self.action == "retrieve":
            return inspections.prefetch_related("answers__item", "inspectors")
        return inspections

    def get_serializer_class(self):
        return InspectionDetailSerializer if self.action == "retrieve" else InspectionSerializer


class RectificationFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    inspection = IdFilter(field_name="inspection_id", label=_("Inspection id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="operator__region_id")
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices)
    overdue = django_filters.ChoiceFilter(
        choices=[("true", _("Past the deadline and still open")), ("false", _("Not overdue"))],
        method="filter_overdue",
        label=_("Overdue"),
    )

    class Meta:
        model = Rectification
        fields = ["operator", "inspection", "region", "status", "kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = Rectification.objects.overdue(today).values("pk")
        return queryset.filter(pk__in=overdue) if value == "true" else queryset.exclude(pk__in=overdue)


class RectificationSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField(help_text=_("Codes of the checklist items to fix."))

    class Meta:
        model = Rectification
        fields = [
            "id",
            "inspection",
            "self_inspection",
            "operator",
            "kind",
            "status",
            "items",
            "requirement",
            "working_days",
            "deadline",
            "issued_at",
            "submitted_at",
            "response",
            "verdict_reason",
            "closed_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_items(self, order) -> list[str]:
        return [answer.item.code for answer in order.answers.all()]


class RectificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Rectification orders the caller may see (a business: its own); `overdue=true` for the late ones."""

    serializer_class = RectificationSerializer
    filterset_class = RectificationFilterSet
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated, TokenHasScope]
    required_scopes = {"GET": "inspections:read"}

    def get_queryset(self):
        return Rectification.objects.visible_to(self.request.user).prefetch_related("answers__item")


class MeasuresQuery(serializers.Serializer):
    region = serializers.RegexField(
        r"^\d{6}(\d{3})?$", required=False, help_text=_("Region code (default: all the caller may see).")
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class MeasuresView(APIView):
    """Per region and year: plan completion, two-year coverage, results, rectification and on-time rates and
    overdue orders, over what the caller may see."""

    permission_classes = [permissions.IsAuthenticated, TokenHasScope]
    required_scopes = {"GET": "inspections:read"}

    @extend_schema(
        parameters=[MeasuresQuery],
        responses=inline_serializer(
            "InspectionMeasures",
            {
                "year": serializers.IntegerField(),
                "required": serializers.IntegerField(),
                "done_for_plan": serializers.IntegerField(),
                "plan_completion": serializers.FloatField(allow_null=True),
                "operators": serializers.IntegerField(),
                "covered": serializers.IntegerField(),
                "coverage": serializers.FloatField(allow_null=True),
                "results": serializers.DictField(child=serializers.IntegerField()),
                "inspections": serializers.IntegerField(),
                "orders": serializers.IntegerField(),
                "orders_closed": serializers.IntegerField(),
                "rectification_rate": serializers.FloatField(allow_null=True),
                "on_time": serializers.IntegerField(),
                "on_time_rate": serializers.FloatField(allow_null=True),
                "overdue": serializers.IntegerField(),
            },
        ),
    )
    def get(self, request):
        today = timezone.localdate()
        query = MeasuresQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", today.year)
        region = query.validated_data.get("region") or None
        return Response(measures(user=request.user, region=region, year=year, today=today))
