from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryLevel(models.IntegerChoices):
    """The four levels of the national sampling system's food categories (regulations.md §2, §8.3)."""

    MAJOR = 1, _("Major category (大类)")
    SUB = 2, _("Subcategory (亚类)")
    MINOR = 3, _("Minor category (次亚类)")
    DETAIL = 4, _("Detailed category (细类)")


class AnalyteGroup(models.TextChoices):
    ADDITIVE = "additive", _("Food additive")
    CONTAMINANT = "contaminant", _("Contaminant")
    MYCOTOXIN = "mycotoxin", _("Mycotoxin")
    PESTICIDE = "pesticide", _("Pesticide residue")
    VET_DRUG = "vet_drug", _("Veterinary drug residue")
    MICROBE = "microbe", _("Microorganism")
    QUALITY = "quality", _("Quality indicator")
    ILLEGAL = "illegal", _("Non-food substance")
    OTHER = "other", _("Other")


class LimitKind(models.TextChoices):
    """What a limit says of an analyte in a food category."""

    MAX = "max", _("Maximum level")
    MIN = "min", _("Minimum level")
    NOT_DETECTED = "not_detected", _("Must not be detected")
    NOT_PERMITTED = "not_permitted", _("Not permitted in this food")


class Verdict(models.TextChoices):
    """判定: per test item and per sample."""

    PASS = "pass", _("Pass (合格)")
    FAIL = "fail", _("Fail (不合格)")
    NOT_JUDGED = "not_judged", _("Not judged")


class Stage(models.TextChoices):
    """Where in the chain a sample is taken."""

    PRODUCTION = "production", _("Production")
    DISTRIBUTION = "distribution", _("Distribution")
    CATERING = "catering", _("Catering")
    FARM_MARKET = "farm_market", _("Farm-produce market")


class SampleStatus(models.TextChoices):
    """A sample's way from the shop to its verdict (SAMR Order 15; regulations.md §2)."""

    SAMPLED = "sampled", _("Sampled, on the way to the lab")
    TESTING = "testing", _("At the lab")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ResultStatus(models.TextChoices):
    JUDGED = "judged", _("Judged")
    PENDING_REVIEW = "pending_review", _("Pending review")


class ResultSource(models.TextChoices):
    WEB = "web", _("Entered on the web")
    IMPORT = "import", _("Imported from a file")
    API = "api", _("Pushed by a lab system")


class RetestStatus(models.TextChoices):
    """A re-test (复检) from the application to its final result (FSL art. 88 ¶1; Order 15 arts. 30–35)."""

    APPLIED = "applied", _("Applied for")
    REFUSED = "refused", _("Refused")
    TESTING = "testing", _("At the re-test lab")
    CONCLUDED = "concluded", _("Concluded")


class FeeBearer(models.TextChoices):
    """Who bears a re-test's fee [V: Implementing Regulations art. 42]."""

    APPLICANT = "applicant", _("The applicant")
    BUREAU = "bureau", _("The sampling bureau")


class DisposalStatus(models.TextChoices):
    """核查处置: ordered by the bureau, reported by the business, verified by the bureau."""

    ORDERED = "ordered", _("Ordered")
    REPORTED = "reported", _("Reported by the business")
    RETURNED = "returned", _("Returned for more")
    CLOSED = "closed", _("Verified and closed")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To sample")
    DONE = "done", _("Sampled")


class NominationStatus(models.TextChoices):
    OPEN = "open", _("Open for votes")
    PLANNED = "planned", _("Taken into a plan")


class RapidResult(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive (suspect)")


class RapidFollowUp(models.TextChoices):
    """What follows a positive rapid test."""

    SAMPLE = "sample", _("Lab sample taken")
    DISPOSED = "disposed", _("Disposed of on the spot")
