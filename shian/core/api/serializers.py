from rest_framework import serializers

from ..models import Agency, AuditEntry, Notification, Region, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "valid_from", "valid_to"]


class AgencySerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "region", "region_name", "parent", "phone", "address"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    agency = serializers.StringRelatedField(allow_null=True)
    scopes = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "phone",
            "email",
            "kind",
            "roles",
            "agency",
            "jurisdiction",
            "scopes",
        ]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)

    def get_scopes(self, user) -> list[str] | None:
        token = self.context["request"].auth
        return list(token.scopes) if token is not None and hasattr(token, "scopes") else None


class AuditEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "region",
            "before",
            "after",
            "request_id",
            "source",
        ]

    def get_object_type(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=False)
