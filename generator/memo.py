"""Work kept from one build for the next: the mechanism every stage's memo uses.

A `LastRun` holds what the last run made, by key, and collects what this run
uses; `finish` makes this run the last. So an entry lives exactly as long as
some run still uses it: nothing about a deleted article or a renamed entity
stays behind. Whether a kept entry may be reused is each stage's own question,
answered from its inputs (see the memos in ingest, resolve, topics, link and
render).
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LastRun(Generic[K, V]):
    def __init__(self) -> None:
        self._last: dict[K, V] = {}
        self._now: dict[K, V] = {}

    def last(self, key: K) -> V | None:
        """What the last run kept under `key`, if anything."""
        return self._last.get(key)

    def use(self, key: K, value: V) -> V:
        """Keep `value` for the next run, and return it."""
        self._now[key] = value
        return value

    def finish(self) -> None:
        """End this run: what it used is what the next one may reuse."""
        self._last, self._now = self._now, {}

    def clear(self) -> None:
        """Forget everything: an input that all entries depend on changed."""
        self._last, self._now = {}, {}
