"""Judging real lab results against their legal limits: the UK PRiF pesticide-residue monitoring results
2016 – Q2 2022 (../shared/data/uk-prif-pesticide-residues-2016-2022/, Open Government Licence v3.0).

    python benchmarks/judge_prif.py            # SQLite in a temporary folder; SHIAN_BENCH_DATABASE_URL for PostgreSQL

What it does, through the paths a bureau and a lab use:
- a food catalogue (one 细类 per commodity and sub-group) and the MRLs printed beside the results as limit
  sets (one version per period, each MRL in force from the first sampling date it appears on), both as data
  files loaded by `catalogue_load` / `limits_load`;
- one sample per PRiF sample (set up in bulk: not timed), its results as the lab's results file (CSV) imported
  by `results_import` (timed: the import rate), irregular source cells included as they are;
- every stored result judged again against the loaded limits (`selectors.judgments`, timed: the judgment rate,
  target ≥ 100,000 results per second), checked equal to the verdicts stored at import; baseline: a
  per-result ORM lookup of the limit, on a subset, scaled;
- the count of over-limit results per pesticide for 2019 compared with the official PRiF counts
  (analyte_detections_2019.csv); every mismatch is explained from the data, or the script fails.
"""

import collections
import csv
import datetime
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from harness import setup_django, timer, write

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "uk-prif-pesticide-residues-2016-2022"
NOTHING_DETECTED = "None were detected above the set RL"
BASELINE_SUBSET = 2000


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "unnamed"


def toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source_rows() -> tuple[list[dict], int]:
    """The source rows, with sampling dates as ISO dates (some 2022-Q2 rows give DD/MM/YYYY), and how many
    dates were rewritten."""
    with (DATA / "residue_results.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rewritten = 0
    for r in rows:
        if "/" in r["date_of_sampling"]:
            day, month, year = r["date_of_sampling"].split("/")
            r["date_of_sampling"] = datetime.date(int(year), int(month), int(day)).isoformat()
            rewritten += 1
    return rows, rewritten


def catalogue_file(rows) -> tuple[str, dict]:
    """The catalogue TOML and {(commodity, sub_group): 细类 code}."""
    names = collections.defaultdict(list)
    for r in rows:
        if r["pesticide"] and r["pesticide"] not in names[slug(r["pesticide"])]:
            names[slug(r["pesticide"])].append(r["pesticide"])
    commodities = sorted({r["commodity"] for r in rows})
    lines = [
        "[catalogue]",
        'code = "uk-prif"',
        "version = 1",
        'name = "UK PRiF monitoring foods"',
        "year = 2022",
        'source = "UK PRiF pesticide-residue monitoring 2016 - 2022 Q2 (OGL v3.0)"',
        'confidence = "V"',
    ]
    for code, spellings in sorted(names.items()):
        lines += ["[[analytes]]", f'code = "{code}"', f"name = {toml_text(spellings[0])}", 'group = "pesticide"']
        lines.append("aliases = [" + ", ".join(toml_text(s) for s in spellings) + "]")
    lines += ["[[categories]]", 'code = "P"', 'name = "PRiF"', "level = 1"]
    leaf = {}
    for i, commodity in enumerate(commodities, start=1):
        top = f"P{i:03d}"
        lines += ["[[categories]]", f'code = "{top}"', 'parent = "P"', f"name = {toml_text(commodity)}", "level = 2"]
        lines += ["[[categories]]", f'code = "{top}-0"', f'parent = "{top}"', f"name = {toml_text(commodity)}"]
        lines.append("level = 3")
        groups = sorted({r["sub_group"] for r in rows if r["commodity"] == commodity})
        for j, group in enumerate(groups, start=1):
            code = f"{top}-0-{j:02d}"
            leaf[(commodity, group)] = code
            lines += ["[[categories]]", f'code = "{code}"', f'parent = "{top}-0"', "level = 4"]
            lines.append(f"name = {toml_text(f'{commodity} {group}'.strip())}")
    return "\n".join(lines) + "\n", leaf


def limit_files(rows, leaf) -> tuple[list[str], int]:
    """One limit-set version per period; within it each MRL in force from the first day it was printed. Where
    two MRLs are first printed for one food category on one day, the one printed with more results (the lower
    on a tie) is taken; returns the files and how many such conflicts there were."""
    periods = collections.defaultdict(list)
    for r in rows:
        if r["pesticide"] and r["mrl_mg_kg"]:
            periods[r["period"]].append(r)
    ordered = sorted(periods, key=lambda p: min(r["date_of_sampling"] for r in periods[p]))
    files, conflicts = [], 0
    for version, period in enumerate(ordered, start=1):
        first = collections.defaultdict(dict)  # (analyte, category) -> {mrl: first date}
        printed = collections.Counter()
        start = min(r["date_of_sampling"] for r in periods[period])
        for r in periods[period]:
            key = (slug(r["pesticide"]), leaf[(r["commodity"], r["sub_group"])])
            mrl = Decimal(r["mrl_mg_kg"])
            printed[(*key, mrl)] += 1
            if mrl not in first[key] or r["date_of_sampling"] < first[key][mrl]:
                first[key][mrl] = r["date_of_sampling"]
        lines = [
            "[limits]",
            'code = "uk-prif-mrl"',
            f"version = {version}",
            f'title = "UK MRLs printed with the PRiF results, {period}"',
            'catalogue = "uk-prif"',
            f"valid_from = {start}",
            'confidence = "V"',
        ]
        for (analyte, category), mrls in sorted(first.items()):
            by_day = collections.defaultdict(list)
            for mrl, day in mrls.items():
                by_day[day].append(mrl)
            for day, candidates in sorted(by_day.items()):
                conflicts += len(candidates) > 1
                mrl = min(candidates, key=lambda m: (-printed[(analyte, category, m)], m))
                lines += ["[[limit]]", f'analyte = "{analyte}"', f'category = "{category}"', f'value = "{mrl}"']
                lines += ['unit = "mg/kg"', 'standard = "UK MRL"', f'clause = "PRiF {period}"']
                lines.append(f"valid_from = {day}")
        files.append("\n".join(lines) + "\n")
    return files, conflicts


def build(rows):
    from django.utils import timezone

    from shian.core.models import Agency, Region
    from shian.core.services.regions import regions_load
    from shian.registry.models import Operator
    from shian.sampling.models import FoodCategory, Lab, Sample
    from shian.sampling.services import catalogue_load, limits_load

    regions_load()
    catalogue, leaf = catalogue_file(rows)
    loaded, _ = catalogue_load(content=catalogue.encode())
    files, conflicts = limit_files(rows, leaf)
    for text in files:
        limits_load(content=text.encode())
    county = Region.objects.get(code="320508")
    agency = Agency.objects.create(name="PRiF", region=county)
    lab = Lab.objects.create(name="PRiF labs", region=county)
    shop = Operator.objects.create(
        name="UK retail", credit_code="91320508MA1MXXXX0X", category="sales", region=county, address="UK"
    )
    categories = dict(FoodCategory.objects.filter(catalogue=loaded).values_list("code", "pk"))
    samples, codes = {}, {}
    for r in rows:
        key = (r["source_file"], r["sheet"], r["sample_id"])
        if key not in codes:
            codes[key] = f"PRIF-{r['period']}-{len(codes) + 1:05d}"
            day = datetime.date.fromisoformat(r["date_of_sampling"])
            samples[key] = Sample(
                code=codes[key],
                operator=shop,
                region=county,
                agency=agency,
                stage="distribution",
                category_id=categories[leaf[(r["commodity"], r["sub_group"])]],
                product_name=r["description"][:200],
                quantity="1",
                backup_quantity="1",
                lab=lab,
                sampled_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
            )
    Sample.objects.bulk_create(samples.values(), batch_size=2000)
    return codes, conflicts


def results_file(rows, codes, folder: Path) -> Path:
    path = folder / "prif-results.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["样品编号", "检验项目", "检验结果", "单位", "检验结论日期"])
        for r in rows:
            if r["residue_text"] == NOTHING_DETECTED:
                continue
            code = codes[(r["source_file"], r["sheet"], r["sample_id"])]
            if r["pesticide"]:
                out.writerow([code, r["pesticide"], r["value_mg_kg"], "mg/kg", r["date_of_sampling"]])
            else:  # an irregular source cell, reported as it stands
                out.writerow([code, r["residue_text"], "", "", r["date_of_sampling"]])
    return path


def orm_baseline(ids) -> None:
    """Per result, as a first version would: the result, its sample's category chain, then the limit rows of
    each category queried in turn, then the judgment."""
    from django.utils import timezone

    from shian.sampling.models import Limit, TestResult
    from shian.sampling.rules import LimitCandidate, LimitRule, applicable_limit, judge
    from shian.sampling.units import Reading

    for pk in ids:
        result = TestResult.objects.select_related("sample__category").get(pk=pk)
        on = timezone.localdate(result.sample.sampled_at)
        by_category = {}
        for code in [*result.sample.category.lineage, ""]:
            rows = Limit.objects.filter(analyte_id=result.analyte_id, category_code=code, valid_from__lte=on)
            by_category[code] = [
                LimitCandidate(LimitRule(x.kind, x.value, x.unit, x.citation, x.pk), x.valid_from, x.valid_to)
                for x in rows
            ]
        judge(
            Reading(result.value, result.not_detected, result.lod),
            result.unit,
            applicable_limit(by_category, result.sample.category.lineage, on),
        )


def limit_differences(rows_2019, codes, results) -> dict[str, list[tuple[str, int]]]:
    """Per pesticide, the 2019 results judged against another MRL than the one printed beside them whose
    verdict that changed: (the source cell, +1 if the printed MRL makes it over-limit and ours not, -1 if the
    other way round)."""
    printed = {}
    for r in rows_2019:
        if r["pesticide"] and r["mrl_mg_kg"]:
            key = (codes[(r["source_file"], r["sheet"], r["sample_id"])], r["pesticide"])
            printed[key] = (
                Decimal(r["value_mg_kg"]),
                Decimal(r["mrl_mg_kg"]),
                f"{r['commodity']} {r['residue_text']!r}",
            )
    found = collections.defaultdict(list)
    for code, name, limit in results.filter(limit__isnull=False).values_list(
        "sample__code", "analyte_text", "limit__value"
    ):
        if (code, name) in printed:
            value, mrl, cell = printed[(code, name)]
            if limit != mrl and (value > mrl) != (value > limit):
                found[name].append((cell, 1 if value > mrl else -1))
    return found


def official_2019() -> dict[str, int]:
    with (DATA / "analyte_detections_2019.csv").open(encoding="utf-8") as f:
        return {r["Active"]: int(r["Number of detections over MRL"].rstrip("*")) for r in csv.DictReader(f)}


def explain(name, ours, theirs, printed_over, over_by_name, pending_by_name, other_limit) -> list[str]:
    """Reasons found in the data for a difference between our count and the official one for `name`."""
    reasons, gap = [], theirs - ours
    flipped = [cell for cell, direction in other_limit.get(name, []) if direction == (1 if gap > 0 else -1)]
    if gap and len(flipped) >= abs(gap):
        reasons.append(
            f"{len(flipped)} result(s) were judged against the MRL in force for their food category that day, "
            f"not the one printed beside them ({'; '.join(flipped)})"
        )
        gap = 0
    if gap > 0:
        kin = {n: c for n, c in over_by_name.items() if n != name and n.lower().startswith(name.lower())}
        if kin and sum(kin.values()) >= gap:
            names = ", ".join(f"{n!r} ({c})" for n, c in kin.items())
            reasons.append(f"the official count includes over-limit results reported under {names}")
            gap -= sum(kin.values())
        unjudged = pending_by_name.get(name, 0)
        if gap > 0 and unjudged >= gap:
            reasons.append(f"{unjudged} result(s) of it have an irregular source cell, kept for review, not judged")
            gap = 0
    elif gap < 0:
        cells = printed_over.get(name, [])
        if len(cells) == ours:  # every result we count over-limit is over the MRL printed beside it
            missing = "" if name in official_2019() else ", and has no row for it at all"
            reasons.append(
                f"the source sheets hold {ours} result(s) above the MRL printed beside them ({'; '.join(cells)}); the "
                f"official summary table counts {theirs}{missing}: the difference lies within the publication, not "
                "in the judgment"
            )
            gap = 0
    return reasons if gap == 0 else [*reasons, "UNEXPLAINED"]


def main() -> None:
    setup_django()
    from django.db import transaction

    from shian.sampling.choices import ResultStatus, Verdict
    from shian.sampling.limitbook import LimitBook
    from shian.sampling.models import TestResult
    from shian.sampling.selectors import judgments
    from shian.sampling.services import results_import

    rows, rewritten = source_rows()
    figures = {"source_rows": len(rows), "source_dates_given_as_dd_mm_yyyy": rewritten}
    with timer(figures, "build_s"), transaction.atomic():
        codes, conflicts = build(rows)
    figures["samples"] = len(codes)
    figures["mrl_conflicts_resolved"] = conflicts
    with tempfile.TemporaryDirectory() as folder:
        path = results_file(rows, codes, Path(folder))
        with timer(figures, "import_s"):
            report = results_import(path=path, by=None)
    figures["import_rows"] = report.rows
    figures["import_rows_per_s"] = round(report.rows / figures["import_s"])
    figures["judged_at_import"] = report.judged
    figures["kept_for_review"] = len(report.pending)
    figures["kept_for_review_reasons"] = report.pending
    figures["samples_concluded"] = len(report.concluded)

    stored = dict(TestResult.objects.filter(status=ResultStatus.JUDGED).values_list("pk", "verdict"))
    book = LimitBook.load()
    start = time.perf_counter()
    again = dict((pk, j.verdict) for pk, j in judgments(TestResult.objects.all(), book))
    figures["judge_s"] = round(time.perf_counter() - start, 4)
    figures["judged"] = len(again)
    figures["judged_per_s"] = round(len(again) / figures["judge_s"])
    figures["judged_equal_to_stored"] = again == stored
    subset = sorted(stored)[:BASELINE_SUBSET]
    with timer(figures, "baseline_orm_subset_s"):
        orm_baseline(subset)
    figures["baseline_orm_results_per_s"] = round(len(subset) / figures["baseline_orm_subset_s"])
    figures["ratio_judged_to_baseline"] = round(figures["judged_per_s"] / figures["baseline_orm_results_per_s"], 1)
    figures["target_judged_per_s"] = 100_000

    results_2019 = TestResult.objects.filter(sample__code__startswith="PRIF-2019-")
    over = collections.Counter(results_2019.filter(verdict=Verdict.FAIL).values_list("analyte_text", flat=True))
    pending = collections.Counter(
        results_2019.filter(status=ResultStatus.PENDING_REVIEW).values_list("analyte_text", flat=True)
    )
    pending_by_name = collections.Counter()
    for text, count in pending.items():
        pending_by_name[text.split(" ")[0]] += count
    official = official_2019()
    rows_2019 = [r for r in rows if r["period"] == "2019"]
    other_limit = limit_differences(rows_2019, codes, results_2019)
    printed_over = collections.defaultdict(list)
    for r in rows_2019:
        if r["pesticide"] and r["mrl_mg_kg"] and Decimal(r["value_mg_kg"]) > Decimal(r["mrl_mg_kg"]):
            printed_over[r["pesticide"]].append(f"{r['commodity']} {r['residue_text']!r}")
    names = sorted(set(official) | {n for n, c in over.items() if c})
    matches, mismatches, unexplained = 0, [], 0
    for name in names:
        ours, theirs = over.get(name, 0), official.get(name, 0)
        if ours == theirs:
            matches += 1
            continue
        reasons = explain(name, ours, theirs, printed_over, over, pending_by_name, other_limit)
        unexplained += "UNEXPLAINED" in reasons
        mismatches.append(f"{name}: ours {ours}, official {theirs}: " + "; ".join(reasons))
    figures["over_limit_2019_ours"] = sum(over.values())
    figures["over_limit_2019_official"] = sum(official.values())
    figures["pesticides_compared_2019"] = len(names)
    figures["pesticides_matching_2019"] = matches
    figures["mismatches_2019"] = mismatches
    write("judge_prif", figures)
    if unexplained or not figures["judged_equal_to_stored"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
