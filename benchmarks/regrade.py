"""A full regrade of a province on PostgreSQL: every operator's risk grade from its facts, its latest full
inspection and its record of events, under the national rule-set (cn-2016), written as new current grades.

    SHIAN_BENCH_DATABASE_URL=postgres://… python benchmarks/regrade.py [--operators 1000000] [--per-operator 10]

Data (built in SQL, as fast as PostgreSQL can): N operators over the counties of 江苏 (32) with the scale facts
the static tables read, and N × per-operator finished full inspections spread over three years (one in five
non-compliant, with its failed points); then statistics, visibility map and a checkpoint (`settle`).

Timed:
- `regrade(region=江苏)`: the bulk regrade as `shian risk regrade` runs it (on PostgreSQL, the rule-set compiled
  to one query, `shian/risk/sql.py`, run for shares of the counties on SHIAN_RISK_REGRADE_CONNECTIONS
  connections at once, 2 by default), from no grades (every grade written);
- a second full regrade with nothing changed (every grade compared, none written);
- baseline: a per-operator ORM loop (the operator, its latest full inspection and its events read one query
  at a time, one grade saved at a time) over a 10,000-operator subset, scaled to N. Ratio = baseline / bulk.
"""

import argparse
import datetime
import time
from pathlib import Path

from harness import settle, setup_django, timer, write

SUBSET = 10_000


