from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filtersets import AgencyFilterSet, AuditEntryFilterSet, RegionFilterSet
from ..models import Agency, AuditEntry, Notification, Region
from ..selectors import audit_log, audit_timeline, inbox
from ..services.notifications import notifications_mark_read
from .serializers import (
    AgencySerializer,
    AuditEntrySerializer,
    MarkReadSerializer,
    MeSerializer,
    NotificationSerializer,
    RegionSerializer,
)


class MeView(generics.RetrieveAPIView):
    """The calling user (or the user an API token acts as), with roles and, for tokens, scopes."""

    serializer_class = MeSerializer
    required_scopes = {"GET": "regions:read"}

    def get_object(self):
        return self.request.user


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, pattern=r"^\d{6}(\d{3})?$", description="GB/T 2260 code"
            )
        ]
    )
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 2260 administrative divisions (reference data, readable by every signed-in user)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering = "code"
    lookup_value_regex = r"\d{6}(?:\d{3})?"  # anything else is a 404 before the database sees it
    required_scopes = {"GET": "regions:read"}


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    required_scopes = {"GET": "regions:read"}

    def get_queryset(self):
        return Agency.objects.visible_to(self.request.user).select_related("region")


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log of the caller's jurisdiction; `timeline` gives one object's history."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    required_scopes = {"GET": "audit:read"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return AuditEntry.objects.none()
        return audit_log(user=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("type", str, required=True, description="app_label.model, e.g. registry.operator"),
            OpenApiParameter("id", str, required=True, description="the object's primary key"),
        ],
        responses=AuditEntrySerializer(many=True),
    )
    @action(detail=False, filterset_class=None)
    def timeline(self, request):
        _, entries = audit_timeline(
            user=request.user, label=request.query_params.get("type", ""), pk=request.query_params.get("id")
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's inbox."""

    serializer_class = NotificationSerializer
    required_scopes = {}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return inbox(user=self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=serializer.validated_data.get("ids"))
        return Response({"marked": marked})
