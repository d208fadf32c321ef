"""A rule-set compiled to one PostgreSQL query that grades every operator of some counties in the database: the
same scores, grades and explained points as `rules.assess`, point for point (tests/test_sql.py holds the two
to it on generated operators). The bulk regrade runs it on PostgreSQL, where reading a million operators'
facts, inspections and events into Python would take minutes.

The query's rows: operator_id, table, static_score, dynamic_score, credit_score, total_score, score_grade,
grade, points (json, as `Point.as_dict` lists them). Every number and label comes from the rule-set file and
travels as a parameter.
"""

import datetime
import json
import re
from decimal import Decimal

from shian.registry.choices import LicenceStatus
from shian.registry.models import Operator

from .rules import GRADES, InspectionBasis, Point, bracket_span, dynamic_score, static_score
from .ruleset import OPERATOR_FACTS, Factor, Match, RuleSetSpec, StaticTable
from .sources import dynamic_sql, events_sql

# A string Decimal() reads as a finite number (what `rules._number` accepts, underscores aside)
NUMBER = r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
_TYPES = {
    "DecimalField": "number",
    "PositiveIntegerField": "number",
    "IntegerField": "number",
    "BooleanField": "bool",
    "CharField": "text",
    "JSONField": "jsonb",
}


class _Query:
    """Collects the parameters, by name, while the SQL is written in pieces."""

    def __init__(self):
        self.params: dict = {}

    def p(self, value, cast: str = "") -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s::{cast}" if cast else f"%({name})s"

    def text(self, value) -> str:
        return self.p(str(value), "text")

    def texts(self, values) -> str:
        return self.p(list(values), "text[]")

    def inline(self, sql: str, params) -> str:
        """A queryset's SQL (positional %s) with its parameters taken over by name."""
        values = iter(params)
        return _PLACEHOLDER.sub(lambda m: "%%" if m.group() == "%%" else self.p(next(values)), sql)


_PLACEHOLDER = re.compile("%%|%s")


def _fact(q: _Query, name: str) -> tuple[str, str]:
    """The SQL of a fact and its type (number, bool, text or jsonb): the registry's column, the SC food
    categories of the valid licences, or the fact recorded on the risk page (registry first, as in
    `selectors.operator_facts`)."""
    if name in OPERATOR_FACTS:
        return f's."{name}"', _TYPES[Operator._meta.get_field(name).get_internal_type()]
    if name == "sc_food_category":
        return "to_jsonb(s.sc_codes)", "jsonb"
    return f"(s.recorded -> {q.text(name)})", "jsonb"


def _fits(q: _Query, match: Match) -> str:
    """`Match.fits` over the operator's columns."""
    parts = []
    if match.categories:
        parts.append(f"s.category = ANY({q.texts(match.categories)})")
    if match.special_foods:
        parts.append(f"jsonb_exists_any(s.special_foods, {q.texts(match.special_foods)})")
    if match.canteen_kinds:
        parts.append(f"s.canteen_kind = ANY({q.texts(match.canteen_kinds)})")
    return " AND ".join(parts) or "TRUE"


def _applies(q: _Query, factor: Factor) -> str:
    parts = []
    if factor.match is not None:
        parts.append(f"({_fits(q, factor.match)})")
    if factor.unless is not None:
        parts.append(f"NOT ({_fits(q, factor.unless)})")
    return " AND ".join(parts) or "TRUE"


_UNRECORDED = "ARRAY['0', '未记录']"


def _listed(points: list[str]) -> str:
    """Points (JSON texts; NULL ones left out) as the inside of a JSON list, or NULL when there are none."""
    return f"nullif(concat_ws(',', {', '.join(points)}), '')" if points else "NULL"


def _flag(q: _Query, factor: Factor, value: str, kind: str) -> str:
    if kind == "bool":
        yes, no = f"{value} IS TRUE", f"{value} IS FALSE"
    elif kind == "jsonb":
        yes, no = f"{value} = 'true'::jsonb", f"{value} = 'false'::jsonb"
    else:
        return _UNRECORDED
    points = q.text(factor.points)
    return f"CASE WHEN {yes} THEN ARRAY[{points}, '是'] WHEN {no} THEN ARRAY['0', '否'] ELSE {_UNRECORDED} END"


