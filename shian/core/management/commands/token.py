from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shian.core.models import ApiToken
from shian.core.services.tokens import api_scopes, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = (
        "API tokens for integrations: `token create USER --name N --scope S [--scope S] --days D`, "
        "`token list`, `token revoke PREFIX`, `token scopes`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", required=True)
        create.add_argument("--scope", action="append", default=[], dest="scopes")
        create.add_argument("--days", type=int, default=365)
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        sub.add_parser("scopes")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, username, name, scopes, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}")
        try:
            token, key = api_token_create(user=user, name=name, scopes=scopes, days=days)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        self.stdout.write(
            f"Token {token.prefix} for {username}, expires {timezone.localdate(token.expires_at)}, "
            f"scopes {', '.join(token.scopes)}"
        )
        self.stdout.write(f"Key (shown once): {key}")

    def handle_list(self, **options):
        for token in ApiToken.objects.select_related("user"):
            state = "revoked" if token.revoked_at else "expired" if token.is_expired else "active"
            self.stdout.write(
                f"{token.prefix}  {token.user.username:20} {token.name:30} {state:8} "
                f"{timezone.localdate(token.expires_at)}  {','.join(token.scopes)}"
            )

    def handle_revoke(self, *, prefix, **options):
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token {prefix!r}")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {prefix} was already revoked on {timezone.localdate(token.revoked_at)}")
            return
        api_token_revoke(token=token, by=None)
        self.stdout.write(f"Revoked {prefix}")

    def handle_scopes(self, **options):
        for scope, label in sorted(api_scopes().items()):
            self.stdout.write(f"{scope:20} {label}")