def build(n: int, per_operator: int) -> None:
    from django.db import connection

    from shian.core.models import Agency, Region
    from shian.core.services.regions import regions_load
    from shian.inspection.models import ChecklistTemplate
    from shian.inspection.services import checklist_load
    from shian.risk.services import ruleset_load

    regions_load()
    root = Path(__file__).resolve().parent.parent / "shian"
    ruleset_load(content=(root / "risk" / "rulesets" / "cn-2016.toml").read_bytes())
    checklist_load(content=(root / "inspection" / "checklists" / "catering.toml").read_bytes())
    template = ChecklistTemplate.objects.get(code="catering")
    agency = Agency.objects.create(name="江苏省市场监督管理局", region=Region.objects.get(code="320000"))
    counties = list(Region.objects.filter(code__startswith="32", level="county").values_list("code", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_counties (i int, code text)")
        cursor.executemany("INSERT INTO bench_counties VALUES (%s, %s)", list(enumerate(counties)))
        cursor.execute(
            """
            INSERT INTO registry_operator (id, name, credit_code, category, canteen_kind, special_foods,
                legal_representative, phone, region_id, address, status, floor_area_m2, daily_diners,
                sku_prepackaged_ambient, sku_prepackaged_chilled, sku_prepackaged_frozen, sku_bulk_ambient,
                sku_bulk_chilled, sku_bulk_frozen, supplier_count, handles_high_risk_foods, public_id,
                created_at, updated_at)
            SELECT g, '店' || g, '91320500' || lpad(g::text, 10, '0'),
                   (ARRAY['catering','catering','sales','catering','sales'])[1 + g %% 5], '', '[]'::jsonb,
                   '', '', c.code, '', 'operating', (g * 37) %% 4000, (g * 13) %% 900,
                   (g * 7) %% 12000, (g * 11) %% 1200, (g * 3) %% 1200, (g * 5) %% 1200, (g * 2) %% 200,
                   (g * 17) %% 400, (g * 19) %% 400, g %% 3 = 0, 'bench' || g,
                   now() - interval '5 years', now()
            FROM generate_series(1::bigint, %s) g JOIN bench_counties c ON c.i = g %% %s
            """,
            [n, len(counties)],
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('registry_operator', 'id'), %s)", [n])
        cursor.execute(
            """
            INSERT INTO inspection_inspection (operator_id, kind, template_id, agency_id, "full", is_lead, status,
                started_at, finished_at, derived_result, result, result_reason, failed_points, applicable_points,
                signed_by, signature, refused, witness, for_case, stop_order, stop_order_note, obstructed, summary,
                publish_by, published_at)
            SELECT 1 + (g - 1) / %(per)s, 'routine', %(template)s, %(agency)s, true, false, 'finished',
                   t, t, r, r, '', CASE WHEN r = 'compliant' THEN 0 ELSE 1 + g %% 9 END, 100,
                   '店主', '', false, '', r = 'noncompliant', false, '', false, '', t::date + 28, t
            FROM generate_series(1::bigint, %(total)s) g,
                 LATERAL (SELECT now() - ((g * 7919) %% 1095) * interval '1 day' AS t,
                                 (ARRAY['compliant','compliant','basic','compliant','noncompliant'])[1 + g %% 5] AS r) x
            """,
            {"per": per_operator, "template": template.pk, "agency": agency.pk, "total": n * per_operator},
        )
    settle()


def orm_loop(ids: list[int], today: datetime.date) -> None:
    """The baseline: one operator at a time, as a first version would write it."""
    from django.db import transaction
    from django.utils import timezone

    from shian.inspection.models import Inspection
    from shian.registry.models import Operator
    from shian.risk.models import RiskGrade
    from shian.risk.rules import InspectionBasis, RiskEvent, assess
    from shian.risk.ruleset import OPERATOR_FACTS
    from shian.risk.selectors import ruleset_for

    for pk in ids:
        with transaction.atomic():
            operator = Operator.objects.get(pk=pk)
            ruleset = ruleset_for(operator.region_id, today)
            facts = {name: getattr(operator, name) for name in OPERATOR_FACTS} | {"sc_food_category": []}
            latest = (
                Inspection.objects.filter(operator=operator, status="finished", full=True).order_by("-finished_at")
            ).first()
            basis = latest and InspectionBasis(
                latest.pk, latest.finished_at.date(), latest.failed_points, latest.applicable_points
            )
            events = [
                RiskEvent(pk, "inspection.noncompliant", i.finished_at.date())
                for i in Inspection.objects.filter(operator=operator, result="noncompliant")
            ]
            result = assess(ruleset.spec, facts, inspection=basis, events=events, today=today)
            RiskGrade.objects.filter(operator=operator, is_current=True).update(is_current=False)
            RiskGrade.objects.create(
                operator=operator,
                ruleset=ruleset,
                graded_at=timezone.now(),
                static_score=result.static,
                dynamic_score=result.dynamic,
                credit_score=result.credit,
                total_score=result.total,
                score_grade=result.score_grade,
                computed_grade=result.grade,
                grade=result.grade,
                points=[p.as_dict() for p in result.points],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operators", type=int, default=1_000_000)
    parser.add_argument("--per-operator", type=int, default=10)
    args = parser.parse_args()
    if setup_django() != "postgres":
        raise SystemExit("This benchmark runs on PostgreSQL: set SHIAN_BENCH_DATABASE_URL.")
    from django.db import connection
    from django.utils import timezone

    from shian.core.models import Region
    from shian.risk.models import RiskGrade
    from shian.risk.services import regrade

    figures = {"operators": args.operators, "inspections": args.operators * args.per_operator}
    with timer(figures, "build_s"):
        build(args.operators, args.per_operator)
    today = timezone.localdate()
    province = Region.objects.get(code="320000")

    subset = min(SUBSET, args.operators)
    start = time.perf_counter()
    orm_loop(list(range(1, subset + 1)), today)
    loop = time.perf_counter() - start
    figures["baseline_orm_loop_subset"] = subset
    figures["baseline_orm_loop_s"] = round(loop, 2)
    figures["baseline_scaled_s"] = round(loop * args.operators / subset, 1)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE risk_riskgrade")

    with timer(figures, "regrade_s"):
        counts = regrade(region=province, by=None, today=today)
    figures["regrade_counts"] = counts
    figures["regrade_operators_per_s"] = round(args.operators / figures["regrade_s"])
    with timer(figures, "regrade_unchanged_s"):
        figures["regrade_unchanged_counts"] = regrade(region=province, by=None, today=today)
    figures["grades"] = RiskGrade.objects.count()
    figures["ratio_baseline_to_regrade"] = round(figures["baseline_scaled_s"] / figures["regrade_s"], 1)
    figures["target_s"] = 30
    write("regrade", figures)


if __name__ == "__main__":
    main()
