from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """What a question is about."""

    LAW = "law", _("Food Safety Law and its regulations")
    ORDER60 = "order60", _("SAMR Order 60 duties")
    HYGIENE = "hygiene", _("Hygiene practice")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    JUDGE = "judge", _("True or false")


class Audience(models.TextChoices):
    """Whom a question or an exam is for: the two Order 60 managers a business trains and tests."""

    DIRECTOR = "director", _("Food-safety director")
    OFFICER = "officer", _("Food-safety officer")


class ExamKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    ASSESSMENT = "assessment", _("Business assessment")
    SPOT = "spot", _("Bureau spot test")


class SpotResult(models.TextChoices):
    """Where a spot test stands; derived from the score and the due date, never stored."""

    PENDING = "pending", _("Waiting")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    MISSED = "missed", _("Missed")


# The answer options of a true-or-false question, as the bank file writes them.
JUDGE_OPTIONS = ["正确", "错误"]
