"""memo.LastRun and memo.Interned on hand-made values: what is reused, what is made
again, and what is forgotten (the rules every stage's memo rests on)."""

from __future__ import annotations

from generator.memo import Interned, LastRun


class Maker:
    """Makes a fresh list for each call, counting them."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self) -> list[int]:
        self.made += 1
        return [self.made]


def test_the_very_same_inputs_reuse_what_the_last_run_made():
    memo, make, source = LastRun(), Maker(), object()
    first = memo.reuse("a", (source,), make)
    memo.finish()
    assert memo.reuse("a", (source,), make) is first and make.made == 1 and memo.reused == 1


def test_equal_but_not_identical_inputs_make_it_again():
    memo, make = LastRun(), Maker()
    memo.reuse("a", ([1, 2],), make)
    memo.finish()
    memo.reuse("a", ([1, 2],), make)  # equal, another object: an input is known unchanged by identity only
    assert make.made == 2


def test_values_given_as_equal_are_compared_by_value():
    memo, make = LastRun(), Maker()
    first = memo.reuse("a", (), make, equal=("hash-1", 3))
    memo.finish()
    assert memo.reuse("a", (), make, equal=("hash-" + "1", 3)) is first
    memo.finish()
    assert memo.reuse("a", (), make, equal=("hash-2", 3)) is not first and make.made == 2


def test_renew_makes_it_again_whatever_the_inputs():
    memo, make, source = LastRun(), Maker(), object()
    memo.reuse("a", (source,), make)
    memo.finish()
    memo.reuse("a", (source,), make, renew=True)
    assert make.made == 2


def test_what_a_run_did_not_use_is_forgotten():
    memo, make, source = LastRun(), Maker(), object()
    memo.reuse("gone", (source,), make)
    memo.finish()
    memo.finish()  # a run that did not ask for it: a deleted article, say
    memo.reuse("gone", (source,), make)
    assert make.made == 2


def test_a_throw_away_one_keeps_only_what_was_made_ahead_and_only_for_its_run():
    memo, make, source = LastRun(keep=False), Maker(), object()
    memo.reuse("a", (source,), make)
    memo.reuse("a", (source,), make)
    assert make.made == 2  # nothing kept
    memo.ahead("b", (source,), make)
    ahead = make.made
    memo.reuse("b", (source,), make)
    assert make.made == ahead  # the work done ahead, found
    memo.finish()
    memo.reuse("b", (source,), make)
    assert make.made == ahead + 1


def test_last_gives_whatever_was_made_and_found_makes_nothing():
    memo, make, source = LastRun(), Maker(), object()
    value = memo.reuse("a", (source,), make)
    memo.finish()
    assert memo.last("a") is value and memo.found("a", (object(),)) is None and memo.found("a", (source,)) is value
    assert make.made == 1


def test_interned_hands_on_the_same_object_for_the_same_fields_run_after_run():
    interned = Interned(lambda *fields: list(fields))
    first = interned("x", 1)
    interned.finish()
    assert interned("x", 1) is first and interned("x", 2) is not first
    interned.finish()
    interned.finish()
    assert interned("x", 1) is not first  # not asked for in a run: forgotten
    throw_away = Interned(lambda *fields: list(fields), keep=False)
    assert throw_away("x", 1) is not throw_away("x", 1)
