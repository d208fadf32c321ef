from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from shian.core.api.auth import TokenHasScope
from shian.core.choices import RegionLevel, UserKind
from shian.core.models import Region
from shian.core.rules import region_contains

from .choices import SpecialFood
from .filtersets import OperatorFilterSet
from .models import EDITABLE_FIELDS, Filing, Licence, Operator
from .selectors import operator_list, with_risk_grade
from .services import operator_create, operator_update

WARNINGS_SCHEMA = inline_serializer(
    "IdentifierWarning",
    {
        "field": serializers.CharField(help_text="The field the warning is about: `credit_code` or `licences`."),
        "message": serializers.CharField(),
    },
    many=True,
)


class LicenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Licence
        fields = ["id", "kind", "number", "licensed_items", "authority", "issued_on", "expires_on", "status"]
        read_only_fields = fields


class FilingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Filing
        fields = ["id", "number", "items", "authority", "filed_on", "cancelled_on"]
        read_only_fields = fields


LIST_FIELDS = [
    "id",
    "name",
    "credit_code",
    "category",
    "canteen_kind",
    "special_foods",
    "region",
    "region_name",
    "address",
    "latitude",
    "longitude",
    "status",
    "public_id",
]


class OperatorSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    special_foods = serializers.ListField(child=serializers.ChoiceField(choices=SpecialFood.choices), read_only=True)
    risk_grade = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Current risk grade A–D (none before the first grading).")
    )

    class Meta:
        model = Operator
        fields = [*LIST_FIELDS, "risk_grade"]


class OperatorDetailSerializer(OperatorSerializer):
    """One operator's file as the API gives it: its facts, licences and filings (read-only here), and the
    warnings its identifiers raise (suspicious but not rejected, regulations.md §7)."""

    licences = LicenceSerializer(many=True, read_only=True)
    filings = FilingSerializer(many=True, read_only=True)
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Operator
        fields = [
            *LIST_FIELDS,
            "risk_grade",
            *(f for f in EDITABLE_FIELDS if f not in LIST_FIELDS),
            "licences",
            "filings",
            "warnings",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(WARNINGS_SCHEMA)
    def get_warnings(self, operator) -> list[dict]:
        warnings = [{"field": "credit_code", "message": message} for message in operator.credit_code_warnings]
        for licence in operator.licences.all():
            warnings += [{"field": "licences", "message": f"{licence.number}: {m}"} for m in licence.warnings]
        return warnings


class OperatorWriteSerializer(serializers.ModelSerializer):
    """What a caller may set on an operator. The service validates the whole record (model rules and
    constraints); this checks the types, and that the county lies within the caller's jurisdiction."""

    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.current().filter(level=RegionLevel.COUNTY),
        help_text=_("GB/T 2260 code of the county the business is in."),
    )
    special_foods = serializers.ListField(
        child=serializers.ChoiceField(choices=SpecialFood.choices), required=False, allow_empty=True
    )

    class Meta:
        model = Operator
        fields = EDITABLE_FIELDS

    def validate_credit_code(self, value: str) -> str:
        return value.strip().upper()

    def validate_region(self, region: Region) -> Region:
        user = self.context["request"].user
        within = user.is_superuser or (
            user.kind == UserKind.REGULATOR
            and bool(user.jurisdiction_id)
            and region_contains(user.jurisdiction_id, region.code)
        )
        if not within:
            raise serializers.ValidationError(_("This county lies outside your jurisdiction."))
        return region


class OperatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Food businesses the caller may see: a jurisdiction for regulators, their own for businesses.
    Registering and changing one needs the model permission, and the county must lie within the caller's
    jurisdiction; an operator outside it is not found (404). Identifier warnings (suspicious check digits,
    a licence number of another county) come back in `warnings` and never block the write."""

    filterset_class = OperatorFilterSet
    lookup_value_regex = r"\d+"  # anything else is a 404 before the database sees it
    permission_classes = [permissions.IsAuthenticated, TokenHasScope, permissions.DjangoModelPermissions]
    required_scopes = {
        "GET": "operators:read",
        "POST": "operators:write",
        "PUT": "operators:write",
        "PATCH": "operators:write",
    }

    def get_queryset(self):
        operators = with_risk_grade(operator_list(user=self.request.user))
        return operators if self.action == "list" else operators.prefetch_related("licences", "filings")

    def get_serializer_class(self):
        if self.action == "list":
            return OperatorSerializer
        if self.action in ("create", "update", "partial_update"):
            return OperatorWriteSerializer
        return OperatorDetailSerializer

    def _detail(self, operator: Operator) -> dict:
        return OperatorDetailSerializer(operator, context=self.get_serializer_context()).data

    @extend_schema(request=OperatorWriteSerializer, responses={201: OperatorDetailSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operator = operator_create(by=request.user, **serializer.validated_data)
        return Response(self._detail(operator), status=status.HTTP_201_CREATED)

    @extend_schema(request=OperatorWriteSerializer, responses={200: OperatorDetailSerializer})
    def update(self, request, pk=None, partial=False):
        operator = self.get_object()
        serializer = self.get_serializer(operator, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        operator = operator_update(operator=operator, by=request.user, **serializer.validated_data)
        return Response(self._detail(operator))

    @extend_schema(request=OperatorWriteSerializer, responses={200: OperatorDetailSerializer})
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)
