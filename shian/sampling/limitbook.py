"""The limits as judgment reads them: every loaded limit with the window in which it is in force, a newer
version of a limit set taking over from the older one on its `valid_from`."""

import datetime
from collections import defaultdict
from itertools import pairwise

from .models import Limit, LimitSet
from .rules import LimitCandidate, LimitRule, applicable_limit


def _superseded_on() -> dict[int, datetime.date]:
    """For each limit-set version that a newer version of its code replaces: the day the newer one starts."""
    versions = defaultdict(list)
    for pk, code, version, start in LimitSet.objects.values_list("pk", "code", "version", "valid_from"):
        versions[code].append((version, pk, start))
    ends = {}
    for rows in versions.values():
        rows.sort()
        for (_v, pk, _s), (_nv, _npk, next_start) in pairwise(rows):
            ends[pk] = next_start
    return ends


class LimitBook:
    """Loaded once for a judgment run; `limit_for` answers from memory."""

    def __init__(self, candidates: dict[int, dict[str, list[LimitCandidate]]]):
        self._candidates = candidates  # analyte id -> category code -> limits

    @classmethod
    def load(cls, analyte_ids=None) -> "LimitBook":
        ends = _superseded_on()
        rows = Limit.objects.all() if analyte_ids is None else Limit.objects.filter(analyte_id__in=analyte_ids)
        candidates = defaultdict(lambda: defaultdict(list))
        for limit in rows.only(
            "pk",
            "analyte_id",
            "limit_set_id",
            "category_code",
            "kind",
            "value",
            "unit",
            "standard",
            "clause",
            "valid_from",
            "valid_to",
        ):
            end = limit.valid_to
            cut = ends.get(limit.limit_set_id)
            if cut is not None and (end is None or cut < end):
                end = cut
            if end is not None and end <= limit.valid_from:
                continue
            rule = LimitRule(limit.kind, limit.value, limit.unit, limit.citation, limit.pk)
            candidates[limit.analyte_id][limit.category_code].append(LimitCandidate(rule, limit.valid_from, end))
        return cls({analyte: dict(by_category) for analyte, by_category in candidates.items()})

    def limit_for(self, analyte_id: int, lineage: tuple[str, ...], on: datetime.date) -> LimitRule | None:
        """The limit for an analyte in a food (its category and the categories above it) on a date."""
        found = self._candidates.get(analyte_id)
        return applicable_limit(found, lineage, on) if found else None
