"""Lab results: reported for one sample (a form, the API) or imported from a file for many; each row read and
judged against the limit in force, kept for review when it cannot be; a sample concluded once its final report
is in and nothing is pending (SAMR Order 15, regulations.md §2)."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from shian.core.bulk import chunked, update_grouped
from shian.core.choices import Role, UserKind
from shian.core.models import User, signed_in
from shian.core.services.audit import audit_entry, audit_record, audit_record_many, snapshot
from shian.core.services.ledger import LedgerItem, ledger_append_many
from shian.core.services.notifications import notify
from shian.core.tabular import Column, FileError, read_rows
from shian.core.workdays import WorkingCalendar

from ..choices import ResultSource, ResultStatus, SampleStatus, Verdict
from ..labrows import AnalyteIndex, LabRow, ReadRow, read_row
from ..limitbook import LimitBook
from ..models import Sample, TestResult
from ..rules import judge, needs_review, sample_verdict
from .samples import clock, deadline, received, require_lab_member

CONCLUDED = (SampleStatus.PASSED, SampleStatus.FAILED)


class Judge:
    """Reads and judges lab rows with the analytes and limits loaded once for a report or an import."""

    def __init__(self) -> None:
        self.analytes = AnalyteIndex.load()
        self.limits = LimitBook.load()

    def result(self, sample: Sample, row: LabRow, *, source: str, by, problems=()) -> TestResult:
        """The stored form of a reported row: judged, or pending review with its problems."""
        read: ReadRow = read_row(row, self.analytes)
        result = TestResult(
            sample=sample,
            analyte_id=read.analyte_id,
            analyte_text=row.analyte[:200],
            value_text=str(row.value)[:64],
            unit_text=row.unit[:32],
            unit=read.unit,
            lod=read.lod,
            loq=read.loq,
            method=row.method[:200],
            source=source,
            entered_by=signed_in(by),
        )
        problems = [*problems, *read.problems]
        if read.reading is not None:
            result.value, result.not_detected = read.reading.value, read.reading.not_detected
        if not read.problems:
            on = timezone.localdate(sample.sampled_at)
            limit = self.limits.limit_for(read.analyte_id, tuple(sample.category.lineage), on)
            judgment = judge(read.reading, read.unit, limit)
            result.verdict, result.reason, result.detail = judgment.verdict, judgment.reason, judgment.detail
            result.citation, result.limit_id = judgment.citation, limit.pk if limit else None
            if needs_review(judgment):
                problems.append(
                    _("the result cannot be judged as reported (%(detail)s): check the unit or the method")
                    % {"detail": judgment.detail}
                )
        result.problems = problems
        result.status = ResultStatus.PENDING_REVIEW if problems else ResultStatus.JUDGED
        return result


def _replace_earlier(samples_with_results: dict[Sample, list[TestResult]]) -> None:
    """A later report of an item replaces the earlier one (a lab corrects itself before the conclusion)."""
    had = set()
    for part in chunked([s.pk for s in samples_with_results]):
        had.update(TestResult.objects.filter(sample_id__in=part, retest=None).values_list("sample_id", flat=True))
    for sample, results in samples_with_results.items():
        if sample.pk in had:
            analytes = {r.analyte_id for r in results if r.analyte_id}
            texts = {r.analyte_text for r in results}
            first = sample.results.filter(retest=None)
            first.filter(analyte_id__in=analytes).delete()
            first.filter(analyte__isnull=True, analyte_text__in=texts).delete()


def _conclude(samples: list[Sample], by) -> list[Sample]:
    """Conclude each sample whose final report is in (`concluded_on`) with no row pending review: its verdict
    from its items', the limit to report it (shorter for a failure), a ledger entry each, and the news of a
    failure to its sampling bureau. Returns the samples concluded."""
    ready = [s for s in samples if s.concluded_on is not None and s.status not in CONCLUDED]
    results = defaultdict(list)
    for part in chunked([s.pk for s in ready]):
        found = TestResult.objects.filter(sample_id__in=part, retest=None).select_related("analyte")
        for r in found.order_by("sample_id", "pk"):
            results[r.sample_id].append(r)
    calendar, now, done = WorkingCalendar(), timezone.now(), []
    audits, ledger = [], []
    for sample in ready:
        items = results[sample.pk]
        verdict = sample_verdict(r.verdict for r in items)
        if verdict is None or any(r.status == ResultStatus.PENDING_REVIEW for r in items):
            continue
        before = snapshot(sample)
        failed = verdict == Verdict.FAIL
        days = clock("FAIL_REPORT_WORKING_DAYS" if failed else "PASS_REPORT_WORKING_DAYS")
        sample.verdict = sample.final_verdict = verdict
        sample.reported_at = now
        if not failed:
            sample.published_at = now  # a pass is public at once; a failure once served on the business
        sample.status = SampleStatus.FAILED if failed else SampleStatus.PASSED
        sample.report_deadline = deadline(sample.concluded_on, days, calendar)
        audits.append(
            audit_entry(actor=by, action="sampling.sample.conclude", obj=sample, before=before, after=snapshot(sample))
        )
        ledger.append(
            LedgerItem(
                kind="sampling.verdict",
                obj=sample,
                actor=by,
                payload={
                    "sample": sample.code,
                    "verdict": verdict,
                    "concluded_on": sample.concluded_on.isoformat(),
                    "items": [
                        {
                            "analyte": r.analyte.code if r.analyte else r.analyte_text,
                            "value": r.value_text,
                            "unit": r.unit_text,
                            "verdict": r.verdict,
                            "citation": r.citation,
                        }
                        for r in items
                    ],
                },
            )
        )
        done.append(sample)
    update_grouped(
        Sample, done, ["verdict", "final_verdict", "status", "reported_at", "report_deadline", "published_at"]
    )
    audit_record_many(audits)
    if ledger:
        ledger_append_many(ledger)
    for sample in (s for s in done if s.status == SampleStatus.FAILED):
        notify(
            recipients=User.objects.filter(
                kind=UserKind.REGULATOR,
                is_active=True,
                agency=sample.agency_id,
                groups__name__in=[Role.SAMPLING_OFFICER, Role.AGENCY_HEAD],
            ).distinct(),
            kind="sampling.sample.failed",
            title=_("Sample %(code)s failed") % {"code": sample.code},
            body=sample.product_name,
            link=f"/sampling/samples/{sample.pk}/",
            dedupe_key=f"sampling.failed:{sample.pk}",
            sms=True,
        )
    return done


def _flag_repeats(results: list[TestResult]) -> None:
    """An item reported twice in one report is kept for review from its second row on."""
    seen = set()
    for result in results:
        if result.analyte_id in seen:
            result.problems = [*result.problems, _("this item is reported twice")]
            result.status = ResultStatus.PENDING_REVIEW
        elif result.analyte_id:
            seen.add(result.analyte_id)


def _store(batch: dict[Sample, list[TestResult]], concluded_on: dict[Sample, datetime.date], by) -> list[Sample]:
    """Write reported rows for many samples in one go: receipt of samples not yet received, the rows (earlier
    reports of the same items replaced), the audit, the conclusion dates and the conclusions."""
    now = timezone.now()
    calendar, audits = WorkingCalendar(), []
    for results in batch.values():
        _flag_repeats(results)
    arriving = [s for s in batch if s.status == SampleStatus.SAMPLED]
    for sample in arriving:  # a report of results is the lab's receipt, if it did not record one before
        received(sample, now, calendar)
    update_grouped(Sample, arriving, ["received_at", "report_due", "status"])
    _replace_earlier(batch)
    TestResult.objects.bulk_create([r for results in batch.values() for r in results], batch_size=2000)
    for sample, results in batch.items():
        reported = [
            {"analyte": r.analyte_text, "value": r.value_text, "unit": r.unit_text, "verdict": r.verdict}
            for r in results
        ]
        after = {"results": reported, "received_at": sample.received_at.isoformat()}
        audits.append(audit_entry(actor=by, action="sampling.results.report", obj=sample, after=after))
    for sample, day in concluded_on.items():
        sample.concluded_on = day
    update_grouped(Sample, concluded_on, ["concluded_on"])
    audit_record_many(audits)
    return _conclude(list(batch), by)


@dataclass(frozen=True)
class RowOutcome:
    """What became of one reported row: its stored result, and the problems that keep it for review."""

    index: int
    result: TestResult
    problems: tuple[str, ...]


def results_record(
    *,
    sample: Sample,
    rows: Sequence[LabRow],
    by,
    source: str = ResultSource.WEB,
    concluded_on: datetime.date | None = None,
) -> list[RowOutcome]:
    """The lab reports results for a sample: every row kept (judged, or pending review with its problems).
    With `concluded_on` (the date of the test report's conclusion) the report is final: the sample is
    concluded once no row is pending review."""
    require_lab_member(sample, by)
    if sample.status in CONCLUDED:
        raise ValidationError(_("This sample is concluded: its results are final."))
    if not rows:
        raise ValidationError({"results": _("Report at least one result.")})
    judge_with = Judge()
    results = [judge_with.result(sample, row, source=source, by=by) for row in rows]
    with transaction.atomic():
        _store({sample: results}, {sample: concluded_on} if concluded_on else {}, by)
    return [RowOutcome(i, r, tuple(r.problems)) for i, r in enumerate(results)]


@transaction.atomic
def result_review(*, result: TestResult, by, row: LabRow) -> TestResult:
    """Correct a row kept for review (the analyte's name, the value, the unit or the limits as they should
    have been reported): it is judged again, and the sample concluded if nothing else is pending."""
    sample = result.sample
    require_lab_member(sample, by)
    if sample.status in CONCLUDED or result.retest_id:
        raise ValidationError(_("This sample is concluded: its results are final."))
    fresh = Judge().result(sample, row, source=result.source, by=by)
    if fresh.problems:
        raise ValidationError({"row": fresh.problems})
    before = snapshot(result)
    sample.results.filter(retest=None, analyte_id=fresh.analyte_id).exclude(pk=result.pk).delete()
    fresh.pk, fresh.entered_at = result.pk, result.entered_at
    fresh.save()
    audit_record(actor=by, action="sampling.result.review", obj=fresh, before=before, after=snapshot(fresh))
    _conclude([sample], by)
    return fresh


RESULT_COLUMNS = [
    Column("sample", "样品编号", required=True),
    Column("analyte", "检验项目", required=True),
    Column("value", "检验结果", required=True),
    Column("unit", "单位"),
    Column("lod", "检出限"),
    Column("loq", "定量限"),
    Column("method", "检验方法"),
    Column("concluded_on", "检验结论日期"),
]


@dataclass
class ResultsImport:
    """What an import did: rows stored (judged or pending review, each pending one with its problems), rows
    refused (no such sample for the importer, or a concluded one), and the samples concluded."""

    rows: int = 0
    judged: int = 0
    pending: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    concluded: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def results_import(*, path: Path, by, source: str = ResultSource.IMPORT) -> ResultsImport:
    """Import a results file (CSV or XLSX, columns RESULT_COLUMNS) for the samples the importer may report on,
    in one transaction. Every row of a known sample is kept; every other row is reported with its reason."""
    try:
        rows = list(read_rows(path, RESULT_COLUMNS))
    except FileError as exc:
        raise ValidationError(str(exc)) from exc
    visible = Sample.objects.all() if by is None else Sample.objects.visible_to(by)
    codes = {_text(raw["sample"]) for _n, raw in rows}
    samples = {s.code: s for part in chunked(codes) for s in visible.filter(code__in=part).select_related("category")}
    judge_with, report = Judge(), ResultsImport(rows=len(rows))
    batch, concluded_on, stored = defaultdict(list), {}, []
    for number, raw in rows:
        code = _text(raw["sample"])
        sample = samples.get(code)
        if sample is None:
            report.refused.append(_("row %(row)d: no sample %(code)s of yours") % {"row": number, "code": code})
            continue
        if sample.status in CONCLUDED:
            report.refused.append(_("row %(row)d: sample %(code)s is concluded") % {"row": number, "code": code})
            continue
        problems, day_text = [], _text(raw.get("concluded_on"))
        if day_text:
            day = parse_date(day_text[:10]) if len(day_text) >= 10 else None
            if day is None:
                problems.append(_("the conclusion date %(value)s is not a date") % {"value": repr(day_text)})
            else:
                concluded_on[sample] = day
        row = LabRow(*(_text(raw.get(key)) for key in ("analyte", "value", "unit", "lod", "loq", "method")))
        result = judge_with.result(sample, row, source=source, by=by, problems=problems)
        batch[sample].append(result)
        stored.append((number, result))
    with transaction.atomic():
        concluded = _store(dict(batch), concluded_on, by)
    for number, result in stored:  # after _store, which flags items reported twice
        if result.problems:
            problems = "; ".join(result.problems)
            report.pending.append(_("row %(row)d: %(problems)s") % {"row": number, "problems": problems})
        else:
            report.judged += 1
    report.concluded = [s.code for s in concluded]
    return report
