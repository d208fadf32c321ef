"""Self-inspections (企业自查) against the sector's supervision checklist, answered item by item and finished; what
they find can open the business's own rectification order (shian.inspection.services.rectification_self_open)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify
from shian.core.services.recipients import bureau_of
from shian.inspection.choices import Outcome
from shian.inspection.selectors import template_for
from shian.registry.models import Operator
from shian.registry.selectors import membership_role

from ..models import SelfInspection, SelfInspectionAnswer


def _require_manager(user, operator: Operator) -> None:
    if membership_role(user, operator) is None:
        raise ValidationError(_("Only the business's managers inspect it themselves."))


def _require_open(self_inspection: SelfInspection) -> None:
    if self_inspection.is_finished:
        raise ValidationError(_("A finished self-inspection cannot be changed."))


@transaction.atomic
def self_inspection_start(*, operator: Operator, by) -> SelfInspection:
    """Start a self-inspection against the checklist inspectors use for this business (or continue the open one)."""
    _require_manager(by, operator)
    current = SelfInspection.objects.filter(operator=operator, finished_at__isnull=True).first()
    if current is not None:
        return current
    template = template_for(operator)
    if template is None:
        raise ValidationError(_("No inspection checklist applies to this business yet."))
    self_inspection = SelfInspection.objects.create(operator=operator, template=template, started_by=by)
    SelfInspectionAnswer.objects.bulk_create(
        SelfInspectionAnswer(self_inspection=self_inspection, item=item) for item in template.items.order_by("order")
    )
    audit_record(actor=by, action="duty.self.start", obj=self_inspection)
    return self_inspection


@transaction.atomic
def self_inspection_answer(*, answer: SelfInspectionAnswer, by, outcome: str, note: str = "") -> SelfInspectionAnswer:
    self_inspection = answer.self_inspection
    _require_manager(by, self_inspection.operator)
    _require_open(self_inspection)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose yes, no or not applicable.")]})
    before = snapshot(answer)
    answer.outcome, answer.note = outcome, (note.strip() if outcome == Outcome.NO else "")
    answer.save(update_fields=["outcome", "note"])
    audit_record(actor=by, action="duty.self.answer", obj=answer, before=before)
    return answer


@transaction.atomic
def self_inspection_finish(*, self_inspection: SelfInspection, by, summary: str = "") -> SelfInspection:
    """Finish when every item is answered and every failed one says what was found; the regulators of the county
    are told when something failed."""
    _require_manager(by, self_inspection.operator)
    _require_open(self_inspection)
    answers = list(self_inspection.answers.select_related("item"))
    errors = [_("%(code)s: not answered.") % {"code": a.item.code} for a in answers if not a.outcome]
    errors += [
        _("%(code)s: say what was found.") % {"code": a.item.code}
        for a in answers
        if a.outcome == Outcome.NO and not a.note
    ]
    if errors:
        raise ValidationError(errors)
    before = snapshot(self_inspection)
    self_inspection.problems = sum(1 for a in answers if a.outcome == Outcome.NO)
    self_inspection.summary = summary.strip()
    self_inspection.finished_at = timezone.now()
    self_inspection.save(update_fields=["problems", "summary", "finished_at"])
    audit_record(actor=by, action="duty.self.finish", obj=self_inspection, before=before)
    payload = {
        "operator": self_inspection.operator_id,
        "template": self_inspection.template_id,
        "answers": [{"item": a.item.code, "outcome": a.outcome, "note": a.note} for a in answers],
    }
    ledger_append(kind="duty.self_inspection", payload=payload, obj=self_inspection, actor=by)
    if self_inspection.problems:
        notify(
            recipients=bureau_of(self_inspection.operator.region_id),
            kind="duty.self.problems",
            title=_("%(operator)s found %(n)d problem(s) in its self-inspection")
            % {"operator": self_inspection.operator.name, "n": self_inspection.problems},
            link=reverse("duty-self-detail", args=[self_inspection.pk]),
            dedupe_key=f"duty.self.problems:{self_inspection.pk}",
        )
    return self_inspection
