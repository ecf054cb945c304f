"""Shared fixtures and helpers: the sample project built once per session, scratch
projects, snapshots of folders, `briefing watch` as a process, and hand-made
model objects for the unit tests of single stages.

Test modules import what they share from here, never from each other."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build import build
from generator.model import Entity, Extraction, Mention, Paragraph, ParagraphAnalysis, Source, SourceMentions
from generator.project import Project

REPO = Path(__file__).resolve().parent.parent
SHARED_CACHE = REPO / ".briefing-cache"
"""The repository's extraction cache: tests reuse model results, never fake them."""

SHARED = REPO.parent / "shared"
"""What lies beside the checkout on the project's own machines and in CI, not in the repository."""


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test whose input lives in ../shared where it is not beside the checkout, saying which."""
    return pytest.mark.skipif(not path.exists(), reason=f"needs ../{path.relative_to(SHARED.parent)}, which is not beside this checkout")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample project (seeds/, content/, templates/ of the repository) built into a temporary folder."""
    out = tmp_path_factory.mktemp("sample-site")
    build(Project(seeds=REPO / "seeds", content=REPO / "content", templates=REPO / "templates", out=out, cache=SHARED_CACHE))
    return out


@pytest.fixture
def scratch_project(tmp_path, sample_site) -> Project:
    """A project of its own in tmp_path: copies of two sample articles and of the templates, empty content/.
    Its cache is the shared one, which holds the samples' model results once `sample_site` is built
    (on a fresh clone too), so its first build takes them from there."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in sorted(p.name for p in (REPO / "seeds").iterdir())[3:5]:
        shutil.copy(REPO / "seeds" / name, seeds / name)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "content").mkdir()
    return Project(seeds=seeds, content=tmp_path / "content", templates=tmp_path / "templates", out=tmp_path / "site", cache=SHARED_CACHE)


def own_cache(folder: Path) -> Path:
    """A copy of the shared cache in `folder`, so that an edit is a real cache miss and the shared one stays as it is."""
    cache = folder / "cache"
    if SHARED_CACHE.is_dir():
        shutil.copytree(SHARED_CACHE, cache)
    return cache


@pytest.fixture
def project(scratch_project, tmp_path) -> Project:
    """The scratch project with its own copy of the shared cache (see `own_cache`)."""
    return replace(scratch_project, cache=own_cache(tmp_path))


def args_for(project: Project, quiet: bool = True) -> list[str]:
    """The command-line options that name the project's folders."""
    return ["--seeds", str(project.seeds), "--content", str(project.content), "--templates", str(project.templates), "--out", str(project.out), "--cache-dir", str(project.cache)] + (
        ["-q"] if quiet else []
    )


# -- folders as data --------------------------------------------------------------------


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links not followed) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and modification time: what a rewrite of the same bytes changes."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


def site_bytes(folder: Path) -> dict[str, bytes]:
    """A built site's files and bytes, without the manifest (which records times)."""
    return {path: data for path, data in files_in(folder).items() if path != ".briefing-manifest.json"}


# -- `briefing watch` as a user runs it -------------------------------------------------

WAIT = 30.0
"""Upper bound for one build to show up: generous for a loaded machine; a passing test waits far less."""

BUILT = re.compile(r"^\[[\d:]+\] built ", re.MULTILINE)
IDLE = re.compile(r"^\[[\d:]+\] watching .* for changes$", re.MULTILINE)
CHANGED = re.compile(r"^\[[\d:]+\] changed: (.*)$", re.MULTILINE)
STATUS = re.compile(r"^\[[\d:]+\] (built|changed|watching) ", re.MULTILINE)


