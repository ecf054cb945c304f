"""Write: bring the output folder in line with the rendered files.

Files come one at a time, as they are rendered, so that a large site is never
in memory whole. Only files whose bytes changed are written, each first to a
temporary file beside it; once every file has been rendered they are all
renamed into place. So a build that fails halfway (a template error on the
last page) leaves the previous site exactly as it was, and unchanged pages
keep their modification times. Files an earlier build wrote and this one
did not are removed. A single build has some of its files rendered and
staged by forked helper processes meanwhile (see forked.py); this process
renames theirs into place with its own, or removes them all if any part
failed. The build's own manifest says which files it owns, so
nothing a user put into the folder by hand is ever deleted, and records a
fingerprint of the build's inputs, so a build with nothing changed can stop
early.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK, S_ISREG

from . import forked
from .atomic import write_atomic, write_beside
from .errors import BriefingError, Diagnostic
from .memo import LastRun

MANIFEST = ".briefing-manifest.json"

RECALLED_MAX_BYTES = 1 << 20
"""Files up to this size are recalled by `WrittenFiles`: pages, which a render memo
hands on as the same bytes object; the large files (the search index, the
export) are made anew every build, so keeping them would only cost memory."""


class WrittenFiles:
    """What the last write left in the folder: each file's bytes, the very object,
    and the file's inode, size and modification time just after. A page that a
    render memo hands on unchanged comes as that same object; if the file on disk
    has not been touched since, it is known to be current without reading it
    back (a thousand reads of unchanged pages are most of a rebuild's writing).
    A Builder keeps one; a single build's (`keep=False`) recalls nothing, and so
    needs no file's bytes after it is staged."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self._files: LastRun[str, bool] = LastRun(keep)

    def is_current(self, rel: str, data: bytes, stat: os.stat_result) -> bool:
        return self._files.found(rel, (data,), equal=(_signature(stat),)) is not None

    def remember(self, rel: str, data: bytes, stat: os.stat_result) -> None:
        if len(data) <= RECALLED_MAX_BYTES:
            self._files.reuse(rel, (data,), lambda: True, equal=(_signature(stat),))

    def finish(self) -> None:
        self._files.finish()


def _signature(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


HARMLESS_NAMES = frozenset({".gitkeep", ".DS_Store", "Thumbs.db"})
"""What a folder may hold and still count as empty for a first build into it."""


def check_output_folder(out_dir: Path, inputs: Iterable[Path], root: Path, force: bool = False) -> None:
    """Refuse an output folder that a build would damage: one that is, holds or lies
    inside an input folder (`--out templates` would replace the templates with
    pages), one that is or holds the project's `root`, the home folder or `/`; and,
    unless `force`, a non-empty folder without a manifest of ours, which is someone
    else's. (Even then no file the manifest does not list is overwritten: see _stage.)"""
    out = Path(os.path.realpath(out_dir))
    what = f"--out {out_dir}"
    for folder in inputs:
        real = Path(os.path.realpath(folder))
        if out == real or out.is_relative_to(real) or real.is_relative_to(out):
            raise BriefingError(f"{what}: the output folder must be apart from the input folder {folder}, or the build would write over it; choose another folder such as site/")
    home = Path(os.path.realpath(Path.home()))
    for folder, name in ((Path(os.path.realpath(root)), "the project folder"), (home, "your home folder"), (Path(out.anchor), "/")):
        if folder.is_relative_to(out):
            raise BriefingError(f"{what}: the output folder must not be {name} or hold it; choose a folder of its own such as site/")
    if force or (out / MANIFEST).is_file() or not out.is_dir():
        return
    try:
        strangers = sorted(name for name in os.listdir(out) if name not in HARMLESS_NAMES)
    except OSError as exc:
        raise BriefingError(f"{out_dir}: cannot read the output folder ({exc.strerror})") from None
    if strangers:
        shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
        raise BriefingError(
            f"{what}: the folder holds files that no build of Briefing wrote ({shown}); choose an empty or new folder, "
            "or add --force-out to build into it anyway (its files are kept, none is overwritten)"
        )


_LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""A temporary file of `atomic.write_beside` (mkstemp's name): left by a build that was killed."""


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one build: a second build into it at the same time
    (another terminal, a script, `briefing watch`) fails at once with a clear message,
    where the two would mix their pages. The lock is the kernel's (flock on the folder
    itself), so a build that is killed holds it no longer; the temporary files such a
    build left are removed here. A folder made for the lock goes again if the build fails."""
    made = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir, os.O_RDONLY)
    except OSError as exc:
        raise BriefingError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BriefingError(f"{out_dir}: another build is writing into this folder; wait for it to end, or build into another folder") from None
        _remove_leftovers(out_dir)
        yield
    except BaseException:
        if made:
            with contextlib.suppress(OSError):  # not empty: the build wrote, or someone else did
                out_dir.rmdir()
        raise
    finally:
        os.close(fd)


def _remove_leftovers(out_dir: Path) -> None:
    for folder, _, names in os.walk(out_dir):
        for name in names:
            if _LEFTOVER.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


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


def current_warnings(out_dir: Path) -> tuple[Diagnostic, ...]:
    """The warnings of the build that wrote the folder (see write_site), to be told again
    by a build that finds nothing changed: `--strict` fails the same every time."""
    remembered = _manifest(out_dir).get("warnings")
    try:
        return tuple(Diagnostic.warning(str(message), file, line, column) for message, file, line, column in remembered or ())
    except (TypeError, ValueError):  # not a list of four: a manifest from another version, or edited
        return ()


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


@dataclass
class _Staged:
    """What staging some of the files did: each file's size, the new files written
    beside their final paths, the folders made for them, and the count of files
    already current. Picklable, so that a helper process can hand it back."""

    sizes: dict[str, int] = field(default_factory=dict)
    staged: list[tuple[Path, Path, str]] = field(default_factory=list)  # (temporary file, its final path, path in the site)
    created: list[Path] = field(default_factory=list)
    unchanged: int = 0
    data: dict[str, bytes] = field(default_factory=dict)  # the staged files' bytes, for a memo that keeps them
    failure: BaseException | None = None  # what stopped the staging, if anything


def write_site(
    files: Iterable[tuple[str, bytes]],
    out_dir: Path,
    build_key: str = "",
    counts: dict[str, int] | None = None,
    memo: WrittenFiles | None = None,
    shares: Sequence[Generator[tuple[str, bytes], None, None]] = (),
    warnings: Sequence[Diagnostic] = (),
) -> WriteReport:
    """Write the files (path in the site, bytes) as they come; rename them into
    place only once all have come. If the iteration fails, nothing is changed.
    With the `memo` of the last write, a file it recalls is not read back.

    `shares` are more files, each share rendered and staged in a forked helper
    process (see forked.py) while this process does `files`, where that can
    be done (no memo that keeps the files' bytes, no other thread), else here after `files`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefingError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from None
    owned = frozenset(_owned(out_dir))
    memo = memo or WrittenFiles(keep=False)
    helpers = [forked.Helper(functools.partial(_stage, share, out_dir, owned, memo)) for share in shares] if not memo.keep and forked.available() else []
    if helpers:
        for share in shares:
            share.close()  # the helper renders it; here, letting go of it lets go of what it would render
    records: list[_Staged] = []
    for part in [files, *([] if helpers else shares)]:
        records.append(_stage(part, out_dir, owned, memo))
        if records[-1].failure is not None:
            break
    died: list[BaseException] = []
    for helper in helpers:  # every helper is waited for, even after a failure here: its files must be cleaned up
        try:
            records.append(helper.result())
        except BaseException as exc:  # it stopped without a record
            died.append(exc)
    failures = [r.failure for r in records if r.failure is not None] + died
    if failures:
        _discard(records)
        raise failures[0]
    sizes: dict[str, int] = {}
    for record in records:
        sizes.update(record.sizes)
    if not owned.issuperset(sizes):
        # Files the last build did not own are about to be renamed into place: the manifest owns them
        # first, so that a build stopped among the renames (SIGKILL) leaves none that the next build refuses.
        _write_manifest(out_dir, "", {}, dict.fromkeys(owned | sizes.keys(), 0))
    for record in records:
        for tmp, path, rel in record.staged:
            os.replace(tmp, path)
            if memo.keep:
                memo.remember(rel, record.data[rel], os.stat(path))
    memo.finish()
    removed = 0
    for rel in sorted(owned - set(sizes)):
        stale = _inside(out_dir, rel)
        if stale is not None:
            stale.unlink()
            removed += 1
            _prune_empty_dirs(stale.parent, out_dir)
    _write_manifest(out_dir, build_key, counts or {}, sizes, warnings)
    return WriteReport(sum(len(r.staged) for r in records), sum(r.unchanged for r in records), removed)


def _write_manifest(out_dir: Path, build_key: str, counts: dict[str, int], sizes: dict[str, int], warnings: Sequence[Diagnostic] = ()) -> None:
    owned = {
        "build": build_key,
        "counts": counts,
        "files": dict(sorted(sizes.items())),
        "warnings": [[w.message, w.file, w.line, w.column] for w in warnings],
    }
    manifest = (json.dumps(owned, indent=0, sort_keys=True) + "\n").encode("utf-8")
    manifest_path = out_dir / MANIFEST
    if not manifest_path.is_file() or manifest_path.read_bytes() != manifest:
        write_atomic(manifest_path, manifest)


def _stage(files: Iterable[tuple[str, bytes]], out_dir: Path, owned: frozenset[str], memo: WrittenFiles) -> _Staged:
    """Write each file that differs from what is on disk to a temporary file beside
    it. Whatever fails is kept in the record, with what was staged before it,
    for `write_site` to clean up (a helper process cannot raise to its parent).
    A file in the way that the last build did not write (`owned` are those it
    did) is the user's: it stops the write, as does a link in the way."""
    record = _Staged()
    checked: set[Path] = set()
    try:
        for rel, data in files:
            record.sizes[rel] = len(data)
            path = out_dir / rel
            try:
                _check_folder(path.parent, out_dir, checked)
                try:
                    stat = os.lstat(path)
                except FileNotFoundError:
                    stat = None
                if stat is not None and (rel not in owned or S_ISLNK(stat.st_mode)):
                    raise BriefingError(f"{path}: this file was not written by Briefing and the site needs its name; move it out of the output folder (or delete it) and build again")
                if stat is not None and stat.st_size == len(data) and S_ISREG(stat.st_mode) and (memo.is_current(rel, data, stat) or path.read_bytes() == data):
                    record.unchanged += 1
                    memo.remember(rel, data, stat)
                    continue
                _make_folders(path.parent, record.created)
                record.staged.append((write_beside(path, data), path, rel))
                if memo.keep:
                    record.data[rel] = data
            except OSError as exc:
                raise BriefingError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException as exc:
        record.failure = exc
    return record


def _check_folder(folder: Path, out_dir: Path, checked: set[Path]) -> None:
    """Refuse to write through a folder that is a link out of the output folder."""
    if folder in checked:
        return
    real = Path(os.path.realpath(folder))
    if real != Path(os.path.realpath(out_dir)) and (folder.is_symlink() or not real.is_relative_to(os.path.realpath(out_dir))):
        raise BriefingError(f"{folder}: is a link out of the output folder; the site is not written through it. Remove the link and build again")
    checked.add(folder)


def _discard(records: list[_Staged]) -> None:
    """Undo the staging of a failed write: the temporary files, then the folders made for them."""
    for record in records:
        for tmp, *_ in record.staged:
            tmp.unlink(missing_ok=True)
    made = [folder for record in records for folder in record.created]
    for folder in sorted(made, key=lambda f: len(f.parts), reverse=True):  # inner first, whichever process made which
        with contextlib.suppress(OSError):  # not empty: a user put a file there meanwhile
            folder.rmdir()


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Make `folder` and any missing parents, noting each one made."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        try:
            new.mkdir()
        except FileExistsError:  # a helper process of the same write made it a moment ago
            continue
        created.append(new)


def _inside(out_dir: Path, rel: object) -> Path | None:
    """The file the manifest's entry `rel` names, if removing it is safe: a relative
    path, no `..`, that is a regular file (not a link) inside `out_dir`, through no
    link either. The manifest is a file in the folder, so whoever ships the folder
    (a repository with its site/ committed) writes it: "../../x" or "/home/u/x" there
    must not delete the user's files."""
    if not isinstance(rel, str) or not rel or "\0" in rel or "\\" in rel:
        return None
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return None
    path = out_dir.joinpath(*parts)
    try:
        if not S_ISREG(os.lstat(path).st_mode):
            return None
        real_out = os.path.realpath(out_dir)
        if os.path.realpath(path.parent) != os.path.join(real_out, *parts[:-1]).rstrip(os.sep):
            return None  # a folder on the way is a link out of (or around inside) the output folder
    except (OSError, ValueError):
        return None
    return path


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    """Remove `folder` and its parents while they are empty, up to `stop` (never it or above)."""
    stop = Path(os.path.realpath(stop))
    while Path(os.path.realpath(folder)).is_relative_to(stop) and Path(os.path.realpath(folder)) != stop and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
