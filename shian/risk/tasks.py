from django_tasks import task

from .models import RegradeRun
from .services import regrade_run_execute


@task()
def run_regrade(run_id: int) -> str:
    """A bulk regrade started from the UI, run by the worker."""
    return regrade_run_execute(RegradeRun.objects.select_related("region", "requested_by").get(pk=run_id)).status