class WatchProcess:
    """`python -m generator watch` running in a project folder, its output in a file.

    The watch says "watching … for changes" each time it has built all it has been
    told of: a test waits for that line rather than for time to pass."""

    def __init__(self, project_dir: Path, *options: str):
        self.log = project_dir / "watch.log"
        self._log_file = self.log.open("wb")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", *options],
            cwd=project_dir,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return len(BUILT.findall(self.output()))

    def idles(self) -> int:
        """How many times the watch has said it is idle: after its first build, and after each build that left nothing pending."""
        return len(IDLE.findall(self.output()))

    def is_idle(self) -> bool:
        """Whether the watch's last word on its builds is that it is idle."""
        said = STATUS.findall(self.output())
        return bool(said) and said[-1] == "watching"

    def changes(self) -> list[str]:
        """What each rebuild was for, as the watch names the changed files."""
        return CHANGED.findall(self.output())

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None:
                pytest.fail(f"watch exited ({self.proc.returncode}) before {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout:.0f}s:\n{self.output()}")
            time.sleep(0.05)

    def wait_for_builds(self, count: int) -> None:
        self.wait_until(lambda: self.builds() >= count, f"build #{count}")

    def wait_for_idle(self, count: int) -> None:
        """Until the watch has been idle `count` times: all it had seen by then is built."""
        self.wait_until(lambda: self.idles() >= count, f"idle #{count}")

    def stop(self, sig: int, timeout: float = 15.0) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()


@pytest.fixture
def watch(scratch_project, tmp_path):
    """Start `briefing watch` on the scratch project (with its own cache: see `own_cache`)
    and wait until it is idle after its first build."""
    cache = own_cache(tmp_path)
    started: list[WatchProcess] = []

    def start(*options: str) -> WatchProcess:
        process = WatchProcess(tmp_path, "--cache-dir", str(cache), *options)
        started.append(process)
        process.wait_for_idle(1)
        return process

    yield start
    for process in started:
        process.close()


# -- hand-made model objects, for one stage at a time -----------------------------------

PHRASE = re.compile(r"\[([^\[\]]+)\]")
SENTENCE = re.compile(r"\S[^.!?]*(?:[.!?]+|$)")


def article(slug: str, *paragraphs: str, title: str | None = None, date: str | None = None, publisher: str | None = None, headings: tuple[int, ...] = ()) -> tuple[Source, Extraction]:
    """A source and what the model would make of it, written by hand: each paragraph's
    sentences end at a full stop, and its keyphrase candidates are marked [like this]
    (the brackets are not part of the text)."""
    paras, analyses = [], []
    for i, marked in enumerate(paragraphs):
        pid = f"p-{i + 1}"
        text, phrases, taken = "", [], 0
        for m in PHRASE.finditer(marked):
            text += marked[taken : m.start()]
            phrases.append((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            taken = m.end()
        text += marked[taken:]
        sentences = tuple((m.start(), m.end()) for m in SENTENCE.finditer(text))
        paras.append(Paragraph(pid, text, heading=i in headings))
        analyses.append(ParagraphAnalysis(pid, sentences, (), tuple(phrases)))
    source = Source(slug, f"{slug}.txt", title or slug.title(), date, publisher, None, tuple(paras), f"hash-{slug}")
    return source, Extraction(slug, tuple(analyses))


def entity(kind: str, name: str, *aliases: str, **fields) -> Entity:
    folder = {"person": "people", "country": "countries", "organization": "organizations", "place": "places", "topic": "topics"}[kind]
    return Entity(f"{folder}/{name.lower().replace(' ', '-')}", kind, name, aliases, fields.pop("confidence", 0.9), **fields)


def mentioned(source: Source, *named: tuple[Entity, str]) -> SourceMentions:
    """The source's mentions: every occurrence of each (entity, surface) in its paragraphs, in reading order."""
    mentions = []
    for p in source.paragraphs:
        found = []
        for e, surface in named:
            found.extend((m.start(), m.end(), e.id) for m in re.finditer(re.escape(surface), p.text))
        mentions.extend(Mention(entity_id, source.slug, p.id, a, b, p.text[a:b]) for a, b, entity_id in sorted(found))
    return SourceMentions.of(source, tuple(mentions))
