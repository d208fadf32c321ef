from .events import EventItem, LotLink, TraceEvent
from .objects import Lot, Product, TraceCode
from .places import Location

__all__ = ["EventItem", "Location", "Lot", "LotLink", "Product", "TraceCode", "TraceEvent"]
