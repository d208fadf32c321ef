"""Imports uploaded through the web or the API: queued as jobs, run by the worker, their reports kept."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import Role

from ..choices import ImportJobStatus
from ..models import ImportJob
from .reading import FileError
from .service import operators_import


def import_job_create(*, upload, by, partial: bool, dry_run: bool) -> ImportJob:
    """Queue an uploaded file for import by the worker (the job runs after the upload commits)."""
    from ..tasks import run_import_job

    suffix = Path(upload.name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError({"file": _("Import a .csv or .xlsx file, not %(name)s.") % {"name": upload.name}})
    with transaction.atomic():
        job = ImportJob(original_name=upload.name[:255], uploaded_by=by, partial=partial, dry_run=dry_run)
        job.file.save(f"import{suffix}", upload, save=False)
        job.save()
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_run(job: ImportJob) -> ImportJob:
    """Run a queued job: the import itself is one transaction; the job's own status is kept outside it."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING)
    try:
        with job.file.open("rb") as stored, tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"import{Path(job.file.name).suffix}"
            path.write_bytes(stored.read())
            report = operators_import(path=path, by=job.uploaded_by, partial=job.partial, dry_run=job.dry_run)
    except FileError as exc:
        job.status, job.summary = ImportJobStatus.FAILED, str(exc)[:255]
    else:
        job.status, job.summary, job.written = ImportJobStatus.DONE, report.summary()[:255], report.written
        job.counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "warnings": len(report.warnings),
        }
        job.problems = [["error", e.row, e.column, e.message] for e in report.errors] + [
            ["warning", w.row, w.column, w.message] for w in report.warnings
        ]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "written", "counts", "problems", "finished_at"])
    return job


def import_jobs(*, user):
    """The bulk imports a user started (administrators see everyone's)."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    return jobs if user.is_superuser or user.has_role(Role.ADMIN) else jobs.filter(uploaded_by=user)
