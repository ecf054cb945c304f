"""Feeds: RSS and Atom (`.xml`, `.rss`, `.atom`) through feedparser, and JSON Feed (`.json`).

Each entry with text is an article: its title, link, date and author, the
feed's title as its publisher. An entry that carries only a summary (no full
content) is an article all the same, marked so that its page says so. An
entry without any text is left out with a warning; so is a feed with none.
"""

from __future__ import annotations

import json
import time
import xml.sax

from ..errors import Diagnostic
from . import Article, Block, Unreadable
from .html import blocks_from_fragment
from .identity import iso_date
from .plaintext import clean_lines


def read_feed(raw: bytes, shown: str) -> list[Article]:
    """The articles of an RSS or Atom feed: feedparser reads any of their versions, and
    the encoding the feed declares."""
    import feedparser

    parsed = feedparser.parse(raw)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if problem is not None and not parsed.get("version"):
            line = getattr(problem, "getLineNumber", lambda: None)()
            raise Unreadable(f"not a readable RSS or Atom feed: {_reason(problem)}", line)
        if not parsed.get("version"):
            raise Unreadable("not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> element)")
        raise Unreadable("the feed has no entries")
    publisher = _text(parsed.feed.get("title"))
    articles = []
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException):  # read all the same, by feedparser's lenient parser
        warning = f"not well-formed XML ({_reason(problem)}); its entries were read as far as they could be: check them"
        articles.append(Article(blocks=(), warnings=(Diagnostic.warning(warning, shown, problem.getLineNumber()),)))
    for n, entry in enumerate(parsed.entries, start=1):
        contents = [c for c in entry.get("content", ()) if _text(c.get("value"))]
        summary = _text(entry.get("summary"))
        if contents:
            body, summary_only = contents[0], False
            blocks = _blocks(body.get("value", ""), body.get("type", "text/html"))
        elif summary:
            summary_only = True
            detail = entry.get("summary_detail") or {}
            blocks = _blocks(entry.get("summary", ""), detail.get("type", "text/html"))
        else:
            blocks = []
        title = _text(entry.get("title"))
        if not blocks:
            articles.append(_skipped(shown, n, title))
            continue
        # The day as the feed writes it, in its own time zone; feedparser's parsed time is in UTC.
        written = _text(entry.get("published") or entry.get("updated"))
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        articles.append(
            Article(
                blocks=tuple(blocks),
                title=title,
                date=iso_date(written) or (time.strftime("%Y-%m-%d", stamp) if stamp else written),
                publisher=publisher,
                author=_text(entry.get("author")),
                url=_link(entry.get("link")),
                summary_only=summary_only,
                name=title or f"entry {n}",
            )
        )
    return articles


JSON_FEED_VERSION = "https://jsonfeed.org/version/"


def read_json_feed(raw: bytes, shown: str) -> list[Article]:
    """The articles of a JSON Feed (jsonfeed.org, versions 1 and 1.1). feedparser does not
    read this format, and its few fields need no more than `json`."""
    try:
        feed = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise Unreadable(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(JSON_FEED_VERSION):
        raise Unreadable(f'not a JSON Feed: a .json file in seeds/ is read as one, with "version": "{JSON_FEED_VERSION}1.1"')
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        raise Unreadable("the feed has no items")
    publisher = _text(feed.get("title"))
    articles = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            articles.append(_skipped(shown, n, None, "is not an object"))
            continue
        title = _text(item.get("title"))
        summary_only = False
        if _text(item.get("content_html")):
            blocks = blocks_from_fragment(item["content_html"])
        elif _text(item.get("content_text")):
            blocks = _blocks(item["content_text"], "text/plain")
        elif _text(item.get("summary")):
            blocks, summary_only = _blocks(item["summary"], "text/plain"), True
        else:
            blocks = []
        if not blocks:
            articles.append(_skipped(shown, n, title))
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        names = [a["name"] for a in authors if isinstance(a, dict) and _text(a.get("name"))]
        articles.append(
            Article(
                blocks=tuple(blocks),
                title=title,
                date=_text(item.get("date_published") or item.get("date_modified")),
                publisher=publisher,
                author=", ".join(names) or None,
                url=_link(item.get("url") or item.get("external_url")),
                summary_only=summary_only,
                name=title or f"item {n}",
            )
        )
    return articles


def _blocks(value: str, kind: str) -> list[Block]:
    if "html" in kind or "xml" in kind:
        return blocks_from_fragment(value)
    return list(clean_lines(value.splitlines()).blocks)


def _skipped(shown: str, n: int, title: str | None, why: str = "has no text") -> Article:
    """An entry left out: an article with no blocks, which ingest reports and skips."""
    named = f" ({title!r})" if title else ""
    return Article(blocks=(), warnings=(Diagnostic.warning(f"entry {n}{named} {why}; left out", shown),))


def _reason(problem: Exception) -> str:
    message = getattr(problem, "getMessage", lambda: str(problem))()
    return str(message).split("\n")[0]


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _link(value) -> str | None:
    """The address as written: ingest links it only if it is a web address (see urls.py), else shows it as text."""
    return value.strip() or None if isinstance(value, str) else None