def _number(q: _Query, value: str, kind: str) -> str:
    """`rules._number`: the fact as a number, or NULL."""
    if kind == "number":
        return f"{value}::numeric"
    if kind == "text":
        return f"CASE WHEN {value} ~ {q.p(NUMBER)} THEN {value}::numeric END"
    if kind == "jsonb":
        scalar = f"({value} #>> '{{}}')"
        return (
            f"CASE jsonb_typeof({value}) WHEN 'number' THEN {scalar}::numeric "
            f"WHEN 'string' THEN CASE WHEN {scalar} ~ {q.p(NUMBER)} THEN {scalar}::numeric END END"
        )
    return "NULL::numeric"


def _range(q: _Query, factor: Factor, value: str, kind: str) -> str:
    number = _number(q, value, kind)
    whens, lower = [], None
    n = number if kind == "number" else "n"  # a column is read in place, anything else parsed once
    for bracket in factor.brackets:
        span = bracket_span(lower, bracket.max)
        condition = "TRUE" if bracket.max is None else f"{n} <= {q.p(bracket.max, 'numeric')}"
        basis = f"trim_scale({n})::text || {q.text(f'（{span}）')}"
        whens.append(f"WHEN {condition} THEN ARRAY[{q.text(bracket.points)}, {basis}]")
        lower = bracket.max
    cases = f"CASE WHEN {n} IS NULL THEN {_UNRECORDED} {' '.join(whens)} ELSE {_UNRECORDED} END"
    return cases if kind == "number" else f"(SELECT {cases} FROM (SELECT {number}) x(n))"


def _values(value: str) -> str:
    """A jsonb fact as `factor_points` lists its values: a jsonb array, NULL when there are none."""
    return (
        f"CASE WHEN {value} IS NULL OR {value} IN ('null'::jsonb, '\"\"'::jsonb) THEN NULL "
        f"WHEN jsonb_typeof({value}) = 'array' THEN {value} ELSE jsonb_build_array({value}) END"
    )


def _scalar(value: str, kind: str) -> str:
    """A registry column as `factor_points` reads its one value: str() of it, NULL when there is none."""
    if kind == "bool":
        return f"CASE WHEN {value} THEN 'True' WHEN NOT {value} THEN 'False' END"
    if kind == "text":
        return f"nullif({value}, '')"
    return f"{value}::text"


# str() of a value in a list of values, as Python writes it
_ELEMENT = (
    "CASE jsonb_typeof(e.v) WHEN 'string' THEN e.v #>> '{}' WHEN 'boolean' THEN "
    "CASE WHEN e.v = 'true'::jsonb THEN 'True' ELSE 'False' END WHEN 'null' THEN 'None' ELSE e.v::text END"
)


def _known(factor: Factor) -> dict:
    """A factor's choices by value, as `factor_points` looks them up (the last of a repeated value wins)."""
    return {choice.value: choice for choice in factor.choices}


def _choices(q: _Query, factor: Factor) -> str:
    """A VALUES list of (value, label, points) of a factor's choices."""
    rows = [f"({q.text(c.value)}, {q.text(c.label)}, {q.text(c.points)})" for c in _known(factor).values()]
    return f"(VALUES {', '.join(rows)}) c(value, label, points)"


