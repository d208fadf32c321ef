from .catalogue import Analyte, FoodCatalogue, FoodCategory, TestItem
from .followup import Disposal, Retest
from .lab import Lab, LabMember
from .limits import Limit, LimitSet
from .plan import Nomination, PlanQuota, PublicVote, SamplingPlan, SamplingTask
from .rapid import RapidTest
from .sample import Sample, TestResult

__all__ = [
    "Analyte",
    "Disposal",
    "FoodCatalogue",
    "FoodCategory",
    "Lab",
    "LabMember",
    "Limit",
    "LimitSet",
    "Nomination",
    "PlanQuota",
    "PublicVote",
    "RapidTest",
    "Retest",
    "Sample",
    "SamplingPlan",
    "SamplingTask",
    "TestItem",
    "TestResult",
]
