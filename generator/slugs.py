"""Slugs: the file names of pages, ASCII and stable."""

from __future__ import annotations

import re

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9]+")


RESERVED = frozenset({"index"})
"""Names the site gives its own pages in every folder (people/index.html, sources/index.html):
no article, entity or free page may take one, or its page would replace the index."""


def slugify(text: str, fallback: str = "item") -> str:
    """'Sébastien Lecornu' -> 'sebastien-lecornu'; never empty, never a reserved name ('Index' -> 'index-page')."""
    slug = _NON_WORD.sub("-", anyascii(text).lower()).strip("-")
    slug = slug[:80].rstrip("-") or fallback
    return f"{slug}-page" if slug in RESERVED else slug


def unique_slugs(names: list[str]) -> list[str]:
    """Slugs for `names` in order, a numbered suffix where two slugify alike.

    The caller passes names in a deterministic order, so the suffixes are stable."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = slugify(name)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        result.append(slug)
    return result
