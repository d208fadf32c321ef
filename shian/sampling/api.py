"""The sampling API: samples and their results for whoever may see them, and the endpoints a lab system
pushes to (receipt of a sample, its results), each behind a token scope."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from shian.core.filtersets import IdFilter, RegionCodeFilter

from .choices import RapidResult, ResultSource, RetestStatus
from .filtersets import SampleFilterSet
from .labrows import LabRow
from .models import RapidTest, Retest, Sample, SamplingPlan, TestResult
from .selectors import plan_progress, rapid_stats
from .services import rapid_tests_record, results_record, retest_results_record, sample_receive


class TestResultSerializer(serializers.ModelSerializer):
    analyte = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TestResult
        fields = [
            "id",
            "analyte",
            "analyte_text",
            "value_text",
            "unit_text",
            "value",
            "unit",
            "not_detected",
            "lod",
            "loq",
            "method",
            "status",
            "problems",
            "verdict",
            "reason",
            "detail",
            "citation",
            "source",
            "retest",
            "entered_at",
        ]
        read_only_fields = fields


class SampleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Sample
        fields = [
            "id",
            "code",
            "operator",
            "region",
            "stage",
            "category",
            "category_name",
            "product_name",
            "brand",
            "specification",
            "batch_no",
            "production_date",
            "producer_name",
            "lab",
            "status",
            "sampled_at",
            "lab_due",
            "received_at",
            "report_due",
            "concluded_on",
            "reported_at",
            "report_deadline",
            "verdict",
            "final_verdict",
        ]
        read_only_fields = fields


class SampleDetailSerializer(SampleSerializer):
    results = TestResultSerializer(many=True, read_only=True)

    class Meta(SampleSerializer.Meta):
        fields = [*SampleSerializer.Meta.fields, "results"]
        read_only_fields = fields


class SampleViewSet(viewsets.ReadOnlyModelViewSet):
    """Samples the caller may see (a lab: those sent to it; a business: its own), newest first; the detail has
    every test result with its verdict and citation."""

    filterset_class = SampleFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z-]+"
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES]
    required_scopes = {"GET": "samples:read"}

    def get_queryset(self):
        samples = Sample.objects.visible_to(self.request.user).select_related("category")
        return samples.prefetch_related("results__analyte") if self.action == "retrieve" else samples

    def get_serializer_class(self):
        return SampleDetailSerializer if self.action == "retrieve" else SampleSerializer


class CanReadPlans(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("sampling.view_samplingplan")


class CanReportResults(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("sampling.report_results")


class LabRowSerializer(serializers.Serializer):
    analyte = serializers.CharField(max_length=200, help_text=_("Analyte code, name or alias (苯甲酸, sorbic-acid)."))
    value = serializers.CharField(max_length=64, help_text=_('A number, "未检出"/"ND", or "<0.01" (not detected).'))
    unit = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    lod = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    loq = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    method = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ResultsReportSerializer(serializers.Serializer):
    concluded_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The date of the test report's conclusion: the report is final and the sample is concluded."),
    )
    results = LabRowSerializer(many=True, allow_empty=False)


class RowOutcomeSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the row in the request."))
    status = serializers.CharField()
    verdict = serializers.CharField(allow_blank=True)
    problems = serializers.ListField(child=serializers.CharField())


class ResultsReportResponseSerializer(serializers.Serializer):
    sample = SampleDetailSerializer()
    rows = RowOutcomeSerializer(many=True)


class _LabEndpoint(APIView):
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanReportResults]
    required_scopes = {"POST": "samples:results"}

    def sample(self, code: str) -> Sample:
        return get_object_or_404(Sample.objects.visible_to(self.request.user).select_related("category"), code=code)


class SampleReceiveView(_LabEndpoint):
    """The lab received the sample (its report is then due within 20 working days)."""

    @extend_schema(request=None, responses={200: SampleSerializer})
    def post(self, request, code):
        sample = sample_receive(sample=self.sample(code), by=request.user)
        return Response(SampleSerializer(sample).data)


class SampleResultsView(_LabEndpoint):
    """A lab system reports results for a sample. Every row is kept: judged against the limit in force, or,
    when it cannot be read (unknown analyte or unit, unparseable value), pending review with its problems.
    With `concluded_on` the report is final and the sample is concluded once nothing is pending. The lab drawn
    for the sample's re-test reports the re-test's results here too: every row must then be readable, and
    its verdict is final."""

    @extend_schema(request=ResultsReportSerializer, responses={201: ResultsReportResponseSerializer})
    def post(self, request, code):
        sample = self.sample(code)
        body = ResultsReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [LabRow(**row) for row in body.validated_data["results"]]
        concluded_on = body.validated_data.get("concluded_on")
        retest = Retest.objects.filter(
            sample=sample, status=RetestStatus.TESTING, lab__members__user=request.user
        ).first()
        if retest is not None:
            retest_results_record(
                retest=retest,
                rows=rows,
                by=request.user,
                source=ResultSource.API,
                concluded_on=concluded_on or timezone.localdate(),
            )
            outcomes = [(i, r, ()) for i, r in enumerate(retest.results.order_by("pk"))]
        else:
            recorded = results_record(
                sample=sample, rows=rows, by=request.user, source=ResultSource.API, concluded_on=concluded_on
            )
            outcomes = [(o.index, o.result, o.problems) for o in recorded]
        data = {
            "sample": SampleDetailSerializer(self.sample(code)).data,
            "rows": [
                {"index": i, "status": r.status, "verdict": r.verdict, "problems": list(problems)}
                for i, r, problems in outcomes
            ],
        }
        return Response(data, status=status.HTTP_201_CREATED)


class SamplingPlanSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SamplingPlan
        fields = [
            "id",
            "region",
            "region_name",
            "year",
            "title",
            "batches_per_thousand",
            "population",
            "quota",
            "status",
            "progress",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "SamplingPlanProgress",
            {
                "quota": serializers.IntegerField(),
                "drawn": serializers.IntegerField(),
                "sampled": serializers.IntegerField(),
                "completion": serializers.FloatField(allow_null=True),
                "foods": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get_progress(self, plan) -> dict:
        progress = plan_progress(plan)
        progress["foods"] = [
            {
                "category": f["category"].code,
                "name": f["category"].name,
                "batches": f["batches"],
                "done": f["done"],
                "votes": f["votes"],
                "failures": f["failures"],
            }
            for f in progress["foods"]
        ]
        progress.pop("officers")
        return progress


class SamplingPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Sampling plans the caller may see, each with its progress against the quota, per food."""

    serializer_class = SamplingPlanSerializer
    lookup_value_regex = r"\d+"
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanReadPlans]
    required_scopes = {"GET": "samples:read"}

    def get_queryset(self):
        return SamplingPlan.objects.visible_to(self.request.user).select_related("region")


