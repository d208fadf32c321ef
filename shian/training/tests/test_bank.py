"""Loading the question bank: every question checked, every bad one reported with its code, nothing stored unless
all are good; a version loads once; the newest version is the one drawn from."""

import copy
import io

import pytest
from django.core.management import CommandError, call_command

from shian.core.models import AuditEntry
from shian.training.bank import QuestionBankError
from shian.training.management.commands.training import SHIPPED
from shian.training.models import Question
from shian.training.services import questions_load

from .conftest import BANK, bank_data, big_bank

pytestmark = pytest.mark.django_db


def test_a_bank_loads_every_question_with_its_fields_and_an_audit_entry():
    loaded = questions_load(data=bank_data())
    assert (loaded.version, loaded.name, loaded.questions, loaded.new) == (1, "测试题库", 9, True)
    q = Question.objects.get(code="LAW-3")
    assert (q.topic, q.kind, q.audience, q.answer, q.version, q.active) == (
        "law",
        "multiple",
        ["director"],
        [0, 1, 3],
        1,
        True,
    )
    assert q.options[2] == "代替监管部门执法" and q.source == "第60号令" and q.explanation == "总监不执法。"
    assert AuditEntry.objects.filter(action="training.question.load").count() == 9


def test_loading_a_version_again_changes_nothing():
    questions_load(data=bank_data())
    again = questions_load(data=bank_data())
    assert again.new is False and again.questions == 9
    assert Question.objects.count() == 9
    assert AuditEntry.objects.filter(action="training.question.load").count() == 9


def test_every_bad_question_is_reported_with_its_code_and_nothing_is_stored():
    data = bank_data()
    bad = copy.deepcopy(data["questions"])
    bad[0]["kind"] = "essay"  # LAW-1
    bad[1]["options"] = ["对", "错"]  # LAW-2: a judge question
    bad[2]["answer"] = [0, 7]  # LAW-3: out of range
    bad[3]["answer"] = [0, 1]  # O60-1: a single question with two answers
    bad[4]["topic"] = "chemistry"  # O60-2
    bad[5]["answer"] = [1]  # O60-3: a multiple question with one answer
    bad[6]["audience"] = ["inspector"]  # HYG-1
    bad[7]["code"] = "HYG-3"  # the code of the next question too
    bad.append({"topic": "law", "kind": "single"})  # no code, no text …
    data["questions"] = bad
    with pytest.raises(QuestionBankError) as caught:
        questions_load(data=data)
    problems = caught.value.problems
    text = "\n".join(problems)
    for code, reason in [
        ("LAW-1", "kind must be one of"),
        ("LAW-2", "true-or-false question has the options"),
        ("LAW-3", "out of range"),
        ("O60-1", "exactly one right answer"),
        ("O60-2", "topic must be one of"),
        ("O60-3", "at least two right answers"),
        ("HYG-1", "audience must be"),
        ("HYG-3", "the code appears twice"),
        ("questions[9]", "code is missing"),
        ("questions[9]", "text is missing"),
    ]:
        assert any(p.startswith(f"{code}: ") and reason in p for p in problems), (code, reason, text)
    assert not Question.objects.exists()
    assert not AuditEntry.objects.filter(action="training.question.load").exists()


def test_a_bank_needs_a_version_and_questions():
    with pytest.raises(QuestionBankError) as caught:
        questions_load(data={"name": "empty"})
    assert any(p.startswith("version:") for p in caught.value.problems)
    assert any(p.startswith("questions:") for p in caught.value.problems)


def test_the_newest_version_is_drawn_from_and_an_older_one_loaded_later_is_not():
    questions_load(data=bank_data())
    questions_load(data=big_bank(version=3))
    assert set(Question.objects.active().values_list("version", flat=True)) == {3}
    questions_load(data=big_bank(version=2))
    assert set(Question.objects.active().values_list("version", flat=True)) == {3}
    assert Question.objects.filter(version=1).count() == 9  # kept: exams refer to them


def test_the_command_loads_a_file_and_reports_a_bad_one(tmp_path):
    good = tmp_path / "bank.toml"
    good.write_text(BANK, encoding="utf-8")
    out = io.StringIO()
    call_command("training", "load", str(good), stdout=out)
    assert "version 1, 9 questions loaded" in out.getvalue()
    call_command("training", "load", str(good), stdout=out)
    assert "already loaded" in out.getvalue()
    bad = tmp_path / "bad.toml"
    bad.write_text(BANK.replace('answer = [1]\nsource = "《餐饮', 'answer = [5]\nsource = "《餐饮'), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("training", "load", str(bad), stderr=err)
    assert "HYG-1: answer [5] out of range" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("training", "load")


@pytest.mark.skipif(not SHIPPED.exists(), reason="the shipped question bank is not there yet")
def test_the_shipped_bank_loads_with_enough_questions_on_every_topic():
    out = io.StringIO()
    call_command("training", "load", "--shipped", stdout=out)
    assert Question.objects.count() >= 60
    assert set(Question.objects.values_list("topic", flat=True)) == {"law", "order60", "hygiene"}
    for audience in ("director", "officer"):
        assert sum(audience in a for a in Question.objects.values_list("audience", flat=True)) >= 20
