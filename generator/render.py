"""Render: lay the linked site out as HTML with Jinja2, in memory.

Nothing is written here: the result is a mapping of output paths to
bytes, so a template error stops the build before `site/` is touched.
Autoescaping is on and an undefined variable is an error, reported with
the template's file and line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from anyascii import anyascii
from markupsafe import Markup, escape

from . import forked
from .errors import Diagnostic, InputError
from .graph import Graph, ego_graph, whole_graph
from .link import EntityPage, Passage, Segment, Site, SourcePage
from .markup import markdown_to_html
from .memo import LastRun
from .model import KIND_FOLDERS, KINDS, EntityLink, SiteConfig, Source, SourceLink
from .overrides import FreePage
from .search import PREVIEWS_GLOBAL, SearchMemo, as_script, previews, search_script
from .theme import template_folders
from .userfiles import named_user_files

KIND_LABELS = {
    "person": ("Person", "People"),
    "country": ("Country", "Countries"),
    "organization": ("Organisation", "Organisations"),
    "place": ("Place", "Places"),
    "topic": ("Topic", "Topics"),
}
TIMELINE_DAYS = 24  # more dates than this, and the timeline counts by month


@functools.lru_cache(maxsize=4096)  # a few hundred dates, formatted tens of thousands of times
def human_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B %Y')}"


@dataclass(frozen=True)
class Bar:
    """One column of an entity's timeline."""

    datetime: str  # machine-readable: 2025-03-27, or 2025-03 for a month
    label: str  # what the column shows: "27 Mar", or "Mar" for a month
    year: str  # shown under the first column and wherever the year changes
    full: str  # for screen readers: "27 March 2025"
    count: int
    percent: int  # height relative to the busiest column


def timeline_bars(timeline: tuple[tuple[str, int], ...]) -> list[Bar]:
    """Mentions per date of the sources, or per month when there are too many dates to show."""
    counts = {day: n for day, n in timeline if _is_iso_day(day)}
    by_month = len(counts) > TIMELINE_DAYS
    if by_month:
        months: dict[str, int] = {}
        for day, n in counts.items():
            months[day[:7]] = months.get(day[:7], 0) + n
        counts = months
    busiest = max(counts.values(), default=1)
    bars, previous_year = [], None
    for when, n in sorted(counts.items()):
        d = dt.date.fromisoformat(when + "-01" if by_month else when)
        label = d.strftime("%b") if by_month else f"{d.day} {d.strftime('%b')}"
        full = d.strftime("%B %Y") if by_month else human_date(when)
        year = str(d.year) if d.year != previous_year else ""
        previous_year = d.year
        bars.append(Bar(when, label, year, full, n, max(4, round(100 * n / busiest))))
    return bars


@functools.lru_cache(maxsize=4096)  # each entity's timeline asks about every date it has
def _is_iso_day(text: str) -> bool:
    """A front-matter date written otherwise ("March 2025") is shown as written, but has no place on a time axis."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def by_date(sources) -> list[tuple[str | None, list]]:
    """Sources (newest first, undated last) in runs of one date."""
    return [(date, list(group)) for date, group in itertools.groupby(sources, key=lambda s: s.date)]


GLANCE_SOURCES = 4  # sources named at the top of an entity page
PASSAGES_SHOWN = 3  # passages of a source shown on an entity page before "more"


def glance_sources(page: EntityPage) -> list[tuple[SourceLink, tuple[Passage, ...]]]:
    """The sources with the most of an entity's passages, for the top of its page (newest first among equals)."""
    ranked = sorted(enumerate(page.passages_by_source), key=lambda item: (-len(item[1][1]), item[0]))
    return [group for _, group in ranked[:GLANCE_SOURCES]]


