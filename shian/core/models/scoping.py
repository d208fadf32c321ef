"""Region scoping: one `visible_to(user)` decides what a user may see of any model that belongs to a place."""

import operator
from functools import reduce
from typing import NamedTuple

from django.db import models

from ..choices import UserKind
from ..rules import region_code_range


def in_region_q(path: str, code: str) -> models.Q:
    """Rows whose county (at lookup `path`) lies within region `code`: an index range on the code column."""
    low, high = region_code_range(code)
    q = models.Q(**{f"{path}__gte": low})
    return q & models.Q(**{f"{path}__lt": high}) if high else q


class Scope(NamedTuple):
    """Where a model keeps its place. `region`: lookup path to its county Region. `operator`: lookup path
    to the Operator it belongs to ("pk" for the Operator itself), or None when no business owns it. `lab`:
    lookup paths to the testing labs whose users may see it (the lab of the test, the lab of a re-test), or none.
    `concerns`: lookup paths to other businesses whose users may see it too (the producer of a sampled food)."""

    region: str
    operator: str | None = None
    lab: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()


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
            # Region codes are primary keys, so this is a range on the row's own column: no join, one index.
            return self.filter(in_region_q(scope.region, user.jurisdiction_id))
        if user.kind == UserKind.BUSINESS and scope.operator:
            mine = user.operator_memberships.values("operator_id")
            paths = (scope.operator, *scope.concerns)
            return self.filter(reduce(operator.or_, (models.Q(**{f"{path}__in": mine}) for path in paths)))
        if user.kind == UserKind.LAB and scope.lab:
            labs = user.lab_memberships.values("lab_id")
            return self.filter(reduce(operator.or_, (models.Q(**{f"{path}__in": labs}) for path in scope.lab)))
        return self.none()

    def in_region(self, code: str) -> "ScopedQuerySet":
        """Rows inside region `code` (a filter, not a permission: combine with `visible_to`)."""
        return self.filter(in_region_q(self.model.scope.region, code))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
