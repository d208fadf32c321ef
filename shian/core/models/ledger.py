from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class LedgerEntry(models.Model):
    """An append-only, hash-chained record of evidence and key decisions. Each entry's hash covers its own
    content and the previous entry's hash, so editing, deleting or reordering any row breaks the chain."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # Plain values, not a foreign key: deleting a user must never rewrite the ledger.
    actor_id = models.PositiveBigIntegerField(_("actor id"), null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    payload = models.JSONField(_("payload"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_ledger_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class LedgerHead(models.Model):
    """The chain's tip (one row). Appends lock it, so concurrent writers queue; verification compares the
    last entry with it, so removing entries from the end is detected too."""

    seq = models.PositiveBigIntegerField(_("sequence"), default=0)
    hash = models.CharField(_("hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("ledger head")

    def __str__(self) -> str:
        return f"head #{self.seq}"
