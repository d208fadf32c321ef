"""What the training services share: their settings, drawing an exam's questions, who is told."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shian.core.models import User
from shian.registry.models import Operator, OperatorMembership

from ..models import Question
from ..rules import draw

DEFAULTS = {"QUESTIONS": 20, "PASS_MARK": 80, "SPOT_TEST_DAYS": 3}


def config(key: str) -> int:
    return getattr(settings, "SHIAN_TRAINING", {}).get(key, DEFAULTS[key])


def membership_role(user, operator: Operator) -> str | None:
    """The user's role at the business (their membership), or None when they are not one of its users."""
    if user is None or not user.is_authenticated:
        return None
    return OperatorMembership.objects.filter(user=user, operator=operator).values_list("role", flat=True).first()


def require_member(user, operator: Operator) -> str:
    role = membership_role(user, operator)
    if role is None:
        raise ValidationError(_("Only a user of this business can take its tests."))
    return role


def draw_questions(audience: str) -> tuple[str, list[int]]:
    """A new seed and the questions it draws for `audience` from the bank in use."""
    pool = [
        (pk, topic)
        for pk, topic, audiences in Question.objects.active().values_list("pk", "topic", "audience")
        if audience in audiences
    ]
    if not pool:
        raise ValidationError(
            _("The question bank has no questions for this role yet; load it first (shian training load --shipped).")
        )
    seed = secrets.token_hex(8)
    return seed, draw(pool, config("QUESTIONS"), seed)


def managers_of(operator_id: int, roles) -> list[User]:
    """The business's active users holding one of `roles` there."""
    return list(
        User.objects.filter(
            operator_memberships__operator=operator_id, operator_memberships__role__in=roles, is_active=True
        ).distinct()
    )
