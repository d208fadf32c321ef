from .catalogue import Analyte, FoodCatalogue, FoodCategory, TestItem
from .limits import Limit, LimitSet

__all__ = ["Analyte", "FoodCatalogue", "FoodCategory", "Limit", "LimitSet", "TestItem"]
