import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shian.core.filtersets import RegionCodeFilter
from shian.risk.choices import Grade

from .choices import LicenceStatus, OperatorCategory, OperatorStatus, SpecialFood
from .models import Licence, Operator, Staff
from .rules import check_credit_code, check_licence_number
from .selectors import operator_ids_by_number

EXPIRING = {"expiring_30": 30, "expiring_60": 60, "expiring_90": 90}
LICENCE_STATES = [
    ("expiring_30", _("Licence expires within 30 days")),
    ("expiring_60", _("Licence expires within 60 days")),
    ("expiring_90", _("Licence expires within 90 days")),
    ("expired", _("Licence expired, none valid")),
]
ANY_SPECIAL_FOOD = "true"


class CodesField(django_filters.fields.MultipleChoiceField):
    """Several codes (`?category=a&category=b`); empty values, as a list page's "any" option sends, are
    dropped."""

    def clean(self, value):
        return super().clean([v for v in value or [] if v])


class CodesFilter(django_filters.MultipleChoiceFilter):
    """Rows whose field is any of the given codes: one `IN`, no DISTINCT."""

    field_class = CodesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return queryset.filter(**{f"{self.field_name}__in": value}) if value else queryset


class OperatorFilterSet(django_filters.FilterSet):
    """Shared by the operator list page, its exports and the API. Every filter is a condition on the
    operator row or an `EXISTS` over its licences or staff, never a query per row; "today" is the local
    date (Asia/Shanghai)."""

    q = django_filters.CharFilter(method="search", label=_("Search name, credit code, licence or filing number"))
    region = RegionCodeFilter(label=_("Region code"))
    category = CodesFilter(choices=OperatorCategory.choices, label=_("Business format"))
    status = django_filters.ChoiceFilter(choices=OperatorStatus.choices, label=_("Status"))
    licence_state = django_filters.ChoiceFilter(
        choices=LICENCE_STATES, method="filter_licence_state", label=_("Licence")
    )
    staff_health_expired = django_filters.ChoiceFilter(
        choices=[("true", _("Some staff have none valid")), ("false", _("All staff have a valid one"))],
        method="filter_staff_health_expired",
        label=_("Health certificates"),
    )
    risk_grade = CodesFilter(choices=Grade.choices, method="filter_risk_grade", label=_("Risk grade"))
    special_food = django_filters.ChoiceFilter(
        choices=[(ANY_SPECIAL_FOOD, _("Any special food")), *SpecialFood.choices],
        method="filter_special_food",
        label=_("Special foods"),
    )

    class Meta:
        model = Operator
        fields = [
            "q",
            "region",
            "category",
            "status",
            "risk_grade",
            "licence_state",
            "staff_health_expired",
            "special_food",
        ]

    def search(self, queryset, name, value):
        """A well-formed credit code or licence number is looked up exactly (upper-cased), by its index;
        any other text is a name fragment (contains) or an exact credit code, licence or filing number.
        Numbers are resolved to operator ids first (unique-index look-ups), so the whole condition is an
        OR of indexable terms: the bigram index on the name (PostgreSQL), the credit code's B-tree and the
        primary key."""
        value = value.strip()
        if not value:
            return queryset
        code = value.upper()
        if check_credit_code(code).ok:
            return queryset.filter(credit_code=code)
        ids = operator_ids_by_number(code)
        if check_licence_number(code).ok:
            return queryset.filter(pk__in=ids)
        condition = Q(name__fragment=value) | Q(credit_code=code)
        if ids:
            condition |= Q(pk__in=ids)
        return queryset.filter(condition)

    def filter_licence_state(self, queryset, name, value):
        today = timezone.localdate()
        licences = Licence.objects.filter(operator=OuterRef("pk"))
        if value in EXPIRING:
            return queryset.filter(Exists(licences.expiring_within(EXPIRING[value], today)))
        # Expired: at least one licence has run out and none is valid today.
        in_force = licences.filter(status=LicenceStatus.VALID).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )
        return queryset.filter(Exists(licences.filter(expires_on__lt=today))).exclude(Exists(in_force))

    def filter_staff_health_expired(self, queryset, name, value):
        lapsed = Staff.objects.filter(operator=OuterRef("pk"), active=True).filter(
            Q(health_certificate_expires_on__isnull=True) | Q(health_certificate_expires_on__lt=timezone.localdate())
        )
        return queryset.filter(Exists(lapsed)) if value == "true" else queryset.exclude(Exists(lapsed))

    def filter_risk_grade(self, queryset, name, value):
        """Operators whose current grade is one of these (the partial unique index holds one current grade)."""
        return queryset.filter(risk_grades__is_current=True, risk_grades__grade__in=value) if value else queryset

    def filter_special_food(self, queryset, name, value):
        if value == ANY_SPECIAL_FOOD:
            return queryset.exclude(special_foods=[])
        # The stored JSON list as text holds the code in quotes; no code is part of another (portable: no
        # JSON containment on SQLite).
        return queryset.filter(special_foods__icontains=f'"{value}"')
