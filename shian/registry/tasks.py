from django_tasks import task

from .importing import import_job_run
from .models import ImportJob


@task()
def run_import_job(job_id: int) -> str:
    """An uploaded bulk import, run by the worker."""
    return import_job_run(ImportJob.objects.select_related("uploaded_by").get(pk=job_id)).status
