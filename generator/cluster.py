"""Extraction on a Dask cluster: `briefing build --dask ADDRESS` (or `--dask local`).

Only the model runs on the cluster; everything after it is corpus-wide and stays
in this process. What travels: to a worker, batches of paragraphs (each source's
slug and its paragraphs' ids and texts, nothing else of the article); back, each
source's Extraction, the record the cache stores, which this process writes to
the cache as it arrives. So an article extracted on the cluster is a cache hit
for a later local build, and the site is byte for byte the one a local build
makes. Each worker process loads the model once, with its first batch, and
checks that its Briefing and model make the same cache keys as this machine's:
a worker with another model version would otherwise fill the cache with entries
that do not match their keys.

Dask retries a batch whose worker died (`distributed.scheduler.allowed-failures`);
an interrupted or failed build cancels what is still queued; at most a few
batches per worker are in flight at once, so the scheduler's memory does not
grow with the corpus. Only this module imports Dask, and only when asked to.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import itertools
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from . import nlp as nlp_door
from .errors import BriefingError
from .model import Extraction, ParagraphAnalysis

if TYPE_CHECKING:
    from spacy.language import Language

    from .model import Source

LOCAL = "local"
"""The --dask address that starts a LocalCluster on this machine, of --jobs worker processes."""

INSTALL_HINT = "--dask needs Dask's distributed scheduler: pip install 'briefing[dask]' (or pip install 'dask[distributed]')"

CONNECT_SECONDS = 5
"""How long to try to reach a scheduler before the build fails: it fails fast, having read its inputs only."""

WORKERS_SECONDS = 60
"""How long to wait for a scheduler that has no workers to get one."""

BATCH_CHARS = (10_000, 60_000)
"""A batch's paragraph text, at least and at most (about 1,500 and 10,000 words, under a
second of the model): large enough that Dask's cost per task (a few milliseconds) and the
model's per call vanish, small enough that the workers finish together (the last batches
are what one waits for while the others idle), that a dead worker loses little, and that
memory on both ends stays small. Between the two, a corpus is cut into about
BATCHES_PER_WORKER batches per worker."""

BATCHES_PER_WORKER = 8
IN_FLIGHT_PER_THREAD = 2
"""Batches queued per worker thread: one running and one waiting, so no worker idles
between batches; the rest of the corpus stays here until one comes back."""

LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "1s"}
"""For the workers of a LocalCluster, two of Dask's watchers made to wake less: its
statistical profiler (100 samples a second, for a dashboard nobody opens here) and its
event loop's tick (every 20 ms). Each wakes a thread that takes the interpreter from the
model mid-batch; together they cost the workers about 7 % of their time (20.0 s against
21.4 s on 1,000 articles). A remote cluster's workers are started by their owner: see
docs/scaling.md for the same settings there."""

Paragraphs = tuple[tuple[str, str], ...]
"""A source's paragraphs as they travel: (id, text) each."""


def available() -> bool:
    """Whether Dask's distributed scheduler can be imported (the optional extra `briefing[dask]`)."""
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


def extract(address: str, jobs: int, model_name: str, key_salt: str, sources: list[Source], started: Callable[[], None] | None = None) -> Iterator[Extraction]:
    """Every source's extraction, run on the cluster at `address` (a LocalCluster of
    `jobs` workers for LOCAL), in the order they come back. `key_salt` is this
    machine's cache salt (see extract.ExtractionCache), which every worker must share.
    `started` is called once the batches are submitted: this process is idle from then on."""
    try:
        import distributed
    except ImportError:
        raise BriefingError(INSTALL_HINT) from None
    try:
        with _connected(distributed, address, jobs) as client:
            yield from _run(distributed, client, model_name, key_salt, sources, started)
    finally:
        _end_offload_thread(distributed)


