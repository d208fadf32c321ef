"""Services of annual plans and random draws (双随机): the plan's targets from grades and the two-year rule,
the random draw of general targets at a ratio, the draw of inspector pairs, publication. Each draw records its
seed and pool, so `draw_replay` repeats it exactly."""

import hashlib
import json
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.bulk import insert_rows, without_cycle_collection
from shian.core.choices import RegionLevel, Role, UserKind
from shian.core.models import Region, User
from shian.core.models.scoping import in_region_q
from shian.core.rules import enclosing_codes, region_prefix
from shian.core.services.audit import audit_record, snapshot
from shian.registry.choices import OperatorStatus
from shian.registry.models import Operator
from shian.risk.models import RiskGrade
from shian.risk.selectors import ruleset_for

from .choices import DrawKind, PlanStatus
from .models import Draw, Inspection, InspectionPlan, PlanTarget, Recusal, TargetPair
from .rules import (
    Inspector,
    draw_inspectors,
    draw_targets,
    full_inspection_due,
    key_target_reasons,
    required_inspections,
)
from .selectors import newest_per_operator


def _seed(seed: str | None) -> str:
    return seed or secrets.token_hex(16)


@transaction.atomic
@without_cycle_collection()
def plan_create(*, region: Region, year: int, by, title: str = "") -> InspectionPlan:
    """Draw up a region's annual plan: each operating business with the inspections its grade's frequency
    requires, the two-year full-inspection rule and the key-target reasons [V: Order 49 arts. 21–22]. Key
    targets and businesses that need an inspection this year are in the plan at once; the others form the
    pool of a random draw (`plan_draw_targets`)."""
    if region.level == RegionLevel.TOWN:
        raise ValidationError({"region": _("A plan covers a county, a city or a province.")})
    if InspectionPlan.objects.filter(region=region, year=year).exists():
        raise ValidationError(
            {"year": _("%(region)s already has a plan for %(year)s.") % {"region": region, "year": year}}
        )
    plan = InspectionPlan.objects.create(
        region=region, year=year, title=title or f"{region.full_name}{year}年度食品生产经营监督检查计划", created_by=by
    )
    operators = list(
        Operator.objects.in_region(region.code)
        .filter(status=OperatorStatus.OPERATING)
        .order_by("pk")
        .annotate(makes_special_foods=ExpressionWrapper(~Q(special_foods=[]), output_field=BooleanField()))
        .values_list("pk", "region_id", "category", "makes_special_foods")
    )
    grades = dict(RiskGrade.objects.current().in_region(region.code).values_list("operator_id", "grade"))
    full = Inspection.objects.in_region(region.code).filter(full=True)
    last_full = {pk: row["on"] for pk, row in newest_per_operator(full).items()}
    specs: dict[str, object] = {}
    shared: dict[tuple, list[str]] = {}  # identical reasons share one list, written once (`insert_rows`)
    rows = []
    for pk, county, category, makes_special_foods in operators:
        if county not in specs:
            ruleset = ruleset_for(county, timezone.localdate())
            specs[county] = ruleset.spec if ruleset else None
        spec, grade = specs[county], grades.get(pk, "")
        due = full_inspection_due(last_full.get(pk), year)
        reasons = key_target_reasons(category=category, makes_special_foods=makes_special_foods, grade=grade)
        if spec is not None and grade:
            frequency = spec.frequency[grade]
            required = required_inspections(
                per_year_min=frequency.per_year_min, every_years=frequency.every_years, full_due=due
            )
        else:
            required = 1 if due else 0
            reasons = [*reasons, "ungraded"]
        if due:
            reasons = [*reasons, "full_due"]
        key = any(r not in ("ungraded", "full_due") for r in reasons)
        rows.append(
            {
                "plan_id": plan.pk,
                "operator_id": pk,
                "grade": grade,
                "required": required,
                "full_due": due,
                "key_target": key,
                "reasons": shared.setdefault(tuple(reasons), reasons),
                "drawn": key or required > 0,
            }
        )
    insert_rows(PlanTarget, rows)
    audit_record(
        actor=by,
        action="plan.create",
        obj=plan,
        after=snapshot(plan) | {"targets": len(rows), "required": sum(r["required"] for r in rows)},
    )
    return plan


def _require_draft(plan: InspectionPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("The plan is published; its draws can no longer change."))


def _digest(pool) -> str:
    return hashlib.sha256(json.dumps(pool, separators=(",", ":"), sort_keys=True).encode()).hexdigest()


@transaction.atomic
def plan_draw_targets(*, plan: InspectionPlan, ratio: Decimal, by, seed: str | None = None) -> Draw:
    """Draw a share of the general targets (not key, nothing required this year) for a random inspection: key
    items have no cap, general items a limited ratio [S: 国市监信〔2019〕38号]."""
    _require_draft(plan)
    if not Decimal(0) < ratio <= Decimal(1):
        raise ValidationError({"ratio": _("A ratio between 0 and 1.")})
    seed = _seed(seed)
    pool = list(
        plan.targets.filter(key_target=False, required=0, drawn=False)
        .order_by("operator_id")
        .values_list("operator_id", flat=True)
    )
    chosen = draw_targets(pool, ratio, seed)
    plan.targets.filter(operator_id__any_of=chosen).update(drawn=True, required=1)
    draw = Draw.objects.create(
        plan=plan,
        kind=DrawKind.TARGETS,
        seed=seed,
        pool=pool,
        parameters={"ratio": str(ratio), "pool_sha256": _digest(pool)},
        result=chosen,
        drawn_by=by,
    )
    audit_record(
        actor=by,
        action="plan.draw",
        obj=plan,
        after={"draw": draw.pk, "kind": draw.kind, "seed": seed, "pool": len(pool), "drawn": len(chosen)},
    )
    return draw


