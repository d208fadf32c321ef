"""Rapid tests (快检): recorded in batches from a phone, a file or a device's system; a positive result told to
the bureau and followed up by a lab sample or a disposal; for farm produce the business's objection within 4
hours, whose re-test may not be a rapid method [V: FSL art. 88 ¶2]."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shian.core.choices import Role, UserKind
from shian.core.models import User, signed_in
from shian.core.rules import region_contains
from shian.core.services.audit import audit_entry, audit_record, audit_record_many, snapshot
from shian.core.services.notifications import notify
from shian.core.tabular import Column
from shian.registry.models import Operator

from ..choices import RapidFollowUp, RapidResult, ResultSource
from ..models import RapidTest, Sample
from ..rules import rapid_objection_open

RAPID_COLUMNS = [
    Column("operator", "经营主体", required=True),
    Column("product_name", "样品名称", required=True),
    Column("item", "检测项目", required=True),
    Column("method", "检测方法", required=True),
    Column("result", "检测结果", required=True),
    Column("reading", "检测值"),
    Column("tester", "检测人员", required=True),
    Column("tested_at", "检测时间"),
    Column("farm_produce", "食用农产品"),
    Column("device", "检测设备"),
]
RESULT_WORDS = {
    "阴性": RapidResult.NEGATIVE,
    "negative": RapidResult.NEGATIVE,
    "合格": RapidResult.NEGATIVE,
    "-": RapidResult.NEGATIVE,
    "阳性": RapidResult.POSITIVE,
    "positive": RapidResult.POSITIVE,
    "不合格": RapidResult.POSITIVE,
    "疑似阳性": RapidResult.POSITIVE,
    "+": RapidResult.POSITIVE,
}
YES = {"是", "yes", "true", "1", "y"}
NO = {"否", "no", "false", "0", "n"}


@dataclass
class RapidBatch:
    """What a batch did: the tests recorded, or every bad row with its reasons (then nothing is stored)."""

    recorded: list[RapidTest] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _operator(text: str, visible) -> Operator | None:
    if text.isdigit() and len(text) < 18:
        return visible.filter(pk=int(text)).first()
    found = list(visible.filter(credit_code=text.upper())[:2])
    return found[0] if len(found) == 1 else None


def _read(number: int, raw: dict, visible, now, by, source) -> tuple[RapidTest | None, list[str]]:
    problems = []
    operator = _operator(_text(raw.get("operator")), visible)
    if operator is None:
        problems.append(
            _("no food business %(value)s of yours (give its id, or a credit code of one site)")
            % {"value": repr(_text(raw.get("operator")))}
        )
    result = RESULT_WORDS.get(_text(raw.get("result")).lower())
    if result is None:
        problems.append(
            _("result %(value)s is neither negative (阴性) nor positive (阳性)")
            % {"value": repr(_text(raw.get("result")))}
        )
    tested_at = now
    if _text(raw.get("tested_at")):
        tested_at = parse_datetime(_text(raw["tested_at"]).replace("/", "-"))
        if tested_at is None:
            problems.append(_("tested_at %(value)s is not a date and time") % {"value": repr(_text(raw["tested_at"]))})
        else:
            tested_at = tested_at if timezone.is_aware(tested_at) else timezone.make_aware(tested_at)
            if tested_at > now + datetime.timedelta(minutes=10):
                problems.append(_("tested_at lies in the future"))
    farm = _text(raw.get("farm_produce")).lower()
    if farm and farm not in YES | NO:
        problems.append(_("farm_produce must be 是 or 否"))
    for key, label in (
        ("product_name", _("product")),
        ("item", _("test item")),
        ("method", _("method")),
        ("tester", _("tester")),
    ):
        if not _text(raw.get(key)):
            problems.append(_("%(field)s is missing") % {"field": label})
    if problems:
        return None, [_("row %(row)d: %(problems)s") % {"row": number, "problems": "; ".join(problems)}]
    return RapidTest(
        operator=operator,
        region_id=operator.region_id,
        product_name=_text(raw["product_name"])[:100],
        farm_produce=farm not in NO,
        item=_text(raw["item"])[:100],
        method=_text(raw["method"])[:100],
        result=result,
        reading=_text(raw.get("reading"))[:32],
        tester=_text(raw["tester"])[:64],
        tested_at=tested_at,
        source=source,
        device=_text(raw.get("device"))[:64],
        recorded_by=signed_in(by),
    ), []


def _bureau_of(region_id: str) -> list[User]:
    users = User.objects.filter(
        kind=UserKind.REGULATOR, is_active=True, groups__name__in=[Role.SAMPLING_OFFICER, Role.AGENCY_HEAD]
    ).select_related("agency")
    return [u for u in users.distinct() if u.agency_id and region_contains(u.agency.region_id, region_id)]


def rapid_tests_record(*, rows: Sequence[tuple[int, dict]], by, source: str = ResultSource.WEB) -> RapidBatch:
    """Record a batch of rapid tests, rows as (row number, {column: value}): all of them, or, if any row is bad,
    none, with every bad row's reasons. Positive results are told to the bureau and the business."""
    visible = Operator.objects.all() if by is None else Operator.objects.visible_to(by)
    now, batch, tests = timezone.now(), RapidBatch(), []
    for number, raw in rows:
        test, problems = _read(number, raw, visible, now, by, source)
        batch.problems += problems
        if test is not None:
            tests.append(test)
    if not rows:
        batch.problems.append(_("Record at least one test."))
    if batch.problems:
        return batch
    with transaction.atomic():
        batch.recorded = RapidTest.objects.bulk_create(tests)
        audit_record_many(
            [audit_entry(actor=by, action="sampling.rapid.record", obj=t, after=snapshot(t)) for t in batch.recorded]
        )
        for test in (t for t in batch.recorded if t.result == RapidResult.POSITIVE):
            notify(
                recipients=[
                    *_bureau_of(test.region_id),
                    *User.objects.filter(operator_memberships__operator=test.operator_id, is_active=True),
                ],
                kind="sampling.rapid.positive",
                title=_("Rapid test positive: %(product)s (%(item)s) at %(operator)s")
                % {"product": test.product_name, "item": test.item, "operator": test.operator.name},
                link=f"/sampling/rapid/{test.pk}/",
                sms=True,
            )
    return batch