def _choice(q: _Query, factor: Factor, value: str, kind: str) -> str:
    if not factor.choices:
        return _UNRECORDED
    if kind != "jsonb":  # one value
        whens = " ".join(
            f"WHEN {q.text(v)} THEN ARRAY[{q.text(c.points)}, {q.text(c.label)}]" for v, c in _known(factor).items()
        )
        return f"CASE {_scalar(value, kind)} {whens} ELSE {_UNRECORDED} END"
    values = _values(value)
    chosen = (
        f"SELECT c.label, c.points, e.i FROM jsonb_array_elements({values}) WITH ORDINALITY e(v, i) "
        f"JOIN {_choices(q, factor)} ON c.value = {_ELEMENT}"
    )
    if not factor.multiple:
        chosen += " ORDER BY e.i LIMIT 1"
    best = (
        f"SELECT ARRAY[(array_agg(x.points ORDER BY x.points::numeric DESC, x.i))[1], "
        f"string_agg(x.label, '、' ORDER BY x.i)] FROM ({chosen}) x HAVING count(*) > 0"
    )
    return f"CASE WHEN {values} IS NULL THEN {_UNRECORDED} ELSE coalesce(({best}), {_UNRECORDED}) END"


def _sc_category(q: _Query, factor: Factor, value: str, kind: str) -> str:
    """Each code scored (a code not in the table scores the default); the highest counts (就高不就低), ties
    broken as Python compares (points, basis)."""
    values = _values(value) if kind == "jsonb" else f"jsonb_build_array({_scalar(value, kind)})"
    scored = (
        f"SELECT coalesce(c.points, {q.text(factor.default)}) AS points, "
        f"CASE WHEN c.value IS NULL THEN v.code || '（表中未列）' ELSE v.code || ' ' || c.label END AS basis "
        f"FROM (SELECT {_ELEMENT} AS code FROM jsonb_array_elements({values}) e(v)) v "
        f"LEFT JOIN {_choices(q, factor)} ON c.value = v.code"
    )
    order = 'x.points::numeric DESC, x.basis COLLATE "C" DESC'
    best = f"SELECT ARRAY[x.points, x.basis] FROM ({scored}) x ORDER BY {order} LIMIT 1"
    return f"CASE WHEN {values} IS NULL THEN {_UNRECORDED} ELSE coalesce(({best}), {_UNRECORDED}) END"


_FACTOR_KINDS = {"flag": _flag, "range": _range, "choice": _choice, "sc_category": _sc_category}


class Sql(str):
    """An SQL expression among the fields of a point (any other field is a constant)."""


def _point(q: _Query, *fields, present: str = "") -> str:
    """One point (part, key, label, points, basis) as JSON text: the constant fields travel written out, each
    expression is quoted by `to_json`, all joined by one `concat`. NULL unless `present` holds, which leaves it
    out of a `_listed` list. (Points are put together as text and read as jsonb once per grade: building jsonb
    piece by piece, or text by `||`, costs several times as much.)"""
    pieces, written = [], ""
    for i, (name, value) in enumerate(zip(("part", "key", "label", "points", "basis"), fields, strict=True)):
        written += ("{" if i == 0 else ",") + f'"{name}":'
        if isinstance(value, Sql):
            pieces += [q.text(written), f"to_json(({value})::text)::text"]
            written = ""
        else:
            written += json.dumps(str(value), ensure_ascii=False)
    pieces.append(q.text(written + "}"))
    point = f"concat({', '.join(pieces)})"
    return f"CASE WHEN {present} THEN {point} END" if present else point


def _constant(q: _Query, point: Point) -> str:
    """A point that is the same for every operator, as `rules` writes it."""
    return _point(q, *point.as_dict().values())


def _table_columns(q: _Query, index: int, table: StaticTable) -> list[str]:
    """Each factor's [points, basis] for operators scored by this table (NULL when the factor does not apply)."""
    columns = []
    for j, factor in enumerate(table.factors):
        value, kind = _fact(q, factor.fact)
        scored = _FACTOR_KINDS[factor.kind](q, factor, value, kind)
        columns.append(f"CASE WHEN s.tbl = {index} AND {_applies(q, factor)} THEN {scored} END AS t{index}_f{j}")
    return columns


