"""Question-bank files (题库) as TOML: top-level `version` (a whole number), `name`, `notes`, and `[[questions]]`
tables with code, topic, kind, audience, text, options, answer (zero-based option indexes), source, explanation.
`parse_bank(data)` returns the bank and its questions, or raises QuestionBankError listing every bad question with
its code and the reason."""

from dataclasses import dataclass, field

from .choices import JUDGE_OPTIONS, Audience, QuestionKind, Topic

KEYS = {"code", "topic", "kind", "audience", "text", "options", "answer", "source", "explanation"}


class QuestionBankError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Bank:
    version: int
    name: str = ""
    notes: str = ""
    questions: list[dict] = field(default_factory=list)


def _text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _question_problems(q: dict) -> list[str]:
    """Why one question is bad (empty: it is good)."""
    problems = []
    if unknown := sorted(set(q) - KEYS):
        problems.append(f"unknown keys {', '.join(unknown)}")
    if q.get("topic") not in Topic.values:
        problems.append(f"topic must be one of {', '.join(Topic.values)}, not {q.get('topic')!r}")
    kind = q.get("kind")
    if kind not in QuestionKind.values:
        problems.append(f"kind must be one of {', '.join(QuestionKind.values)}, not {kind!r}")
    audience = q.get("audience")
    if not isinstance(audience, list) or not audience or not set(audience) <= set(Audience.values):
        problems.append(f"audience must be a list of {', '.join(Audience.values)}, not {audience!r}")
    elif len(set(audience)) != len(audience):
        problems.append("audience names a role twice")
    if not _text(q.get("text")):
        problems.append("text is missing")
    for key in ("source", "explanation"):
        if key in q and not isinstance(q[key], str):
            problems.append(f"{key} must be text")
    options = q.get("options")
    if not isinstance(options, list) or len(options) < 2 or not all(_text(o) for o in options):
        problems.append("options must be a list of at least two texts")
        options = None
    elif len(set(options)) != len(options):
        problems.append("two options are the same")
    if kind == QuestionKind.JUDGE and options is not None and options != JUDGE_OPTIONS:
        problems.append(f"a true-or-false question has the options {JUDGE_OPTIONS}")
    answer = q.get("answer")
    if not isinstance(answer, list) or not answer:
        problems.append("answer must be a list of option indexes (from 0)")
        return problems
    if any(isinstance(a, bool) or not isinstance(a, int) for a in answer):
        problems.append(f"answer must hold whole numbers, not {answer!r}")
        return problems
    if len(set(answer)) != len(answer):
        problems.append("answer names an option twice")
    if options is not None and (out := [a for a in answer if not 0 <= a < len(options)]):
        problems.append(f"answer {out} out of range: options are numbered 0 to {len(options) - 1}")
    if kind in (QuestionKind.SINGLE, QuestionKind.JUDGE) and len(answer) != 1:
        problems.append(f"a {kind} question has exactly one right answer, not {len(answer)}")
    if kind == QuestionKind.MULTIPLE and len(set(answer)) < 2:
        problems.append("a multiple-choice question has at least two right answers")
    return problems


def parse_bank(data: dict) -> Bank:
    """The bank of a loaded TOML file, every question checked; QuestionBankError lists all that are bad."""
    problems: list[str] = []
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(f"version: must be a whole number from 1, not {version!r}")
    for key in ("name", "notes"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{key}: must be text")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append("questions: at least one [[questions]] table")
        questions = []
    parsed, seen = [], set()
    for i, q in enumerate(questions):
        if not isinstance(q, dict):
            problems.append(f"questions[{i}]: must be a table")
            continue
        code = q.get("code")
        label = code if _text(code) else f"questions[{i}]"
        reasons = _question_problems(q)
        if not _text(code):
            reasons.insert(0, "code is missing")
        elif len(code) > 32:
            reasons.insert(0, "code is longer than 32 characters")
        elif code in seen:
            reasons.insert(0, "the code appears twice")
        else:
            seen.add(code)
        if reasons:
            problems.extend(f"{label}: {reason}" for reason in reasons)
            continue
        parsed.append(
            {
                "code": code,
                "topic": q["topic"],
                "kind": q["kind"],
                "audience": q["audience"],
                "text": q["text"],
                "options": q["options"],
                "answer": sorted(q["answer"]),
                "source": q.get("source", ""),
                "explanation": q.get("explanation", ""),
            }
        )
    if problems:
        raise QuestionBankError(problems)
    return Bank(version=version, name=data.get("name", ""), notes=data.get("notes", ""), questions=parsed)