def _run(distributed, client, model_name: str, key_salt: str, sources: list[Source], started: Callable[[], None] | None) -> Iterator[Extraction]:
    threads = sum(client.nthreads().values())
    pending = iter(batches(sources, _batch_chars(sources, threads)))
    queue = distributed.as_completed()
    futures: set = set()

    def submit(batch: list[tuple[str, Paragraphs]]) -> None:
        # pure=False: two batches are never the same work to Dask, even if their texts were.
        future = client.submit(extract_batch, model_name, key_salt, batch, pure=False)
        futures.add(future)
        queue.add(future)

    def top_up() -> None:
        # Workers that join the cluster during the build get their share too; and one batch
        # is always queued while any is left, for a worker to come back to if all have died.
        room = max(sum(client.nthreads().values()) * IN_FLIGHT_PER_THREAD - len(futures), 0 if futures else 1)
        for batch in _take(pending, room):
            submit(batch)

    try:
        top_up()
        if started is not None:
            started()
        for future in queue:
            futures.discard(future)
            try:
                extractions = future.result()
            except distributed.KilledWorker:
                raise BriefingError("Dask workers died running the same batch of sources again and again (out of memory?): give the workers more memory, or run fewer of them per machine") from None
            top_up()
            yield from extractions
    finally:
        # Ctrl-C, a failure here or on a worker, or a reader that stopped reading: what is still
        # queued is no longer wanted. Entries already written to the cache are whole (each is
        # written atomically), so the cache stays consistent whatever was running.
        if futures:
            client.cancel(list(futures))


def _end_offload_thread(distributed) -> None:
    """End the one thread the client leaves behind, Dask's "offload" executor's, which
    lives as long as the process: while any thread other than this one runs, the build
    renders in this process alone, not in forked helpers (see forked.available). The
    executor starts its thread on first use, so a new one in its place costs nothing
    until Dask is used again. The executor is private to Dask: if it moves, the thread
    stays and the build is a little slower, never different."""
    executor = getattr(distributed.utils, "_offload_executor", None)
    if isinstance(executor, ThreadPoolExecutor):
        distributed.utils._offload_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="Dask-Offload")
        executor.shutdown(wait=True)


