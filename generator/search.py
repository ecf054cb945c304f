"""The data the site's scripts read: the search index and the link previews.

Both ship as script files that set a global (`<script src>`), because a
page opened from file:// may not fetch anything, not even from its own
folder. Rows are arrays rather than objects, and source titles are listed
once and referred to by position, to keep the files small; `site.js`
documents the same layout where it reads them.
"""

from __future__ import annotations

import html
import json
import re

from .link import EntityPage, Passage, Site

SUMMARY_CHARS = 220
SEARCH_GLOBAL = "BRIEFING_SEARCH"
PREVIEWS_GLOBAL = "BRIEFING_PREVIEWS"
_TAG = re.compile(r"<[^>]+>")


def search_index(site: Site) -> dict:
    """Entities (name, kind, url, other names, mentions), sources and every paragraph of text.

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
    sources = [[s.title, f"sources/{s.slug}.html", s.date or "", s.publisher or ""] for s in site.sources]
    pages = sorted(site.source_pages, key=lambda page: source_index[page.source.slug])
    passages = [
        [source_index[page.source.slug], paragraph.id, "".join(segment.text for segment in paragraph.segments)]
        for page in pages
        for paragraph in page.paragraphs
    ]
    return {"entities": entities, "sources": sources, "passages": passages}


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
    if page.entity.description_html:
        return clip(html.unescape(_TAG.sub("", page.entity.description_html)))
    for _, passages in page.passages_by_source:
        for passage in passages:
            return clip(passage_text(passage))
    return ""


def passage_text(passage: Passage) -> str:
    return "".join(segment.text for segment in passage.segments)


def clip(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Whitespace folded, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def as_script(global_name: str, data) -> bytes:
    """`window.NAME = {...};` in compact JSON."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.{global_name}={payload};\n".encode("utf-8")