def segments_html(segments: tuple[Segment, ...], root: str, marked: bool = False) -> Markup:
    """A passage or paragraph's text with its mentions: `<mark>` on an entity's own
    page (marked), else a link to the entity's page. In Python, not a template
    macro: it runs once per passage and paragraph, tens of thousands of times on
    a large briefing, and a macro call costs Jinja ten times as much."""
    out: list[str] = []
    for segment in segments:
        text = escape(segment.text)
        if segment.entity is None:
            out.append(text)
        elif marked:
            out.append(f"<mark>{text}</mark>")
        else:
            entity = segment.entity
            out.append(f'<a class="mention kind-{entity.kind}" href="{escape(root + entity.url)}">{text}</a>')
    return Markup("".join(out))


@functools.lru_cache(maxsize=4096)  # a few hundred publishers and dates, shown tens of thousands of times
def _source_line(publisher: str | None, date: str | None) -> Markup:
    parts = [escape(publisher)] if publisher else []
    if date:
        parts.append(Markup('<time datetime="{}">{}</time>').format(date, human_date(date)))
    return Markup('<span class="source-meta">{}</span>').format(Markup(" · ").join(parts))


def source_line(source: Source | SourceLink) -> Markup:
    """A source's publisher and date. In Python, not a template macro, for the same
    reason as `segments_html`: it heads every group of passages on every entity page."""
    return _source_line(source.publisher, source.date)


def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_folders(templates_dir)]),  # the project's, then the theme
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build: no need to stat each template at every use
    )
    env.filters["human_date"] = human_date
    env.filters["markdown"] = lambda text: Markup(markdown_to_html(text))
    env.filters["timeline_bars"] = timeline_bars
    env.filters["by_date"] = by_date
    env.globals.update(KIND_LABELS=KIND_LABELS, KIND_FOLDERS=KIND_FOLDERS, KINDS=KINDS, segments=segments_html, source_line=source_line, glance_sources=glance_sources, PASSAGES_SHOWN=PASSAGES_SHOWN)
    return env


