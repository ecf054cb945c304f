"""What a build depends on, as keys: a build whose key is the one the site in
the output folder was written with has nothing to do (write.is_current), and a
Builder keeps what resolution found while its key stays the same.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__
from .model import Source
from .overrides import Overrides
from .resolve import for_resolution
from .theme import template_folders
from .userfiles import named_user_files


def resolution_key(sources: tuple[Source, ...], cache_salt: str, overrides: Overrides) -> tuple:
    """What resolution, topics and quotes read: the articles, the model's results (by the
    extraction cache's salt: the model and its settings), and of content/ only the rules
    that resolve (a description, say, is laid on after: see resolve.with_curated_text)."""
    return (
        tuple((s.slug, s.content_hash, s.title, s.date, s.publisher, s.url, s.file, s.author, s.credits, s.summary_only, s.line) for s in sources),
        cache_salt,
        for_resolution(overrides),
    )


def templates_key(templates: Path) -> str:
    """The names and contents of the templates the site is rendered with: the project's and the theme's."""
    return "".join(fingerprint_files(folder) for folder in template_folders(templates))


def build_key(resolution: tuple, overrides: Overrides, templates: str, use_overrides: bool) -> str:
    """Everything the site depends on: this code, what resolution reads, all of content/ and the templates."""
    return hashlib.sha256(repr((code_fingerprint(), resolution, overrides, templates, use_overrides)).encode()).hexdigest()


def fingerprint_files(folder: Path) -> str:
    """Hash of the names and contents of the user's files under `folder` (templates are small)."""
    h = hashlib.sha256()
    for rel, path in named_user_files(folder):
        h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Hash of this package's own code and data: a new Briefing (or a developer's edit) rebuilds everything."""
    package = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml", ".txt")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
