from django.db.models import Count, QuerySet

from .models import Operator


def operator_list(*, user) -> QuerySet[Operator]:
    return Operator.objects.visible_to(user).select_related("region")


def operators_by_county(*, user) -> list[dict]:
    """Operator counts per county of what the user may see, for the home chart."""
    return list(
        Operator.objects.visible_to(user)
        .values("region_id", "region__name")
        .annotate(n=Count("id"))
        .order_by("region_id")
    )
