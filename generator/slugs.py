"""Slugs: the file names of pages, ASCII and stable."""

from __future__ import annotations

import re

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """'Sébastien Lecornu' -> 'sebastien-lecornu'; never empty."""
    slug = _NON_WORD.sub("-", anyascii(text).lower()).strip("-")
    return slug[:80].rstrip("-") or fallback


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
