"""Ingest: read the articles in the seeds folder into `Source` objects.

Two formats are read:

* `.txt` as it comes from a copy-paste or a scraper: one block per line
  (blank lines between blocks are allowed). The first line is the title when
  it reads like one; a `date YYYY-MM-DD` prefix and a trailing
  `Source: publisher` line are metadata, not body; short title-like lines
  inside the text are section headings.
* `.md` with YAML front matter (`title`, `date`, `source`/`publisher`,
  `url`); the body is parsed with markdown-it-py and each block (paragraph,
  heading, list item, quote) becomes a paragraph of plain text.

Text that lost characters in scraping is kept as the source wrote it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from yaml.nodes import MappingNode

from .content import YamlFile
from .errors import InputError, Problem
from .memo import LastRun
from .model import Paragraph, Source, Warning_
from .slugs import slugify
from .urls import is_web_url
from .userfiles import SOURCE_SUFFIXES, named_user_files

_DATE_PREFIX = re.compile(r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})\b[\s,;:]*(.*)$", re.IGNORECASE | re.DOTALL)
_SOURCE_LINE = re.compile(r"^\s*source:\s*(\S.*?)\s*$", re.IGNORECASE)
_URL_LINE = re.compile(r"^\s*url:\s*(https?://\S+)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;:,…]['\"’”)\]]*$")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_AND_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ]\d{1,2}:\d{2}\S*(?: ?[+-]\d{1,2}(?::?\d{2})?| ?Z)?")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)

HEADING_MAX_WORDS = 22
"""A line with more words than this is a paragraph, whatever its punctuation."""

TITLE_MAX_WORDS = 30
DERIVED_TITLE_MAX_CHARS = 90


def is_title_like(line: str, max_words: int = HEADING_MAX_WORDS) -> bool:
    """A short line that does not end like a sentence: a title or a heading."""
    words = line.split()
    return 0 < len(words) <= max_words and not _SENTENCE_END.search(line.strip())


def paragraph_id(text: str, seen: Counter[str]) -> str:
    """A stable id from the paragraph's own text, so that a link to it survives
    edits to other paragraphs; a repeated paragraph gets a numbered suffix."""
    digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
    seen[digest] += 1
    return f"p-{digest}" if seen[digest] == 1 else f"p-{digest}-{seen[digest]}"


def derive_title(text: str) -> str:
    """A title for an article that has none: its first sentence, shortened.

    A leading quotation makes a poor title, so the reporting sentence after
    it is used instead when there is one."""
    text = text.strip()
    if m := re.match(r"^[\"“‘'].*?[\"”’'](?=\s)", text):
        text = text[m.end():].strip() or text
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0].strip("\"“”' ")
    if len(first) <= DERIVED_TITLE_MAX_CHARS:
        return first.rstrip(".")
    cut = first[:DERIVED_TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def content_hash(paragraphs: tuple[Paragraph, ...]) -> str:
    """Hash of exactly what the model reads, so that a metadata edit (title,
    date) does not invalidate the extraction cache."""
    h = hashlib.sha256()
    for p in paragraphs:
        h.update(b"H" if p.heading else b"P")
        h.update(p.text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _blocks_to_paragraphs(blocks: list[tuple[str, bool]]) -> tuple[Paragraph, ...]:
    seen: Counter[str] = Counter()
    return tuple(Paragraph(paragraph_id(text, seen), text, heading) for text, heading in blocks)


def parse_txt(text: str) -> dict:
    """Split a plain-text article into title, metadata and blocks."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    date = publisher = url = None

    # Trailing metadata lines: "Source: independent.co.uk", "URL: https://…".
    while lines:
        if m := _SOURCE_LINE.match(lines[-1]):
            value = m.group(1)
            if value.lower().startswith(("http://", "https://")):
                url = url or value
            else:
                publisher = publisher or value
            lines.pop()
        elif m := _URL_LINE.match(lines[-1]):
            url = url or m.group(1)
            lines.pop()
        else:
            break

    body: list[str] = []
    for line in lines:
        if m := _DATE_PREFIX.match(line):
            date = date or m.group(1)
            line = m.group(2).strip()
            if not line:
                continue
        body.append(line)

    title = None
    if body and is_title_like(body[0], TITLE_MAX_WORDS) and len(body) > 1:
        title = body.pop(0)
    blocks = [(line, is_title_like(line)) for line in body]
    # A heading closes nothing: one at the very end is a stray line, not a section.
    if blocks and blocks[-1][1]:
        blocks[-1] = (blocks[-1][0], False)
    if title is None:
        first_paragraph = next((b for b, heading in blocks if not heading), "")
        title = derive_title(first_paragraph) if first_paragraph else "Untitled"
    return {"title": title, "date": date, "publisher": publisher, "url": url, "blocks": blocks}


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
    return " ".join("".join(parts).split())