def _static(q: _Query, spec: RuleSetSpec) -> tuple[str, str, str]:
    """The static table's key, score and points, from the factor columns."""
    keys, scores, points = [], [], []
    for index, table in enumerate(spec.static):
        cells = [f"f.t{index}_f{j}" for j in range(len(table.factors))]
        total = " + ".join(f"coalesce({c}[1]::numeric, 0)" for c in cells) or "0"
        scores.append(f"WHEN {index} THEN LEAST({total}, {q.p(table.max, 'numeric')})")
        listed = [  # a factor that does not apply has no point
            _point(
                q,
                "static",
                factor.key,
                factor.label,
                Sql(f"{cell}[1]"),
                Sql(f"{cell}[2]"),
                present=f"{cell} IS NOT NULL",
            )
            for cell, factor in zip(cells, table.factors, strict=True)
        ]
        points.append(f"WHEN {index} THEN {_listed(listed)}")
        keys.append(f"WHEN {index} THEN {q.text(table.key)}")
    no_table = _constant(q, static_score(None, {})[1][0])
    return (
        f"CASE f.tbl {' '.join(keys)} ELSE '' END",
        f"CASE f.tbl {' '.join(scores)} ELSE 0 END",
        f"CASE f.tbl {' '.join(points)} ELSE {no_table} END",
    )


def _dynamic(q: _Query, spec: RuleSetSpec) -> tuple[str, str]:
    """`rules.dynamic_score` over the latest full inspection (`d`) and its failed items (`fi`)."""
    weight = spec.weights["dynamic"]
    if not weight:
        return "0", "NULL"
    none, (no_inspection,) = dynamic_score(weight, None, spec.no_inspection_share)
    nothing = InspectionBasis(0, datetime.date.min, Decimal(0), Decimal(0))
    _, (nothing_applies,) = dynamic_score(weight, nothing, spec.no_inspection_share)
    score = f"round({q.p(weight, 'numeric')} * d.failed_points / d.applicable_points, 1)"  # ROUND_HALF_UP
    basis = (
        "to_char(d.\"on\", 'YYYY-MM-DD') || ' 检查：不符合项 ' || d.failed_points::text || ' 分 / 适用项 ' "
        "|| d.applicable_points::text || ' 分'"
    )
    inspected = _point(q, "dynamic", "inspection", "最近一次全项目监督检查", Sql(score), Sql(basis))
    return (
        f"CASE WHEN d.operator_id IS NULL THEN {q.p(none, 'numeric')} WHEN d.applicable_points = 0 THEN 0 "
        f"ELSE {score} END",
        f"CASE WHEN d.operator_id IS NULL THEN {_constant(q, no_inspection)} "
        f"WHEN d.applicable_points = 0 THEN {_constant(q, nothing_applies)} "
        f"ELSE {_listed([inspected, 'fi.points'])} END",
    )


_BASIS = """concat_ws(' ', to_char(e."on", 'YYYY-MM-DD'), nullif(e.label, ''))"""  # rules._event_basis
_FIRST = 'e."on", e.ref COLLATE "C", e.event COLLATE "C"'  # sources.event_order
_LAST = 'e."on" DESC, e.ref COLLATE "C" DESC, e.event COLLATE "C" DESC'


def _within(q: _Query, kinds, today: datetime.date, days: int) -> str:
    return f'e.event = ANY({q.texts(kinds)}) AND e."on" >= {q.p(today - datetime.timedelta(days=days), "date")}'


