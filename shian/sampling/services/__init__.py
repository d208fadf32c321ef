"""Every write of the sampling app, audited in the transaction that makes it."""

from .data import catalogue_load, datafile_kind, limits_load
from .followup import (
    disposal_order,
    disposal_report,
    disposal_verify,
    retest_apply,
    retest_decide,
    retest_results_record,
    sample_notify,
)
from .plans import nomination_create, plan_activate, plan_create, region_population, task_complete, vote_cast
from .rapid import RAPID_COLUMNS, RapidBatch, rapid_follow_up, rapid_objection, rapid_tests_record
from .results import RESULT_COLUMNS, Judge, ResultsImport, RowOutcome, result_review, results_import, results_record
from .samples import sample_receive, sample_record

__all__ = [
    "RAPID_COLUMNS",
    "RESULT_COLUMNS",
    "Judge",
    "RapidBatch",
    "ResultsImport",
    "RowOutcome",
    "catalogue_load",
    "datafile_kind",
    "disposal_order",
    "disposal_report",
    "disposal_verify",
    "limits_load",
    "nomination_create",
    "plan_activate",
    "plan_create",
    "rapid_follow_up",
    "rapid_objection",
    "rapid_tests_record",
    "region_population",
    "result_review",
    "results_import",
    "results_record",
    "retest_apply",
    "retest_decide",
    "retest_results_record",
    "sample_notify",
    "sample_receive",
    "sample_record",
    "task_complete",
    "vote_cast",
]
