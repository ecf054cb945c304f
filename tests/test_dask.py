"""Extraction on a Dask cluster (`briefing build --dask`): a LocalCluster, and a
scheduler with two workers started as processes on 127.0.0.1, each building the
samples and a generated corpus into the very bytes a local build writes, with
its cache entries; a worker killed mid-batch, Ctrl-C, and a scheduler that
cannot be reached."""

from __future__ import annotations

import importlib.util
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, SHARED_CACHE
from generator import cluster
from generator.build import build
from generator.cli import main
from generator.errors import BriefingError
from generator.extract import Extractor
from generator.ingest import ingest
from generator.project import Project

distributed = pytest.importorskip("distributed", reason="Dask's distributed scheduler is not installed: pip install -e '.[dask]'")
import dask.config  # noqa: E402  (installed with distributed)

DASK = Path(sys.executable).parent / "dask"
CORPUS_SIZE = 70
"""Articles in the generated corpus: enough (above workers.POOL_MIN_SOURCES) for a local
build to use its worker pool, and for the cluster to cut them into several batches a worker."""


def load_bench_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def options(project: Project, cache: Path, out: Path) -> list[str]:
    return ["--seeds", str(project.seeds), "--content", str(project.content), "--templates", str(project.templates), "--cache-dir", str(cache), "--out", str(out)]