FRONT_MATTER_TEXT_KEYS = ("title", "date", "publisher", "source", "url")
"""The front matter's keys an article's fields come from; others (tags, author) are left alone."""


def read_front_matter(text: str, file: str) -> tuple[dict[str, tuple[str, int]], str]:
    """The front matter's fields that Briefing reads, each as the text written with its
    line, and the Markdown after it. Read as content/ is (see content.YamlFile): into
    nodes, never Python objects, so `title: NO` stays "NO", `date: 10:00` "10:00" and
    an alias bomb is never expanded; a duplicate key, an explicit tag or a field that
    is not a string is an error naming the file and line."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    problems: list[Problem] = []
    yaml_file = YamlFile(file, problems, first_line=2)
    if not yaml_file.parse(m.group(1)):
        raise InputError([Problem(p.file, p.line, p.column, p.message.replace("invalid YAML", "invalid YAML front matter", 1)) for p in problems])
    if yaml_file.root is not None and not isinstance(yaml_file.root, MappingNode):
        raise InputError([Problem(file, 2, 1, "front matter must be a mapping of keys to values")])
    nodes = yaml_file.mapping(yaml_file.root, None, "the front matter")
    fields = {}
    for key in FRONT_MATTER_TEXT_KEYS:
        value = yaml_file.text(nodes.get(key), key)
        if value is not None and value.strip():
            fields[key] = (" ".join(value.split()), yaml_file.line(nodes[key]))
    if problems:
        raise InputError(problems)
    return fields, text[m.end():]


def parse_md(text: str, file: str) -> dict:
    """Split a Markdown article into front matter and blocks."""
    meta, body = read_front_matter(text, file)
    blocks: list[tuple[str, bool]] = []
    tokens = MarkdownIt("commonmark").parse(body)
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[i - 1].type if i else ""
        content = _inline_text(token)
        if content:
            blocks.append((content, opener == "heading_open"))

    def text_field(*names: str) -> str | None:
        return next((meta[name][0] for name in names if name in meta), None)

    warnings = []
    date_text = text_field("date")
    if date_text and (timed := _DATE_AND_TIME.fullmatch(date_text)):
        date_text = timed.group(1)  # a timestamp such as 2025-03-27T10:00:00Z: the day is what the site shows
    if date_text and not _ISO_DATE.fullmatch(date_text):
        warnings.append(Warning_(
            f"date {date_text!r} is not YYYY-MM-DD: it is shown as written, but timelines leave it out and it sorts out of order; write it as YYYY-MM-DD",
            file, meta["date"][1],
        ))
    url = text_field("url")
    if url is not None and not is_web_url(url):
        warnings.append(Warning_(f"url {url!r} is not an http:// or https:// address: it is not linked; write the article's web address", file, meta["url"][1]))
        url = None
    title = text_field("title")
    if title is None:
        first = next((b for b, heading in blocks if not heading), "")
        title = derive_title(first) if first else "Untitled"
    return {
        "title": title,
        "date": date_text,
        "publisher": text_field("publisher", "source"),
        "url": url,
        "blocks": blocks,
        "warnings": tuple(warnings),
    }


class SourceMemo:
    """The articles read by the last build, by file and a hash of its bytes, so that
    the next build parses only the files that changed and hands on the very same
    Source objects for the rest (the later stages' own memos recognise them)."""

    def __init__(self) -> None:
        self._read: LastRun[str, tuple[bytes, tuple[Source | None, tuple[Warning_, ...]]]] = LastRun()

    def read(self, path: Path, rel: str, seeds_dir: Path) -> tuple[Source | None, tuple[Warning_, ...]]:
        """The article at `path`, which is `rel` under `seeds_dir`."""
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            return read_source(path, seeds_dir, rel)  # it says why not
        try:
            raw = path.read_bytes()
        except OSError:
            return read_source(path, seeds_dir, rel)  # it says why not
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        kept = self._read.last(rel)
        if kept is None or kept[0] != digest:
            kept = (digest, parse_source(raw, path, rel, seeds_dir))
        return self._read.use(rel, kept)[1]

    def finish(self) -> None:
        self._read.finish()


def read_source(path: Path, seeds_dir: Path, rel: str | None = None) -> tuple[Source | None, tuple[Warning_, ...]]:
    """Read one article, `rel` under `seeds_dir` (as the listing of the folder gave it, else
    worked out here); an unreadable, empty or binary file is a warning, not a failure."""
    rel = path.relative_to(seeds_dir).as_posix() if rel is None else rel
    shown = f"{seeds_dir.name}/{rel}"
    if path.suffix.lower() not in SOURCE_SUFFIXES:
        return None, (Warning_(f"skipped: not an article ({', '.join(SOURCE_SUFFIXES)} files are read)", shown),)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, (Warning_(f"skipped: cannot be read ({exc.strerror})", shown),)
    return parse_source(raw, path, rel, seeds_dir)


def parse_source(raw: bytes, path: Path, rel: str, seeds_dir: Path) -> tuple[Source | None, tuple[Warning_, ...]]:
    """An article from the bytes of its file, `rel` under `seeds_dir`: text that is empty,
    binary or not UTF-8 is a warning."""
    shown = f"{seeds_dir.name}/{rel}"
    if b"\0" in raw[:8192]:
        return None, (Warning_("skipped: a binary file, not text", shown),)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, (Warning_(f"skipped: not UTF-8 text (byte {exc.start}); save it as UTF-8", shown),)
    if not text.strip():
        return None, (Warning_("skipped: the file is empty", shown),)

    parsed = parse_md(text, shown) if path.suffix.lower() == ".md" else parse_txt(text)
    paragraphs = _blocks_to_paragraphs(parsed["blocks"])
    if not any(not p.heading for p in paragraphs):
        return None, (Warning_("skipped: no paragraph of text", shown),)
    source = Source(
        slug=slugify(rel[: len(rel) - len(path.suffix)]),  # without its suffix
        file=rel,
        title=parsed["title"],
        date=parsed["date"],
        publisher=parsed["publisher"],
        url=parsed["url"],
        paragraphs=paragraphs,
        content_hash=content_hash(paragraphs),
    )
    return source, parsed.get("warnings", ())


def ingest(seeds_dir: Path, memo: SourceMemo | None = None, follow_links: bool = False) -> tuple[tuple[Source, ...], tuple[Warning_, ...]]:
    """Read every article under `seeds_dir`; never writes to it. With the `memo`
    of an earlier build, only files whose bytes changed are parsed again. A link to
    a file outside the project (the folder that holds `seeds_dir`) is skipped with
    a warning, unless `follow_links`; so is a file whose name is not UTF-8."""
    sources: list[Source] = []
    skipped: list[tuple[str, str]] = []
    files = named_user_files(seeds_dir, skipped, None if follow_links else Path(os.path.realpath(seeds_dir)).parent)
    warnings: list[Warning_] = [Warning_(f"skipped: {why}", f"{seeds_dir.name}/{rel}") for rel, why in skipped]
    taken: set[str] = set()
    for rel, path in files:
        source, source_warnings = memo.read(path, rel, seeds_dir) if memo is not None else read_source(path, seeds_dir, rel)
        warnings.extend(source_warnings)
        if source is None:
            continue
        if source.slug in taken:  # "a b.txt" and "a-b.md" slugify alike: keep both, distinctly
            n = 2
            while f"{source.slug}-{n}" in taken:
                n += 1
            source = replace(source, slug=f"{source.slug}-{n}")
        taken.add(source.slug)
        sources.append(source)
    if memo is not None:
        memo.finish()
    return tuple(sources), tuple(warnings)
