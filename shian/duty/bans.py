"""Who is barred from food-safety management. The enforcement module keeps the industry-ban register (从业禁止,
FSL art. 135); until it does, `SHIAN_DUTY["BAN_REGISTER"]` names a callable `(id_number, on) -> reason or None`
and the default knows no bans."""

import datetime

from django.conf import settings
from django.utils.module_loading import import_string


def no_register(id_number: str, on: datetime.date) -> str | None:
    return None


def ban_of(id_number: str, on: datetime.date) -> str | None:
    """Why the person with this ID number is barred on day `on`, or None."""
    if not id_number:
        return None
    return import_string(settings.SHIAN_DUTY["BAN_REGISTER"])(id_number.upper(), on)
