"""Readers for the formats articles come in, each into `Article`s, which ingest
turns into `Source`s (it gives each its identity: see formats.identity).

| suffix | reader |
| --- | --- |
| `.txt` | plaintext: text as copied or scraped |
| `.md` | ingest.parse_md: Markdown with YAML front matter |
| `.html`, `.htm` | html: a saved or fetched web page, through trafilatura |
| `.xml`, `.rss`, `.atom`, `.json` | feeds: RSS and Atom through feedparser, JSON Feed |
| `.jsonl` | jsonl: one article a line, as scrapers and news APIs export them |

Every reader fails soft: a file it cannot read, or a part of it (a feed entry,
a line of JSON), is a warning naming the file and line, never a failed build.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Diagnostic


@dataclass(frozen=True)
class Block:
    """A paragraph as a reader found it, before it has an id."""

    text: str
    heading: bool = False
    caption: bool = False  # a photo caption, credit or byline: apart from the body, read by the model all the same


@dataclass(frozen=True)
class Article:
    """One article as a reader found it: what its input says, nothing guessed."""

    blocks: tuple[Block, ...]
    title: str | None = None  # the headline, when the input has one
    date: str | None = None  # as the input gives it, in any common form
    publisher: str | None = None
    author: str | None = None
    url: str | None = None  # the original or canonical address
    url_line: int | None = None  # where in its file the address is written, when a reader knows
    unlinked_url: str | None = None  # an address given that is no web address (see urls.py): set by ingest, never by a reader
    credits: tuple[str, ...] = ()  # photo credits and agency lines
    summary_only: bool = False  # a feed entry whose text is only its summary
    line: int | None = None  # where in its file the article starts, for a file of several
    name: str | None = None  # for a file of several: what tells this one apart in its slug
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)


class Unreadable(Exception):
    """A file that holds no article a reader can use; the message says why and what to do."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line
