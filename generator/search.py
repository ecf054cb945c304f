"""The data the site's scripts read: the search index and the link previews.

Both ship as script files that set a global (`<script src>`), because a
page opened from file:// may not fetch anything, not even from its own
folder. Rows are arrays rather than objects, and source titles are listed
once and referred to by position, to keep the files small; `site.js`
documents the same layout where it reads them.
"""

from __future__ import annotations

import html
import itertools
import re

from .jsonpieces import comma_separated, compact, joined, members
from .link import EntityPage, Site, SourcePage
from .markup import markdown_to_html
from .memo import LastRun

SUMMARY_CHARS = 220
SEARCH_GLOBAL = "BRIEFING_SEARCH"
PREVIEWS_GLOBAL = "BRIEFING_PREVIEWS"
_TAG = re.compile(r"<[^>]+>")


class SearchMemo:
    """Each source's rows of the search index, as JSON, from the last build: reused
    while the source page is the very same object (see link.LinkMemo) at the
    same place in the list of sources. A RenderMemo keeps one (a throw-away one in a
    single build)."""

    def __init__(self, keep: bool = True) -> None:
        self._rows: LastRun[str, str] = LastRun(keep)

    def rows(self, page: SourcePage, index: int) -> str:
        return self._rows.reuse(page.source.slug, (page,), lambda: _rows_json(page, index), equal=(index,))

    def finish(self) -> None:
        self._rows.finish()


def search_script(site: Site, kinds: dict[str, str], memo: SearchMemo | None = None) -> bytes:
    """search-index.js: entities (name, kind, url, other names, mentions), sources and
    every paragraph of text, encoded a source at a time.

    Paragraphs go in whole, as the text to search: the page shows a short
    snippet around the words found, and links to the paragraph itself.
    """
    source_index = {source.slug: i for i, source in enumerate(site.sources)}
    entities = [
        [
            page.entity.name,
            page.entity.kind,
            page.entity.url,
            other_names(page),
            page.mention_count,
        ]
        for page in sorted(site.entity_pages, key=lambda p: (-p.mention_count, p.entity.name.lower(), p.entity.id))
    ]
    sources = [[s.title, s.pages[0][0], s.date or "", s.publisher or ""] for s in site.sources]
    pages = sorted(site.source_pages, key=lambda page: source_index[page.source.slug])
    # The passages, the bulk of the file, spliced in as the last field, each source's
    # turned into bytes and added to the file as it comes: the file is in memory once.
    head = compact({"kinds": kinds, "entities": entities, "sources": sources})[:-1]
    memo = memo or SearchMemo(keep=False)
    rows = comma_separated(memo.rows(page, source_index[page.source.slug]) for page in pages)
    script = joined(itertools.chain([f'window.{SEARCH_GLOBAL}={head},"passages":['.encode()], rows, [b"]};\n"]))
    memo.finish()
    return script


def _rows_json(page: SourcePage, index: int) -> str:
    """The source's paragraphs as the members of a JSON array (without its brackets)."""
    return members(passage_rows(page, index))


def passage_rows(page: SourcePage, index: int) -> list[list]:
    """[source index, paragraph id, text], and the page's path where the source is on several (see model.Source.pages)."""
    cut = len(page.source.pages) > 1
    rows = []
    for paragraph in page.paragraphs:
        row = [index, paragraph.id, paragraph.text]
        if cut:
            row.append(page.source.page_of[paragraph.id])
        rows.append(row)
    return rows


def other_names(page: EntityPage) -> list[str]:
    """Aliases seen, and a topic's patterns without their prefix star ("mobilis*")."""
    names = dict.fromkeys(page.entity.aliases + tuple(p.rstrip("*") for p in page.entity.patterns))
    return [name for name in names if name != page.entity.name]


def previews(site: Site) -> dict[str, list]:
    """For each entity page, by its url: kind, name, role and country, a summary, mentions and sources.

    The summary is the curated description when there is one, else the
    newest passage that names the entity.
    """
    return {
        page.entity.url: [
            page.entity.kind,
            page.entity.name,
            " · ".join(part for part in (page.entity.role, page.entity.country) if part),
            summary(page),
            page.mention_count,
            page.source_count,
        ]
        for page in site.entity_pages
    }


def summary(page: EntityPage) -> str:
    description = markdown_to_html(page.entity.description) if page.entity.description else ""
    if description:
        return clip(html.unescape(_TAG.sub("", description)))
    for _, passages in page.passages_by_source:
        for passage in passages:
            return clip(passage.text)
    return ""


def clip(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Whitespace folded, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def as_script(global_name: str, data) -> bytes:
    """`window.NAME = {...};` in compact JSON."""
    return f"window.{global_name}={compact(data)};\n".encode()
