"""Pure rules of the training tests: drawing questions from a seed, scoring, masking a name for the public page.
No ORM, no settings: the numbers (how many questions, the pass mark) come from SHIAN_TRAINING through the services.
"""

import random
from collections.abc import Iterable, Sequence


def draw(pool: Iterable[tuple[int, str]], n: int, seed: str) -> list[int]:
    """`n` question ids out of `pool` ((id, topic) pairs), the same for the same pool and seed. Topics are mixed:
    each topic gives one question in turn (in an order the seed shuffles) until `n` are drawn or the pool runs
    out; the drawn questions are then shuffled, so the exam does not run topic by topic."""
    rng = random.Random(seed)
    by_topic: dict[str, list[int]] = {}
    for pk, topic in sorted(pool):
        by_topic.setdefault(topic, []).append(pk)
    topics = sorted(by_topic)
    rng.shuffle(topics)
    for topic in topics:
        rng.shuffle(by_topic[topic])
    drawn: list[int] = []
    while len(drawn) < n and any(by_topic.values()):
        for topic in topics:
            if by_topic[topic] and len(drawn) < n:
                drawn.append(by_topic[topic].pop())
    rng.shuffle(drawn)
    return drawn


def is_correct(chosen: Iterable[int], answer: Iterable[int]) -> bool:
    """A question counts only when the options chosen are exactly the right ones (a multiple-choice question
    with one right option missing, or one wrong option added, scores nothing)."""
    return set(chosen) == set(answer)


def score(correct: int, total: int) -> int:
    """The score out of 100, rounded down (a pass needs the whole mark: 15.9 of 20 is not 80)."""
    return correct * 100 // total if total else 0


def passes(score: int, pass_mark: int) -> bool:
    return score >= pass_mark


def bad_indexes(chosen: Sequence, options: int) -> list:
    """The chosen answers that are not option indexes of a question with `options` options."""
    return [c for c in chosen if isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < options]
