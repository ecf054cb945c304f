"""The command line. The only module that turns errors into messages and exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import BriefingError, InputError, StrictFailure
from .project import Project
from .workers import POOL_MIN_SOURCES, default_jobs, start_workers_early, stop_early_workers

# The build and the commands' modules are imported as a command runs, not with this module:
# a model worker spawned from the `briefing` script (in `briefing watch`) imports the script,
# and so this module, before it loads the model, and has no use for the rest (a third of a second).

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

COMMAND_MODULES = {"check": "check", "eval": "evaluate", "init": "newproject", "suggest": "suggest", "watch": "watch"}
"""The commands other than `build`, and the module that adds each (its `register`). A
command line imports only its own command's module (all of them for the overall help):
`watch`'s brings the build, the preview server and watchdog, a tenth of a second that
`build` would spend before it can start its model workers."""


class Progress:
    """A one-line progress counter on stderr: redrawn on a terminal, a few lines in a log."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last_shown = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet or total < 2:
            return
        percent = done * 100 // total
        if self.tty:
            end = "\n" if done == total else ""
            print(f"\r{stage}: {done}/{total} sources ({percent}%)", end=end, file=sys.stderr, flush=True)
        elif percent // 25 != self.last_shown // 25 or done == total:
            print(f"{stage}: {done}/{total} sources ({percent}%)", file=sys.stderr, flush=True)
        self.last_shown = percent


def job_count(text: str) -> int:
    """--jobs as every command that takes it reads it: argparse reports a bad one as a usage error."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def add_project_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds", type=Path, default=Project.seeds, metavar="DIR", help=f"folder of articles to read: .txt, .md, .html, feeds (.xml, .rss, .atom, .json), .jsonl (default: {Project.seeds}/)"
    )
    parser.add_argument("--content", type=Path, default=Project.content, metavar="DIR", help=f"folder of curated YAML overrides (default: {Project.content}/)")
    parser.add_argument(
        "--templates",
        type=Path,
        default=Project.templates,
        metavar="DIR",
        help=f"folder of Jinja2 templates and static assets that override the default theme's, file by file (default: {Project.templates}/; none there: the theme alone)",
    )
    parser.add_argument(
        "--follow-links",
        action="store_true",
        help="read links in the seeds folder that lead outside the project (by default they are skipped with a warning: a link could publish any file you can read)",
    )
    parser.add_argument("--no-overrides", action="store_true", help="ignore content/ entirely, to judge automatic extraction on its own")
    parser.add_argument("--cache-dir", type=Path, default=Project.cache, metavar="DIR", help=f"where model results are cached per source (default: {Project.cache}/)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the extraction cache")
    parser.add_argument(
        "--jobs",
        type=job_count,
        default=default_jobs(),
        metavar="N",
        help=f"worker processes that run the model, each loading its own copy, while this one does the rest of the build alongside; used when at least {POOL_MIN_SOURCES} sources need the model, fewer run in this process. `build` then also has as many helpers, forked while memory allows, render the articles' pages beside this process (default: the number of cores, here {default_jobs()}; --jobs 1 for one)",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors: if there is any, write nothing and exit with status 1 (a build with nothing changed tells its warnings again)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors and warnings only: no progress, no summary")


def add_out_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Project.out,
        metavar="DIR",
        help=f"output folder for the site (default: {Project.out}/); it must be apart from the input folders, the current folder and your home folder",
    )
    parser.add_argument("--force-out", action="store_true", help="build into --out even though it holds files that no build of Briefing wrote (they are kept; none is overwritten)")


def project_from(args: argparse.Namespace, out: Path) -> Project:
    return Project(
        seeds=args.seeds,
        content=args.content,
        templates=args.templates,
        out=out,
        cache=None if args.no_cache else args.cache_dir,
        follow_links=args.follow_links,
        force_out=getattr(args, "force_out", False),
    )


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: with every command, or with `build` and `command` alone."""
    top = argparse.ArgumentParser(
        prog="briefing",
        description="Turn a folder of news articles into a cross-linked static wiki: one page per person, country, organisation, place and topic, each passage linked to its paragraph in the source.",
    )
    top.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser(
        "build",
        help="build the site from seeds/ and content/",
        description="Build the site: read the articles, extract and resolve entities, and write the wiki to the output folder. A failed build leaves the previous site as it was.",
    )
    add_project_options(b)
    add_out_options(b)
    b.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the model on a Dask cluster: the scheduler's address (tcp://host:8786, as `dask scheduler` prints it), or `local` for a cluster of --jobs worker processes on this machine; results land in the extraction cache as a local build's do. Needs `pip install 'briefing[dask]'`",
    )
    b.set_defaults(run=run_build)
    for name, module in COMMAND_MODULES.items():
        if command is None or command == name:
            importlib.import_module(f".{module}", __package__).register(commands)  # each adds its own subcommand
    return top


def print_warnings(warnings, quiet: bool = False) -> None:
    """Each warning, on stderr: also with -q, which leaves out progress and the summary only."""
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    if args.dask is not None:
        from . import cluster

        if not cluster.available():
            print(f"error: {cluster.INSTALL_HINT}", file=sys.stderr)
            return EXIT_ERROR
    else:  # the workers are started before the build is even imported (see start_workers_early)
        start_workers_early(args.seeds, None if args.no_cache else args.cache_dir, args.jobs)
    try:
        from .build import build

        report = build(project_from(args, args.out), use_overrides=not args.no_overrides, jobs=args.jobs, progress=Progress(args.quiet), strict=args.strict, dask=args.dask)
    finally:
        stop_early_workers()
    print_warnings(report.warnings, args.quiet)
    if not args.quiet:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.entities.items()))
        print(
            f"built {args.out}/ from {report.sources} sources ({report.words:,} words) in {report.seconds:.2f}s: {kinds}; "
            f"{report.pages_written} files written, {report.pages_unchanged} unchanged, {report.pages_removed} removed; "
            f"model run on {report.extracted} sources, {report.cached} from cache; "
            f"search index {report.search_index_bytes / 1024:.1f} KiB"
        )
    return EXIT_OK


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGINT: stop as Ctrl-C does, workers ended, nothing half-written left in place."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def handle_stop_signals() -> None:
    """SIGTERM (a supervisor, `timeout`, `kill`) and SIGINT alike raise Stopped in the main
    thread. Python leaves SIGINT ignored when the process starts with it ignored (a shell
    runs a background job so), and by default SIGTERM kills the process where it stands,
    leaving its model workers blocked on a pipe no one reads."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    named = next((word for word in argv if not word.startswith("-")), None)  # the top level has no option that takes a value
    p = parser(named if named in (*COMMAND_MODULES, "build") else None)
    args = p.parse_args(argv)
    if not getattr(args, "run", None):
        p.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except StrictFailure as exc:
        print_warnings(exc.warnings)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("nothing was written; fix the above and run again", file=sys.stderr)
        return EXIT_ERROR
    except BriefingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as exc:
        print("interrupted", file=sys.stderr)
        return 128 + getattr(exc, "signum", signal.SIGINT)


def run() -> NoReturn:
    """The `briefing` command: `main`, then out at once. The interpreter's own exit
    would first collect and free every object still alive (the gazetteer, the
    word lists, what a build cached), about half a second after a large build,
    for a process that is ending anyway; the output is flushed, and nothing else
    waits for an orderly exit (the build's helper processes are done with)."""
    handle_stop_signals()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            pass
    os._exit(code)
