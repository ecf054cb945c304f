"""Which files in the user's folders are theirs: not the swap, backup, lock and
partial files that editors and tools write beside the real ones.

One rule for every reader of seeds/, content/ and templates/: ingest, the
build's fingerprint of templates, the copy of static assets, and `briefing
watch`, which must not rebuild for a file the build would not read.
"""

from __future__ import annotations

import os
from pathlib import Path

SOURCE_SUFFIXES = (".txt", ".md")
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
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, ...], Path]] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            return
        for entry in entries:
            if is_editor_temp(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, (*parts, entry.name))
            elif entry.is_file():
                found.append(((*parts, entry.name), Path(entry.path)))

    walk(os.fspath(folder), ())
    found.sort(key=lambda item: item[0])  # part by part, as paths sort: "a/b.txt" before "a-b.txt"
    return [("/".join(parts), path) for parts, path in found]


def count_articles(seeds: Path) -> int:
    """How many of the user's files in `seeds` are articles by their name, unread."""
    return sum(path.suffix.lower() in SOURCE_SUFFIXES for _, path in named_user_files(seeds))
