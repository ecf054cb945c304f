"""Briefing installed as a user installs it: `pip install` into a fresh virtual
environment (no editable install, no checkout on the path), then `briefing init
demo && cd demo && briefing build` in a folder far from the checkout. Slow (pip
installs spaCy and the other dependencies from the local package index or its
cache), so it is one test doing the whole journey."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with Briefing pip-installed from a copy of the checkout (as an sdist would hold it)."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", ".briefing-cache", "site", "test-artifacts", "*.egg-info", "build", "__pycache__", "tests", "bench"))
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    done = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-compile", str(source)], capture_output=True, text=True, timeout=1500)
    if done.returncode != 0:
        pytest.fail(f"pip install failed:\n{done.stdout}\n{done.stderr}")
    shutil.rmtree(source)  # nothing of the checkout is left to fall back on
    return env_dir


def test_pip_install_then_init_and_build_work_with_no_checkout(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    briefing = installed / "bin" / "briefing"
    where = subprocess.run(
        [installed / "bin" / "python", "-c", "import generator.theme as t; print(t.__file__); print(t.theme_folder())"], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    ).stdout.split("\n")
    assert where[0].startswith(str(installed)) and where[1] == str(Path(where[0]).parent / "default_theme")
    subprocess.run([briefing, "init", "demo"], cwd=tmp_path, env=env, check=True, capture_output=True, timeout=120)
    built = subprocess.run([briefing, "build"], cwd=tmp_path / "demo", env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "demo" / "site"
    assert "Maria Jansen" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "style.css").read_bytes() == (REPO / "templates" / "static" / "style.css").read_bytes()
    assert (site / "people" / "maria-jansen.html").is_file()
    assert sys.prefix != str(installed)
