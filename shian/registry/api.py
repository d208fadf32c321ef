from rest_framework import serializers, viewsets

from .filtersets import OperatorFilterSet
from .models import Operator
from .selectors import operator_list


class OperatorSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Operator
        fields = [
            "id",
            "name",
            "credit_code",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "status",
            "public_id",
        ]


class OperatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Food businesses the caller may see: a jurisdiction for regulators, their own for businesses."""

    serializer_class = OperatorSerializer
    filterset_class = OperatorFilterSet
    required_scopes = {"GET": "operators:read"}

    def get_queryset(self):
        return operator_list(user=self.request.user)
