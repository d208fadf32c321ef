"""Every write of the inspection app: checklists, inspections and their answers, results, publication and the
rectification loop. Each service validates, writes, audits (and records decisions in the ledger) in one
transaction, and notifies after commit."""

import datetime
import tomllib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import Role, UserKind
from shian.core.models import Evidence, User, signed_in
from shian.core.rules import region_contains
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify
from shian.core.services.recipients import bureau_of
from shian.core.workdays import CalendarYearUnknown, add_working_days
from shian.registry.models import Operator
from shian.risk.selectors import ruleset_for
from shian.risk.services import operator_regrade

from .checklist import ChecklistError, parse_checklist
from .choices import (
    InspectionKind,
    InspectionStatus,
    Outcome,
    PlanStatus,
    RectificationKind,
    RectificationStatus,
    Result,
)
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    ItemResult,
    PlanTarget,
    Rectification,
    RectificationStep,
)
from .rules import (
    MIN_INSPECTORS,
    PUBLISH_WITHIN_WORKING_DAYS,
    Answer,
    checklist_result,
    needs_case,
    repeat_blocked,
    risk_points,
)
from .selectors import template_for

# --- Checklists ---------------------------------------------------------------------------------------------


def checklist_load(*, content: bytes, by=None, jurisdiction: str = "") -> tuple[ChecklistTemplate, bool]:
    """Load a checklist file (TOML) as a template version; the same code and version again changes nothing.
    Raises ChecklistError listing every problem of a bad file."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError([f"not a TOML file: {exc}"]) from exc
    fields, items = parse_checklist(data)
    with transaction.atomic():
        existing = ChecklistTemplate.objects.filter(
            code=fields["code"], version=fields["version"], jurisdiction=jurisdiction
        ).first()
        if existing is not None:
            return existing, False
        template = ChecklistTemplate.objects.create(**fields, jurisdiction=jurisdiction, created_by=signed_in(by))
        ChecklistItem.objects.bulk_create(ChecklistItem(template=template, **item) for item in items)
        audit_record(actor=by, action="checklist.load", obj=template)
    return template, True


@transaction.atomic
def checklist_copy(*, template: ChecklistTemplate, by: User) -> ChecklistTemplate:
    """A province's or city's own editable version of a template, applying within the user's jurisdiction
    (Order 49 art. 14: a province may refine the national checkpoints [V])."""
    jurisdiction = by.jurisdiction_id or ""
    if not jurisdiction or not by.has_perm("inspection.change_checklisttemplate"):
        raise ValidationError(_("Only an agency head with a jurisdiction can adapt a checklist."))
    if template.jurisdiction and not region_contains(template.jurisdiction, jurisdiction):
        raise ValidationError(_("Only a national checklist or one of a region above yours can be adapted."))
    latest = (
        ChecklistTemplate.objects.filter(code=template.code, jurisdiction=jurisdiction).order_by("-version").first()
    )
    copy = ChecklistTemplate.objects.create(
        code=template.code,
        version=(latest.version if latest else 0) + 1,
        jurisdiction=jurisdiction,
        name=template.name,
        sector=template.sector,
        categories=template.categories,
        special_foods=template.special_foods,
        source=template.source,
        confidence=template.confidence,
        notes=template.notes,
        based_on=template,
        active=False,  # in use once its editor says so
        created_by=by,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=copy,
            **{
                f: getattr(item, f)
                for f in (
                    "section_code",
                    "section_title",
                    "article",
                    "code",
                    "text",
                    "key",
                    "points",
                    "evidence_expected",
                    "order",
                )
            },
        )
        for item in template.items.all()
    )
    audit_record(actor=by, action="checklist.copy", obj=copy)
    return copy


def _editable(template: ChecklistTemplate, by: User) -> None:
    if not template.jurisdiction or not by.jurisdiction_id or template.jurisdiction != by.jurisdiction_id:
        raise ValidationError(_("Only the region that owns this checklist version may change it; copy it first."))
    if Inspection.objects.filter(template=template).exists():
        raise ValidationError(_("Inspections used this version already: copy it to make a new version."))


def _order_in_section(template: ChecklistTemplate, section_code: str) -> int:
    """The place of a new item: after its section's last item (the later items move down one), or at the end."""
    last = template.items.filter(section_code=section_code).order_by("-order").first()
    if last is None:
        return template.items.count() + 1
    template.items.filter(order__gt=last.order).update(order=F("order") + 1)
    return last.order + 1


