"""Forked helpers: work done in a child process that starts as a copy of this one.

A single build renders its pages in `--jobs` helpers besides the main process
(see write.write_site). Forking, not spawning, is what makes that pay: the child
starts with the linked site already in memory (shared, copy on write), where a
spawned process would need it pickled across, which would cost about as much as
rendering it. Only the result comes back through a pipe, pickled.

Forking is safe only in a process with no other thread (a thread holding a lock
at the fork would hold it forever in the child), and only where the platform
offers it; `available()` says whether it may be done now.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, cast

from .errors import BriefingError

T = TypeVar("T")


MEMORY_BUDGET = 1 << 30
"""What a build and its helpers may come to together, at most. A forked helper shares
its parent's memory only until either process writes to a page, and in Python reading
an object writes to it (its reference count): rendering touches most of the heap, so
each helper can come to cost about as much again as its parent holds. At 10,000
sources (1.5 GiB) two helpers took the build from 1.9 to 3.3 GiB, and the copying
made it slower, not faster; at 0.96 GiB, one helper took it to 1.6 GiB."""


def available() -> bool:
    """Whether a helper may be forked now: the platform can, and no other thread runs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def affordable(wanted: int) -> int:
    """How many helpers to fork now: `wanted`, or as many as MEMORY_BUDGET allows
    beside this process at its size, each counted as large; none where forking is
    not safe."""
    if wanted < 1 or not available():
        return 0
    return max(0, min(wanted, MEMORY_BUDGET // max(_peak_resident_bytes(), 1) - 1))


def _peak_resident_bytes() -> int:
    """This process's peak resident size (a build's only grows until it renders)."""
    import resource  # Unix only, as fork is

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


class Claims:
    """The numbers 0 to total - 1, each handed out once, to whichever process asks
    first: this one, or the helpers forked after this was made (the counters live
    in memory that forking shares, not copies). Some processes take from the
    front, the others from the back, and they meet where the work is done: each
    keeps to its own end of the list for as long as there is some (what it keeps to
    is what its memory already holds), and helps with the other end when there is
    not, so that all finish together. Where nothing is forked, this process
    claims them all."""

    def __init__(self, total: int) -> None:
        self._ends = multiprocessing.Array("q", [0, total])  # the next from the front; one past the next from the back

    def from_front(self) -> Iterator[int]:
        return self._claim(front=True)

    def from_back(self) -> Iterator[int]:
        return self._claim(front=False)

    def _claim(self, front: bool) -> Iterator[int]:
        ends = self._ends
        while True:
            with ends.get_lock():
                if ends[0] >= ends[1]:
                    return
                if front:
                    index = ends[0]
                    ends[0] = index + 1
                else:
                    index = ends[1] = ends[1] - 1
            yield index


class Helper(Generic[T]):
    """`work()` running in a forked child from the moment this is made. Its
    return value, or the exception it raised, comes back from `result()`."""

    def __init__(self, work: Callable[[], T]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, send), name="briefing-helper", daemon=True)
        self._process.start()
        send.close()  # the child holds the only write end: its exit ends the pipe
        self._outcome: tuple[bool, object] | None = None

    def result(self) -> T:
        """Wait for the child; its return value, or its exception raised here."""
        if self._outcome is None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:  # killed, or died before it could answer
                self._outcome = (False, BriefingError("a helper process stopped unexpectedly; run the build again"))
            finally:
                self._receive.close()
                self._process.join()
        ok, value = self._outcome
        if not ok:
            raise cast(BaseException, value)
        return cast(T, value)


def _run(work: Callable[[], T], send) -> None:
    """In the child: do the work, send back what came of it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # see workers._start_worker
    outcome: tuple[bool, object]
    try:
        outcome = (True, work())
    except BaseException as exc:  # KeyboardInterrupt included: the parent decides what it means
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # what cannot be pickled still comes back, as text
        what = "its result" if outcome[0] else repr(outcome[1])
        send.send((False, BriefingError(f"a helper process could not send back {what} ({exc})")))
    send.close()