def _template_problem(exc: Exception, templates_dir: Path) -> Diagnostic:
    """Point at the template file and line an error came from."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return Diagnostic(_shown(name, templates_dir), exc.lineno, None, f"template error: {exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and Path(frame.filename).suffix in (".html", ".xml", ".js", ".txt"):
            return Diagnostic(_shown(frame.filename, templates_dir), frame.lineno, None, f"template error: {exc}")
    return Diagnostic(None, None, None, f"template error: {exc}")


def _shown(filename: str, templates_dir: Path) -> str:
    path = Path(filename)
    for folder in template_folders(templates_dir):
        try:
            return f"{folder.name}/{path.resolve().relative_to(folder.resolve()).as_posix()}"
        except ValueError:
            continue
    return filename


@dataclass(frozen=True)
class _RenderedEntity:
    """An entity page as the last build rendered it, with its groups of passages."""

    html: bytes
    groups: dict[str, tuple[tuple[Passage, ...], Markup]]  # source slug -> (its passages, their html), in page order


class RenderMemo:
    """What one build rendered, for the next build of the same templates and
    settings to reuse: every source page and every entity page, each source's
    passages on each entity page (the macro in entity_mentions.html), and each
    source's rows of the search index.
    An edit to one article then re-renders its own page and, on the pages of
    the entities it names, its group of passages; the other pages are reused
    whole.

    A source page or group of passages is reused when it is made from the very
    same objects as last time: link's own memo (link.LinkMemo) hands on the
    same SourcePage and passages while their inputs are unchanged. An entity
    page is reused when its EntityPage and graph equal the last ones (cheap:
    their passages are those same objects). That is sound because these
    templates see nothing but their arguments and the few site-wide globals
    (see `Renderer`), and a change to those empties the memo; they see other
    entities only as links (model.EntityLink), so a new description
    re-renders the entity's own page, and a new name every page that links to
    it; an entity page sees its sources as links too (model.SourceLink), so an
    edit to an article's text re-renders the pages of the entities whose
    passages it changed, not of all it names. Only what the last build used is kept. A Builder keeps one; a single
    build's (`keep=False`) keeps no page, only the compiled templates."""

    def __init__(self, keep: bool = True) -> None:
        self.links: dict[str, EntityLink] = {}  # the entities of the last build, as links, by id
        self.site_wide: tuple = ()
        self.env: jinja2.Environment | None = None  # its globals are the site-wide inputs
        self.source_pages: LastRun[str, bytes] = LastRun(keep)  # path -> html
        self.entity_pages: LastRun[str, _RenderedEntity] = LastRun(keep)  # path -> its html, and its groups of passages
        self.ego_graphs: LastRun[str, Graph] = LastRun(keep)  # entity id -> its graph of companions (see graph.ego_graph)
        self.search = SearchMemo(keep)  # each source's rows of the search index
        self.groups_reused = 0

    @property
    def reused(self) -> int:
        """Pages and groups of passages taken from a last build, for tests and curiosity."""
        return self.source_pages.reused + self.entity_pages.reused + self.groups_reused

    def start(self, site: Site, site_wide: tuple) -> frozenset[str]:
        """Begin a build: forget everything if a site-wide input changed, and return
        the ids of the entities whose links are new or differ from the last build's."""
        links = {page.entity.id: page.entity.link for page in site.entity_pages}
        changed = frozenset(i for i, e in links.items() if self.links.get(i) != e) | (self.links.keys() - links.keys())
        if site_wide != self.site_wide:
            self.source_pages.clear()
            self.entity_pages.clear()
            self.env = None
        self.links, self.site_wide = links, site_wide
        return changed

    def prepare(self, templates_dir: Path, config: SiteConfig, free_pages: tuple[FreePage, ...]) -> jinja2.Environment:
        """Make the environment for these settings and free pages, and compile every
        page template into it, unless that is done: a cold build does it while its
        workers run the model (see build.WorkAlongside), and the helpers it forks to render
        find the templates compiled rather than each compiling them again. Returns the environment."""
        if self.env is not None:
            return self.env
        self.env = env = environment(templates_dir)
        env.globals.update(config=config, free_pages=free_pages)
        self.site_wide = _site_wide(config, free_pages)
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html") and not name.startswith("static/")):
            try:
                env.get_template(name)
            except (jinja2.TemplateError, OSError):
                pass  # reported with its file and line when a page is rendered with it
        return env


def _site_wide(config: SiteConfig, free_pages: tuple[FreePage, ...]) -> tuple:
    """What every page may show besides its own inputs: a change to it empties a RenderMemo."""
    return (config, tuple((f.slug, f.title) for f in free_pages))


