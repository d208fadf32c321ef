from django.db import models
from django.utils.translation import gettext_lazy as _


class OperatorStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    REVOKED = "revoked", _("Licence revoked")


class MembershipRole(models.TextChoices):
    """A business user's role at an operator (SAMR Order 60 roles)."""

    PRINCIPAL = "principal", _("Main person in charge")
    DIRECTOR = "director", _("Food-safety director")
    OFFICER = "officer", _("Food-safety officer")
