from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DutyRole(models.TextChoices):
    """The three Order 60 roles a business appoints (regulations.md §3)."""

    PRINCIPAL = "principal", _("Main person in charge")
    DIRECTOR = "director", _("Food-safety director")
    OFFICER = "officer", _("Food-safety officer")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Frequency(models.TextChoices):
    """管控频次: how often a risk point is checked."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class RecordsOn(models.TextChoices):
    """Which days a business keeps its daily record: every day, or working days only (a school canteen is
    closed on weekends and holidays, make-up days included as the Chinese calendar has them)."""

    EVERY_DAY = "every_day", _("Every day")
    WORKING_DAYS = "working_days", _("Working days")


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class Assessment(models.TextChoices):
    """三、本周食品安全管理情况评价: the weekly report's three levels (regulations.md §3 [S])."""

    CONTROLLED = "controlled", _("Risk under control, no major hazard")
    HAZARDS = "hazards", _("Hazards present, act soon")
    SERIOUS = "serious", _("Serious hazards, the main person in charge must attend")


class ProblemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("problem", "Open")
    FIXED = "fixed", pgettext_lazy("problem", "Fixed")


class DutyKind(models.TextChoices):
    """The three records of the Order 60 risk mechanism (日管控、周排查、月调度)."""

    DAILY = "daily", _("Daily check")
    WEEKLY = "weekly", _("Weekly review")
    MONTHLY = "monthly", _("Monthly meeting")


class LogKind(models.TextChoices):
    """The daily operational records of canteens and caterers (台账) inspectors ask for first."""

    MORNING_CHECK = "morning_check", _("Morning health check")
    RETAINED_SAMPLE = "retained_sample", _("Retained food sample")
    DISINFECTION = "disinfection", _("Tableware disinfection")
    ACCOMPANIED_MEAL = "accompanied_meal", _("Accompanied meal")
    WASTE = "waste", _("Food waste and used oil")
    ADDITIVE = "additive", _("Food additive use")
    MENU = "menu", _("Published menu")


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")
    OTHER = "other", _("Other")


class Symptom(models.TextChoices):
    """Conditions that keep a food handler off duty (FSL art. 45; GB 31654-2021 §13 [S])."""

    FEVER = "fever", _("Fever")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    VOMITING = "vomiting", _("Vomiting")
    JAUNDICE = "jaundice", _("Jaundice")
    SORE_THROAT = "sore_throat", _("Sore throat with fever")
    SKIN_INFECTION = "skin_infection", _("Infected skin lesion")


class DisinfectionMethod(models.TextChoices):
    HEAT = "heat", _("Heat (boiling or steam)")
    CABINET = "cabinet", _("Disinfection cabinet")
    CHEMICAL = "chemical", _("Chemical disinfectant")


class WasteKind(models.TextChoices):
    KITCHEN_WASTE = "kitchen_waste", _("Kitchen waste")
    USED_OIL = "used_oil", _("Used cooking oil")
