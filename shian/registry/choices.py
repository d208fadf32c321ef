from django.db import models
from django.utils.translation import gettext_lazy as _


class OperatorStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    REVOKED = "revoked", _("Licence revoked")


class OperatorCategory(models.TextChoices):
    """主体业态: the kind of food business, which decides licences, checklists and risk tables."""

    PRODUCTION = "production", _("Food producer")
    WORKSHOP = "workshop", _("Small food workshop")
    SALES = "sales", _("Food seller")
    CATERING = "catering", _("Catering service")
    CANTEEN = "canteen", _("Institutional canteen")
    CENTRAL_KITCHEN = "central_kitchen", _("Central kitchen")
    GROUP_MEAL = "group_meal", _("Collective meal delivery")
    VENDOR = "vendor", _("Food stall")
    COLD_STORAGE = "cold_storage", _("Third-party cold store")


class CanteenKind(models.TextChoices):
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    HOSPITAL = "hospital", _("Hospital")
    ENTERPRISE = "enterprise", _("Enterprise")
    GOVERNMENT = "government", _("Government")


class OperatorScale(models.TextChoices):
    """企业规模 (the national statistical size classes): large and medium businesses must appoint a food-safety
    director (SAMR Order 60, regulations.md §3 [S])."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class SpecialFood(models.TextChoices):
    """Special foods (特殊食品) a business produces or sells; they raise its risk and its checks."""

    HEALTH_FOOD = "health_food", _("Health food")
    INFANT_FORMULA = "infant_formula", _("Infant formula")
    MEDICAL_FOOD = "medical_food", _("Food for special medical purposes")


class LicenceKind(models.TextChoices):
    SC = "SC", _("Food production licence (SC)")
    JY = "JY", _("Food business licence (JY)")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    CANCELLED = "cancelled", _("Cancelled")


class StaffRole(models.TextChoices):
    PRINCIPAL = "principal", _("Main person in charge")
    DIRECTOR = "director", _("Food-safety director")
    OFFICER = "officer", _("Food-safety officer")
    WORKER = "worker", _("Worker")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MembershipRole(models.TextChoices):
    """A business user's role at an operator (SAMR Order 60 roles)."""

    PRINCIPAL = "principal", _("Main person in charge")
    DIRECTOR = "director", _("Food-safety director")
    OFFICER = "officer", _("Food-safety officer")


# The Chinese names the import accepts (as in bureaus' licence databases), fixed by the registry issue;
# the UI shows the translated labels above.
CATEGORY_NAMES_ZH = {
    OperatorCategory.PRODUCTION: ["食品生产者", "食品生产"],
    OperatorCategory.WORKSHOP: ["食品小作坊", "小作坊"],
    OperatorCategory.SALES: ["食品销售者", "食品销售", "食品销售经营者"],
    OperatorCategory.CATERING: ["餐饮服务提供者", "餐饮服务", "餐饮服务经营者"],
    OperatorCategory.CANTEEN: ["单位食堂"],
    OperatorCategory.CENTRAL_KITCHEN: ["中央厨房"],
    OperatorCategory.GROUP_MEAL: ["集体用餐配送单位"],
    OperatorCategory.VENDOR: ["食品摊贩"],
    OperatorCategory.COLD_STORAGE: ["第三方冷库"],
}
CANTEEN_KIND_NAMES_ZH = {
    CanteenKind.SCHOOL: ["学校", "学校食堂"],
    CanteenKind.KINDERGARTEN: ["幼儿园", "托幼机构"],
    CanteenKind.ELDERLY_CARE: ["养老机构", "养老"],
    CanteenKind.HOSPITAL: ["医疗机构", "医院"],
    CanteenKind.ENTERPRISE: ["企业", "企事业单位"],
    CanteenKind.GOVERNMENT: ["机关", "机关事业单位"],
}
SPECIAL_FOOD_NAMES_ZH = {
    SpecialFood.HEALTH_FOOD: ["保健食品"],
    SpecialFood.INFANT_FORMULA: ["婴幼儿配方食品", "婴幼儿配方"],
    SpecialFood.MEDICAL_FOOD: ["特殊医学用途配方食品", "特医食品", "特医"],
}