def plan_inspectors(plan: InspectionPlan) -> list[Inspector]:
    """Inspectors who may be drawn for a plan: active inspectors of agencies in the plan's region or above it."""
    people = (
        User.objects.filter(kind=UserKind.REGULATOR, is_active=True, groups__name=Role.INSPECTOR)
        .filter(
            in_region_q("agency__region_id", plan.region_id) | Q(agency__region_id__in=enclosing_codes(plan.region_id))
        )
        .values_list("pk", "agency__region_id")
        .distinct()
    )
    return [Inspector(id=pk, region=region_prefix(code)) for pk, code in people]


def _last_inspectors(plan: InspectionPlan) -> dict[int, set[int]]:
    """The inspectors of each operator's latest finished inspection in the plan's region (recused from its next
    one)."""
    latest = newest_per_operator(Inspection.objects.in_region(plan.region_id))
    by_inspection = {row["id"]: operator_id for operator_id, row in latest.items()}
    found: dict[int, set[int]] = {}
    through = Inspection.inspectors.through
    for inspection_id, user_id in through.objects.filter(inspection_id__any_of=list(by_inspection)).values_list(
        "inspection_id", "user_id"
    ):
        found.setdefault(by_inspection[inspection_id], set()).add(user_id)
    return found


@transaction.atomic
@without_cycle_collection()
def plan_draw_inspectors(*, plan: InspectionPlan, by, seed: str | None = None) -> Draw:
    """Draw a pair of inspectors for every target in the plan [V: Order 49 arts. 5, 23]: from agencies covering
    the business, never an inspector with a declared conflict or one of its last inspectors, load balanced.
    The pool (targets with their county, inspectors with their region, exclusions) is recorded with the seed."""
    _require_draft(plan)
    seed = _seed(seed)
    rows = (
        plan.targets.filter(drawn=True).order_by("operator_id").values_list("pk", "operator_id", "operator__region_id")
    )
    targets = [(operator_id, county) for _pk, operator_id, county in rows]
    inspectors = plan_inspectors(plan)
    excluded = _last_inspectors(plan)
    drawn = {t[0] for t in targets}
    for inspector_id, operator_id in Recusal.objects.in_region(plan.region_id).values_list(
        "inspector_id", "operator_id"
    ):
        if operator_id in drawn:
            excluded.setdefault(operator_id, set()).add(inspector_id)
    outcome = draw_inspectors(targets, inspectors, excluded=excluded, seed=seed)
    by_county: dict[str, list[int]] = {}
    for operator_id, county in targets:
        by_county.setdefault(county, []).append(operator_id)
    pool = {
        "targets": by_county,
        "inspectors": [[i.id, i.region] for i in sorted(inspectors, key=lambda i: i.id)],
        "excluded": {str(k): sorted(v) for k, v in sorted(excluded.items())},
    }
    pairs = [[operator_id, a, b] for operator_id, (a, b) in sorted(outcome.pairs.items())]
    _store_pairs(plan, pairs, {operator_id: pk for pk, operator_id, _county in rows})
    draw = Draw.objects.create(
        plan=plan,
        kind=DrawKind.INSPECTORS,
        seed=seed,
        pool=pool,
        parameters={"pool_sha256": _digest(pool)},
        result={"pairs": pairs, "unassigned": {str(k): v for k, v in sorted(outcome.unassigned.items())}},
        drawn_by=by,
    )
    audit_record(
        actor=by,
        action="plan.draw",
        obj=plan,
        after={"draw": draw.pk, "kind": draw.kind, "seed": seed, "targets": len(targets), "pairs": len(pairs)},
    )
    return draw


def _store_pairs(plan: InspectionPlan, pairs: list[list[int]], targets: dict[int, int]) -> None:
    """Replace the plan's drawn pairs (`targets`: operator → plan target)."""
    TargetPair.objects.filter(target__plan=plan).delete()
    insert_rows(
        TargetPair,
        [{"target_id": targets[operator_id], "inspector_1_id": a, "inspector_2_id": b} for operator_id, a, b in pairs],
    )


@without_cycle_collection()
def draw_replay(draw: Draw) -> object:
    """Repeat a draw from its recorded seed and pool; equal to `draw.result` unless something was altered."""
    if draw.kind == DrawKind.TARGETS:
        return draw_targets(draw.pool, Decimal(draw.parameters["ratio"]), draw.seed)
    outcome = draw_inspectors(
        [(operator_id, county) for county, ids in draw.pool["targets"].items() for operator_id in ids],
        [Inspector(id=i, region=r) for i, r in draw.pool["inspectors"]],
        excluded={int(k): v for k, v in draw.pool["excluded"].items()},
        seed=draw.seed,
    )
    return {
        "pairs": [[operator_id, a, b] for operator_id, (a, b) in sorted(outcome.pairs.items())],
        "unassigned": {str(k): v for k, v in sorted(outcome.unassigned.items())},
    }


@transaction.atomic
def plan_publish(*, plan: InspectionPlan, by) -> InspectionPlan:
    """Publish a plan and its draws (一公开); after that its draws are fixed."""
    _require_draft(plan)
    before = snapshot(plan)
    plan.status, plan.published_at = PlanStatus.PUBLISHED, timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit_record(actor=by, action="plan.publish", obj=plan, before=before)
    return plan


@transaction.atomic
def recusal_declare(*, inspector: User, operator: Operator, reason: str, by) -> Recusal:
    """An inspector declares a conflict of interest with a business [V: Order 49 art. 23]."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the conflict.")})
    recusal, _created = Recusal.objects.update_or_create(
        inspector=inspector, operator=operator, defaults={"reason": reason.strip()}
    )
    audit_record(actor=by, action="recusal.declare", obj=recusal)
    return recusal
