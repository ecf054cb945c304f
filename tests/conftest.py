"""Shared fixtures: the sample project built once per session, and scratch projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import Project, build

REPO = Path(__file__).resolve().parent.parent
SHARED_CACHE = REPO / ".briefing-cache"
"""The repository's extraction cache: tests reuse model results, never fake them."""


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample project (seeds/, content/, templates/ of the repository) built into a temporary folder."""
    out = tmp_path_factory.mktemp("sample-site")
    build(Project(seeds=REPO / "seeds", content=REPO / "content", templates=REPO / "templates", out=out, cache=SHARED_CACHE))
    return out


@pytest.fixture
def scratch_project(tmp_path) -> Project:
    """A project of its own in tmp_path: copies of two sample articles and of the templates, empty content/."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in sorted(p.name for p in (REPO / "seeds").iterdir())[3:5]:
        shutil.copy(REPO / "seeds" / name, seeds / name)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "content").mkdir()
    return Project(seeds=seeds, content=tmp_path / "content", templates=tmp_path / "templates", out=tmp_path / "site", cache=SHARED_CACHE)
