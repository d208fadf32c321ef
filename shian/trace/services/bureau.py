"""Who at the bureau hears about a place: the inspectors and heads whose jurisdiction is its region."""

from shian.core.choices import Role, UserKind
from shian.core.models import User


def bureau_of(region_id: str) -> list[User]:
    return list(
        User.objects.filter(
            kind=UserKind.REGULATOR,
            jurisdiction=region_id,
            groups__name__in=[Role.INSPECTOR, Role.AGENCY_HEAD],
            is_active=True,
        ).distinct()
    )
