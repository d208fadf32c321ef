"""An annual inspection plan and its 双随机 draw for a city: every operator's required inspections from its grade
and the two-year rule, then a pair of inspectors for each, drawn with recusals, last inspectors left out and
the load balanced.

    python benchmarks/plan.py [--operators 100000] [--inspectors 500]

Data: N operators over the counties of 苏州 (3205) with current risk grades (A–D), half of them inspected before
(a finished full inspection by two inspectors, some more than two years ago), M inspectors in the city's and
counties' agencies, and one declared conflict per 100 operators.

Timed: `plan_create` and `plan_draw_inspectors` together (the target: under 5 seconds for 100,000 operators and
500 inspectors), and each alone; baseline: a per-operator ORM loop (grade, last inspection and eligible
inspectors read one query at a time, one target saved at a time) over a 5,000-operator subset, scaled to N.
The draw is checked: every target has two different inspectors and it repeats from its seed.
"""

import argparse
import datetime
import random
import time

from harness import settle, setup_django, timer, write

SUBSET = 5_000


def build(n: int, inspectors: int) -> dict:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from shian.core.bulk import insert_rows
    from shian.core.choices import Role, UserKind
    from shian.core.models import Agency, Region, User
    from shian.core.services.regions import regions_load
    from shian.inspection.models import ChecklistTemplate, Inspection, Recusal
    from shian.registry.models import Operator
    from shian.risk.models import RiskGrade, RuleSet

    regions_load()
    rng = random.Random(2026)
    city = Region.objects.get(code="320500")
    counties = list(Region.objects.filter(code__startswith="3205", level="county").values_list("code", flat=True))
    agencies = [Agency.objects.create(name="苏州市市场监督管理局", region=city)]
    agencies += [Agency.objects.create(name=f"{code}分局", region_id=code) for code in counties]
    group = Group.objects.get(name=Role.INSPECTOR)
    people = User.objects.bulk_create(
        User(
            username=f"insp{i}",
            kind=UserKind.REGULATOR,
            agency=agencies[i % len(agencies)],
            jurisdiction_id=agencies[i % len(agencies)].region_id,
            password="!",
        )
        for i in range(inspectors)
    )
    User.groups.through.objects.bulk_create(User.groups.through(user_id=u.pk, group_id=group.pk) for u in people)
    by_region: dict[str, list[int]] = {}
    for u in people:
        by_region.setdefault(u.agency.region_id, []).append(u.pk)

    now = timezone.now()
    operators = [
        {
            "name": f"店{i}",
            "credit_code": f"91320500{i:010d}",
            "category": rng.choice(["catering", "sales", "catering", "central_kitchen", "production"]),
            "region_id": counties[i % len(counties)],
            "public_id": f"b{i}",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n)
    ]
    insert_rows(Operator, operators)
    ids = list(Operator.objects.order_by("pk").values_list("pk", "region_id"))
    ruleset = RuleSet.objects.get(code="cn-2016")
    insert_rows(
        RiskGrade,
        [
            {
                "operator_id": pk,
                "ruleset_id": ruleset.pk,
                "graded_at": now,
                "static_score": 10,
                "dynamic_score": 20,
                "credit_score": 0,
                "total_score": 30,
                "score_grade": g,
                "computed_grade": g,
                "grade": g,
                "points": [],
                "is_current": True,
            }
            for pk, _ in ids
            for g in [rng.choice("AABBBCD")]
        ],
    )
    template = ChecklistTemplate.objects.get(code="catering")
    inspected = ids[::2]
    rows = []
    for pk, _county in inspected:
        when = now - datetime.timedelta(days=rng.randrange(30, 1000))
        rows.append(
            {
                "operator_id": pk,
                "kind": "routine",
                "template_id": template.pk,
                "agency_id": agencies[0].pk,
                "full": True,
                "status": "finished",
                "started_at": when,
                "finished_at": when,
                "result": "compliant",
                "derived_result": "compliant",
            }
        )
    insert_rows(Inspection, rows)
    pairs = []
    for inspection_id, county in Inspection.objects.values_list("pk", "operator__region_id"):
        local = by_region.get(county) or by_region[city.code]
        pairs += [{"inspection_id": inspection_id, "user_id": u} for u in rng.sample(local, 2)]
    insert_rows(Inspection.inspectors.through, pairs)
    Recusal.objects.bulk_create(
        Recusal(inspector_id=rng.choice(by_region.get(county) or by_region[city.code]), operator_id=pk, reason="亲属")
        for pk, county in ids[::100]
    )
    settle()
    return {"city": city, "operator_ids": [pk for pk, _ in ids]}


