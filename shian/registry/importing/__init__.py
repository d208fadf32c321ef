"""Bulk import of food businesses (`shian import operators FILE`, the web and the API)."""

from .jobs import import_job_create, import_job_run, import_jobs
from .reading import COLUMNS, FileError
from .service import operators_import
from .template import template_workbook
from .validation import RowError
from .writing import ImportReport

__all__ = [
    "COLUMNS",
    "FileError",
    "ImportReport",
    "RowError",
    "import_job_create",
    "import_job_run",
    "import_jobs",
    "operators_import",
    "template_workbook",
]