@transaction.atomic
def checklist_item_save(*, template: ChecklistTemplate, by: User, item: ChecklistItem | None = None, **fields):
    """Add an item to, or change an item of, an editable checklist version."""
    _editable(template, by)
    before = snapshot(item) if item else None
    if item is None:
        item = ChecklistItem(template=template, order=_order_in_section(template, fields.get("section_code", "")))
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit_record(actor=by, action="checklist.item.save", obj=item, before=before)
    return item


@transaction.atomic
def checklist_activate(*, template: ChecklistTemplate, by: User, active: bool) -> ChecklistTemplate:
    if not by.is_superuser and (not template.jurisdiction or template.jurisdiction != by.jurisdiction_id):
        raise ValidationError(_("Only the region that owns this checklist version may put it in use."))
    before = snapshot(template)
    template.active = active
    template.save(update_fields=["active"])
    audit_record(
        actor=by, action="checklist.activate" if active else "checklist.deactivate", obj=template, before=before
    )
    return template


# --- Inspections --------------------------------------------------------------------------------------------


def _check_inspectors(operator: Operator, inspectors: list[User]) -> None:
    """At least two inspectors, each from an agency whose jurisdiction covers the operator [V: Order 49 art. 23]."""
    people = {u.pk: u for u in inspectors}.values()
    if len(people) < MIN_INSPECTORS:
        raise ValidationError({"inspectors": _("An inspection needs at least two inspectors.")})
    for person in people:
        if person.kind != UserKind.REGULATOR or not person.has_role(Role.INSPECTOR, Role.AGENCY_HEAD):
            raise ValidationError({"inspectors": _("%(name)s is not an inspector.") % {"name": person}})
        if not person.agency_id or not region_contains(person.agency.region_id, operator.region_id):
            raise ValidationError(
                {"inspectors": _("%(name)s's agency does not cover this business's county.") % {"name": person}}
            )


def _higher_level_inspection_on(operator: Operator, agency, since: datetime.datetime) -> datetime.date | None:
    """The latest finished inspection of the operator since `since` by an agency above `agency`."""
    recent = (
        Inspection.objects.filter(operator=operator, status=InspectionStatus.FINISHED, finished_at__gte=since)
        .select_related("agency")
        .order_by("-finished_at")
    )
    for inspection in recent:
        above = inspection.agency.region_id
        if above != agency.region_id and region_contains(above, agency.region_id):
            return timezone.localdate(inspection.finished_at)
    return None


@transaction.atomic
def inspection_start(
    *,
    operator: Operator,
    by: User,
    inspectors: list[User],
    kind: str = InspectionKind.ROUTINE,
    target=None,
    is_lead: bool = False,
    template: ChecklistTemplate | None = None,
) -> Inspection:
    """Open an inspection of an operator with its checklist, one blank answer per item. An unannounced
    (飞行) inspection need not cover every checkpoint (Order 49 art. 27 [V])."""
    if by not in inspectors:
        inspectors = [by, *inspectors]
    _check_inspectors(operator, inspectors)
    template = template or template_for(operator)
    if template is None:
        raise ValidationError(_("No checklist is in use for this kind of business."))
    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=100)
    blocked_until = repeat_blocked(
        higher_level_on=_higher_level_inspection_on(operator, by.agency, since), today=today, is_lead=is_lead
    )
    if blocked_until is not None:
        raise ValidationError(
            {
                "is_lead": _(
                    "A higher-level bureau inspected this business recently: the same items may not be inspected "
                    "again before %(date)s unless you follow a lead (Order 49 art. 42)."
                )
                % {"date": blocked_until.isoformat()}
            }
        )
    if target is None and kind == InspectionKind.ROUTINE:
        target = _plan_target(operator, today)
    inspection = Inspection.objects.create(
        operator=operator,
        kind=kind,
        target=target,
        template=template,
        agency=by.agency,
        full=kind != InspectionKind.FLYING,
        is_lead=is_lead,
        status=InspectionStatus.IN_PROGRESS,
        started_at=timezone.now(),
        created_by=by,
    )
    inspection.inspectors.set(inspectors)
    ItemResult.objects.bulk_create(ItemResult(inspection=inspection, item=item) for item in template.items.all())
    audit_record(
        actor=by,
        action="inspection.start",
        obj=inspection,
        after=snapshot(inspection) | {"inspectors": sorted(u.pk for u in inspectors)},
    )
    return inspection


