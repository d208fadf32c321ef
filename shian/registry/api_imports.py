"""The bulk-import API: upload a file, get a job back at once, poll it, fetch its report."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings

from shian.core.exports import export_response

from .importing import import_job_create, import_jobs
from .models import ImportJob


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "original_name",
            "status",
            "partial",
            "dry_run",
            "written",
            "summary",
            "counts",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV or XLSX with the template's headers or the English keys."))
    partial = serializers.BooleanField(default=False, help_text=_("Write the good rows even if some are bad."))
    dry_run = serializers.BooleanField(default=False, help_text=_("Check and count only; write nothing."))


class CanImport(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.has_perm("registry.add_operator")


class ImportJobViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Bulk imports of food businesses, run by the worker; poll a job until `status` is done or failed."""

    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser]
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanImport]
    required_scopes = {"GET": "operators:read", "POST": "operators:write"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ImportJob.objects.none()
        return import_jobs(user=self.request.user)

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses={202: ImportJobSerializer})
    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        job = import_job_create(
            upload=upload.validated_data["file"],
            by=request.user,
            partial=upload.validated_data["partial"],
            dry_run=upload.validated_data["dry_run"],
        )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """Every bad row and warning of the job: level, row, column, problem."""
        job = self.get_object()
        return export_response(
            fmt="csv",
            filename=f"import-{job.pk}-report",
            headers=["level", "row", "column", "message"],
            rows=job.problems,
        )


router = SimpleRouter()
router.register("operators/imports", ImportJobViewSet, basename="api-import-job")
urlpatterns = router.urls
