"""Who and where a change comes from: request id, source and client address, carried in context variables.

The web middleware, the CLI entry point and the task wrapper set them; `audit_record` reads them.
"""

import contextlib
import logging
import uuid
from contextvars import ContextVar

from .choices import AuditSource

request_id_var: ContextVar[str] = ContextVar("shian_request_id", default="")
source_var: ContextVar[str] = ContextVar("shian_source", default=AuditSource.SYSTEM)
client_ip_var: ContextVar[str | None] = ContextVar("shian_client_ip", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def operation(*, source: str, request_id: str | None = None, client_ip: str | None = None):
    """Run a block as one operation from `source` (web, api, cli, job) with its own request id."""
    tokens = (
        request_id_var.set(request_id or new_request_id()),
        source_var.set(source),
        client_ip_var.set(client_ip),
    )
    try:
        yield
    finally:
        request_id_var.reset(tokens[0])
        source_var.reset(tokens[1])
        client_ip_var.reset(tokens[2])


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


_job_tokens: dict[str, tuple] = {}


def job_started(sender, task_result, **kwargs) -> None:
    """Signal receiver: whatever a background task changes is recorded with source "job"."""
    _job_tokens[str(task_result.id)] = (source_var.set(AuditSource.JOB), request_id_var.set(new_request_id()))


def job_finished(sender, task_result, **kwargs) -> None:
    tokens = _job_tokens.pop(str(task_result.id), None)
    if tokens is not None:
        source_var.reset(tokens[0])
        request_id_var.reset(tokens[1])
