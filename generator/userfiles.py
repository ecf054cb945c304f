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


def _is_utf8(name: str) -> bool:
    """Whether a name as the file system gave it is text: one that is not UTF-8 comes with surrogates."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """A name that can be printed: bytes that are not UTF-8 shown as \\xe9."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def user_files(folder: Path) -> list[Path]:
    """Every file under `folder` that is the user's, sorted; none inside a hidden folder."""
    return [path for _, path in named_user_files(folder)]


def named_user_files(folder: Path, skipped: list[tuple[str, str]] | None = None, links_within: Path | None = None) -> list[tuple[str, Path]]:
    """`user_files`, each with its path relative to `folder` in POSIX form ("2025/a.txt").
    A name that is not UTF-8 text is left out (it could be neither shown nor written
    into the site), and so, with `links_within`, is a link to a file outside that folder
    (a link in seeds/ to ~/.ssh/id_rsa would publish it); each goes into `skipped`, if
    given, as (path shown, why).
    Listed with os.scandir, which tells a file from a folder without a stat call, not with
    Path.rglob: a rebuild lists the whole seeds folder, and rglob's path objects cost a
    third of reading a thousand unchanged articles. As rglob, it does not descend into a
    symlinked folder, and skips one it cannot read."""
    found = [(parts, Path(entry.path)) for parts, entry in _walk(folder, skipped, links_within)]
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


def _walk(folder: Path, skipped: list[tuple[str, str]] | None = None, links_within: Path | None = None) -> Iterator[tuple[tuple[str, ...], os.DirEntry]]:
    """The user's files under `folder`, unsorted, each with the parts of its path below it
    (see named_user_files for what is `skipped`)."""
    if not folder.is_dir():
        return
    skipped = [] if skipped is None else skipped
    within = os.path.realpath(links_within) if links_within is not None else None

    def walk(directory: str, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], os.DirEntry]]:
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            return
        for entry in entries:
            if is_editor_temp(entry.name):
                continue
            if not _is_utf8(entry.name):
                skipped.append(("/".join((*parts, shown_name(entry.name))), "its name is not UTF-8 text; rename the file"))
            elif entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path, (*parts, entry.name))
            elif entry.is_file():
                target = os.path.realpath(entry.path) if within is not None and entry.is_symlink() else None
                if target is not None and within is not None and os.path.commonpath((target, within)) != within:
                    skipped.append(("/".join((*parts, entry.name)), f"a link to {shown_name(target)}, outside the project; copy the file in, or allow such links with --follow-links"))
                else:
                    yield (*parts, entry.name), entry

    yield from walk(os.fspath(folder), ())
