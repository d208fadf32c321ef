"""Every write of the sampling app, audited in the transaction that makes it."""

from .data import catalogue_load, datafile_kind, limits_load
from .results import RESULT_COLUMNS, Judge, ResultsImport, RowOutcome, result_review, results_import, results_record
from .samples import sample_receive, sample_record

__all__ = [
    "RESULT_COLUMNS",
    "Judge",
    "ResultsImport",
    "RowOutcome",
    "catalogue_load",
    "datafile_kind",
    "limits_load",
    "result_review",
    "results_import",
    "results_record",
    "sample_receive",
    "sample_record",
]
