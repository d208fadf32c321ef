"""Every write of the risk app: rule-sets loaded from files, recorded facts, grades computed one by one or in
bulk, and grades set by hand. Audited in the transaction that writes them."""

import datetime
import hashlib
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.bulk import insert_rows
from shian.core.models import Region, signed_in
from shian.core.services.audit import audit_record, audit_record_inserted, snapshot
from shian.registry.models import Operator

from .choices import Grade, GradeBasis, RegradeStatus
from .models import RegradeRun, RiskFact, RiskGrade, RuleSet
from .rules import Assessment, assess
from .ruleset import RuleSetError, RuleSetSpec, parse_ruleset
from .selectors import operator_facts, ruleset_for
from .sources import events_since, latest_inspections
from .sql import grades_sql

CHUNK = 2000
LAST_ID = 2**63 - 1  # the largest PostgreSQL bigint


def ruleset_load(*, content: bytes, by=None) -> tuple[RuleSet, bool]:
    """Load a rule-set file (TOML). Returns the rule-set and whether it was new; loading the same file again
    changes nothing, and a different file under an existing code and version is refused (a change is a new
    version). Raises RuleSetError listing every problem of a bad file."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleSetError([f"not a TOML file: {exc}"]) from exc
    spec = parse_ruleset(data)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        existing = RuleSet.objects.filter(code=spec.code, version=spec.version).first()
        if existing is not None:
            if existing.sha256 != digest:
                raise RuleSetError(
                    [f"{spec.code} version {spec.version} is already loaded with other content: give it a new version"]
                )
            return existing, False
        ruleset = RuleSet.objects.create(
            code=spec.code,
            version=spec.version,
            name=spec.name,
            jurisdiction=spec.jurisdiction,
            effective_from=spec.effective_from,
            source=spec.source,
            confidence=spec.confidence,
            content=content.decode("utf-8"),
            sha256=digest,
            loaded_by=signed_in(by),
        )
        audit_record(
            actor=by,
            action="risk.ruleset.load",
            obj=ruleset,
            after={"sha256": digest, "code": spec.code, "version": spec.version},
        )
    return ruleset, True


@transaction.atomic
def risk_fact_set(*, operator: Operator, key: str, value, by) -> RiskFact:
    """Record a fact a static table reads (value None removes it)."""
    fact = RiskFact.objects.filter(operator=operator, key=key).first()
    before = snapshot(fact) if fact else None
    if value in (None, "", []):
        if fact is not None:
            fact.delete()
            audit_record(actor=by, action="risk.fact.remove", obj=operator, before=before, after={})
        return fact
    if fact is None:
        fact = RiskFact(operator=operator, key=key)
    fact.value, fact.recorded_by = value, signed_in(by)
    fact.save()
    audit_record(actor=by, action="risk.fact.set", obj=operator, before=before, after=snapshot(fact))
    return fact


@transaction.atomic
def risk_facts_record(*, operator: Operator, facts: dict, by) -> RiskGrade:
    """Record the facts a static table reads (from the risk page's form) and grade the operator again."""
    for key, value in facts.items():
        risk_fact_set(operator=operator, key=key, value=value, by=by)
    return operator_regrade(operator=operator, by=by)


def _assess_many(spec: RuleSetSpec, operator_ids: list[int], today: datetime.date) -> dict[int, Assessment]:
    facts = operator_facts(operator_ids)
    inspections = latest_inspections(operator_ids)
    since = today - datetime.timedelta(days=spec.longest_lookback_days)
    events = events_since(operator_ids, since) if spec.event_kinds else {}
    return {
        operator_id: assess(
            spec,
            row,
            inspection=inspections.get(operator_id),
            events=events.get(operator_id, []),
            today=today,
            record_since=row["on_record_since"],
        )
        for operator_id, row in facts.items()
    }


def _grade_row(operator_id: int, ruleset: RuleSet, result: Assessment, *, at, by, run) -> dict:
    return {
        "operator_id": operator_id,
        "ruleset_id": ruleset.pk,
        "graded_at": at,
        "static_score": result.static,
        "dynamic_score": result.dynamic,
        "credit_score": result.credit,
        "total_score": result.total,
        "score_grade": result.score_grade,
        "computed_grade": result.grade,
        "grade": result.grade,
        "basis": GradeBasis.COMPUTED,
        "reason": "",
        "table": result.table,
        "points": [p.as_dict() for p in result.points],
        "is_current": True,
        "graded_by_id": by.pk if signed_in(by) else None,
        "run_id": run.pk if run else None,
    }


# What makes two grades the same result: a regrade that finds these unchanged writes nothing.
_RESULT_FIELDS = ("ruleset_id", "static_score", "dynamic_score", "credit_score", "computed_grade", "grade", "points")


def _same_result(current: dict | None, row: dict) -> bool:
    if current is None:
        return False
    return all(_normal(current[f]) == _normal(row[f]) for f in _RESULT_FIELDS)


def _normal(value):
    return Decimal(value).normalize() if isinstance(value, Decimal) else value


@transaction.atomic
def operator_regrade(*, operator: Operator, by, today: datetime.date | None = None) -> RiskGrade:
    """Grade one operator under the rule-set in force for its county. A grade set by hand stays until it is
    lifted; the computed result is then only recorded when it differs."""
    today = today or timezone.localdate()
    ruleset = ruleset_for(operator.region_id, today)
    if ruleset is None:
        raise ValidationError(_("No risk rule-set is in force for %(region)s.") % {"region": operator.region_id})
    _write_grades(ruleset, [operator.pk], today=today, by=by, run=None, audit_each=True)
    return RiskGrade.objects.current().get(operator=operator)


def _write_grades(ruleset: RuleSet, operator_ids: list[int], *, today, by, run, audit_each=False) -> dict[str, int]:
    """Assess operators and store a new current grade for each whose result changed; returns counts. Grades are
    append-only history naming their run and grader; a single grading is also audited on its own, a bulk run
    once for the run (`regrade`)."""
    results = _assess_many(ruleset.spec, operator_ids, today)
    current = {
        row["operator_id"]: row
        for row in RiskGrade.objects.current()
        .filter(operator_id__any_of=operator_ids)
        .values("id", "operator_id", "basis", *_RESULT_FIELDS)
    }
    now = timezone.now()
    rows, replaced, overridden = [], [], 0
    for operator_id, result in results.items():
        row = _grade_row(operator_id, ruleset, result, at=now, by=by, run=run)
        old = current.get(operator_id)
        if old is not None and old["basis"] == GradeBasis.OVERRIDE:
            overridden += 1  # a grade set by hand stands until lifted
            continue
        if _same_result(old, row):
            continue
        rows.append(row)
        if old is not None:
            replaced.append(old["id"])
    if replaced:
        RiskGrade.objects.filter(pk__any_of=replaced).update(is_current=False)
    if rows:
        insert_rows(RiskGrade, rows)
    if rows and audit_each:
        regions = dict(
            Operator.objects.filter(pk__any_of=[r["operator_id"] for r in rows]).values_list("id", "region_id")
        )
        audit_record_inserted(
            actor=by,
            action="risk.grade.compute",
            model=RiskGrade,
            rows=rows,
            describe=lambda r: (f"{r['operator_id']}: {r['grade']}", regions[r["operator_id"]]),
        )
    return {
        "graded": len(results),
        "changed": len(rows),
        "unchanged": len(results) - len(rows) - overridden,
        "overridden": overridden,
    }


@transaction.atomic
def grade_override(*, operator: Operator, grade: str, reason: str, by) -> RiskGrade:
    """Set an operator's grade by hand, with the reason; the computed scores are kept beside it."""
    reason = (reason or "").strip()
    errors = {}
    if grade not in Grade.values:
        errors["grade"] = _("Choose a grade A–D.")
    if not reason:
        errors["reason"] = _("Give the reason for setting the grade by hand.")
    if errors:
        raise ValidationError(errors)
    current = RiskGrade.objects.select_for_update().current().filter(operator=operator).first()
    if current is None:
        current = operator_regrade(operator=operator, by=by)
    before = snapshot(current)
    RiskGrade.objects.filter(pk=current.pk).update(is_current=False)
    override = RiskGrade.objects.create(
        operator=operator,
        ruleset_id=current.ruleset_id,
        graded_at=timezone.now(),
        static_score=current.static_score,
        dynamic_score=current.dynamic_score,
        credit_score=current.credit_score,
        total_score=current.total_score,
        score_grade=current.score_grade,
        computed_grade=current.computed_grade,
        grade=grade,
        basis=GradeBasis.OVERRIDE,
        reason=reason,
        table=current.table,
        points=[
            *current.points,
            {
                "part": "override",
                "key": "override",
                "label": reason,
                "points": "0",
                "basis": f"{current.computed_grade} → {grade}",
            },
        ],
        graded_by=by,
    )
    audit_record(actor=by, action="risk.grade.override", obj=override, before=before)
    return override


@transaction.atomic
def grade_override_lift(*, operator: Operator, by) -> RiskGrade:
    """Lift a grade set by hand: the operator is graded by the rule-set again."""
    current = RiskGrade.objects.select_for_update().current().filter(operator=operator).first()
    if current is None or current.basis != GradeBasis.OVERRIDE:
        raise ValidationError(_("The grade was not set by hand."))
    before = snapshot(current)
    RiskGrade.objects.filter(pk=current.pk).update(is_current=False)
    audit_record(
        actor=by, action="risk.grade.override.lift", obj=current, before=before, after=before | {"is_current": False}
    )
    return operator_regrade(operator=operator, by=by)


# The rows of `sql.grades_sql` (n) that change an operator's current grade (g): none yet, or not the same result
# (`_same_result` in SQL), with the grade each replaces. A grade set by hand stands; its row is kept to be counted.
# Points written by this query compare as text; those written through the ORM are spaced differently.
_CHANGED = """
CREATE TEMP TABLE risk_regrade ON COMMIT DROP AS
SELECT n.*, g.id AS replaces, coalesce(g.basis = 'override', false) AS overridden FROM ({grades}) n
LEFT JOIN risk_riskgrade g ON g.operator_id = n.operator_id AND g.is_current
WHERE g.id IS NULL OR g.basis = 'override'
   OR NOT (g.ruleset_id = %(ruleset)s AND g.static_score = n.static_score AND g.dynamic_score = n.dynamic_score
           AND g.credit_score = n.credit_score AND g.computed_grade = n.grade AND g.grade = n.grade
           AND (g.points::text = n.points::text OR g.points::jsonb = n.points::jsonb))
"""
_SUPERSEDE = """
UPDATE risk_riskgrade g SET is_current = false FROM risk_regrade n WHERE g.id = n.replaces AND NOT n.overridden
"""
# A grade's columns as the bulk regrade writes them
_INSERT = """
INSERT INTO risk_riskgrade (operator_id, ruleset_id, graded_at, static_score, dynamic_score, credit_score,
    total_score, score_grade, computed_grade, grade, basis, reason, "table", points, is_current, graded_by_id, run_id)
SELECT n.operator_id, %(ruleset)s, %(at)s, n.static_score, n.dynamic_score, n.credit_score, n.total_score,
    n.score_grade, n.grade, n.grade, 'computed', '', n."table", n.points, true, %(by)s, %(run)s
FROM risk_regrade n WHERE NOT n.overridden
"""


def _write_grades_in_database(
    ruleset: RuleSet, counties: list[str], ids: tuple[int, int] | None, *, today, by, run
) -> dict[str, int]:
    """`_write_grades` for every operator of some counties (with an id in `ids`, when given) inside PostgreSQL
    (`sql.grades_sql`): the same grades, without carrying a million operators' records through Python."""
    sql, params = grades_sql(
        ruleset.spec, counties=counties, today=today, timezone=timezone.get_current_timezone_name(), ids=ids
    )
    names = {"ruleset": ruleset.pk, "at": timezone.now(), "by": by.pk if signed_in(by) else None, "run": run.pk}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")  # a province's sorts and hashes stay in memory
        cursor.execute("SET LOCAL jit = off")  # compiling the rule-set's expressions takes longer than running them
        cursor.execute("SET LOCAL enable_memoize = off")  # each operator's inspection is its own: a cache never hits
        in_range = " AND id BETWEEN %s AND %s" if ids else ""
        cursor.execute(
            f"SELECT count(*) FROM registry_operator WHERE region_id = ANY(%s){in_range}", [counties, *(ids or ())]
        )
        (graded,) = cursor.fetchone()
        cursor.execute(_CHANGED.format(grades=sql), params | names)
        kept = cursor.rowcount  # the changed grades and those set by hand
        cursor.execute(_SUPERSEDE)
        cursor.execute(_INSERT, names)
        changed = cursor.rowcount
        overridden = kept - changed
        cursor.execute("DROP TABLE risk_regrade")  # inside an outer transaction the next share makes its own
    return {"graded": graded, "changed": changed, "unchanged": graded - changed - overridden, "overridden": overridden}


def _id_ranges(counties: list[str], count: int) -> list[tuple[int, int]]:
    """The operators of counties dealt into `count` shares of about as many operators each, as ranges of ids
    (both ends included) cut at the ids' quantiles: each share reads only its own part of the indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY id) FROM registry_operator "
            "WHERE region_id = ANY(%s)",
            [[i / count for i in range(1, count)], counties],
        )
        (cuts,) = cursor.fetchone()
    ranges, low = [], 0
    for cut in sorted(set(cuts or ())):
        ranges.append((low, cut))
        low = cut + 1
    return [*ranges, (low, LAST_ID)]


def _in_own_transaction(grade: Callable[[tuple[int, int]], dict[str, int]], ids: tuple[int, int]) -> dict[str, int]:
    """A share graded in a worker thread, on the thread's own connection."""
    try:
        with transaction.atomic():
            return grade(ids)
    finally:
        connection.close()


def _regrade_in_database(ruleset: RuleSet, counties: list[str], *, today, by, run) -> Iterator[dict[str, int]]:
    """Grade the counties' operators on PostgreSQL in shares (`_id_ranges`) on `REGRADE_CONNECTIONS` connections
    at once, each share one statement in its own transaction; the counts of each share yielded once committed.
    Inside the caller's transaction they are one share on its connection: other connections would not see what
    it has written, and it would not be atomic."""
    grade = partial(_write_grades_in_database, ruleset, counties, today=today, by=by, run=run)
    workers = settings.SHIAN_RISK["REGRADE_CONNECTIONS"]
    if connection.in_atomic_block or workers < 2:
        with transaction.atomic():
            counts = grade(None)
        yield counts
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = [pool.submit(_in_own_transaction, grade, ids) for ids in _id_ranges(counties, workers)]
        for done in as_completed(pending):
            yield done.result()


def _regrade_counties(ruleset: RuleSet, counties: list[str], *, today, by, run) -> Iterator[dict[str, int]]:
    """Grade every operator of counties under one rule-set, a transaction at a time, yielding the counts of each
    once committed: on PostgreSQL in the database, elsewhere a chunk of operators at a time."""
    if connection.vendor == "postgresql":
        yield from _regrade_in_database(ruleset, counties, today=today, by=by, run=run)
        return
    ids = Operator.objects.filter(region_id__any_of=counties).order_by("pk").values_list("pk", flat=True)
    last = 0
    while chunk := list(ids.filter(pk__gt=last)[:CHUNK]):
        with transaction.atomic():
            counts = _write_grades(ruleset, chunk, today=today, by=by, run=run)
        yield counts  # once committed
        last = chunk[-1]


def regrade(
    *,
    region: Region | None,
    by,
    today: datetime.date | None = None,
    run: RegradeRun | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Regrade every operator in `region` (everywhere when None) in chunks, each chunk one transaction, each
    county under the rule-set in force for it. The run is kept (a `RegradeRun`, made here when the caller has
    none), its grades point at it, and it is audited once with its counts. Returns the counts (graded, changed,
    unchanged, overridden, no_ruleset)."""
    today = today or timezone.localdate()
    if run is None:
        run = RegradeRun.objects.create(region=region, requested_by=signed_in(by), status=RegradeStatus.RUNNING)
    operators = Operator.objects.all() if region is None else Operator.objects.in_region(region.code)
    counties = operators.order_by("region_id").values_list("region_id", flat=True).distinct()
    totals = defaultdict(int)
    by_ruleset = defaultdict(list)
    for county in list(counties):
        by_ruleset[ruleset_for(county, today)].append(county)
    if None in by_ruleset:
        totals["no_ruleset"] = operators.filter(region_id__any_of=by_ruleset.pop(None)).count()
    for ruleset, group in by_ruleset.items():
        for counts in _regrade_counties(ruleset, group, today=today, by=by, run=run):
            for key, value in counts.items():
                totals[key] += value
            if progress:
                progress(counts["graded"])
    counts = dict(totals)
    with transaction.atomic():
        before = snapshot(run)
        run.status, run.counts, run.finished_at = RegradeStatus.DONE, counts, timezone.now()
        run.save(update_fields=["status", "counts", "finished_at"])
        audit_record(actor=by, action="risk.regrade", obj=run, before=before)
    return counts


def regrade_run_create(*, region: Region | None, by) -> RegradeRun:
    """Queue a bulk regrade for the worker."""
    from .tasks import run_regrade

    with transaction.atomic():
        run = RegradeRun.objects.create(region=region, requested_by=by)
        transaction.on_commit(lambda: run_regrade.enqueue(run.pk))
    return run


def regrade_run_execute(run: RegradeRun) -> RegradeRun:
    """Run a queued bulk regrade (the worker); a failure is kept on the run."""
    RegradeRun.objects.filter(pk=run.pk).update(status=RegradeStatus.RUNNING)
    try:
        regrade(region=run.region, by=run.requested_by, run=run)
    except Exception as exc:
        run.status, run.error, run.finished_at = RegradeStatus.FAILED, str(exc), timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
    return run
