from .lists import RiskControlList, RiskPoint
from .records import (
    DailyCheck,
    DailyCheckLine,
    LogEntry,
    MeetingPriority,
    MonthlyMeeting,
    WeeklyProblem,
    WeeklyReview,
)
from .selfcheck import SelfInspection, SelfInspectionAnswer
from .staffing import Appointment

__all__ = [
    "Appointment",
    "DailyCheck",
    "DailyCheckLine",
    "LogEntry",
    "MeetingPriority",
    "MonthlyMeeting",
    "RiskControlList",
    "RiskPoint",
    "SelfInspection",
    "SelfInspectionAnswer",
    "WeeklyProblem",
    "WeeklyReview",
]