def _event_columns(q: _Query, spec: RuleSetSpec, today: datetime.date) -> list[str]:
    """Per operator, what credit, adjustments and forced grades read from its events."""
    columns = []
    weight = spec.weights.get("credit", Decimal(0))
    if weight and spec.credit_rules:
        rules = {rule.event: rule for rule in spec.credit_rules}
        window = _within(q, rules, today, spec.credit_lookback_days)
        points_of = " ".join(f"WHEN {q.text(k)} THEN {q.text(r.points)}" for k, r in rules.items())
        label_of = " ".join(f"WHEN {q.text(k)} THEN {q.text(r.label)}" for k, r in rules.items())
        label, points = Sql(f"CASE e.event {label_of} END"), Sql(f"CASE e.event {points_of} END")
        point = _point(q, "credit", Sql("e.event"), label, points, Sql(_BASIS))
        columns.append(f"string_agg({point}, ',' ORDER BY {_FIRST}) FILTER (WHERE {window}) AS credit_points")
        columns.append(f"sum((CASE e.event {points_of} END)::numeric) FILTER (WHERE {window}) AS credit_sum")
    for i, rule in enumerate(spec.adjustments):
        if rule.direction == "raise":
            window = _within(q, rule.events, today, rule.within_days)
            columns.append(f"string_agg({_BASIS}, '；' ORDER BY {_FIRST}) FILTER (WHERE {window}) AS raise{i}")
            columns.append(f"(array_agg(e.event ORDER BY {_LAST}) FILTER (WHERE {window}))[1] AS raise{i}_kind")
            continue
        if rule.certified_by:
            window = _within(q, rule.certified_by, today, rule.certified_days)
            columns.append(f"(array_agg({_BASIS} ORDER BY {_LAST}) FILTER (WHERE {window}))[1] AS certified{i}")
        if rule.clean_days:
            columns.append(f"bool_or({_within(q, rule.events, today, rule.clean_days)}) AS dirty{i}")
    for i, rule in enumerate(spec.forced):
        window = _within(q, [rule.event], today, rule.within_days)
        columns.append(f"(array_agg({_BASIS} ORDER BY {_LAST}) FILTER (WHERE {window}))[1] AS forced{i}")
    return columns


def _credit(q: _Query, spec: RuleSetSpec) -> tuple[str, str]:
    weight = spec.weights.get("credit", Decimal(0))
    if not weight or not spec.credit_rules:
        return "0", "NULL"
    return f"LEAST(coalesce(ev.credit_sum, 0), {q.p(weight, 'numeric')})", "ev.credit_points"


def _adjusted(q: _Query, spec: RuleSetSpec, today: datetime.date) -> tuple[str, list[str]]:
    """`rules.adjusted_grade` then `rules.forced_grade` over a row `g` holding the score's grade, the event
    columns, whether there is a full inspection and the date on record: the grade and their points."""
    raises = [(i, r) for i, r in enumerate(spec.adjustments) if r.direction == "raise"]
    raise_by = "0"
    if raises:
        levels = ", ".join(f"CASE WHEN g.raise{i} IS NOT NULL THEN {rule.levels} ELSE 0 END" for i, rule in raises)
        raise_by = f"GREATEST(0, {levels})"
    points = [  # NULL without events
        _point(
            q,
            "adjustment",
            Sql(f"'raise:' || g.raise{i}_kind"),
            rule.label,
            rule.levels,
            Sql(f"g.raise{i}"),
            present=f"g.raise{i} IS NOT NULL",
        )
        for i, rule in raises
    ]
    lower_by, lower_points = [], []
    for i, rule in enumerate(spec.adjustments):
        if rule.direction != "lower" or not (rule.certified_by or rule.clean_days):
            continue
        reasons = [f"g.certified{i} IS NOT NULL"] if rule.certified_by else []
        basis = Sql(f"g.certified{i}")
        if rule.clean_days:
            since = today - datetime.timedelta(days=rule.clean_days)
            reasons.append(
                f"(g.inspected AND g.on_record_since <= {q.p(since, 'date')} AND NOT coalesce(g.dirty{i}, false))"
            )
            clean = f"自 {since.isoformat()} 起无记录"
            basis = Sql(f"coalesce(g.certified{i}, {q.text(clean)})") if rule.certified_by else clean
        condition = " OR ".join(reasons)
        lower_by.append(f"WHEN {condition} THEN {-rule.levels}")
        lower_points.append(
            f"WHEN {condition} THEN {_point(q, 'adjustment', 'lower', rule.label, -rule.levels, basis)}"
        )
    shift = raise_by
    if lower_by:
        shift = f"CASE WHEN {raise_by} > 0 THEN {raise_by} {' '.join(lower_by)} ELSE 0 END"
        points.append(f"CASE WHEN {raise_by} > 0 THEN NULL {' '.join(lower_points)} END")
    index = f"LEAST(GREATEST(array_position({GRADE_ARRAY}, g.score_grade) - 1 + {shift}, 0), {len(GRADES) - 1})"
    forced, forced_points = [], []
    for i, rule in enumerate(spec.forced):
        forced.append(f"WHEN g.forced{i} IS NOT NULL THEN {GRADES.index(rule.grade)}")
        point = _point(q, "force", rule.event, rule.label, 0, Sql(f"g.forced{i}"))
        forced_points.append(f"WHEN g.forced{i} IS NOT NULL THEN {point}")
    if forced:
        index = f"GREATEST({index}, CASE {' '.join(forced)} ELSE 0 END)"
        points.append(f"CASE {' '.join(forced_points)} END")
    return f"({GRADE_ARRAY})[{index} + 1]", points


