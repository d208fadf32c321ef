import hashlib
import secrets
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken
from .audit import audit_record, snapshot

KEY_PREFIX = "shian"


def api_scopes() -> dict[str, str]:
    """Every scope a token may carry, from the apps' `api_scopes`."""
    scopes: dict[str, str] = {}
    for config in apps.get_app_configs():
        scopes.update(getattr(config, "api_scopes", {}))
    return scopes


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, scopes: list[str], days: int, created_by=None) -> tuple[ApiToken, str]:
    """Issue a token acting as `user`; returns the token and its key, which is never shown again."""
    unknown = sorted(set(scopes) - set(api_scopes()))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}})
    if not 1 <= days <= 730:
        raise ValidationError({"days": _("A token lives between 1 and 730 days.")})
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hash_key(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=created_by,
    )
    audit_record(actor=created_by, action="api_token.create", obj=token, after=snapshot(token, exclude=("key_hash",)))
    return token, f"{KEY_PREFIX}_{prefix}_{secret}"


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token for a presented key, or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.key_hash, hash_key(parts[2])):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Stop a token from working. Revoking a revoked token changes nothing: the first revocation stands."""
    token.refresh_from_db(fields=["revoked_at"])
    if token.revoked_at is not None:
        return token
    before = snapshot(token, exclude=("key_hash",))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        action="api_token.revoke",
        obj=token,
        before=before,
        after=snapshot(token, exclude=("key_hash",)),
    )
    return token
