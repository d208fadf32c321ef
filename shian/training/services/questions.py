"""Loading the question bank (题库) from a bank file's data."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from shian.core.services.audit import audit_entry, audit_record_many

from ..bank import parse_bank
from ..models import Question


@dataclass(frozen=True)
class BankLoad:
    version: int
    name: str
    questions: int
    new: bool


def questions_load(*, data: dict, by=None) -> BankLoad:
    """Load a question bank (the data of a TOML bank file; bank.py has the format). Every question is checked
    first: a QuestionBankError lists each bad one with its code and the reason, and nothing is stored. A version
    already loaded is left as it is. The newest version loaded is the one exams draw from."""
    bank = parse_bank(data)
    with transaction.atomic():
        existing = Question.objects.filter(version=bank.version).count()
        if existing:
            return BankLoad(bank.version, bank.name, existing, False)
        newest = Question.objects.aggregate(newest=Max("version"))["newest"] or 0
        active = bank.version >= newest
        if active:
            Question.objects.filter(active=True).update(active=False)
        created = Question.objects.bulk_create(
            Question(version=bank.version, active=active, **fields) for fields in bank.questions
        )
        if created and created[0].pk is None:  # a backend that does not return ids
            created = list(Question.objects.filter(version=bank.version))
        audit_record_many([audit_entry(actor=by, action="training.question.load", obj=q) for q in created])
    return BankLoad(bank.version, bank.name, len(created), True)