def batches(sources: list[Source], chars: int) -> Iterator[list[tuple[str, Paragraphs]]]:
    """The sources as they travel, in batches of about `chars` characters of text
    each; a source is never split, so its record comes back whole."""
    batch: list[tuple[str, Paragraphs]] = []
    size = 0
    for source in sources:
        batch.append((source.slug, tuple((p.id, p.text) for p in source.paragraphs)))
        size += sum(len(p.text) for p in source.paragraphs)
        if size >= chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _batch_chars(sources: list[Source], threads: int) -> int:
    total = sum(len(p.text) for s in sources for p in s.paragraphs)
    low, high = BATCH_CHARS
    return max(low, min(high, total // max(1, threads * BATCHES_PER_WORKER)))


def _take(items: Iterator, n: int) -> list:
    return list(itertools.islice(items, max(n, 0)))


@contextlib.contextmanager
def _connected(distributed, address: str, jobs: int) -> Iterator:
    """A client of the cluster at `address`, with at least one worker; the cluster
    (a LocalCluster of `jobs` workers, for LOCAL) for as long as the block lasts."""
    with contextlib.ExitStack() as stack:
        if address == LOCAL:
            # One thread per worker process: spaCy holds the interpreter while it runs, so a
            # second thread in the same process would only wait (and share its model). Its
            # HTTP server on any free port: on Dask's usual one, a second cluster warns.
            import dask.config  # installed with distributed

            # Its workers take their configuration from this process as they start.
            with dask.config.set(LOCAL_WORKER_CONFIG):
                cluster = stack.enter_context(distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR))
            address = cluster.scheduler_address
        try:
            _check_reachable(distributed, address)
            client = stack.enter_context(distributed.Client(address, timeout=CONNECT_SECONDS))
        except ValueError as exc:
            raise BriefingError(f"--dask {address}: not a scheduler's address ({exc}); give one as tcp://host:8786, or `local`") from None
        except (OSError, TimeoutError) as exc:
            raise BriefingError(
                f"could not reach the Dask scheduler at {address} within {CONNECT_SECONDS} s ({exc}); "
                f"start one with `dask scheduler` and workers with `dask worker {address}`, or build with --dask local "
                "or without --dask"
            ) from None
        try:
            client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except TimeoutError:
            raise BriefingError(f"the Dask scheduler at {address} has had no worker for {WORKERS_SECONDS} s; start some with `dask worker {address}`") from None
        yield client


def _check_reachable(distributed, address: str) -> None:
    """Raise OSError at once if nothing listens at a tcp:// address. Dask's client would
    try again and again until its timeout, and, failing, leave its event loop's thread
    running, which keeps a build from forking its render helpers (see forked.available)."""
    scheme, location = distributed.comm.parse_address(address)
    if scheme == "tcp":
        socket.create_connection(distributed.comm.parse_host_port(location), timeout=CONNECT_SECONDS).close()


GLIBC_MMAP_THRESHOLD = -3
GLIBC_TRIM_THRESHOLD = -1
"""mallopt's parameter numbers, from glibc's malloc.h."""

ALLOCATOR_THRESHOLDS = {GLIBC_MMAP_THRESHOLD: 32 * 2**20, GLIBC_TRIM_THRESHOLD: 64 * 2**20}
"""Where glibc's own thresholds end up in a long-running process that allocates and frees
large blocks (its dynamic maximum on 64-bit Linux, and twice that)."""


def _allocate_as_a_plain_process() -> None:
    """Undo, in this worker process, the allocator setting a Dask nanny starts it with.

    The nanny sets MALLOC_TRIM_THRESHOLD_=65536 (`distributed.nanny.pre-spawn-environ`)
    so that freed memory goes back to the system at once. That also pins glibc's mmap
    threshold at 128 KiB: every array the model makes above that size is mapped afresh
    and unmapped when freed, and the page faults on the fresh pages cost the worker
    about a fifth more CPU than the local pool's processes spend on the same batches
    (measured: system time 8.5 s against 1.2 s on 1,000 articles). Set both thresholds
    where glibc's own adjustment would take them. Not glibc (musl, macOS): nothing to do."""
    library = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(library).mallopt if library else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is not None:
        for parameter, value in ALLOCATOR_THRESHOLDS.items():
            mallopt(parameter, value)


# On a worker: the model loaded, under a lock, as a worker may run tasks in several threads.
_model: tuple[str, Language] | None = None
_model_lock = threading.Lock()


def extract_batch(model_name: str, key_salt: str, batch: list[tuple[str, Paragraphs]]) -> list[Extraction]:
    """A task, on a worker: each source's extraction, as extract.Extractor makes it locally."""
    from .extract import cache_salt

    worker_salt = cache_salt(nlp_door.resolve_model(model_name)[1])
    if worker_salt != key_salt:
        raise BriefingError(
            f"a Dask worker's Briefing or model differs from this machine's (its cache salt {worker_salt!r}, "
            f"here {key_salt!r}): install the same versions of Briefing, spaCy and the model on every worker"
        )
    global _model
    with _model_lock:
        if _model is None or _model[0] != model_name:
            _allocate_as_a_plain_process()
            _model = (model_name, nlp_door.load_model(model_name))
        items = ((text, ((index, text), paragraph_id)) for index, (_, paragraphs) in enumerate(batch) for paragraph_id, text in paragraphs)
        done: list[Extraction] = []
        current: list[ParagraphAnalysis] = []
        for parsed, (index, text) in nlp_door.parse(_model[1], items):
            current.append(nlp_door.analysis(text, parsed))
            slug, paragraphs = batch[index]
            if len(current) == len(paragraphs):  # ingest guarantees a source at least one
                done.append(Extraction(slug, tuple(current)))
                current = []
    return done
