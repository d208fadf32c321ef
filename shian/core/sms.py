"""Pluggable SMS delivery. Set SHIAN_SMS_BACKEND to a class with `send(phone, text)`; the default prints."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("shian.sms")


class ConsoleSmsBackend:
    """Writes messages to the log instead of sending them (development and demos)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_backend():
    return import_string(settings.SHIAN_SMS_BACKEND)()