def orm_loop(city, operator_ids: list[int], year: int) -> None:
    """The baseline: one operator at a time, as a first version would write it."""
    from shian.core.models import User
    from shian.inspection.models import Inspection, InspectionPlan, PlanTarget, Recusal, TargetPair
    from shian.inspection.rules import full_inspection_due, required_inspections
    from shian.registry.models import Operator
    from shian.risk.models import RiskGrade

    plan = InspectionPlan.objects.create(region=city, year=year + 100, title="baseline")
    rng = random.Random(1)
    for pk in operator_ids:
        operator = Operator.objects.get(pk=pk)
        grade = RiskGrade.objects.filter(operator=operator, is_current=True).first()
        last = Inspection.objects.filter(operator=operator, status="finished").order_by("-finished_at").first()
        due = full_inspection_due(last.finished_at.date() if last else None, year)
        required = required_inspections(per_year_min=1, every_years=1, full_due=due)
        banned = set(Recusal.objects.filter(operator=operator).values_list("inspector_id", flat=True))
        if last:
            banned |= set(last.inspectors.values_list("pk", flat=True))
        eligible = [
            u.pk
            for u in User.objects.filter(agency__region_id__in=[operator.region_id, city.code])
            if u.pk not in banned
        ]
        pair = rng.sample(eligible, 2)
        target = PlanTarget.objects.create(
            plan=plan, operator=operator, grade=grade.grade if grade else "", required=required, full_due=due
        )
        TargetPair.objects.create(target=target, inspector_1_id=pair[0], inspector_2_id=pair[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operators", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=500)
    args = parser.parse_args()
    setup_django()
    from pathlib import Path

    from django.utils import timezone

    from shian.inspection.models import TargetPair
    from shian.inspection.planning import draw_replay, plan_create, plan_draw_inspectors
    from shian.inspection.services import checklist_load
    from shian.risk.services import ruleset_load

    root = Path(__file__).resolve().parent.parent / "shian"
    ruleset_load(content=(root / "risk" / "rulesets" / "cn-2016.toml").read_bytes())
    checklist_load(content=(root / "inspection" / "checklists" / "catering.toml").read_bytes())
    figures = {"operators": args.operators, "inspectors": args.inspectors}
    with timer(figures, "build_s"):
        world = build(args.operators, args.inspectors)
    year = timezone.localdate().year

    start = time.perf_counter()
    with timer(figures, "plan_create_s"):
        plan = plan_create(region=world["city"], year=year, by=None)
    with timer(figures, "draw_inspectors_s"):
        draw = plan_draw_inspectors(plan=plan, by=None, seed="benchmark")
    figures["plan_and_draw_s"] = round(time.perf_counter() - start, 3)
    figures["targets"] = plan.targets.count()
    figures["pairs"] = len(draw.result["pairs"])
    figures["unassigned"] = len(draw.result["unassigned"])
    assert all(p.inspector_1_id != p.inspector_2_id for p in TargetPair.objects.filter(target__plan=plan)[:1000])
    with timer(figures, "replay_s"):
        figures["replay_equal"] = draw_replay(draw) == draw.result

    subset = world["operator_ids"][:SUBSET]
    start = time.perf_counter()
    orm_loop(world["city"], subset, year)
    loop = time.perf_counter() - start
    figures["baseline_orm_loop_subset"] = len(subset)
    figures["baseline_orm_loop_s"] = round(loop, 2)
    figures["baseline_scaled_s"] = round(loop * args.operators / len(subset), 1)
    figures["ratio_baseline_to_plan_and_draw"] = round(figures["baseline_scaled_s"] / figures["plan_and_draw_s"], 1)
    figures["target_s"] = 5
    write("plan", figures)


if __name__ == "__main__":
    main()
