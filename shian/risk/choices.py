from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """Risk grade (风险等级), A lowest risk to D highest [S: 2016 trial measures, regulations.md §1.1]."""

    A = "A", _("A (low risk)")
    B = "B", _("B (fairly low risk)")
    C = "C", _("C (fairly high risk)")
    D = "D", _("D (high risk)")


class GradeBasis(models.TextChoices):
    """How a grade was set."""

    COMPUTED = "computed", _("Computed from the rule-set")
    OVERRIDE = "override", _("Set by hand")


class RegradeStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
