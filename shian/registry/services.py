from django.db import transaction

from shian.core.services.audit import audit_record, snapshot

from .models import Operator, OperatorMembership


@transaction.atomic
def operator_create(*, by, **fields) -> Operator:
    """Register a food business (the registry issue extends the fields)."""
    operator = Operator(**fields)
    operator.full_clean()
    operator.save()
    audit_record(actor=by, action="operator.create", obj=operator)
    return operator


@transaction.atomic
def operator_update(*, operator: Operator, by, **fields) -> Operator:
    before = snapshot(operator)
    for name, value in fields.items():
        setattr(operator, name, value)
    operator.full_clean()
    operator.save()
    audit_record(actor=by, action="operator.update", obj=operator, before=before)
    return operator


@transaction.atomic
def membership_grant(*, operator: Operator, user, role: str, by) -> OperatorMembership:
    """Give a business user access to an operator's file."""
    membership, _ = OperatorMembership.objects.update_or_create(user=user, operator=operator, defaults={"role": role})
    audit_record(actor=by, action="operator.membership.grant", obj=operator, after={"user": user.pk, "role": role})
    return membership
