"""Read and validate the user's curated files in `content/` into `Overrides`."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError, Problem
from .model import SiteConfig, Warning_
from .overrides import Overrides


def load_content(content_dir: Path) -> tuple[Overrides, tuple[Warning_, ...]]:
    site_file = content_dir / "site.yaml"
    if not site_file.is_file():
        return Overrides(), ()
    try:
        data = yaml.safe_load(site_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(f"{content_dir.name}/site.yaml", mark.line + 1 if mark else None, mark.column + 1 if mark else None, f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None
    return Overrides(site=SiteConfig(**{k: str(v) for k, v in data.items()})), ()
