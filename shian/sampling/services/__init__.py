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
from .results import RESULT_COLUMNS, Judge, ResultsImport, RowOutcome, result_review, results_import, results_record
from .samples import sample_receive, sample_record

__all__ = [
    "RESULT_COLUMNS",
    "Judge",
    "ResultsImport",
    "RowOutcome",
    "catalogue_load",
    "datafile_kind",
    "disposal_order",
    "disposal_report",
    "disposal_verify",
    "limits_load",
    "result_review",
    "results_import",
    "results_record",
    "retest_apply",
    "retest_decide",
    "retest_results_record",
    "sample_notify",
    "sample_receive",
    "sample_record",
]