GRADE_ARRAY = "ARRAY[" + ", ".join(f"'{g}'" for g in GRADES) + "]::text[]"
# Stand-ins when no module provides inspections or events: the same columns, no rows.
_NO_BASES = (
    'SELECT NULL::bigint AS operator_id, NULL::bigint AS basis_id, NULL::timestamptz AS at, NULL::date AS "on", '
    "NULL::numeric AS failed_points, NULL::numeric AS applicable_points, NULL::boolean AS may_have_failed, "
    "0 AS source WHERE FALSE"
)
_NO_ITEMS = (
    "SELECT NULL::bigint AS basis_id, NULL::text AS code, NULL::text AS text, NULL::numeric AS points, "
    'NULL::integer AS "order", 0 AS source WHERE FALSE'
)
_NO_EVENTS = (
    'SELECT NULL::bigint AS operator_id, NULL::text AS event, NULL::date AS "on", NULL::text AS label, '
    "NULL::text AS ref WHERE FALSE"
)


def _band(q: _Query, spec: RuleSetSpec, total: str) -> str:
    """`rules.band`: the first band whose upper limit the total does not exceed."""
    whens = []
    for grade, upper in spec.bands:
        if upper is None:
            return f"CASE {' '.join(whens)} ELSE {q.text(grade)} END" if whens else q.text(grade)
        whens.append(f"WHEN {total} <= {q.p(upper, 'numeric')} THEN {q.text(grade)}")
    return f"CASE {' '.join(whens)} END"


