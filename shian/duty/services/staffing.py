"""Appointments of the Order 60 roles, and the one check that says who may be appointed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shian.core.services.audit import audit_record, snapshot
from shian.registry.models import Operator, Staff
from shian.training.selectors import failed_spot_test

from ..bans import ban_of
from ..choices import DutyRole
from ..models import Appointment
from ..rules import appointment_refusals


def appointment_check(*, staff: Staff, role: str, on: datetime.date) -> list[str]:
    """Why `staff` may not be appointed to `role` on day `on` (empty: they may)."""
    return appointment_refusals(
        role=role, banned=ban_of(staff.id_number, on), failed_spot_test=failed_spot_test(staff), active=staff.active
    )


@transaction.atomic
def appointment_make(
    *,
    operator: Operator,
    staff: Staff,
    role: str,
    appointed_on: datetime.date,
    by,
    full_time: bool = False,
    note: str = "",
) -> Appointment:
    """Appoint a person on the business's staff to an Order 60 role. A principal or director already in office is
    replaced (their appointment ends the day before)."""
    if staff.operator_id != operator.pk:
        raise ValidationError({"staff": [_("The person is not on this business's staff.")]})
    refusals = appointment_check(staff=staff, role=role, on=appointed_on)
    if refusals:
        raise ValidationError({"staff": refusals})
    if Appointment.objects.current().filter(operator=operator, role=role, staff=staff).exists():
        raise ValidationError({"staff": [_("The person already holds this role.")]})
    if role != DutyRole.OFFICER:  # one principal and one director at a time; officers may be several
        for held in Appointment.objects.current().filter(operator=operator, role=role):
            _end(held, ended_on=max(held.appointed_on, appointed_on - datetime.timedelta(days=1)), by=by)
    appointment = Appointment(
        operator=operator,
        staff=staff,
        role=role,
        appointed_on=appointed_on,
        appointed_by=by,
        full_time=full_time,
        note=note,
    )
    appointment.full_clean()
    appointment.save()
    audit_record(actor=by, action="duty.appointment.make", obj=appointment)
    return appointment


def _end(appointment: Appointment, *, ended_on: datetime.date, by) -> None:
    before = snapshot(appointment)
    appointment.ended_on = ended_on
    appointment.full_clean()
    appointment.save(update_fields=["ended_on"])
    audit_record(actor=by, action="duty.appointment.end", obj=appointment, before=before)


@transaction.atomic
def appointment_end(*, appointment: Appointment, ended_on: datetime.date, by) -> Appointment:
    if appointment.ended_on is not None:
        raise ValidationError(_("This appointment has already ended."))
    if ended_on < appointment.appointed_on:
        raise ValidationError({"ended_on": [_("An appointment ends after it starts.")]})
    _end(appointment, ended_on=ended_on, by=by)
    return appointment
