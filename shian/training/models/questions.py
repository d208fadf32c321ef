from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import QuestionKind, Topic


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(active=True)


class Question(models.Model):
    """A question of the training bank (题库) for food-safety directors and officers, loaded from a bank file
    (`shian training load`). A loaded version never changes: exams refer to its questions by id, so a new bank
    is a new version and the older one stops being drawn from."""

    code = models.CharField(_("code"), max_length=32)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    audience = models.JSONField(_("for"), default=list, help_text=_("director, officer or both"))
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list)
    answer = models.JSONField(_("right answer"), default=list, help_text=_("indexes of the right options, from 0"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(_("bank version"))
    active = models.BooleanField(_("drawn from"), default=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="training_question_code_per_version"),
            models.CheckConstraint(condition=models.Q(topic__in=Topic.values), name="training_question_topic_valid"),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values), name="training_question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE
