"""Write: bring the output folder in line with the rendered files.

Only files whose bytes changed are written (each atomically: a temporary
file renamed into place), so unchanged pages keep their modification
times; files an earlier build wrote and this one did not are removed.
The build's own manifest says which files it owns, so nothing a user put
into the folder by hand is ever deleted, and records a fingerprint of the
build's inputs, so a build with nothing changed can stop early.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import BriefingError

MANIFEST = ".briefing-manifest.json"


def _file_mode() -> int:
    """The mode a plain new file gets under this process's umask (0644 under the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()  # read once, at import: os.umask is process-wide and not thread-safe


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place. The file
    gets the mode any new file would (mkstemp's own is private, 0600: a web server
    serving the folder as another user could not read the pages)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def _manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _owned(out_dir: Path) -> set[str]:
    files = _manifest(out_dir).get("files")
    return set(files) if isinstance(files, dict) else set()


def current_files(out_dir: Path) -> dict[str, int]:
    files = _manifest(out_dir).get("files")
    return files if isinstance(files, dict) else {}


def current_counts(out_dir: Path) -> dict[str, int]:
    counts = _manifest(out_dir).get("counts")
    return counts if isinstance(counts, dict) else {}


def is_current(out_dir: Path, build_key: str) -> bool:
    """True when the folder holds, intact, the output of a build with these exact inputs."""
    manifest = _manifest(out_dir)
    if manifest.get("build") != build_key:
        return False
    files = current_files(out_dir)
    try:
        return bool(files) and all((out_dir / rel).stat().st_size == size for rel, size in files.items())
    except OSError:
        return False


def write_site(files: dict[str, bytes], out_dir: Path, build_key: str = "", counts: dict[str, int] | None = None) -> WriteReport:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefingError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from None
    written = unchanged = 0
    for rel in sorted(files):
        path = out_dir / rel
        data = files[rel]
        try:
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                unchanged += 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
        except OSError as exc:
            raise BriefingError(f"{path}: cannot write ({exc.strerror})") from None
        written += 1
    removed = 0
    for rel in sorted(_owned(out_dir) - set(files)):
        path = out_dir / rel
        if path.is_file():
            path.unlink()
            removed += 1
            _prune_empty_dirs(path.parent, out_dir)
    record = {"build": build_key, "counts": counts or {}, "files": {rel: len(files[rel]) for rel in sorted(files)}}
    manifest = (json.dumps(record, indent=0, sort_keys=True) + "\n").encode("utf-8")
    manifest_path = out_dir / MANIFEST
    if not manifest_path.is_file() or manifest_path.read_bytes() != manifest:
        write_atomic(manifest_path, manifest)
    return WriteReport(written, unchanged, removed)


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