class RapidTestSerializer(serializers.ModelSerializer):
    class Meta:
        model = RapidTest
        fields = [
            "id",
            "operator",
            "region",
            "product_name",
            "farm_produce",
            "item",
            "method",
            "result",
            "reading",
            "tester",
            "tested_at",
            "source",
            "device",
            "objected_at",
            "follow_up",
            "sample",
        ]
        read_only_fields = fields


class RapidRowSerializer(serializers.Serializer):
    operator = serializers.CharField(help_text=_("The business's id, or the credit code of a business with one site."))
    product_name = serializers.CharField(max_length=100)
    item = serializers.CharField(max_length=100, help_text=_("e.g. 有机磷和氨基甲酸酯类农药"))
    method = serializers.CharField(max_length=100, help_text=_("e.g. 酶抑制率法（速测卡）"))
    result = serializers.CharField(help_text=_("negative / positive (阴性 / 阳性)"))
    reading = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    tester = serializers.CharField(max_length=64)
    tested_at = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("ISO 8601; default: now.")
    )
    farm_produce = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("是 / 否"))
    device = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class RapidBatchSerializer(serializers.Serializer):
    tests = RapidRowSerializer(many=True, allow_empty=False)


class CanRecordRapidTests(permissions.BasePermission):
    def has_permission(self, request, view):
        needed = "sampling.view_rapidtest" if request.method in permissions.SAFE_METHODS else "sampling.add_rapidtest"
        return request.user.has_perm(needed)


class RapidTestFilterSet(django_filters.FilterSet):
    operator = IdFilter(field_name="operator_id", label=_("Food business id"))
    region = RegionCodeFilter(label=_("Region code"), field_name="region_id")
    result = django_filters.ChoiceFilter(choices=RapidResult.choices)
    tested_from = django_filters.DateFilter(field_name="tested_at", lookup_expr="date__gte", label=_("Tested from"))
    tested_to = django_filters.DateFilter(field_name="tested_at", lookup_expr="date__lte", label=_("Tested until"))

    class Meta:
        model = RapidTest
        fields = ["operator", "region", "result", "tested_from", "tested_to"]


class RapidStatsQuery(serializers.Serializer):
    """The filters of the rapid-test statistics, as the list takes them (documentation only)."""

    operator = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    region = serializers.RegexField(r"^\d{6}(\d{3})?$", required=False, help_text=_("Region code"))
    result = serializers.ChoiceField(choices=RapidResult.choices, required=False)
    tested_from = serializers.DateField(required=False)
    tested_to = serializers.DateField(required=False)


class RapidTestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rapid tests the caller may see; a market, a canteen or a device's system records a batch with POST (all
    rows or, if any is bad, none, with every bad row's reasons)."""

    serializer_class = RapidTestSerializer
    filterset_class = RapidTestFilterSet
    lookup_value_regex = r"\d+"
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanRecordRapidTests]
    required_scopes = {"GET": "rapid-tests:read", "POST": "rapid-tests:write"}

    def get_queryset(self):
        return RapidTest.objects.visible_to(self.request.user)

    @extend_schema(request=RapidBatchSerializer, responses={201: RapidTestSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        body = RapidBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = list(enumerate(body.validated_data["tests"], start=1))
        batch = rapid_tests_record(rows=rows, by=request.user, source=ResultSource.API)
        if batch.problems:
            raise serializers.ValidationError({"tests": batch.problems})
        return Response(RapidTestSerializer(batch.recorded, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[RapidStatsQuery],
        responses=inline_serializer(
            "RapidTestStats",
            {
                "tests": serializers.IntegerField(),
                "positives": serializers.IntegerField(),
                "awaiting_follow_up": serializers.IntegerField(),
                "by_product": serializers.ListField(child=serializers.DictField()),
                "by_operator": serializers.ListField(child=serializers.DictField()),
                "by_week": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False)
    def stats(self, request):
        """Totals and positives by product, business and ISO week, over the tests the filters select."""
        tests = self.filter_queryset(self.get_queryset())
        return Response(rapid_stats(tests))
