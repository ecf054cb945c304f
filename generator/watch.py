"""`briefing watch`: rebuild the site whenever seeds/, content/ or templates/ change.

One long-lived `Builder` keeps the model loaded and every stage's result in
memory, so a rebuild redoes only what the change touched. File events are
coalesced: the build starts once the folders have been quiet for
`QUIET_SECONDS`, so an editor's save (often a write, a rename and a chmod)
or a `git checkout` of hundreds of files makes one build, or a few, and the
last one always sees the final files. Editor swap and backup files, hidden
files and the build's own output and cache are ignored.

A failed build prints its errors and leaves the last good site in place
(and, with `--serve`, shown in the browser under an overlay with the error);
the next save that fixes it rebuilds as usual.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from . import collector
from .build import Builder
from .cli import EXIT_OK, EXIT_USAGE, Progress, add_out_options, add_project_options, project_from
from .errors import BriefingError, Diagnostic, InputError, StrictFailure
from .model import BuildReport
from .project import Project
from .serve import LiveState, Preview, is_loopback
from .userfiles import is_editor_temp

QUIET_SECONDS = 0.1
"""How long the watched folders must be still before a build starts."""

EXIT_INTERRUPTED = 130

IDLE_SECONDS = 2.0
"""How long the folders must be idle after a build before memory is tidied (see `collect_garbage`)."""

WATCHED_EVENTS = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
"""The changes that can change the site. Not a file opened, read or closed unwritten (as
every build reads every input), its metadata touched, or a folder's listing modified
(its files' own events tell more). The observer asks the kernel for these alone: at
1,000 sources each build read would otherwise wake the observer's thread thousands of
times, and it would take the interpreter's lock from the build it caused."""


class ChangeCollector(FileSystemEventHandler):
    """Receives file events from the observer thread and lets the watch loop
    wait until a change has been followed by `quiet` seconds of calm."""

    def __init__(self, roots: tuple[Path, ...], ignored: tuple[Path, ...], quiet: float = QUIET_SECONDS):
        self.roots = tuple(r.resolve() for r in roots)
        self.ignored = tuple(p.resolve() for p in ignored)
        self.quiet = quiet
        self._pending = threading.Condition()
        self._changed: set[str] = set()
        self._last_event = 0.0

    def is_relevant(self, path: str) -> bool:
        # The folder resolved, not the file: a deleted file has no real path, and a
        # symlinked seeds/ reports events under the link's name.
        target = Path(os.path.realpath(os.path.dirname(os.path.abspath(path)))) / os.path.basename(path)
        if any(target == p or p in target.parents for p in self.ignored):
            return False
        for root in self.roots:
            if target == root:
                return True
            if root in target.parents:
                return not any(is_editor_temp(part) for part in target.relative_to(root).parts)
        return False

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        relevant = [os.fsdecode(p) for p in paths if self.is_relevant(os.fsdecode(p))]
        if relevant:
            with self._pending:
                self._changed.update(relevant)
                self._last_event = time.monotonic()
                self._pending.notify_all()

    def wait_for_changes(self, timeout: float | None = None) -> set[str]:
        """Block until there are changes and the folders have been quiet for a
        while; return the changed paths and forget them. With a `timeout`, return
        an empty set if nothing at all has changed by then."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._pending:
            while True:
                if not self._changed:
                    if deadline is not None and time.monotonic() >= deadline:
                        return set()
                    self._pending.wait(None if deadline is None else deadline - time.monotonic())
                    continue
                still_for = time.monotonic() - self._last_event
                if still_for >= self.quiet:
                    changed, self._changed = self._changed, set()
                    return changed
                self._pending.wait(self.quiet - still_for)

    def pending(self) -> bool:
        """Whether changes have come that no build has taken yet."""
        with self._pending:
            return bool(self._changed)


SHOWN_CHANGES = 3
"""Changed files named before a rebuild; the rest are counted."""


def shown_paths(paths: set[str]) -> str:
    """The changed files, relative to the current folder where they are inside it, the first few by name."""
    here = Path.cwd().resolve()
    names = []
    for path in sorted(paths):
        try:
            names.append(Path(path).relative_to(here).as_posix())
        except ValueError:
            names.append(path)
    rest = len(names) - SHOWN_CHANGES
    return ", ".join(names[:SHOWN_CHANGES]) + (f" and {rest} more" if rest > 0 else "")


class FolderWatches:
    """The observer's watches on the project folders. A folder that does not
    exist yet is watched through its parent, so creating it starts a build
    and a watch of its own; one deleted and made again is watched anew."""

    def __init__(self, observer, handler: ChangeCollector, folders: tuple[Path, ...]):
        self.observer = observer
        self.handler = handler
        self.folders = folders
        self._watches: dict[Path, tuple[object, int | None]] = {}  # folder -> (watch, inode of the folder or None for its parent)

    def refresh(self) -> None:
        for folder in self.folders:
            inode = folder.stat().st_ino if folder.is_dir() else None
            current = self._watches.get(folder)
            if current is not None and current[1] == inode:
                continue
            if current is not None:
                self.observer.unschedule(current[0])
                del self._watches[folder]
            if inode is not None:  # the real path: the observer sees no event under a symlinked folder's link
                self._watches[folder] = (self.observer.schedule(self.handler, str(folder.resolve()), recursive=True, event_filter=WATCHED_EVENTS), inode)
            elif folder.resolve().parent.is_dir():
                self._watches[folder] = (self.observer.schedule(self.handler, str(folder.resolve().parent), recursive=False, event_filter=WATCHED_EVENTS), None)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "watch",
        help="build, then rebuild whenever seeds/, content/ or templates/ change (optionally serving the site)",
        description="Build the site, then watch seeds/, content/ and templates/ and rebuild after every change, "
        "redoing only what the change touched. A failed rebuild prints its error and keeps the last good site. "
        "Stop with Ctrl-C.",
    )
    add_project_options(p)
    add_out_options(p)
    p.add_argument("--serve", action="store_true", help="also serve the site over HTTP, reloading open pages after each build")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="port for --serve (default: 8000; 0 picks a free one)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDR",
        help="address for --serve to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 exposes the site to your network)",
    )
    p.set_defaults(run=run_watch)


class Stopped(BaseException):
    """Raised in the main thread by SIGTERM, as Ctrl-C raises KeyboardInterrupt."""


def _raise_stopped(signum, frame) -> None:
    raise Stopped()


def run_watch(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        print("error: --port must be between 0 and 65535", file=sys.stderr)
        return EXIT_USAGE
    project = project_from(args, args.out)
    builder = Builder(project, use_overrides=not args.no_overrides, jobs=args.jobs, progress=Progress(args.quiet), strict=args.strict)
    session = WatchSession(builder, project, args)
    previous_handler = signal.signal(signal.SIGTERM, _raise_stopped)
    try:
        return session.run()
    finally:
        signal.signal(signal.SIGTERM, previous_handler)


class WatchSession:
    """The watch loop: the observer, the optional preview server, and the builds."""

    def __init__(self, builder: Builder, project: Project, args: argparse.Namespace):
        self.builder = builder
        self.project = project
        self.quiet = args.quiet
        self.args = args
        self.live = LiveState()
        self.garbage_pending = False
        self.shown_warnings: set[Diagnostic] = set()

    def run(self) -> int:
        project = self.project
        folders = (project.seeds, project.content, project.templates)
        ignored = tuple(p for p in (project.out, project.cache) if p is not None)
        collector = ChangeCollector(folders, ignored)
        observer = Observer()
        watches = FolderWatches(observer, collector, folders)
        preview: Preview | None = None
        try:
            if self.args.serve:
                preview = self._start_preview()
            watches.refresh()
            observer.start()
            self.rebuild(self.builder.build_in_full)
            while True:
                if not collector.pending():  # said once nothing is left to build: what a script driving the watch waits for
                    self.say(f"watching {', '.join(f'{f}/' for f in folders)} for changes")
                while not (changed := collector.wait_for_changes(timeout=IDLE_SECONDS if self.garbage_pending else None)):
                    self.collect_garbage()
                    self.load_model()
                watches.refresh()
                self.say(f"changed: {shown_paths(changed)}")
                self.rebuild(self.builder.build)
        except KeyboardInterrupt:
            print("stopped (interrupted)", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Stopped:
            print("stopped", file=sys.stderr)
            return EXIT_OK
        finally:
            if observer.is_alive():
                observer.stop()
                observer.join()
            if preview is not None:
                preview.stop()

    def _start_preview(self) -> Preview:
        host, port = self.args.host, self.args.port
        try:
            preview = Preview(self.project.out, self.live, host, port)
        except OSError as exc:
            raise BriefingError(f"cannot serve on {host}:{port} ({exc.strerror}); pick another with --port, or --port 0 for any free one") from None
        if not is_loopback(host):
            print(
                f"WARNING: serving on {host}, not on this machine only: anyone who can reach this address can read the site. Use the default --host 127.0.0.1 unless you mean it.",
                file=sys.stderr,
                flush=True,
            )
        preview.start()
        print(f"serving {self.project.out}/ at {preview.url} (Ctrl-C to stop)", flush=True)
        return preview

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    def rebuild(self, build: Callable[[], BuildReport]) -> None:
        """One build; whatever goes wrong is reported and the watch goes on."""
        try:
            report = build()
        except InputError as exc:
            self.failed([str(p) for p in exc.problems])
        except StrictFailure as exc:
            self.failed([f"{len(exc.warnings)} warning(s) and --strict is set:", *(str(w) for w in exc.warnings)])
        except BriefingError as exc:
            self.failed([str(exc)])
        except Exception:  # a bug must not end a session the user is editing in: report it in full and go on
            self.failed(["internal error, please report it:", traceback.format_exc().rstrip()])
        else:
            self.succeeded(report)
        self.garbage_pending = True

    def collect_garbage(self) -> None:
        """A build freezes what it keeps (see collector.off_during), cyclic garbage included.
        Once the folders have been idle a while, the collector gets to see everything,
        so nothing outlives its build; not right after a build, where it would delay
        the next save's (a full collection takes most of a second on a large site)."""
        collector.collect_everything()
        self.garbage_pending = False

    def load_model(self) -> None:
        """Once idle, load the model if no build has: a build that takes every article
        from the cache, as a watch's first usually does, never loads it, and the first
        edited article would wait for it. The model's objects live as long as the watch:
        frozen out of the collector's sight, as a build leaves what it keeps. A model that
        cannot be loaded is left for the build that needs it to report."""
        try:
            loaded = self.builder.load_model()
        except BriefingError:
            return
        if loaded:
            collector.freeze()
            self.say("model loaded: an edited article goes straight through it")

    def failed(self, problems: list[str]) -> None:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr, flush=True)
        print("build failed: the last good site is kept; fix the above and save again", file=sys.stderr, flush=True)
        self.live.build_failed("\n".join(problems))

    def succeeded(self, report: BuildReport) -> None:
        new_warnings = [w for w in report.warnings if w not in self.shown_warnings]
        self.shown_warnings = set(report.warnings)
        for w in new_warnings:  # with -q too: it leaves out progress and the summary only
            print(f"warning: {w}", file=sys.stderr, flush=True)
        self.say(
            f"built {self.project.out}/ in {report.seconds:.2f}s: {report.pages_written} files written, "
            f"{report.pages_unchanged} unchanged, {report.pages_removed} removed; "
            f"model run on {report.extracted} of {report.sources} sources" + (f"; {len(report.warnings)} warning(s)" if report.warnings else "")
        )
        if report.pages_written or report.pages_removed:
            self.live.site_changed()
        else:
            self.live.build_succeeded_unchanged()
