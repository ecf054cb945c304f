"""Render: lay the linked site out as HTML with Jinja2, in memory.

Nothing is written here: the result is a mapping of output paths to
bytes, so a template error stops the build before `site/` is touched.
Autoescaping is on and an undefined variable is an error, reported with
the template's file and line.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from pathlib import Path

import jinja2
from anyascii import anyascii
from markdown_it import MarkdownIt

from .errors import InputError, Problem
from .link import Site
from .model import KIND_FOLDERS, KINDS, SiteConfig

KIND_LABELS = {
    "person": ("Person", "People"),
    "country": ("Country", "Countries"),
    "organization": ("Organisation", "Organisations"),
    "place": ("Place", "Places"),
    "topic": ("Topic", "Topics"),
}


def markdown_to_html(text: str) -> str:
    """Curated Markdown (descriptions, notes, free pages); raw HTML in it is escaped."""
    return MarkdownIt("commonmark", {"html": False}).render(text)


def human_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B %Y')}"


def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["human_date"] = human_date
    env.filters["markdown"] = lambda text: jinja2.utils.markupsafe.Markup(markdown_to_html(text))
    env.globals.update(KIND_LABELS=KIND_LABELS, KIND_FOLDERS=KIND_FOLDERS, KINDS=KINDS)
    return env


def _template_problem(exc: Exception, templates_dir: Path) -> Problem:
    """Point at the template file and line an error came from."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return Problem(_shown(name, templates_dir), exc.lineno, None, f"template error: {exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and Path(frame.filename).suffix in (".html", ".xml", ".js", ".txt"):
            return Problem(_shown(frame.filename, templates_dir), frame.lineno, None, f"template error: {exc}")
    return Problem(None, None, None, f"template error: {exc}")


def _shown(filename: str, templates_dir: Path) -> str:
    path = Path(filename)
    try:
        return f"{templates_dir.name}/{path.resolve().relative_to(templates_dir.resolve()).as_posix()}"
    except ValueError:
        return filename


class Renderer:
    """Renders pages with one Jinja2 environment; errors carry file and line."""

    def __init__(self, templates_dir: Path, config: SiteConfig, site: Site):
        self.templates_dir = templates_dir
        self.env = environment(templates_dir)
        self.env.globals.update(config=config, site=site, counts={k: len(site.by_kind[k]) for k in KINDS})

    def page(self, template: str, path: str, root: str | None = None, **context) -> bytes:
        root = "../" * path.count("/") if root is None else root
        try:
            html = self.env.get_template(template).render(root=root, path=path, **context)
        except jinja2.TemplateNotFound as exc:
            raise InputError([Problem(f"{self.templates_dir.name}/{exc.name}", None, None, "template not found; restore it from the repository")]) from None
        except Exception as exc:  # any error in a user-editable template is reported, located
            raise InputError([_template_problem(exc, self.templates_dir)]) from None
        return html.encode("utf-8")


def by_letter(pages) -> list[tuple[str, list]]:
    """A–Z groups by the first letter of the name, accents folded ("Élysée" under E)."""
    groups: dict[str, list] = {}
    for page in pages:
        first = anyascii(page.entity.name[:1]).upper()[:1]
        groups.setdefault(first if first.isalpha() else "#", []).append(page)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def render_site(site: Site, config: SiteConfig, templates_dir: Path, data: dict) -> dict[str, bytes]:
    """Every output file of the site, as bytes, by path relative to the site root."""
    r = Renderer(templates_dir, config, site)
    files: dict[str, bytes] = {}
    files["index.html"] = r.page("index.html", "index.html")
    # GitHub Pages serves 404.html at any depth, where relative links would break.
    files["404.html"] = r.page("404.html", "404.html", root=config.base_url.rstrip("/") + "/" if config.base_url else "")
    for page in site.entity_pages:
        path = f"{page.entity.id}.html"
        files[path] = r.page("entity.html", path, page=page, entity=page.entity)
    for kind in KINDS:
        path = f"{KIND_FOLDERS[kind]}/index.html"
        files[path] = r.page("kind_index.html", path, kind=kind, pages=site.by_kind[kind], letters=by_letter(site.by_kind[kind]))
    files["sources/index.html"] = r.page("sources_index.html", "sources/index.html")
    for page in site.source_pages:
        path = f"sources/{page.source.slug}.html"
        files[path] = r.page("source.html", path, page=page, source=page.source)
    for free in site.free_pages:
        path = f"pages/{free.slug}.html"
        files[path] = r.page("page.html", path, free=free)
    static = templates_dir / "static"
    if static.is_dir():
        for asset in sorted(p for p in static.rglob("*") if p.is_file()):
            files[f"assets/{asset.relative_to(static).as_posix()}"] = asset.read_bytes()
    files["briefing.json"] = (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
    files[".nojekyll"] = b""
    return files
