from collections import Counter

from shian.registry.rules import mask_name
from shian.training.rules import draw, is_correct, passes, score

POOL = [
    (pk, topic) for topic, start in (("law", 1), ("order60", 101), ("hygiene", 201)) for pk in range(start, start + 30)
]


def test_a_draw_repeats_from_its_seed_and_differs_with_another():
    first = draw(POOL, 20, "a1b2c3")
    assert first == draw(list(reversed(POOL)), 20, "a1b2c3")  # the pool's order does not matter
    assert first != draw(POOL, 20, "ffff0000")
    assert len(first) == len(set(first)) == 20


def test_a_draw_mixes_the_topics():
    topics = dict(POOL)
    counts = Counter(topics[pk] for pk in draw(POOL, 20, "seed"))
    assert set(counts) == {"law", "order60", "hygiene"}
    assert max(counts.values()) - min(counts.values()) <= 1
    order = [topics[pk] for pk in draw(POOL, 20, "seed")]
    assert order != sorted(order)  # not topic by topic


def test_a_draw_takes_what_a_small_pool_has():
    small = [(1, "law"), (2, "law"), (3, "hygiene")]
    assert sorted(draw(small, 20, "x")) == [1, 2, 3]
    uneven = [(pk, "law") for pk in range(1, 20)] + [(100, "hygiene")]
    drawn = draw(uneven, 5, "x")
    assert 100 in drawn and len(drawn) == 5


def test_a_question_counts_only_with_exactly_the_right_options():
    assert is_correct([0, 1, 3], [3, 1, 0])
    assert not is_correct([0, 1], [0, 1, 3])  # one right option missing
    assert not is_correct([0, 1, 2, 3], [0, 1, 3])  # one wrong option added
    assert not is_correct([], [1])


def test_the_score_is_out_of_100_rounded_down_and_passes_at_the_mark():
    assert score(20, 20) == 100 and score(16, 20) == 80 and score(0, 20) == 0
    assert score(2, 3) == 66
    assert passes(80, 80) and not passes(79, 80)


def test_a_public_name_keeps_the_surname_only():
    assert mask_name("王小明") == "王*"
    assert mask_name(" 李安 ") == "李*"
    assert mask_name("") == ""
