"""Region scoping: one `visible_to(user)` decides what a user may see of any model that belongs to a place."""

from typing import NamedTuple

from django.db import models

from ..choices import UserKind
from ..rules import region_prefix


class Scope(NamedTuple):
    """Where a model keeps its place. `region`: lookup path to its county Region. `operator`: lookup path
    to the Operator it belongs to ("pk" for the Operator itself), or None when no business owns it."""

    region: str
    operator: str | None = None


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every model that belongs to a place; the model declares `scope = Scope(...)`."""

    def visible_to(self, user) -> "ScopedQuerySet":
        scope: Scope = self.model.scope
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.kind == UserKind.REGULATOR:
            if not user.jurisdiction_id:
                return self.none()
            # Region codes are primary keys, so this is a prefix match on the row's own column, no join.
            return self.filter(**{f"{scope.region}__code__startswith": region_prefix(user.jurisdiction_id)})
        if user.kind == UserKind.BUSINESS and scope.operator:
            return self.filter(**{f"{scope.operator}__in": user.operator_memberships.values("operator_id")})
        return self.none()

    def in_region(self, code: str) -> "ScopedQuerySet":
        """Rows inside region `code` (a filter, not a permission: combine with `visible_to`)."""
        return self.filter(**{f"{self.model.scope.region}__code__startswith": region_prefix(code)})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
