from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Role, UserKind
from ..rules import region_contains


class User(AbstractUser):
    """A person or integration account. Regulators see their jurisdiction; business users their operators."""

    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UserKind.choices, default=UserKind.PUBLIC)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    jurisdiction = models.ForeignKey(
        "core.Region",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.real_name or self.username

    def clean(self):
        super().clean()
        if self.kind == UserKind.REGULATOR:
            errors = {}
            if not self.agency_id:
                errors["agency"] = _("A regulator belongs to an agency.")
            if not self.jurisdiction_id:
                errors["jurisdiction"] = _("A regulator needs a jurisdiction.")
            elif self.agency_id and not region_contains(self.agency.region_id, self.jurisdiction_id):
                errors["jurisdiction"] = _("The jurisdiction must lie within the agency's region.")
            if errors:
                raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def roles(self) -> set[str]:
        if not hasattr(self, "_roles"):
            self._roles = set(self.groups.filter(name__in=Role.values).values_list("name", flat=True))
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def signed_in(user) -> "User | None":
    """The user when a person or integration is signed in; None for the system, the CLI without --as, or an
    anonymous visitor (what records store as "who")."""
    return user if getattr(user, "is_authenticated", False) else None
