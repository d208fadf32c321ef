"""Who is told: the bureau of a place (inspectors and heads whose jurisdiction is its region) and the staff of
a business."""

from ..choices import Role, UserKind
from ..models import User


def bureau_of(region_id: str) -> list[User]:
    return list(
        User.objects.filter(
            kind=UserKind.REGULATOR,
            jurisdiction=region_id,
            groups__name__in=[Role.INSPECTOR, Role.AGENCY_HEAD],
            is_active=True,
        ).distinct()
    )


def staff_of(operator_id: int) -> list[User]:
    return list(User.objects.filter(operator_memberships__operator=operator_id, is_active=True))


def managers_of(operator_id: int, roles) -> list[User]:
    """The business's active users holding one of the Order 60 `roles` there."""
    return list(
        User.objects.filter(
            operator_memberships__operator=operator_id, operator_memberships__role__in=list(roles), is_active=True
        ).distinct()
    )
