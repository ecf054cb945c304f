"""Work kept from one build for the next: the one way every stage remembers its last run.

A `LastRun` holds what the last run made, by key, with the inputs it was made
from. `reuse(key, inputs, make)` hands back the kept value when this run's
inputs are the very same objects, else it calls `make()`; either way the value
is kept for the next run. `finish()` ends the run: what it used is all that the
next one can reuse, so an entry lives exactly as long as some run still uses it,
and nothing of a deleted article or a renamed entity stays behind.

Why identity, and why it is sound:

- Reuse can never change the output: an entry is reused only while every input
  it was made from is the very same object (`is`), or, for the few small values
  given as `equal`, compares equal. A stage whose result depends on anything
  else must pass it, or mark the entry stale (`renew`). `tests/test_incremental.py`
  compares a reused build with a fresh one byte for byte after each kind of edit.
- Identity is what makes reuse cheap: an unchanged input is known by comparing a
  pointer, where comparing values would cost about as much as redoing the work.
  It works because each stage hands on the very same objects for what did not
  change: `ingest.SourceMemo` the same `Source` for an unchanged file,
  `Interned` (below) the same `Mention` for an unchanged mention,
  `overlaps.without_overlaps` the same `SourceMentions` for an article whose
  mentions did not change, `link.LinkMemo` the same passages and `SourcePage`,
  `render.RenderMemo` the same page bytes. So link, quotes, the export,
  rendering and writing skip an unchanged article after a few pointer
  comparisons.
- Templates rendered from a memo see only their arguments and explicit
  site-wide globals (never `site`), entities only as `EntityLink`s, and on an
  entity page sources only as `SourceLink`s; a template that needs more must get
  it as an argument, or the memo would serve stale pages (see render.RenderMemo).

A `briefing watch` keeps its memos (`LastRun()`) from build to build. A single
`briefing build` has throw-away ones (`LastRun(keep=False)`): the stages call
them just the same, but they keep nothing, except what was made `ahead` of its
use within the run (the work done alongside the model, see build.WorkAlongside),
until the run ends; so a single build holds no more memory than it needs.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LastRun(Generic[K, V]):
    """What the last run made, by key, with what each was made from; and what this
    run has made so far. With `keep=False` (a single build) nothing is kept for a
    next run, nor within this one beyond what was made `ahead`."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self._last: dict[K, tuple[tuple, tuple, V]] = {}  # key -> (inputs, equal, value)
        self._now: dict[K, tuple[tuple, tuple, V]] = {}
        self.reused = 0  # entries handed back rather than made, since this was made: for tests and curiosity

    def reuse(self, key: K, inputs: tuple, make: Callable[[], V], *, equal: tuple = (), renew: bool = False) -> V:
        """The value kept under `key` if it was made from the very same `inputs`
        (compared item by item with `is`) and equal `equal` values (compared with
        ==), unless `renew`; else `make()`. Kept for the next run either way."""
        value = None if renew else self.found(key, inputs, equal=equal)
        if value is None:
            value = make()
        else:
            self.reused += 1
        if self.keep:
            self._now[key] = (inputs, equal, value)
        return value

    def found(self, key: K, inputs: tuple, *, equal: tuple = ()) -> V | None:
        """The value kept under `key` if it was made from the very same `inputs` and
        equal `equal` values, else None; without making or keeping anything."""
        kept = self._now.get(key) or self._last.get(key)
        if kept is not None and _same(kept[0], inputs) and kept[1] == equal:
            return kept[2]
        return None

    def ahead(self, key: K, inputs: tuple, make: Callable[[], V], *, equal: tuple = ()) -> None:
        """Make now what `reuse` will be asked for later in this run (work done while
        the model runs, see build.WorkAlongside), kept until the run ends even by a
        throw-away LastRun."""
        self._now[key] = (inputs, equal, self.reuse(key, inputs, make, equal=equal))

    def last(self, key: K) -> V | None:
        """Whatever was last made under `key`, from whatever inputs: for a stage that
        remakes a value from parts of the old one (see render.Renderer.entity_page)."""
        found = self._now.get(key) or self._last.get(key)
        return found[2] if found is not None else None

    def finish(self) -> None:
        """End this run: what it used is what the next one may reuse."""
        self._last, self._now = (self._now if self.keep else {}), {}

    def clear(self) -> None:
        """Forget everything: an input that all entries depend on changed."""
        self._last, self._now = {}, {}


def _same(kept: tuple, inputs: tuple) -> bool:
    """Whether two tuples hold the very same objects, in order."""
    return len(kept) == len(inputs) and all(map(operator.is_, kept, inputs))


class Interned(Generic[V]):
    """The same object for the same fields, run after run: a stage that makes tens
    of thousands of small records (mentions) hands on the last run's object where
    the record did not change. A later stage then recognises an unchanged input by
    identity (a tuple of them compares at C speed, pointer by pointer), where
    comparing values would cost as much as redoing its work. Looking one up costs
    less than making it anew. A throw-away one (`keep=False`) makes each anew."""

    def __init__(self, make: Callable[..., V], keep: bool = True) -> None:
        self._make = make
        self._keep = keep
        self._last: dict[tuple, V] = {}
        self._now: dict[tuple, V] = {}

    def __call__(self, *fields) -> V:
        # Not a LastRun.reuse: this runs once per mention, where a call more counts.
        if not self._keep:
            return self._make(*fields)
        found = self._now.get(fields)
        if found is None:
            found = self._last.get(fields)
            if found is None:
                found = self._make(*fields)
            self._now[fields] = found
        return found

    def carry(self, fields: Iterable[tuple]) -> None:
        """Keep the objects made of these fields in the last run for the next, as if looked up
        in this one: for a stage that reuses a whole batch of them at once (see topics.PhraseMemo)."""
        if self._keep:
            last = self._last
            self._now.update((f, last[f]) for f in fields if f in last)

    def finish(self) -> None:
        self._last, self._now = self._now, {}


class LastValue(Generic[V]):
    """One small input that many entries depend on (the people, the alias patterns), handed
    on as the very same object while it is equal to the last run's: so that each entry
    made from it tells it did not change by identity (see LastRun), and the value is
    compared once a run, not once an entry."""

    def __init__(self, first: V) -> None:
        self.value = first

    def same(self, value: V) -> V:
        """The last run's value when `value` equals it, else `value`, kept for the next run."""
        if value != self.value:
            self.value = value
        return self.value
