"""The cyclic garbage collector's policy, in one place.

A build allocates millions of small objects that stay reachable until it ends,
and makes next to no reference cycles: the cyclic collector would traverse them
again and again for nothing (a third of a rebuild's time at 1,000 sources, half
a cold build's at 10,000). So:

- it is off while a build runs its stages (`off_during`), with what existed
  before frozen out of its sight;
- what lives as long as the process (the gazetteer, the word lists, the model,
  the memos a Builder keeps) is frozen out of its sight too (`freeze`), or it
  would walk it all again once it is back on;
- `briefing watch` lets it see everything once the folders have been idle a
  while (`collect_everything`), so no cyclic garbage outlives its build;
- a process forked from a build switches it back on (`on`), as a model
  worker does (workers.py).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def off_during(forget: Callable[[], None] | None = None) -> Iterator[None]:
    """The collector off for the `with` block, a build's stages. At its end, with
    `forget` (a single build, which keeps nothing for a next one), what the
    build made is freed first, by reference counting, so that the collector, on
    again, does not walk it all once more at its first chance (a quarter of a
    second at 1,000 sources); without (a Builder that keeps its memos), what the
    build keeps is frozen, else the collector would walk it all during the next
    build's first steps. Its cyclic garbage waits for `collect_everything`. (A
    model that runs in this process does so on a few sources only: see
    extract.Extractor.)"""
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if forget is not None:
            forget()
        else:
            gc.freeze()
        gc.enable()


def freeze() -> None:
    """Set what exists now out of the collector's sight: it lives as long as the
    process (loaded once, cached), and walking it would find nothing to free."""
    gc.freeze()


def collect_everything() -> None:
    """Let the collector see everything frozen, and collect: in an idle moment, as a
    full collection takes most of a second on a large site."""
    gc.unfreeze()
    gc.collect()


def on() -> None:
    """In a process forked from a build: the collector back on, which the build had switched off."""
    gc.enable()
