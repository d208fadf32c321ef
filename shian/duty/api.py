"""The duty API: operational-record entries (a morning-check kiosk, a sample or disinfection cabinet pushes them in
batches) and the daily checks, each behind a token scope and scoped like the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from shian.core.filtersets import IdFilter, RegionCodeFilter

from .choices import LogKind
from .models import DailyCheck, LogEntry
from .services.logs import log_entries_record


class LogEntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = LogEntry
        fields = ["id", "operator", "kind", "kind_label", "day", "at", "data", "staff", "findings", "source", "device"]


class LogRowSerializer(serializers.Serializer):
    operator = serializers.CharField(help_text=_("The business's id, or the credit code of a business with one site."))
    kind = serializers.ChoiceField(choices=LogKind.choices)
    at = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("ISO 8601; default: now."))
    device = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    data = serializers.DictField(
        help_text=_(
            "The record's fields: morning_check {staff, temperature, symptoms[], hand_wound}; retained_sample {meal, "
            "dish, grams, hours, kept_by}; disinfection {items, method, started, minutes, done_by}; accompanied_meal "
            "{meal, companion, position, remarks}; waste {waste, kilograms, collector, contract}; additive {additive, "
            "food, grams, used_by}; menu {meal, dishes} (docs/duty.md)."
        )
    )


class LogBatchSerializer(serializers.Serializer):
    entries = LogRowSerializer(many=True, allow_empty=False)


class LogEntryFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="operator__region_id")
    kind = django_filters.ChoiceFilter(choices=LogKind.choices)
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = LogEntry
        fields = ["operator", "region", "kind", "day_from", "day_to"]


class CanKeepLogs(permissions.BasePermission):
    def has_permission(self, request, view):
        needed = "duty.view_logentry" if request.method in permissions.SAFE_METHODS else "duty.add_logentry"
        return request.user.has_perm(needed)


class LogEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Operational-record entries the caller may see; a business's device records a batch with POST (all rows or,
    if any is bad, none, with every bad row's reasons)."""

    serializer_class = LogEntrySerializer
    filterset_class = LogEntryFilterSet
    lookup_value_regex = r"\d+"
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanKeepLogs]
    required_scopes = {"GET": "duty:read", "POST": "duty-logs:write"}

    def get_queryset(self):
        return LogEntry.objects.visible_to(self.request.user)

    @extend_schema(request=LogBatchSerializer, responses={201: LogEntrySerializer(many=True)})
    def create(self, request, *args, **kwargs):
        body = LogBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = list(enumerate(body.validated_data["entries"], start=1))
        batch = log_entries_record(rows=rows, by=request.user, source="api")
        if batch.problems:
            raise serializers.ValidationError({"entries": batch.problems})
        return Response(LogEntrySerializer(batch.recorded, many=True).data, status=status.HTTP_201_CREATED)


class DailyCheckSerializer(serializers.ModelSerializer):
    zero_risk = serializers.BooleanField(read_only=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = DailyCheck
        fields = [
            "id",
            "operator",
            "day",
            "control_list",
            "inspector_role",
            "signed_at",
            "problems",
            "zero_risk",
            "lines",
        ]

    def get_lines(self, check) -> list[dict]:
        return [
            {
                "point": line.point.number,
                "question": line.point.question,
                "ok": line.ok,
                "problem": line.problem,
                "action": line.action,
            }
            for line in check.lines.all()
        ]


class DailyCheckFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="operator__region_id")
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = DailyCheck
        fields = ["operator", "region", "day_from", "day_to"]


class CanReadDailyChecks(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("duty.view_dailycheck")


class DailyCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Signed daily checks (每日食品安全检查记录) the caller may see, item by item."""

    serializer_class = DailyCheckSerializer
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanReadDailyChecks]
    filterset_class = DailyCheckFilterSet
    lookup_value_regex = r"\d+"
    required_scopes = {"GET": "duty:read"}

    def get_queryset(self):
        return DailyCheck.objects.visible_to(self.request.user).signed().prefetch_related("lines__point")