def grades_sql(
    spec: RuleSetSpec,
    *,
    counties: list[str],
    today: datetime.date,
    timezone: str,
    ids: tuple[int, int] | None = None,
) -> tuple[str, dict]:
    """The query grading every operator of `counties` under `spec` on `today` (dates local to `timezone`); with
    `ids`, only those whose id lies in that range (both ends included)."""
    q = _Query()
    facts = ", ".join(f'o."{name}"' for name in OPERATOR_FACTS)
    within = f" BETWEEN {q.p(ids[0], 'bigint')} AND {q.p(ids[1], 'bigint')}" if ids else None
    withs = [
        f"ops AS MATERIALIZED (SELECT o.id, {facts}, (o.created_at AT TIME ZONE {q.text(timezone)})::date "
        f"AS on_record_since FROM registry_operator o WHERE o.region_id = ANY({q.texts(counties)})"
        f"{f' AND o.id{within}' if within else ''})"
    ]
    joins, extra = "", ""
    if any(f.fact == "sc_food_category" for t in spec.static for f in t.factors):
        withs.append(  # rules.sc_food_category
            "sc AS (SELECT l.operator_id, array_agg(CASE WHEN substr(l.number, 3, 1) = '1' THEN substr(l.number, 4, 2) "
            "ELSE 'A' || substr(l.number, 4, 2) END) AS sc_codes FROM registry_licence l JOIN ops ON ops.id = "
            f"l.operator_id WHERE l.kind = 'SC' AND l.status = {q.text(LicenceStatus.VALID)} "
            "AND left(l.number, 2) = 'SC' AND char_length(l.number) >= 5 GROUP BY l.operator_id)"
        )
        joins += " LEFT JOIN sc ON sc.operator_id = s.id"
        extra += ", sc.sc_codes"
    if spec.facts_recorded:
        withs.append(
            "rf AS (SELECT r.operator_id, jsonb_object_agg(r.key, r.value) AS recorded FROM risk_riskfact r "
            "JOIN ops ON ops.id = r.operator_id GROUP BY r.operator_id)"
        )
        joins += " LEFT JOIN rf ON rf.operator_id = s.id"
        extra += ", rf.recorded"

    dynamic = dynamic_sql()
    bases, items = _NO_BASES, _NO_ITEMS
    if dynamic:
        bases, items = q.inline(dynamic[0], dynamic[1]), q.inline(dynamic[2], dynamic[3])
    item = _point(q, "dynamic", Sql("'item:' || i.code"), Sql("i.text"), Sql("i.points"), "不符合")
    inspections = (  # sources.latest_inspections: one index probe per operator, then its failed items
        f" LEFT JOIN LATERAL (SELECT b.* FROM ({bases}) b WHERE b.operator_id = f.id "
        "ORDER BY b.at DESC, b.basis_id DESC, b.source LIMIT 1) d ON TRUE "
        f'LEFT JOIN LATERAL (SELECT string_agg({item}, \',\' ORDER BY i."order", i.code COLLATE "C") AS points '
        f"FROM ({items}) i WHERE d.may_have_failed AND i.basis_id = d.basis_id AND i.source = d.source) fi ON TRUE"
    )
    events = events_sql()
    event_columns = _event_columns(q, spec, today)
    since = today - datetime.timedelta(days=spec.longest_lookback_days)
    withs.append(
        f"ev AS (SELECT e.operator_id{''.join(', ' + c for c in event_columns)} "
        f"FROM ({q.inline(*events) if events else _NO_EVENTS}) e JOIN ops ON ops.id = e.operator_id "
        f'WHERE e."on" >= {q.p(since, "date")} AND e."on" <= {q.p(today, "date")} '
        f"{f'AND e.operator_id{within} ' if within else ''}"
        f"AND e.event = ANY({q.texts(sorted(spec.event_kinds))}) GROUP BY e.operator_id)"
    )

    table_of = " ".join(f"WHEN {_fits(q, t.match)} THEN {i}" for i, t in enumerate(spec.static))
    base = f"SELECT s.*{extra}, CASE {table_of} END AS tbl FROM ops s{joins} OFFSET 0"  # the table chosen once
    factor_columns = "".join(", " + c for i, t in enumerate(spec.static) for c in _table_columns(q, i, t))
    factors = f"SELECT s.*{factor_columns} FROM ({base}) s OFFSET 0"  # each factor computed once

    table, static, static_points = _static(q, spec)
    dynamic_score, dynamic_points = _dynamic(q, spec)
    credit, credit_points = _credit(q, spec)
    event_names = "".join(", ev." + c.rsplit(" AS ", 1)[1] for c in event_columns)
    scored = (
        f"SELECT f.id AS operator_id, f.on_record_since, d.operator_id IS NOT NULL AS inspected{event_names}, "
        f'{table} AS "table", {static} AS static_score, {dynamic_score} AS dynamic_score, {credit} AS credit_score, '
        f"{_listed([static_points, dynamic_points, credit_points])} AS points FROM ({factors}) f{inspections} "
        "LEFT JOIN ev ON ev.operator_id = f.id OFFSET 0"
    )
    banded = (
        f"SELECT x.*, x.static_score + x.dynamic_score + x.credit_score AS total_score, "
        f"{_band(q, spec, 'x.static_score + x.dynamic_score + x.credit_score')} AS score_grade "
        f"FROM ({scored}) x OFFSET 0"
    )
    grade, adjustment_points = _adjusted(q, spec, today)
    final = (
        'SELECT g.operator_id, g."table", g.static_score, g.dynamic_score, g.credit_score, g.total_score, '
        f"g.score_grade, {grade} AS grade, "
        f"('[' || coalesce({_listed(['g.points', *adjustment_points])}, '') || ']')::json AS points FROM ({banded}) g"
    )
    return f"WITH {', '.join(withs)} {final}", q.params
