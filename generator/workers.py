"""The model's worker processes, which extraction hands its sources to.

A cold build waits for them: each must import spaCy (a third of a second) and load
the model before the first source goes through it, and whatever the build
does before it starts them adds to its time. So a build can start them on a
guess (`start_workers_early`) before it has imported its stages or read its
inputs, and this module is light to import for that: the standard library
and two small modules at its top, the model's own only in the workers.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import collector, forked
from .userfiles import count_articles, count_user_files

if TYPE_CHECKING:
    from spacy.language import Language

    from .model import Source
    from .nlp import Parsed

POOL_MIN_SOURCES = 64
"""Below this, starting workers (each loads the model, about a second) costs more than it saves;
from this on, even one worker pays: the building process's share of the build runs alongside it."""


def default_jobs() -> int:
    """The processes to run the model in unless told: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


_early: tuple[int, _Pool] | None = None
"""Workers `start_workers_early` started, and how many, until a build takes them or they are stopped."""


def start_workers_early(seeds: Path, cache_dir: Path | None, jobs: int) -> None:
    """Start `jobs` workers now if the model is likely to run on enough sources to
    use them: the seeds hold at least POOL_MIN_SOURCES articles more than the cache
    holds entries. A build that then needs workers takes these (`pool`), ahead of
    workers it would start once it knew by however long it takes to import its
    stages and read its inputs (a sixth of a second at 100 articles, more with more).

    A wrong guess costs little. Cache entries that no longer fit (another model,
    edited articles) count as hits, so the guess errs towards not starting, and the
    build starts the workers itself; workers started and not taken (the build found
    its site current, or failed) are ended by `stop_early_workers`."""
    global _early
    if _early is not None:
        return
    articles = count_articles(seeds)
    if articles >= POOL_MIN_SOURCES and articles - _cache_entries(cache_dir) >= POOL_MIN_SOURCES:
        workers = _start(jobs)
        for _ in range(jobs):  # a pool starts a worker for each task submitted, up to its size
            workers.submit(_ready)
        _early = (jobs, workers)


def stop_early_workers() -> None:
    """End the workers `start_workers_early` started if no build took them."""
    global _early
    if _early is not None:
        _terminate(_early[1])
        _early = None


@contextlib.contextmanager
def pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """`jobs` workers for a `with` block, each to load the model named in the first
    task it gets (`run_model`): those started early if they are as many, else new
    ones. They stop when the block ends; at once if it ends by an exception (Ctrl-C,
    a failed build, a reader that stopped reading), as what they are doing is no
    longer wanted, where stopping in the usual way would wait for each worker's task
    at hand and the next, about a second."""
    global _early
    early, _early = _early, None
    if early is not None and early[0] != jobs:
        _terminate(early[1])
        early = None
    workers = early[1] if early is not None else _start(jobs)
    try:
        yield workers
    except BaseException:
        _terminate(workers)
        raise
    workers.shutdown()


def _cache_entries(cache_dir: Path | None) -> int:
    """The files under the extraction cache's folder: one per source it holds (see extract.ExtractionCache)."""
    return count_user_files(cache_dir) if cache_dir is not None else 0


def _start(jobs: int) -> _Pool:
    # Forked where that is safe (no other thread runs: see forked.available), as in
    # `briefing build`: a forked worker starts at once, where a spawned one first starts
    # Python again and re-imports what it needs (a twentieth of a second), and without
    # the extra process that tracks a spawned pool's semaphores. Spawned in `briefing
    # watch`, whose observer and server threads make forking unsafe.
    return _Pool(jobs, "fork" if forked.available() else "spawn")


class _Pool(ProcessPoolExecutor):
    """A pool that can stop its workers at once (Python 3.14 has this as
    ProcessPoolExecutor.terminate_workers; before it, a pool keeps its processes
    to itself, so this one starts them through a context that remembers them)."""

    def __init__(self, jobs: int, method: str) -> None:
        self._starts = _Starts(method)
        super().__init__(jobs, mp_context=cast(BaseContext, self._starts), initializer=_start_worker)

    def stop_at_once(self) -> None:
        """Asked to stop in the usual way, a worker would first finish what it is doing:
        importing spaCy, or its task at hand and the next, half a second or more each."""
        for process in self._starts.started:
            if process.is_alive():
                process.terminate()
        self.shutdown(wait=True, cancel_futures=True)


class _Starts:
    """A multiprocessing context (that of `method`) that remembers each process it
    starts: a pool starts its workers through the context it is given."""

    def __init__(self, method: str) -> None:
        self._context: Any = multiprocessing.get_context(method)
        self.started: list[multiprocessing.process.BaseProcess] = []

    def Process(self, *args, **kwargs) -> multiprocessing.process.BaseProcess:  # noqa: N802 - the context's own name
        process = self._context.Process(*args, **kwargs)
        self.started.append(process)
        return process

    def __getattr__(self, name: str):
        return getattr(self._context, name)


def _terminate(workers: _Pool) -> None:
    workers.stop_at_once()


# In a worker process: the model loaded, and its name.
_model: tuple[str, Language] | None = None


def _start_worker() -> None:
    collector.on()  # a forked worker inherits a build's collector switched off
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the build's own handler (cli.handle_stop_signals) is for the build: ended, a worker just ends
    from .nlp import import_spacy

    import_spacy()  # most of a worker's start, and needs no model name, which the first task brings

    # When the pool lets the worker go, the build waits for it to end: the interpreter's
    # own exit, freeing the model object by object, took 0.3 s. A worker has nothing to
    # flush (it sends every result whole, at once), so it ends as soon as exit begins.
    atexit.register(os._exit, 0)


def _ready() -> None:
    """A task that does nothing: submitted to make the pool start a worker."""


def run_model(model_name: str, sources: list[Source]) -> list[tuple[Parsed, ...]]:
    """A task: what the model named makes of each source's paragraphs (see nlp.parse_sources)."""
    from . import nlp

    global _model
    if _model is None or _model[0] != model_name:
        _model = (model_name, nlp.load_model(model_name))
    return list(nlp.parse_sources(_model[1], sources))
