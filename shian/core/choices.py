"""Choices shared across the platform: user kinds, roles, agency kinds, region levels, audit sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")


class UserKind(models.TextChoices):
    """Which side of the platform a user works on; decides how `visible_to` scopes them."""

    REGULATOR = "regulator", _("Regulator")
    BUSINESS = "business", _("Food business")
    LAB = "lab", _("Testing lab")
    PUBLIC = "public", _("Member of the public")


class Role(models.TextChoices):
    """Roles of DESIGN.md §3; each is a Django group holding that role's permissions."""

    ADMIN = "admin", _("Platform administrator")
    AGENCY_HEAD = "agency_head", _("Agency head")
    INSPECTOR = "inspector", _("Inspector")
    CASE_OFFICER = "case_officer", _("Case officer")
    SAMPLING_OFFICER = "sampling_officer", _("Sampling officer")
    COMMITTEE_OFFICE = "committee_office", _("Food-safety committee office")
    LAB = "lab", _("Lab analyst")
    PRINCIPAL = "principal", _("Main person in charge")
    DIRECTOR = "director", _("Food-safety director")
    OFFICER = "officer", _("Food-safety officer")
    PUBLIC = "public", _("Public")
    INTEGRATION = "integration", _("System integration")


ROLE_KIND = {
    Role.ADMIN: UserKind.REGULATOR,
    Role.AGENCY_HEAD: UserKind.REGULATOR,
    Role.INSPECTOR: UserKind.REGULATOR,
    Role.CASE_OFFICER: UserKind.REGULATOR,
    Role.SAMPLING_OFFICER: UserKind.REGULATOR,
    Role.COMMITTEE_OFFICE: UserKind.REGULATOR,
    Role.LAB: UserKind.LAB,
    Role.PRINCIPAL: UserKind.BUSINESS,
    Role.DIRECTOR: UserKind.BUSINESS,
    Role.OFFICER: UserKind.BUSINESS,
    Role.PUBLIC: UserKind.PUBLIC,
    Role.INTEGRATION: None,  # an integration account may act for a regulator, a lab or a business
}


class AgencyKind(models.TextChoices):
    BUREAU = "bureau", _("Market-supervision bureau")
    BRANCH = "branch", _("Branch bureau")
    STATION = "station", _("Market-supervision station")
    COMMITTEE = "committee", _("Food-safety committee office")
    OTHER = "other", _("Other department")


class AuditSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    JOB = "job", _("Background job")
    SYSTEM = "system", _("System")
