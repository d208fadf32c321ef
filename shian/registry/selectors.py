from django.db.models import Count, F, FilteredRelation, Prefetch, Q, QuerySet

from shian.core.choices import RegionLevel
from shian.core.models import Region

from .models import Filing, Licence, Operator, OperatorMembership

NUMBER_MAX_LENGTH = max(Licence._meta.get_field("number").max_length, Filing._meta.get_field("number").max_length)


def operator_list(*, user) -> QuerySet[Operator]:
    return Operator.objects.visible_to(user).select_related("region")


def with_risk_grade(operators: QuerySet[Operator]) -> QuerySet[Operator]:
    """Operators with `risk_grade`, their current grade (None before the first): one left join on the one
    current grade (the risk app's partial unique index)."""
    current = FilteredRelation("risk_grades", condition=Q(risk_grades__is_current=True))
    return operators.annotate(current_grade=current).annotate(risk_grade=F("current_grade__grade"))


def operator_table(*, user) -> QuerySet[Operator]:
    """The operators the user may see with what the list page and its exports show: county, current risk grade
    (one left join on the one current grade), licences and filings (prefetched: two queries per page or per
    export chunk, not two per row)."""
    return with_risk_grade(operator_list(user=user)).prefetch_related(
        Prefetch("licences", queryset=Licence.objects.order_by("expires_on", "number")),
        Prefetch("filings", queryset=Filing.objects.order_by("number")),
    )


def operator_ids_by_number(number: str) -> list[int]:
    """Ids of the operators holding licence or filing `number` (exact; both numbers are unique). Not scoped:
    callers combine the ids with a `visible_to` queryset."""
    if not number or len(number) > NUMBER_MAX_LENGTH:
        return []
    licences = Licence.objects.filter(number=number).order_by().values_list("operator_id", flat=True)
    filings = Filing.objects.filter(number=number).order_by().values_list("operator_id", flat=True)
    return list(licences.union(filings))


def match_ids(queryset: QuerySet, limit: int) -> list[int]:
    """Primary keys of up to `limit` rows of `queryset`, in no particular order (so the database may stop
    at the limit instead of sorting every match)."""
    return list(queryset.order_by().values_list("pk", flat=True)[:limit])


def region_choices(*, user) -> list[Region]:
    """Regions a user may narrow a list to: their jurisdiction and the cities and counties in it (all
    provinces and cities for a superuser; none for users without a jurisdiction)."""
    regions = Region.objects.current().exclude(level=RegionLevel.TOWN)
    if user.is_superuser and not user.jurisdiction_id:
        return list(regions.exclude(level=RegionLevel.COUNTY))
    if not user.jurisdiction_id:
        return []
    return list(regions.within(user.jurisdiction_id))


def operators_by_county(*, user) -> list[dict]:
    """Operator counts per county of what the user may see, for the home chart."""
    return list(
        Operator.objects.visible_to(user)
        .values("region_id", "region__name")
        .annotate(n=Count("id"))
        .order_by("region_id")
    )


def membership_role(user, operator: Operator) -> str | None:
    """The user's Order 60 role at the business (their membership), or None when they are not one of its users."""
    if user is None or not user.is_authenticated:
        return None
    return OperatorMembership.objects.filter(user=user, operator=operator).values_list("role", flat=True).first()
