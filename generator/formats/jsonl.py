"""JSON Lines (`.jsonl`): one article an object a line, as scrapers and news APIs
export them:

    {"title": "...", "text": "..." or "html": "...", "url": "...", "date": "...", "publisher": "...", "author": "..."}

A line that is not JSON, not an object, or has no text is left out with a
warning naming its line; the others are read.
"""

from __future__ import annotations

import json

from ..errors import Diagnostic
from . import Article, Unreadable
from .html import blocks_from_fragment
from .plaintext import clean_lines

FIELDS = ("title", "text", "html", "url", "date", "publisher", "author")


def read_jsonl(raw: bytes, shown: str) -> list[Article]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_number = raw[: exc.start].count(b"\n") + 1
        raise Unreadable(f"not UTF-8 text (byte {exc.start}); save it as UTF-8", line_number) from None
    articles = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            articles.append(_left_out(shown, n, f"not JSON ({exc.msg}, column {exc.colno})"))
            continue
        if not isinstance(record, dict):
            articles.append(_left_out(shown, n, "not a JSON object"))
            continue
        html, plain = _field(record, "html"), _field(record, "text")
        if html:
            blocks = blocks_from_fragment(html)
        elif plain:
            blocks = list(clean_lines(plain.splitlines()).blocks)
        else:
            articles.append(_left_out(shown, n, 'no "text" or "html"'))
            continue
        if not blocks:
            articles.append(_left_out(shown, n, "no paragraph of text"))
            continue
        unknown = sorted(k for k in record if k not in FIELDS and k not in ("source", "site", "published", "link", "id"))
        warnings = (Diagnostic.warning(f"unknown key(s) {', '.join(map(repr, unknown))}; the keys read are {', '.join(FIELDS)}", shown, n),) if unknown else ()
        title = _field(record, "title")
        articles.append(
            Article(
                blocks=tuple(blocks),
                title=title,
                date=_field(record, "date") or _field(record, "published"),
                publisher=_field(record, "publisher") or _field(record, "source") or _field(record, "site"),
                author=_field(record, "author"),
                url=_url(_field(record, "url") or _field(record, "link")),
                line=n,
                name=title or f"line {n}",
                warnings=warnings,
            )
        )
    if not articles:
        raise Unreadable("no line holds an article")
    return articles


def _left_out(shown: str, line: int, why: str) -> Article:
    return Article(blocks=(), line=line, warnings=(Diagnostic.warning(f"{why}; this line is left out", shown, line),))


def _field(record: dict, key: str) -> str | None:
    value = record.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _url(value: str | None) -> str | None:
    """The address as written: ingest links it only if it is a web address (see urls.py), else shows it as text."""
    return value.strip() or None if value else None
