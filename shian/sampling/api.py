"""The sampling API: samples and their results for whoever may see them, and the endpoints a lab system
pushes to (receipt of a sample, its results), each behind a token scope."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .choices import ResultSource
from .filtersets import SampleFilterSet
from .labrows import LabRow
from .models import Sample, TestResult
from .services import results_record, sample_receive


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
    With `concluded_on` the report is final and the sample is concluded once nothing is pending."""

    @extend_schema(request=ResultsReportSerializer, responses={201: ResultsReportResponseSerializer})
    def post(self, request, code):
        sample = self.sample(code)
        body = ResultsReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [LabRow(**row) for row in body.validated_data["results"]]
        outcomes = results_record(
            sample=sample,
            rows=rows,
            by=request.user,
            source=ResultSource.API,
            concluded_on=body.validated_data.get("concluded_on"),
        )
        sample = self.sample(code)
        data = {
            "sample": SampleDetailSerializer(sample).data,
            "rows": [
                {"index": o.index, "status": o.result.status, "verdict": o.result.verdict, "problems": list(o.problems)}
                for o in outcomes
            ],
        }
        return Response(data, status=status.HTTP_201_CREATED)
