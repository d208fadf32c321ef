from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ..models import Evidence, Region
from .services import evidence_upload, stored_type

Operator = Evidence._meta.get_field("operator").related_model


def _private(response: FileResponse) -> FileResponse:
    response["Cache-Control"] = "private, max-age=3600"  # never in a shared cache
    return response


class EvidenceSerializer(serializers.ModelSerializer):
    duplicate_of = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "public_id",
            "scene",
            "captured_at",
            "latitude",
            "longitude",
            "phone",
            "mime_type",
            "size",
            "original_name",
            "sha256",
            "face_sha256",
            "exif_taken_at",
            "exif_latitude",
            "exif_longitude",
            "premises_distance_m",
            "flags",
            "duplicate_of",
            "region",
            "region_name",
            "operator",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class VisibleOperatorField(serializers.PrimaryKeyRelatedField):
    """An operator the calling user may see; any other id is "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        return Operator.objects.visible_to(getattr(request, "user", None))


class EvidenceUploadSerializer(serializers.Serializer):
    """The multipart fields of an upload. `region` may be left out when `operator` is given."""

    file = serializers.FileField(help_text=_("JPEG, PNG or WEBP photo, or a PDF document."))
    face_photo = serializers.FileField(help_text=_("The photographer's face (JPEG, PNG or WEBP)."))
    captured_at = serializers.DateTimeField()
    latitude = serializers.FloatField(min_value=-90, max_value=90, help_text=_("WGS-84 degrees, north positive."))
    longitude = serializers.FloatField(min_value=-180, max_value=180, help_text=_("WGS-84 degrees, east positive."))
    phone = serializers.CharField(max_length=20)
    scene = serializers.CharField(max_length=255)
    operator = VisibleOperatorField(required=False, allow_null=True)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)

    def validate(self, attrs):
        operator = attrs.get("operator")
        attrs["region"] = operator.region if operator is not None else attrs.get("region")
        if attrs["region"] is None:
            raise serializers.ValidationError({"region": [_("Give a food business or a county.")]})
        return attrs


class EvidencePermission(permissions.BasePermission):
    """Reading evidence needs `core.view_evidence`; uploading needs `core.add_evidence`."""

    def has_permission(self, request, view):
        needed = "core.view_evidence" if request.method in permissions.SAFE_METHODS else "core.add_evidence"
        return request.user.has_perm(needed)


@extend_schema_view(
    list=extend_schema(description=_("Evidence the caller may see, newest first, with what the server found.")),
    retrieve=extend_schema(description=_("One piece of evidence with its hashes, EXIF facts and flags.")),
)
class EvidenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """五定 evidence the caller may see; upload a photo or PDF and the photographer's face as multipart."""

    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser]
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, EvidencePermission]
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    required_scopes = {"GET": "evidence:read", "POST": "evidence:write"}

    def get_queryset(self):
        return Evidence.objects.visible_to(self.request.user).select_related("region", "duplicate_of")

    @extend_schema(
        description=_(
            "Upload a photo (JPEG, PNG, WEBP) or PDF with the photographer's face photo, capture time, position, "
            "phone and scene. The server hashes both files, compares the photo's EXIF time and GPS with the claim "
            "and the premises, and answers with the flags it raised."
        ),
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer},
    )
    def create(self, request, *args, **kwargs):
        upload = EvidenceUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        evidence = evidence_upload(**upload.validated_data, uploaded_by=request.user)
        return Response(self.get_serializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def file(self, request, public_id=None):
        """The evidence file itself."""
        evidence = self.get_object()
        return _private(FileResponse(evidence.file.open("rb"), content_type=evidence.mime_type))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def face(self, request, public_id=None):
        """The photographer's face photo."""
        evidence = self.get_object()
        face = evidence.face_photo
        return _private(FileResponse(face.open("rb"), content_type=stored_type(face.name)))
