from .lists import RiskControlList, RiskPoint
from .records import DailyCheck, DailyCheckLine, MeetingPriority, MonthlyMeeting, WeeklyProblem, WeeklyReview
from .staffing import Appointment

__all__ = [
    "Appointment",
    "DailyCheck",
    "DailyCheckLine",
    "MeetingPriority",
    "MonthlyMeeting",
    "RiskControlList",
    "RiskPoint",
    "WeeklyProblem",
    "WeeklyReview",
]