SAMPLES = Project(seeds=REPO / "seeds", content=REPO / "content", templates=REPO / "templates", out=Path("unused"), cache=SHARED_CACHE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Project:
    """A generated corpus of CORPUS_SIZE articles, built once locally (its model results in the shared cache)."""
    root = tmp_path_factory.mktemp("dask-corpus")
    load_bench_corpus().generate(root / "seeds", CORPUS_SIZE)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content").mkdir()
    project = Project(seeds=root / "seeds", content=root / "content", templates=root / "templates", out=root / "local-site", cache=SHARED_CACHE)
    build(project, jobs=2)
    return project


@pytest.fixture(scope="module")
def samples(sample_site) -> Project:
    return Project(seeds=SAMPLES.seeds, content=SAMPLES.content, templates=SAMPLES.templates, out=sample_site, cache=SHARED_CACHE)


def assert_same_as_local(project: Project, cache: Path, out: Path) -> None:
    """The site is the local build's, byte for byte, and so is every cache entry the cluster made."""
    assert files(out) == files(project.out)
    made = files(cache)
    assert len(made) == len(ingest(project.seeds)[0])
    assert made == {name: (SHARED_CACHE / "extract" / name).read_bytes() for name in made}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(address: str, name: str) -> subprocess.Popen:
    """`dask worker` with one thread and no nanny, so that its process is the one that runs the model."""
    command = [DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """`dask scheduler` and two `dask worker`s as processes on 127.0.0.1."""
    address = f"tcp://127.0.0.1:{free_port()}"
    command = [DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"]
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        processes += [start_worker(address, f"worker-{i}") for i in range(2)]
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        stop(processes[1:])  # the workers first: a worker whose scheduler is gone waits to reconnect
        stop(processes[:1])


@pytest.mark.parametrize("which", ["samples", "corpus"])
def test_a_local_cluster_builds_the_very_site_and_cache_of_a_local_build(which, request, tmp_path):
    project = request.getfixturevalue(which)
    cache, out = tmp_path / "cache", tmp_path / "site"
    assert main(["build", "--dask", "local", "--jobs", "2", "--quiet", *options(project, cache, out)]) == 0
    assert_same_as_local(project, cache / "extract", out)
    assert threading.active_count() == 1  # Dask's threads are gone: later builds may fork their helpers
    # An article extracted on the cluster is a cache hit here.
    report = build(Project(seeds=project.seeds, content=project.content, templates=project.templates, out=tmp_path / "again", cache=cache))
    assert (report.extracted, report.cached) == (0, report.sources)


@pytest.mark.parametrize("which", ["samples", "corpus"])
def test_a_scheduler_and_two_worker_processes_build_the_very_site_and_cache_of_a_local_build(which, request, scheduler, tmp_path, capsys):
    project = request.getfixturevalue(which)
    cache, out = tmp_path / "cache", tmp_path / "site"
    assert main(["build", "--dask", scheduler, *options(project, cache, out)]) == 0
    assert_same_as_local(project, cache / "extract", out)
    output = capsys.readouterr()
    assert f"model run on {len(ingest(project.seeds)[0])} sources, 0 from cache" in output.out
    assert "extract: " in output.err  # progress while the cluster works


def test_ctrl_c_cancels_the_cluster_s_work_and_leaves_the_cache_whole(corpus, scheduler, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "site"
    command = [sys.executable, "-m", "generator", "build", "--dask", scheduler, *options(corpus, cache, out)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        while not any((cache / "extract").rglob("*.json")) and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, output
    assert "interrupted" in output
    assert not out.exists()
    made = files(cache / "extract")
    assert 0 < len(made) < CORPUS_SIZE
    assert made == {name: (SHARED_CACHE / "extract" / name).read_bytes() for name in made}  # every entry whole
    with distributed.Client(scheduler, timeout=30) as client:  # nothing left running for the build
        deadline = time.monotonic() + 30
        while client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0
    report = build(Project(seeds=corpus.seeds, content=corpus.content, templates=corpus.templates, out=out, cache=cache), dask=scheduler)
    assert (report.extracted, report.cached) == (CORPUS_SIZE - len(made), len(made))
    assert files(out) == files(corpus.out)


def test_a_worker_killed_mid_batch_has_its_batch_run_again_elsewhere(corpus, scheduler, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "site"
    victim = start_worker(scheduler, "victim")
    try:
        with distributed.Client(scheduler, timeout=30) as client:
            client.wait_for_workers(3, timeout=120)
            [victim_address] = [worker for worker, info in client.scheduler_info()["workers"].items() if info["name"] == "victim"]
            command = [sys.executable, "-m", "generator", "build", "--dask", scheduler, *options(corpus, cache, out)]
            process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                # Once the cluster has finished a batch (the model is loaded) and the victim is running one, kill it.
                while process.poll() is None and not (any((cache / "extract").rglob("*.json")) and client.processing([victim_address])[victim_address]):
                    time.sleep(0.01)
                victim.kill()
                output, _ = process.communicate(timeout=300)
            finally:
                process.kill()
    finally:
        stop([victim])
    assert process.returncode == 0, output
    assert f"model run on {CORPUS_SIZE} sources" in output
    assert_same_as_local(corpus, cache / "extract", out)


def test_an_unreachable_scheduler_fails_fast_and_leaves_the_site_as_it_was(scratch_project, tmp_path, capsys):
    assert main(["build", "--quiet", *options(scratch_project, tmp_path / "local-cache", scratch_project.out)]) == 0
    before = files(scratch_project.out)
    (scratch_project.seeds / "new.txt").write_text("A new title\n\nKeir Starmer spoke in London today.\n", encoding="utf-8")
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    assert main(["build", "--dask", address, *options(scratch_project, tmp_path / "cache", scratch_project.out)]) == 1
    error = capsys.readouterr().err
    assert f"could not reach the Dask scheduler at {address} within {cluster.CONNECT_SECONDS} s" in error
    assert "dask scheduler" in error and "--dask local" in error
    assert files(scratch_project.out) == before
    assert threading.active_count() == 1


def test_without_dask_installed_dask_says_what_to_install(scratch_project, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what `import distributed` finds where it is not installed
    assert main(["build", "--dask", "local", *options(scratch_project, scratch_project.cache, scratch_project.out)]) == 1
    assert "pip install 'briefing[dask]'" in capsys.readouterr().err
    assert not scratch_project.out.exists()


def test_a_worker_with_another_model_or_briefing_refuses_the_batch():
    extractor = Extractor("en_core_web_sm", None)
    source = ingest(REPO / "seeds")[0][0]
    batch = next(cluster.batches([source], 1))
    with pytest.raises(BriefingError, match="install the same versions of Briefing, spaCy and the model on every worker"):
        cluster.extract_batch("en_core_web_sm", "another model\n" + extractor.cache.key_salt, batch)
    [extraction] = cluster.extract_batch("en_core_web_sm", extractor.cache.key_salt, batch)
    assert extraction == extractor.run((source,)).extractions[source.slug]


def test_a_local_cluster_s_workers_keep_the_profiler_and_tick_quiet():
    with cluster._connected(distributed, cluster.LOCAL, 1) as client:
        [settings] = client.run(lambda: tuple(dask.config.get(key) for key in cluster.LOCAL_WORKER_CONFIG)).values()
    assert settings == (False, "1s")
    assert dask.config.get("distributed.worker.profile.enabled"), "this process's own configuration is left as it was"


FAULTS_OF_REUSED_BLOCKS = """
import resource, sys
from generator import cluster
if sys.argv[1] == "set":
    cluster._allocate_as_a_plain_process()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(200):
    block = bytearray(4 * 2**20)  # zero-filled: every page touched
    del block
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the allocator thresholds are glibc's")
def test_a_worker_reuses_freed_blocks_although_its_nanny_asks_for_them_to_be_returned():
    """Under the nanny's MALLOC_TRIM_THRESHOLD_, each large block is mapped afresh and
    faulted in page by page; after the worker's own setting, freed blocks are reused."""

    def faults(step: str) -> int:
        env = {"MALLOC_TRIM_THRESHOLD_": "65536", "PYTHONPATH": str(REPO)}
        return int(subprocess.run([sys.executable, "-c", FAULTS_OF_REUSED_BLOCKS, step], env=env, capture_output=True, text=True, check=True).stdout)

    assert faults("set") * 20 < faults("as the nanny starts it")
