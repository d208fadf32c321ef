from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The sectors inspection checklists are written for (Order 49 arts. 15, 17, 18, 20)."""

    PRODUCTION = "production", _("Food production")
    SALES = "sales", _("Food sales")
    CATERING = "catering", _("Catering")
    CANTEEN = "canteen", _("Canteen")
    SPECIAL_FOOD = "special_food", _("Special foods")


class InspectionKind(models.TextChoices):
    """Kinds of supervision inspection (Order 49 art. 53 [V])."""

    ROUTINE = "routine", _("Routine inspection")
    FLYING = "flying", _("Unannounced inspection")
    SYSTEM = "system", _("System inspection")
    FOLLOW_UP = "follow_up", _("Follow-up inspection")


class InspectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class Outcome(models.TextChoices):
    """The answer to one checklist item."""

    YES = "yes", _("Yes (meets)")
    NO = "no", _("No (does not meet)")
    NOT_APPLICABLE = "na", _("Not applicable")


class Result(models.TextChoices):
    """Inspection result 符合 / 基本符合 / 不符合 [R: regulations.md §1.3, result categories]."""

    COMPLIANT = "compliant", _("Compliant")
    BASIC = "basic", _("Basically compliant")
    NONCOMPLIANT = "noncompliant", _("Non-compliant")


class RectificationKind(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Fixed on the spot")
    DEADLINE = "deadline", _("Order with a deadline")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the business")
    SUBMITTED = "submitted", _("Submitted for verification")
    RETURNED = "returned", _("Returned to the business")
    CLOSED = "closed", _("Verified and closed")

    @classmethod
    def transitions(cls) -> dict[str, set[str]]:
        return {
            cls.OPEN: {cls.SUBMITTED},
            cls.RETURNED: {cls.SUBMITTED},
            cls.SUBMITTED: {cls.CLOSED, cls.RETURNED},
            cls.CLOSED: set(),
        }


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DrawKind(models.TextChoices):
    TARGETS = "targets", _("Targets")
    INSPECTORS = "inspectors", _("Inspectors")
