"""Work kept from one build for the next: the mechanism every stage's memo uses.

A `LastRun` holds what the last run made, by key, and collects what this run
uses; `finish` makes this run the last. So an entry lives exactly as long as
some run still uses it: nothing about a deleted article or a renamed entity
stays behind. Whether a kept entry may be reused is each stage's own question,
answered from its inputs (see the memos in ingest, resolve, topics, link and
render).

`Interned` builds on it to hand out the very same object for the same value
run after run, so that a later stage can tell an input is unchanged by
identity rather than by comparing values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LastRun(Generic[K, V]):
    """With `keep=False`, what a run makes lives until its end only: for a single
    build, whose stages hand work on within the run (see build._Prework)."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self._last: dict[K, V] = {}
        self._now: dict[K, V] = {}

    def last(self, key: K) -> V | None:
        """What this run already made under `key` (ahead of its use: see
        resolve.CandidateMemo.prepare), else what the last run kept, if anything."""
        value = self._now.get(key)
        return value if value is not None else self._last.get(key)

    def use(self, key: K, value: V) -> V:
        """Keep `value` for the next run, and return it."""
        self._now[key] = value
        return value

    def finish(self) -> None:
        """End this run: what it used is what the next one may reuse."""
        self._last, self._now = (self._now if self.keep else {}), {}

    def clear(self) -> None:
        """Forget everything: an input that all entries depend on changed."""
        self._last, self._now = {}, {}


class Interned(Generic[V]):
    """The same object for the same fields, run after run: a stage that makes tens
    of thousands of small records (mentions) hands on the last run's object where
    the record did not change. A later stage then recognises an unchanged input by
    identity (a tuple of them compares at C speed, pointer by pointer), where
    comparing values would cost as much as redoing its work. Looking one up costs
    less than making it anew."""

    def __init__(self, make: Callable[..., V], keep: bool = True) -> None:
        self._make = make
        self._kept: LastRun[tuple, V] | None = LastRun() if keep else None  # a single build has no next run to hand on to

    def __call__(self, *fields) -> V:
        if self._kept is None:
            return self._make(*fields)
        found = self._kept.last(fields)
        if found is None:
            found = self._make(*fields)
        return self._kept.use(fields, found)

    def finish(self) -> None:
        if self._kept is not None:
            self._kept.finish()
