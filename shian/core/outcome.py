"""POST-then-redirect views that call one service and report how it went as a message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def report(request, call: Callable[[], object], success: str) -> bool:
    """Run `call` (a service): its ValidationError becomes an error message, success the `success` message.
    Returns whether it succeeded."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True
