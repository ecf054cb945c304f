"""Which files in the user's folders are theirs: not the swap, backup, lock and
partial files that editors and tools write beside the real ones.

One rule for every reader of seeds/, content/ and templates/: ingest, the
build's fingerprint of templates, the copy of static assets, and `briefing
watch`, which must not rebuild for a file the build would not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".json", ".jsonl")
"""The files in seeds/ that are articles (see ingest); any other is skipped with a warning."""
TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", "~")
TEMP_NAMES = frozenset({"4913"})  # vim writes and deletes it to test that a folder is writable


def is_editor_temp(name: str) -> bool:
    """Hidden files (and editors' .swp, .#lock files), emacs autosaves (#x#), office locks (~$x), backups (x~) and partial downloads."""
    return name in TEMP_NAMES or name.startswith((".", "#", "~")) or name.endswith(TEMP_SUFFIXES)


def user_files(folder: Path) -> list[Path]:
    """Every file under `folder` that is the user's, sorted; none inside a hidden folder."""
    return [path for _, path in named_user_files(folder)]


def named_user_files(folder: Path) -> list[tuple[str, Path]]:
    """`user_files`, each with its path relative to `folder` in POSIX form ("2025/a.txt").
    Listed with os.scandir, which tells a file from a folder without a stat call, not with
    Path.rglob: a rebuild lists the whole seeds folder, and rglob's path objects cost a
    third of reading a thousand unchanged articles. As rglob, it does not descend into a
    symlinked folder, and skips one it cannot read."""
    found = [(parts, Path(entry.path)) for parts, entry in _walk(folder)]
    found.sort(key=lambda item: item[0])  # part by part, as paths sort: "a/b.txt" before "a-b.txt"
    return [("/".join(parts), path) for parts, path in found]


def count_user_files(folder: Path, suffixes: tuple[str, ...] | None = None) -> int:
    """How many of `named_user_files(folder)` there are (with one of `suffixes`, in any
    case, if given), counted without making, sorting or reading them: a build counts its
    articles and its cache's entries before anything else (see workers.start_workers_early)."""
    return sum(suffixes is None or os.path.splitext(entry.name)[1].lower() in suffixes for _, entry in _walk(folder))


def count_articles(seeds: Path) -> int:
    """How many of the user's files in `seeds` are articles by their name, unread."""
    return count_user_files(seeds, SOURCE_SUFFIXES)


def _walk(folder: Path) -> Iterator[tuple[tuple[str, ...], os.DirEntry]]:
    """The user's files under `folder`, unsorted, each with the parts of its path below it."""
    if not folder.is_dir():
        return

    def walk(directory: str, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], os.DirEntry]]:
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            return
        for entry in entries:
            if is_editor_temp(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path, (*parts, entry.name))
            elif entry.is_file():
                yield (*parts, entry.name), entry

    yield from walk(os.fspath(folder), ())