class Renderer:
    """Renders pages with one Jinja2 environment; errors carry file and line.

    The globals every template sees are few and explicit (the settings and the
    free pages, which change rarely): a page that needs the whole site (the
    front page, the indexes) is given `site` as its own input. So a source or
    entity page depends on its own inputs alone, which is what lets
    `RenderMemo` reuse it, and a new article changes only the pages that name
    it or list it (not the number of sources in every page's footer)."""

    def __init__(self, templates_dir: Path, config: SiteConfig, site: Site, memo: RenderMemo | None = None):
        self.templates_dir = templates_dir
        self.memo = memo or RenderMemo(keep=False)
        self.changed = self.memo.start(site, _site_wide(config, site.free_pages))
        self.env = self.memo.prepare(templates_dir, config, site.free_pages)  # compiled, kept with the memo for the same templates and settings
        self._modules: dict[str, object] = {}

    def page(self, template: str, path: str, root: str | None = None, **context) -> bytes:
        root = "../" * path.count("/") if root is None else root
        return self._render(template, root=root, path=path, **context).encode("utf-8")

    @contextlib.contextmanager
    def _located_errors(self) -> Iterator[None]:
        """Any error in a user-editable template is reported with its file and line."""
        try:
            yield
        except InputError:
            raise
        except jinja2.TemplateNotFound as exc:
            raise InputError([Diagnostic(f"{self.templates_dir.name}/{exc.name}", None, None, "template not found; restore it from the repository")]) from None
        except Exception as exc:
            raise InputError([_template_problem(exc, self.templates_dir)]) from None

    def _render(self, template: str, **context) -> str:
        with self._located_errors():
            return self.env.get_template(template).render(**context)

    def _call_macro(self, template: str, name: str, *args) -> Markup:
        """A macro of a template, called from here: cheaper than rendering a template
        (no new context), which counts when it runs once per entity and source."""
        with self._located_errors():
            if template not in self._modules:  # a module of this build's globals, not the cached `.module`
                self._modules[template] = self.env.get_template(template).make_module()
            return Markup(getattr(self._modules[template], name)(*args))

    def source_pages(self, page: SourcePage) -> Iterator[tuple[str, bytes]]:
        """The source's page, or its parts (see model.Source.pages), each with the paths of all."""
        parts = page.source.pages
        if len(parts) == 1:
            path = parts[0][0]
            yield path, self.memo.source_pages.reuse(path, (page,), lambda: self.page("source.html", path, page=page, source=page.source, parts=()))
            return
        paths = tuple(path for path, _ in parts)
        for path, ids in parts:
            on_this = set(ids)
            part = replace(page, paragraphs=tuple(p for p in page.paragraphs if p.id in on_this))
            yield path, self.page("source.html", path, page=part, source=page.source, parts=paths)

    def entity_page(self, page: EntityPage, graph: Graph | None, path: str) -> bytes:
        return self.memo.entity_pages.reuse(path, (), lambda: self._render_entity(page, graph, path), equal=(page, graph), renew=page.entity.id in self.changed).html

    def _render_entity(self, page: EntityPage, graph: Graph | None, path: str) -> _RenderedEntity:
        """The page, with the groups of passages that did not change taken from the last one rendered at `path`."""
        last = self.memo.entity_pages.last(path)
        last_groups = last.groups if last is not None else {}
        root = "../" * path.count("/")
        entity = page.entity.link
        fresh = entity.id in self.changed  # a new name or kind shows in every group
        groups = {}
        for source, passages in page.passages_by_source:
            group = last_groups.get(source.slug)
            if group is None or group[0] is not passages or fresh:
                group = (passages, self._call_macro("entity_mentions.html", "mentions_in_source", entity, source, passages, root))
            else:
                self.memo.groups_reused += 1
            groups[source.slug] = group
        mentions = Markup("\n".join(html for _, html in groups.values()))
        if not self.memo.entity_pages.keep:
            groups = {}  # kept for no next build: they go before the page is made (the largest page is 27 MB at 10,000 articles)
        html = self.page("entity.html", path, page=page, entity=page.entity, graph=graph, mentions=mentions)
        return _RenderedEntity(html, groups)

    def finish(self) -> None:
        """Keep what this build used, and only that, for the next one."""
        self.memo.source_pages.finish()
        self.memo.entity_pages.finish()
        self.memo.ego_graphs.finish()


