"""`briefing check`: is the site whole, and does every curated rule still apply?

Three checks, all read-only: the built site's internal links and `#fragments`
all resolve and nothing is loaded from another host; the overrides in
`content/` are valid and name entities the sources mention; and each article
says what it is (a headline, a publisher, a date), which is a warning where it
does not, since the input may simply not have it.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Diagnostic
from .model import Source
from .project import Project

RESOURCE_ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}


@dataclass
class PageRefs:
    """What one HTML page defines and points at."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (href, line)
    resources: list[tuple[str, int]] = field(default_factory=list)  # (src, line)
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (href, text inside the <a>)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = PageRefs()
        self._anchor: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        if a.get("id"):
            self.refs.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.refs.links.append((a["href"], line))
            self._anchor = [a["href"], ""]
        attribute = RESOURCE_ATTRIBUTES.get(tag)
        if attribute and a.get(attribute) and not (tag == "link" and a.get("rel") == "canonical"):
            self.refs.resources.append((a[attribute], line))

    def handle_data(self, data):
        if self._anchor is not None:
            self._anchor[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._anchor is not None:
            self.refs.anchors.append((self._anchor[0], self._anchor[1]))
            self._anchor = None


def page_refs(path: Path) -> PageRefs:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.refs


def site_pages(out_dir: Path) -> dict[str, PageRefs]:
    return {p.relative_to(out_dir).as_posix(): page_refs(p) for p in sorted(out_dir.rglob("*.html"))}


def check_site(out_dir: Path) -> list[Diagnostic]:
    """Broken internal links and anchors, and resources loaded from another host."""
    root = out_dir.resolve()
    pages = site_pages(root)
    problems = []
    for rel, refs in pages.items():
        shown = f"{out_dir.name}/{rel}"
        for src, line in refs.resources:
            if urlsplit(src).scheme or src.startswith("//"):
                problems.append(Diagnostic(shown, line, None, f"loads {src} from another host; ship it in the site"))
        if rel == "404.html":
            continue  # served at any depth by GitHub Pages: its links are absolute when base_url is set
        for href, line in refs.links + refs.resources:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = ((root / rel).parent / unquote(parts.path)).resolve() if parts.path else root / rel
            if root not in target.parents or not target.is_file():
                problems.append(Diagnostic(shown, line, None, f"broken link {href}: no such file"))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target.relative_to(root).as_posix()].ids:
                problems.append(Diagnostic(shown, line, None, f"broken link {href}: no element with that id"))
    return problems


_WHERE_TO_SAY = {
    # suffix -> (headline, publisher, date): where the user can give what is missing
    ".txt": ("put the headline on the first line", "end with a line `Source: publisher` or `URL: https://…`", "add a line such as `date 2025-02-23` at the top"),
    ".md": ("add `title:` to the front matter", "add `publisher:` or `url:` to the front matter", "add `date:` to the front matter"),
    ".jsonl": ('add "title" to its line', 'add "publisher" or "url" to its line', 'add "date" to its line'),
}
_NOT_IN_PAGE = ("the page or entry has no title", "the page or feed names no site and no address", "the page or entry gives no date")


def missing_identity(sources: tuple[Source, ...], seeds_name: str) -> list[Diagnostic]:
    """One warning per article that lacks a headline, a publisher or a date: what is
    missing is left out of its page, never guessed, and the warning says where to add it."""
    warnings = []
    for source in sources:
        if not source.missing:
            continue
        suffix = "." + source.file.rsplit(".", 1)[-1].lower() if "." in source.file else ""
        hints = _WHERE_TO_SAY.get(suffix, _NOT_IN_PAGE)
        wanted = {"headline": 0, "publisher": 1, "date": 2}
        named = " or ".join(source.missing) if len(source.missing) < 3 else "headline, publisher or date"
        title = f" (titled {source.title!r})" if "headline" in source.missing else ""
        advice = "; ".join(hints[wanted[m]] for m in source.missing)
        file = f"{seeds_name}/{source.file}"
        entry = "" if source.line is not None or not _holds_several(suffix) else f"entry {source.title!r}: "
        warnings.append(Diagnostic.warning(f"{entry}no {named} found{title}; {advice}", file, source.line))
    return warnings


def _holds_several(suffix: str) -> bool:
    return suffix in (".xml", ".rss", ".atom", ".json")


def register(commands) -> None:
    from .cli import add_project_options

    c = commands.add_parser(
        "check",
        help="check content/ against the sources, each article's title, publisher and date, and a built site's links",
        description="Validate content/ and report every curated rule that names no entity, then crawl the "
        "built site: every internal link and #fragment must resolve and nothing may load from another host. "
        "Also warns, once per article, of a headline, publisher or date its input does not give, and says "
        "where to add it (a warning, not a problem). Reads only; exits 1 if anything is wrong.",
    )
    add_project_options(c)
    c.add_argument("--out", type=Path, default=Project.out, metavar="DIR", help=f"the built site to crawl (default: {Project.out}/)")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    from .cli import EXIT_ERROR, EXIT_OK, project_from
    from .ingest import ingest
    from .resolved import resolve_project

    project = project_from(args, args.out)
    problems: list[str] = []
    if not args.no_overrides:
        analysis = resolve_project(project, jobs=args.jobs)
        problems += [str(w) for w in analysis.warnings]
        sources = analysis.sources
    else:
        sources, read_warnings = ingest(project.seeds)
        problems += [str(w) for w in read_warnings]
    # Not problems: an article may simply not say. Reported so that the user can add what it has.
    for warning in missing_identity(sources, project.seeds.name):
        print(f"warning: {warning}", file=sys.stderr)
    if (args.out / "index.html").is_file():
        problems += [str(p) for p in check_site(args.out)]
    else:
        problems.append(f"{args.out}: no built site here; run `briefing build` first")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not args.quiet:
        print("check: no problems" if not problems else f"check: {len(problems)} problem(s)")
    return EXIT_ERROR if problems else EXIT_OK
