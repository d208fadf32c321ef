from .catalogue import Analyte, FoodCatalogue, FoodCategory, TestItem
from .followup import Disposal, Retest
from .lab import Lab, LabMember
from .limits import Limit, LimitSet
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
    "Retest",
    "Sample",
    "TestItem",
    "TestResult",
]
