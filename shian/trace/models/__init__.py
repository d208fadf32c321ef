from .control import ControlHolder, ControlOrder
from .events import EventItem, LotLink, TraceEvent
from .objects import Lot, Product, TraceCode
from .places import Location
from .receiving import DocumentKind, ProductClass, Receipt, Supplier, TraceDocument

__all__ = [
    "ControlHolder",
    "ControlOrder",
    "DocumentKind",
    "EventItem",
    "Location",
    "Lot",
    "LotLink",
    "Product",
    "ProductClass",
    "Receipt",
    "Supplier",
    "TraceCode",
    "TraceDocument",
    "TraceEvent",
]
