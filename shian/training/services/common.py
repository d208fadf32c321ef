"""What the training services share: their settings, who may take a business's tests, drawing an exam's questions."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shian.registry.models import Operator
from shian.registry.selectors import membership_role

from ..models import Question
from ..rules import draw


def config(key: str) -> int:
    return settings.SHIAN_TRAINING[key]


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
