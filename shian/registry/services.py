"""Every write to the registry: validate (the model's `full_clean`, identifier errors from `rules.py` as field
errors), write, audit, in one transaction. Identifier warnings never block a write: callers read them from the
saved object (`operator.credit_code_warnings`, `licence.warnings`) and show them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shian.core.choices import UserKind
from shian.core.evidence.services import evidence_upload
from shian.core.rules import region_contains
from shian.core.services.audit import audit_record, snapshot

from .models import Filing, Licence, Operator, OperatorMembership, Staff
from .rules import check_licence_number, licence_kind, mask_id_number


def _check_jurisdiction(operator: Operator, by) -> None:
    """A regulator registers and moves businesses only within their own jurisdiction."""
    if by is None or not getattr(by, "is_authenticated", False) or by.is_superuser:
        return
    if by.kind != UserKind.REGULATOR or not operator.region_id:
        return
    if not by.jurisdiction_id or not region_contains(by.jurisdiction_id, operator.region_id):
        raise ValidationError({"region": _("The county lies outside your jurisdiction.")})


@transaction.atomic
def operator_create(*, by, **fields) -> Operator:
    """Register a food business."""
    operator = Operator(**fields)
    operator.full_clean()
    _check_jurisdiction(operator, by)
    operator.save()
    audit_record(actor=by, action="operator.create", obj=operator)
    return operator


@transaction.atomic
def operator_update(*, operator: Operator, by, **fields) -> Operator:
    """Change a food business's facts."""
    before = snapshot(operator)
    for name, value in fields.items():
        setattr(operator, name, value)
    operator.full_clean()
    _check_jurisdiction(operator, by)
    operator.save()
    audit_record(actor=by, action="operator.update", obj=operator, before=before)
    return operator


@transaction.atomic
def membership_grant(*, operator: Operator, user, role: str, by) -> OperatorMembership:
    """Give a business user access to an operator's file."""
    membership, _ = OperatorMembership.objects.update_or_create(user=user, operator=operator, defaults={"role": role})
    audit_record(actor=by, action="operator.membership.grant", obj=operator, after={"user": user.pk, "role": role})
    return membership


def _licence_apply(licence: Licence, *, number: str, fields: dict) -> None:
    """Set a licence's number (its kind follows from it) and fields, then validate; number errors first."""
    number = (number or "").strip().upper()
    check = check_licence_number(number)
    if not check.ok:
        raise ValidationError({"number": check.errors})
    licence.number, licence.kind = number, licence_kind(number)
    for name, value in fields.items():
        setattr(licence, name, value)
    licence.full_clean()


@transaction.atomic
def licence_create(*, operator: Operator, by, number: str, **fields) -> Licence:
    """Add an SC or JY licence to a business. Format errors reject it; check-digit and county mismatches are
    warnings (`licence.warnings`) [regulations.md §7.2–7.3]."""
    licence = Licence(operator=operator)
    _licence_apply(licence, number=number, fields=fields)
    licence.save()
    audit_record(actor=by, action="licence.create", obj=licence)
    return licence


@transaction.atomic
def licence_update(*, licence: Licence, by, number: str, **fields) -> Licence:
    """Change a licence (its number, dates, items or status)."""
    before = snapshot(licence)
    _licence_apply(licence, number=number, fields=fields)
    licence.save()
    audit_record(actor=by, action="licence.update", obj=licence, before=before)
    return licence


def _filing_apply(filing: Filing, fields: dict) -> None:
    for name, value in fields.items():
        setattr(filing, name, value)
    filing.number = (filing.number or "").strip()
    filing.full_clean()
    if filing.filed_on and filing.cancelled_on and filing.cancelled_on < filing.filed_on:
        raise ValidationError({"cancelled_on": _("A filing is cancelled after it is filed.")})


@transaction.atomic
def filing_create(*, operator: Operator, by, **fields) -> Filing:
    """Add a filing (备案) of a seller of prepackaged food only (SAMR Order 78)."""
    filing = Filing(operator=operator)
    _filing_apply(filing, fields)
    filing.save()
    audit_record(actor=by, action="filing.create", obj=filing)
    return filing


@transaction.atomic
def filing_update(*, filing: Filing, by, **fields) -> Filing:
    """Change a filing."""
    before = snapshot(filing)
    _filing_apply(filing, fields)
    filing.save()
    audit_record(actor=by, action="filing.update", obj=filing, before=before)
    return filing


def staff_snapshot(staff: Staff) -> dict:
    """A staff member's fields for the audit trail, the ID number masked as everywhere it is shown: the audit
    trail is readable by everyone who may see the business, not only by those who may see full ID numbers."""
    values = snapshot(staff)
    values["id_number"] = mask_id_number(staff.id_number)
    return values


def _staff_apply(staff: Staff, fields: dict) -> None:
    for name, value in fields.items():
        setattr(staff, name, value)
    staff.id_number = (staff.id_number or "").strip().upper()
    staff.full_clean()


@transaction.atomic
def staff_create(*, operator: Operator, by, **fields) -> Staff:
    """Add a person working at a business, with their health certificate (FSL art. 45)."""
    staff = Staff(operator=operator)
    _staff_apply(staff, fields)
    staff.save()
    audit_record(actor=by, action="staff.create", obj=staff, after=staff_snapshot(staff))
    return staff


@transaction.atomic
def staff_update(*, staff: Staff, by, **fields) -> Staff:
    """Change a staff member's facts. An empty or absent `id_number` keeps the stored one: those who see it
    masked cannot send it back whole."""
    before = staff_snapshot(staff)
    if not fields.get("id_number"):
        fields.pop("id_number", None)
    _staff_apply(staff, fields)
    staff.save()
    audit_record(actor=by, action="staff.update", obj=staff, before=before, after=staff_snapshot(staff))
    return staff


@transaction.atomic
def staff_deactivate(*, staff: Staff, by) -> Staff:
    """Record that a person no longer works at the business (kept for the file's history)."""
    before = staff_snapshot(staff)
    staff.active = False
    staff.save(update_fields=["active"])
    audit_record(actor=by, action="staff.deactivate", obj=staff, before=before, after=staff_snapshot(staff))
    return staff


@transaction.atomic
def staff_reactivate(*, staff: Staff, by) -> Staff:
    """Record that a person works at the business again."""
    before = staff_snapshot(staff)
    staff.active = True
    staff.save(update_fields=["active"])
    audit_record(actor=by, action="staff.reactivate", obj=staff, before=before, after=staff_snapshot(staff))
    return staff


def staff_health_certificate_upload(
    *,
    staff: Staff,
    by,
    file,
    face_photo,
    captured_at: datetime.datetime,
    latitude,
    longitude,
    phone: str,
    scene: str,
):
    """File a scan or photo of a staff member's health certificate as 五定 evidence of the business (its
    subject the staff member) and link it to them. The evidence upload stores and audits the files in its own
    transaction (see `evidence_upload`); the link and its audit entry follow in a second one."""
    evidence = evidence_upload(
        file=file,
        face_photo=face_photo,
        captured_at=captured_at,
        latitude=latitude,
        longitude=longitude,
        phone=phone,
        scene=scene,
        uploaded_by=by,
        region=staff.operator.region,
        operator=staff.operator,
        subject=staff,
    )
    with transaction.atomic():
        before = staff_snapshot(staff)
        staff.health_certificate_evidence = evidence
        staff.save(update_fields=["health_certificate_evidence"])
        audit_record(
            actor=by, action="staff.health_certificate.attach", obj=staff, before=before, after=staff_snapshot(staff)
        )
    return evidence
