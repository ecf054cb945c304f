"""Which files in the user's folders are theirs: not the swap, backup, lock and
partial files that editors and tools write beside the real ones.

One rule for every reader of seeds/, content/ and templates/: ingest, the
build's fingerprint of templates, the copy of static assets, and `briefing
watch`, which must not rebuild for a file the build would not read.
"""

from __future__ import annotations

from pathlib import Path

TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", "~")
TEMP_NAMES = frozenset({"4913"})  # vim writes and deletes it to test that a folder is writable


def is_editor_temp(name: str) -> bool:
    """Hidden files (and editors' .swp, .#lock files), emacs autosaves (#x#), office locks (~$x), backups (x~) and partial downloads."""
    return name in TEMP_NAMES or name.startswith((".", "#", "~")) or name.endswith(TEMP_SUFFIXES)


def user_files(folder: Path) -> list[Path]:
    """Every file under `folder` that is the user's, sorted; none inside a hidden folder."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(is_editor_temp(part) for part in p.relative_to(folder).parts))