@transaction.atomic
def rapid_objection(*, test: RapidTest, by: User, reason: str) -> RapidTest:
    """The business objects to a positive farm-produce result within 4 hours [V: FSL art. 88 ¶2]: the follow-up
    must then be a lab re-test, not another rapid test."""
    if not by.operator_memberships.filter(operator=test.operator_id).exists():
        raise ValidationError(_("Only the tested business may object."))
    if test.result != RapidResult.POSITIVE or test.objected_at is not None:
        raise ValidationError(_("Only a positive result may be objected to, once."))
    if not rapid_objection_open(tested_at=test.tested_at, now=timezone.now(), farm_produce=test.farm_produce):
        raise ValidationError(_("An objection is possible for farm produce within 4 hours of the result only."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you object.")})
    before = snapshot(test)
    test.objected_at, test.objection = timezone.now(), reason
    test.save(update_fields=["objected_at", "objection"])
    audit_record(actor=by, action="sampling.rapid.object", obj=test, before=before, after=snapshot(test))
    notify(
        recipients=_bureau_of(test.region_id),
        kind="sampling.rapid.objection",
        title=_("Objection to a rapid test: %(product)s at %(operator)s")
        % {"product": test.product_name, "operator": test.operator.name},
        body=reason,
        link=f"/sampling/rapid/{test.pk}/",
    )
    return test


@transaction.atomic
def rapid_follow_up(*, test: RapidTest, by: User, follow_up: str, note: str = "", sample: Sample | None = None):
    """Follow a positive result up: a lab sample of the food (required after an objection, since the re-test
    may not be a rapid method [V: FSL art. 88 ¶2]) or its disposal on the spot."""
    if test.result != RapidResult.POSITIVE:
        raise ValidationError(_("Only a positive result is followed up."))
    if test.follow_up:
        raise ValidationError(_("This result was already followed up."))
    if follow_up == RapidFollowUp.SAMPLE:
        if sample is None or sample.operator_id != test.operator_id:
            raise ValidationError({"sample": _("Give the lab sample taken at this business.")})
    elif follow_up == RapidFollowUp.DISPOSED:
        if test.objected_at is not None:
            raise ValidationError(_("The business objected: the re-test must be a lab sample, not a rapid method."))
        if not note.strip():
            raise ValidationError({"note": _("Say what was disposed of and how.")})
    else:
        raise ValidationError({"follow_up": _("Choose a lab sample or a disposal.")})
    before = snapshot(test)
    test.follow_up, test.follow_up_note, test.sample = follow_up, note, sample
    test.followed_up_at = timezone.now()
    test.save(update_fields=["follow_up", "follow_up_note", "sample", "followed_up_at"])
    audit_record(actor=by, action="sampling.rapid.follow_up", obj=test, before=before, after=snapshot(test))
    return test
