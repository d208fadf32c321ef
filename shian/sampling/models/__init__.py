from .catalogue import Analyte, FoodCatalogue, FoodCategory, TestItem
from .lab import Lab, LabMember
from .limits import Limit, LimitSet
from .sample import Sample, TestResult

__all__ = [
    "Analyte",
    "FoodCatalogue",
    "FoodCategory",
    "Lab",
    "LabMember",
    "Limit",
    "LimitSet",
    "Sample",
    "TestItem",
    "TestResult",
]
