from django.contrib.auth.models import Group
from django.db import transaction

from ..choices import ROLE_KIND, Role
from ..models import Agency, Region, User
from .audit import audit_record, snapshot


@transaction.atomic
def user_create(
    *,
    by,
    username: str,
    password: str,
    kind: str,
    roles: list[str],
    real_name: str = "",
    phone: str = "",
    email: str = "",
    agency: Agency | None = None,
    jurisdiction: Region | None = None,
) -> User:
    """Create a user with roles; a regulator's jurisdiction defaults to the agency's region."""
    for role in roles:
        expected = ROLE_KIND[Role(role)]
        if expected is not None and expected != kind:
            raise ValueError(f"role {role} belongs to {expected} users, not {kind}")
    user = User(
        username=username,
        kind=kind,
        real_name=real_name,
        phone=phone,
        email=email,
        agency=agency,
        jurisdiction=jurisdiction or (agency.region if agency else None),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(actor=by, action="user.create", obj=user, after={**snapshot(user), "roles": sorted(roles)})
    return user