def _plan_target(operator: Operator, today: datetime.date) -> PlanTarget | None:
    """The operator's place in this year's published plan, if it was drawn: a routine inspection counts for it."""
    return (
        PlanTarget.objects.filter(
            operator=operator, drawn=True, plan__year=today.year, plan__status=PlanStatus.PUBLISHED
        )
        .order_by("-plan__region_id")
        .first()
    )


def _require_in_progress(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise ValidationError(_("The inspection is finished; its answers can no longer change."))


@transaction.atomic
def inspection_answer(
    *, answer: ItemResult, by: User, outcome: str, note: str = "", affects_safety: bool = False
) -> ItemResult:
    """Answer one checklist item (yes / no / not applicable), with a note; "affects food safety" only on a
    failed general item."""
    _require_in_progress(answer.inspection)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Answer yes, no or not applicable.")})
    before = snapshot(answer)
    answer.outcome, answer.note = outcome, (note or "").strip()
    answer.affects_safety = bool(affects_safety) and outcome == Outcome.NO and not answer.item.key
    answer.save()
    audit_record(actor=by, action="inspection.answer", obj=answer, before=before)
    return answer


def _answers(inspection: Inspection) -> list[Answer]:
    return [
        Answer(key=a.item.key, outcome=a.outcome, affects_safety=a.affects_safety, points=a.item.points)
        for a in inspection.answers.select_related("item")
    ]


def publication_deadline(finished_on: datetime.date) -> datetime.date | None:
    """The last day to publish a result: 20 working days [V: Order 49 art. 39]; None while the calendar of that
    year is not loaded (the holiday-notice reminder asks for it)."""
    try:
        return add_working_days(finished_on, PUBLISH_WITHIN_WORKING_DAYS)
    except CalendarYearUnknown:
        return None


@transaction.atomic
def inspection_finish(
    *,
    inspection: Inspection,
    by: User,
    result: str = "",
    result_reason: str = "",
    signed_by: str = "",
    signature: str = "",
    refused: bool = False,
    witness: str = "",
    stop_order: bool = False,
    stop_order_note: str = "",
    obstructed: bool = False,
    summary: str = "",
) -> Inspection:
    """Close an inspection: every item answered (a full inspection), the result derived from the answers
    (another result only with a reason), the operator's signature or refusal with a witness [V: Order 49
    art. 34], the case mark for 不符合 [V: art. 32] and a stop order where chosen [V: art. 31]. The result
    goes to the ledger; its publication deadline follows [V: art. 39]."""
    _require_in_progress(inspection)
    answers = _answers(inspection)
    errors: dict[str, list[str]] = {}
    blank = sum(1 for a in answers if not a.outcome)
    if inspection.full and blank:
        errors["answers"] = [_("%(n)s checklist items are not answered yet.") % {"n": blank}]
    derived = checklist_result(answers)
    result = result or derived
    if result not in Result.values:
        errors["result"] = [_("Choose a result.")]
    elif result != derived and not result_reason.strip():
        errors["result_reason"] = [_("Give the reason for a result other than the checklist's.")]
    signed_by, witness = signed_by.strip(), witness.strip()
    if refused:
        if not witness:
            errors["witness"] = [_("A refusal to sign needs a witness.")]
    elif not signed_by or not signature:
        errors["signed_by"] = [_("The business signs the record, or its refusal is recorded with a witness.")]
    if stop_order and not stop_order_note.strip():
        errors["stop_order_note"] = [_("Say what must stop.")]
    if errors:
        raise ValidationError(errors)

    before = snapshot(inspection)
    now = timezone.now()
    failed, applicable = risk_points(answers)
    inspection.status = InspectionStatus.FINISHED
    inspection.finished_at = now
    inspection.derived_result, inspection.result = derived, result
    inspection.result_reason = result_reason.strip() if result != derived else ""
    inspection.failed_points, inspection.applicable_points = failed, applicable
    inspection.signed_by, inspection.signature = ("", "") if refused else (signed_by, signature)
    inspection.refused, inspection.witness = refused, witness if refused else ""
    inspection.for_case = needs_case(result)
    inspection.stop_order, inspection.stop_order_note = stop_order, stop_order_note.strip() if stop_order else ""
    inspection.obstructed, inspection.summary = obstructed, summary.strip()
    inspection.publish_by = publication_deadline(timezone.localdate(now))
    inspection.save()
    audit_record(actor=by, action="inspection.finish", obj=inspection, before=before)
    ledger_append(kind="inspection.result", obj=inspection, actor=by, payload=_result_payload(inspection))
    _regrade(inspection.operator, by)
    _tell_business(
        inspection.operator,
        kind="inspection.finished",
        title=_("Inspection result: %(result)s") % {"result": inspection.get_result_display()},
        link=reverse("inspection-detail", args=[inspection.pk]),
        key=f"inspection.finished:{inspection.pk}",
    )
    return inspection


def _regrade(operator: Operator, by: User) -> None:
    """A full inspection changes the dynamic score, a result may raise the grade: grade again at once (where a
    rule-set is in force)."""
    if ruleset_for(operator.region_id, timezone.localdate()) is not None:
        operator_regrade(operator=operator, by=by)


def _result_payload(inspection: Inspection) -> dict:
    return {
        "operator": inspection.operator_id,
        "result": inspection.result,
        "derived_result": inspection.derived_result,
        "result_reason": inspection.result_reason,
        "answers": {
            a.item.code: [a.outcome, a.affects_safety]
            for a in inspection.answers.select_related("item").order_by("item__order")
        },
        "inspectors": sorted(inspection.inspectors.values_list("pk", flat=True)),
        "signed_by": inspection.signed_by,
        "refused": inspection.refused,
        "witness": inspection.witness,
        "for_case": inspection.for_case,
        "stop_order": inspection.stop_order,
        "finished_at": inspection.finished_at.isoformat(),
    }


@transaction.atomic
def inspection_publish(*, inspection: Inspection, by: User) -> Inspection:
    """Publish a finished inspection's result on the business's public page [V: Order 49 art. 39]."""
    if not inspection.is_finished:
        raise ValidationError(_("Only a finished inspection can be published."))
    if inspection.published_at is not None:
        return inspection
    before = snapshot(inspection)
    inspection.published_at = timezone.now()
    inspection.save(update_fields=["published_at"])
    audit_record(actor=by, action="inspection.publish", obj=inspection, before=before)
    return inspection


def _tell_business(operator: Operator, *, kind: str, title: str, link: str, key: str, body: str = "") -> None:
    members = User.objects.filter(operator_memberships__operator=operator, is_active=True)
    notify(recipients=list(members), kind=kind, title=title, body=body, link=link, dedupe_key=key)


# --- Rectification (整改闭环) -------------------------------------------------------------------------------


def rectification_deadline(issued_on: datetime.date, working_days: int) -> datetime.date:
    """The deadline of an order: `working_days` working days after the day it is issued."""
    try:
        return add_working_days(issued_on, working_days)
    except CalendarYearUnknown as exc:
        raise ValidationError({"working_days": [str(exc)]}) from exc


def _step(order: Rectification, status: str, by: User, note: str = "") -> None:
    RectificationStep.objects.create(rectification=order, status=status, at=timezone.now(), by=by, note=note)


@transaction.atomic
def rectification_issue(
    *,
    inspection: Inspection,
    by: User,
    kind: str,
    answers: list[ItemResult],
    requirement: str,
    working_days: int | None = None,
    evidence: list[Evidence] = (),
) -> Rectification:
    """Order failed items fixed [V: Order 49 art. 33]: fixed on the spot (recorded with evidence and closed at
    once), or by a deadline in working days, which the business answers with evidence."""
    if not inspection.is_finished:
        raise ValidationError(_("Finish the inspection before ordering a fix."))
    errors = {}
    failed = {a.pk for a in inspection.answers.filter(outcome=Outcome.NO)}
    if not answers or any(a.pk not in failed for a in answers):
        errors["answers"] = [_("Choose the failed items to fix.")]
    if not (requirement or "").strip():
        errors["requirement"] = [_("Say what must be fixed.")]
    if kind == RectificationKind.DEADLINE and not working_days:
        errors["working_days"] = [_("Give the number of working days allowed.")]
    if kind == RectificationKind.ON_THE_SPOT and not evidence:
        errors["evidence"] = [_("A fix on the spot is recorded with evidence.")]
    if kind not in RectificationKind.values:
        errors["kind"] = [_("Choose on the spot or by a deadline.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    order = Rectification.objects.create(
        inspection=inspection,
        operator=inspection.operator,
        kind=kind,
        requirement=requirement.strip(),
        working_days=working_days if kind == RectificationKind.DEADLINE else None,
        deadline=rectification_deadline(timezone.localdate(now), working_days)
        if kind == RectificationKind.DEADLINE
        else None,
        issued_at=now,
        issued_by=by,
        status=RectificationStatus.OPEN,
    )
    order.answers.set(answers)
    _step(order, RectificationStatus.OPEN, by, requirement.strip())
    _attach(evidence, order)
    if kind == RectificationKind.ON_THE_SPOT:
        order.status, order.closed_at, order.verified_by = RectificationStatus.CLOSED, now, by
        order.save(update_fields=["status", "closed_at", "verified_by"])
        _step(order, RectificationStatus.CLOSED, by, _("Fixed on the spot."))
    audit_record(actor=by, action="rectification.issue", obj=order)
    ledger_append(kind="rectification.issue", obj=order, actor=by, payload=_order_payload(order))
    if kind == RectificationKind.DEADLINE:
        _tell_business(
            order.operator,
            kind="rectification.issued",
            title=_("Rectification order: fix by %(date)s") % {"date": order.deadline.isoformat()},
            link=reverse("rectification-detail", args=[order.pk]),
            key=f"rectification.issued:{order.pk}",
        )
    return order


@transaction.atomic
def rectification_self_open(
    *, self_inspection, by: User, answers: list, requirement: str, deadline: datetime.date
) -> Rectification:
    """A business orders itself to fix what its self-inspection found: the same loop as an inspector's order (it
    reports the fix with evidence, the county's inspectors verify it), a deadline it sets itself."""
    errors = {}
    if not by.operator_memberships.filter(operator=self_inspection.operator_id).exists():
        raise ValidationError(_("Only the business's managers open its own rectification."))
    if not self_inspection.is_finished:
        errors["answers"] = [_("Finish the self-inspection first.")]
    failed = {a.pk: a for a in self_inspection.answers.filter(outcome=Outcome.NO).select_related("item")}
    if not answers or any(a.pk not in failed for a in answers):
        errors.setdefault("answers", []).append(_("Choose the failed items to fix."))
    if not (requirement or "").strip():
        errors["requirement"] = [_("Say what must be fixed.")]
    if deadline is None or deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline is today or later.")]
    if errors:
        raise ValidationError(errors)
    chosen = [failed[a.pk] for a in answers]
    items = "\n".join(f"{a.item.code} {a.item.text}" + (f"：{a.note}" if a.note else "") for a in chosen)
    text = f"{requirement.strip()}\n{items}"
    order = Rectification.objects.create(
        self_inspection=self_inspection,
        operator=self_inspection.operator,
        kind=RectificationKind.DEADLINE,
        requirement=text,
        deadline=deadline,
        issued_at=timezone.now(),
        issued_by=by,
        status=RectificationStatus.OPEN,
    )
    _step(order, RectificationStatus.OPEN, by, requirement.strip())
    audit_record(actor=by, action="rectification.self_open", obj=order)
    ledger_append(kind="rectification.issue", obj=order, actor=by, payload=_order_payload(order))
    return order


def verifiers_of(order: Rectification) -> list[User]:
    """Who verifies a fix: the inspector who ordered it, or for a business's own order its county's inspectors."""
    return [order.issued_by] if order.inspection_id else bureau_of(order.operator.region_id)


def _attach(evidence, order: Rectification) -> None:
    for item in evidence:
        item.subject = order
        item.save(update_fields=["subject_type", "subject_id"])


def _order_payload(order: Rectification) -> dict:
    return {
        "inspection": order.inspection_id,
        "self_inspection": order.self_inspection_id,
        "operator": order.operator_id,
        "kind": order.kind,
        "status": order.status,
        "deadline": order.deadline.isoformat() if order.deadline else None,
        "items": sorted(order.answers.values_list("item__code", flat=True)),
        "evidence": sorted(order_evidence(order).values_list("sha256", flat=True)),
        "reason": order.verdict_reason,
    }


def order_evidence(order: Rectification):
    """The evidence uploaded for an order (its photos of the fix)."""
    return Evidence.objects.filter(
        subject_type=ContentType.objects.get_for_model(Rectification), subject_id=str(order.pk)
    )


def _require(order: Rectification, status: str) -> None:
    if not order.can_become(status):
        raise ValidationError(
            _("A rectification order that is “%(now)s” cannot become “%(next)s”.")
            % {"now": order.get_status_display(), "next": RectificationStatus(status).label}
        )


@transaction.atomic
def rectification_submit(*, order: Rectification, by: User, response: str) -> Rectification:
    """The business reports its fix with 五定 evidence uploaded since the order was issued or returned."""
    order = Rectification.objects.select_for_update().get(pk=order.pk)
    _require(order, RectificationStatus.SUBMITTED)
    last_step = order.steps.order_by("-at", "-id").first()
    fresh = order_evidence(order).filter(uploaded_at__gte=last_step.at) if last_step else order_evidence(order)
    errors = {}
    if not (response or "").strip():
        errors["response"] = [_("Describe what was done.")]
    if not fresh.exists():
        errors["evidence"] = [_("Upload photo evidence of the fix first.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(order)
    order.status, order.response, order.submitted_at = RectificationStatus.SUBMITTED, response.strip(), timezone.now()
    order.save(update_fields=["status", "response", "submitted_at"])
    _step(order, RectificationStatus.SUBMITTED, by, order.response)
    audit_record(actor=by, action="rectification.submit", obj=order, before=before)
    ledger_append(kind="rectification.submit", obj=order, actor=by, payload=_order_payload(order))
    notify(
        recipients=verifiers_of(order),
        kind="rectification.submitted",
        title=_("%(operator)s reported its fix") % {"operator": order.operator},
        link=reverse("rectification-detail", args=[order.pk]),
        dedupe_key=f"rectification.submitted:{order.pk}:{order.submitted_at.isoformat()}",
    )
    return order


@transaction.atomic
def rectification_verify(*, order: Rectification, by: User, accepted: bool, reason: str = "") -> Rectification:
    """The inspector accepts the fix (the order closes) or returns it to the business with a reason."""
    order = Rectification.objects.select_for_update().get(pk=order.pk)
    status = RectificationStatus.CLOSED if accepted else RectificationStatus.RETURNED
    _require(order, status)
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": [_("Say why the fix is not accepted.")]})
    before = snapshot(order)
    order.status, order.verdict_reason, order.verified_by = status, reason, by
    order.closed_at = timezone.now() if accepted else None
    order.save(update_fields=["status", "verdict_reason", "verified_by", "closed_at"])
    _step(order, status, by, reason)
    audit_record(actor=by, action="rectification.verify", obj=order, before=before)
    ledger_append(kind="rectification.verdict", obj=order, actor=by, payload=_order_payload(order))
    title = _("Your fix was accepted") if accepted else _("Your fix was returned: %(reason)s") % {"reason": reason}
    _tell_business(
        order.operator,
        kind="rectification.verdict",
        title=title,
        link=reverse("rectification-detail", args=[order.pk]),
        key=f"rectification.verdict:{order.pk}:{order.steps.count()}",
    )
    return order