def by_letter(pages) -> list[tuple[str, list]]:
    """A–Z groups by the first letter of the name, accents folded ("Élysée" under E)."""
    groups: dict[str, list] = {}
    for page in pages:
        first = anyascii(page.entity.name[:1]).upper()[:1]
        groups.setdefault(first if first.isalpha() else "#", []).append(page)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def render_site(
    site: Site, config: SiteConfig, templates_dir: Path, data: Callable[[], bytes], memo: RenderMemo | None = None, shares: int = 0
) -> tuple[Iterator[tuple[str, bytes]], list[Generator[tuple[str, bytes], None, None]]]:
    """Every output file of the site, one at a time as it is rendered: (path
    relative to the site root, bytes). `data` makes briefing.json.
    With the `memo` of an earlier build, what did not change is reused from it.

    With `shares`, part of the files come apart from the rest, in that many
    shares, to be rendered in helper processes (see write.write_site). The
    entity and source pages, most of the work, are then shared out page by
    page (forked.Claims): the main part renders the entity pages, the shares
    the source pages, and whichever is done first helps with the other kind,
    so that all finish together whatever the corpus. Each keeps to its kind
    while it can: a source page is made from one article's own records, an
    entity page reaches into passages from all over the site, and a forked
    helper pays for every page of memory it touches. Before that, the first
    share makes the whole graph and the data files, the main part the indexes."""
    r = Renderer(templates_dir, config, site, memo)
    pages_by_id = {page.entity.id: page for page in site.entity_pages}
    kinds = {kind: labels[0] for kind, labels in KIND_LABELS.items()}
    entity_count = len(site.entity_pages)
    page_count = entity_count + len(site.source_pages)
    claims = forked.Claims(page_count) if shares else None

    def claimed_pages(main_part: bool) -> Generator[tuple[str, bytes], None, None]:
        """The entity pages, then the source pages: the main part claims them from the front, the shares from the back."""
        if claims is None:
            indices: Iterator[int] = iter(range(page_count))
        else:
            indices = claims.from_front() if main_part else claims.from_back()
        for index in indices:
            if index < entity_count:
                page = site.entity_pages[index]
                path = f"{page.entity.id}.html"
                yield path, r.entity_page(page, ego_graph(page, pages_by_id, memo=r.memo.ego_graphs), path)
            else:
                yield from r.source_pages(site.source_pages[index - entity_count])

    def graph_page() -> Iterator[tuple[str, bytes]]:
        yield "graph.html", r.page("graph.html", "graph.html", graph=whole_graph(site), site=site)

    def scripts() -> Iterator[tuple[str, bytes]]:
        yield "search-index.js", search_script(site, kinds, r.memo.search)
        yield "previews.js", as_script(PREVIEWS_GLOBAL, {"kinds": kinds, "entities": previews(site)})

    def main() -> Iterator[tuple[str, bytes]]:
        nonlocal site, pages_by_id, r
        yield "index.html", r.page("index.html", "index.html", site=site, counts={k: len(site.by_kind[k]) for k in KINDS})
        # GitHub Pages serves 404.html at any depth, where relative links would break.
        yield "404.html", r.page("404.html", "404.html", root=config.base_url.rstrip("/") + "/" if config.base_url else "", site=site)
        yield "search.html", r.page("search.html", "search.html", site=site)
        if not shares:
            yield from graph_page()
        for kind in KINDS:
            path = f"{KIND_FOLDERS[kind]}/index.html"
            yield path, r.page("kind_index.html", path, kind=kind, pages=site.by_kind[kind], letters=by_letter(site.by_kind[kind]), site=site)
        yield "sources/index.html", r.page("sources_index.html", "sources/index.html", site=site)
        for free in site.free_pages:
            path = f"pages/{free.slug}.html"
            yield path, r.page("page.html", path, free=free, site=site)
        assets: dict[str, Path] = {}
        for folder in reversed(template_folders(templates_dir)):  # the project's own asset wins over the theme's
            assets.update(named_user_files(folder / "static"))
        for rel, asset in sorted(assets.items()):
            yield f"assets/{rel}", asset.read_bytes()
        yield ".nojekyll", b""
        yield from claimed_pages(main_part=True)
        r.finish()
        if not shares:
            yield from scripts()
            # The linked site is done with: let it go before the export, the largest file, is made.
            site = pages_by_id = r = None  # type: ignore[assignment]
            yield "briefing.json", data()

    def first_share() -> Generator[tuple[str, bytes], None, None]:
        yield from graph_page()
        yield from scripts()
        yield "briefing.json", data()
        yield from claimed_pages(main_part=False)

    return main(), ([first_share()] + [claimed_pages(main_part=False) for _ in range(1, shares)]) if shares else []
