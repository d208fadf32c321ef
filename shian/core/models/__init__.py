from .agency import Agency
from .audit import AuditEntry
from .calendar import CalendarDay, HolidayNotice
from .evidence import Evidence, EvidenceFlag
from .ledger import GENESIS_HASH, LedgerEntry, LedgerHead
from .notification import Notification
from .region import Region
from .scoping import Scope, ScopedManager, ScopedQuerySet
from .token import ApiToken
from .user import User, signed_in

__all__ = [
    "GENESIS_HASH",
    "Agency",
    "ApiToken",
    "AuditEntry",
    "CalendarDay",
    "Evidence",
    "EvidenceFlag",
    "HolidayNotice",
    "LedgerEntry",
    "LedgerHead",
    "Notification",
    "Region",
    "Scope",
    "ScopedManager",
    "ScopedQuerySet",
    "User",
    "signed_in",
]
