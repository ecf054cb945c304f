"""Ingest: read the articles in the seeds folder into `Source` objects.

Each format has its reader in `generator.formats` (plain text as scraped, web
pages, feeds, JSON Lines); Markdown with front matter is read here. This module
dispatches on the file's suffix and gives every article its identity: the
headline (or a short title from its first sentence, or its file name), the
publisher (or the domain of its address) and the date, written YYYY-MM-DD
whatever form the input gave it in. What the input does not give is left
empty and recorded in `Source.missing`, for `briefing check` to report.

* `.md` with YAML front matter (`title`, `date`, `source`/`publisher`,
  `url`, `author`); the body is parsed with markdown-it-py and each block
  (paragraph, heading, list item, quote) becomes a paragraph of plain text.

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

from .errors import Diagnostic, InputError
from .formats import Article, Block, Unreadable
from .formats.identity import date_in_dateline, domain, iso_date, title_from_file_name, title_from_sentence
from .formats.plaintext import parse_txt
from .memo import LastRun
from .model import Paragraph, Source
from .slugs import slugify
from .urls import is_web_url
from .userfiles import SOURCE_SUFFIXES, named_user_files
from .yamlfile import YamlFile, split_front_matter

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_AND_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ]\d{1,2}:\d{2}\S*(?: ?[+-]\d{1,2}(?::?\d{2})?| ?Z)?")


def paragraph_id(text: str, seen: Counter[str]) -> str:
    """A stable id from the paragraph's own text, so that a link to it survives
    edits to other paragraphs; a repeated paragraph gets a numbered suffix."""
    digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
    seen[digest] += 1
    return f"p-{digest}" if seen[digest] == 1 else f"p-{digest}-{seen[digest]}"


def content_hash(paragraphs: tuple[Paragraph, ...]) -> str:
    """Hash of exactly what the model reads, so that a metadata edit (title,
    date) does not invalidate the extraction cache."""
    h = hashlib.sha256()
    for p in paragraphs:
        h.update(b"H" if p.heading else b"P")
        h.update(p.text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _paragraphs(blocks: tuple[Block, ...]) -> tuple[Paragraph, ...]:
    seen: Counter[str] = Counter()
    return tuple(Paragraph(paragraph_id(b.text, seen), b.text, b.heading, b.caption) for b in blocks)


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
    return " ".join("".join(parts).split())


FRONT_MATTER_TEXT_KEYS = ("title", "date", "publisher", "source", "author", "byline", "url")
"""The front matter's keys an article's fields come from; others (tags, say) are left alone."""


def read_front_matter(text: str, file: str) -> tuple[dict[str, tuple[str, int]], str]:
    """The front matter's fields that Briefing reads, each as the text written with its
    line, and the Markdown after it. Read as content/ is (see yamlfile.YamlFile): into
    nodes, never Python objects, so `title: NO` stays "NO", `date: 10:00` "10:00" and
    an alias bomb is never expanded; a duplicate key, an explicit tag or a field that
    is not a string is an error naming the file and line. Front matter that is never
    closed is no front matter: the article is read as Markdown from its first line."""
    front = split_front_matter(text)
    if front is None or front.yaml is None:
        return {}, text
    problems: list[Diagnostic] = []
    yaml_file = YamlFile(file, problems, first_line=2)
    if not yaml_file.parse(front.yaml):
        raise InputError([Diagnostic(p.file, p.line, p.column, p.message.replace("invalid YAML", "invalid YAML front matter", 1)) for p in problems])
    if yaml_file.root is not None and not isinstance(yaml_file.root, MappingNode):
        raise InputError([Diagnostic(file, 2, 1, "front matter must be a mapping of keys to values")])
    nodes = yaml_file.mapping(yaml_file.root, None, "the front matter")
    fields = {}
    for key in FRONT_MATTER_TEXT_KEYS:
        value = yaml_file.text(nodes.get(key), key)
        if value is not None and value.strip():
            fields[key] = (" ".join(value.split()), yaml_file.line(nodes[key]))
    if problems:
        raise InputError(problems)
    return fields, front.body


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
    if date_text and not _ISO_DATE.fullmatch(date_text) and iso_date(date_text) is None:
        warnings.append(
            Diagnostic.warning(
                f"date {date_text!r} is not a date that can be read: it is shown as written, but timelines leave it out and it sorts out of order; write it as YYYY-MM-DD",
                file,
                meta["date"][1],
            )
        )
    return {
        "title": text_field("title"),
        "date": date_text,
        "publisher": text_field("publisher", "source"),
        "author": text_field("author", "byline"),
        "url": text_field("url"),
        "url_line": meta["url"][1] if "url" in meta else None,
        "blocks": blocks,
        "warnings": tuple(warnings),
    }


def read_md(text: str, shown: str) -> Article:
    """A Markdown article (see parse_md) as the other readers give theirs."""
    parsed = parse_md(text, shown)
    return Article(
        blocks=tuple(Block(t, heading=h) for t, h in parsed["blocks"]),
        title=parsed["title"],
        date=parsed["date"],
        publisher=parsed["publisher"],
        author=parsed["author"],
        url=parsed["url"],
        url_line=parsed["url_line"],
        warnings=parsed["warnings"],
    )


Read = tuple[tuple[Source, ...], tuple[Diagnostic, ...]]
"""What one file gave: its articles (a feed or a JSON Lines file holds several) and its warnings."""


class SourceMemo:
    """The articles read by the last build, by file and a hash of its bytes, so that
    the next build parses only the files that changed and hands on the very same
    Source objects for the rest (the later stages' own memos recognise them).
    A single build's (`keep=False`) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self._read: LastRun[str, Read] = LastRun(keep)

    def read(self, path: Path, rel: str, seeds_dir: Path) -> Read:
        """The articles in the file at `path`, which is `rel` under `seeds_dir`."""
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            return read_source(path, seeds_dir, rel)  # it says why not
        try:
            raw = path.read_bytes()
        except OSError:
            return read_source(path, seeds_dir, rel)  # it says why not
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        return self._read.reuse(rel, (), lambda: parse_source(raw, path, rel, seeds_dir), equal=(digest,))

    def finish(self) -> None:
        self._read.finish()


def read_source(path: Path, seeds_dir: Path, rel: str | None = None) -> Read:
    """Read the articles in one file, `rel` under `seeds_dir` (as the listing of the folder
    gave it, else worked out here); an unreadable, empty or binary file is a warning, not a failure."""
    rel = path.relative_to(seeds_dir).as_posix() if rel is None else rel
    shown = f"{seeds_dir.name}/{rel}"
    if path.suffix.lower() not in SOURCE_SUFFIXES:
        return (), (Diagnostic.warning(f"skipped: not an article ({', '.join(SOURCE_SUFFIXES)} files are read)", shown),)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return (), (Diagnostic.warning(f"skipped: cannot be read ({exc.strerror})", shown),)
    return parse_source(raw, path, rel, seeds_dir)


def parse_source(raw: bytes, path: Path, rel: str, seeds_dir: Path) -> Read:
    """The articles in a file, from its bytes, `rel` under `seeds_dir`: a file that is empty,
    binary, not in its format or not UTF-8 where it must be is a warning naming it (and its
    line where one is at fault), and so is each part of it that holds no article."""
    shown = f"{seeds_dir.name}/{rel}"
    suffix = path.suffix.lower()
    if b"\0" in raw[:8192]:
        return (), (Diagnostic.warning("skipped: a binary file, not text", shown),)
    if not raw.strip():
        return (), (Diagnostic.warning("skipped: the file is empty", shown),)
    try:
        articles = _read_articles(raw, suffix, shown)
    except Unreadable as problem:
        return (), (Diagnostic.warning(f"skipped: {problem}", shown, problem.line),)
    stem = rel[: len(rel) - len(path.suffix)]
    several = suffix in MULTI_ARTICLE_SUFFIXES
    sources: list[Source] = []
    warnings: list[Diagnostic] = []
    for article in articles:
        warnings.extend(article.warnings)
        if article.url is not None and not is_web_url(article.url):
            warnings.append(
                Diagnostic.warning(
                    f"url {article.url!r} is not an http:// or https:// address: it is shown as text, not linked; write the article's web address",
                    shown,
                    article.url_line or article.line,
                )
            )
            article = replace(article, url=None, unlinked_url=article.url)
        if not article.blocks:
            continue  # its reader said why
        paragraphs = _paragraphs(article.blocks)
        if not any(not p.heading and not p.caption for p in paragraphs):
            warnings.append(Diagnostic.warning("skipped: no paragraph of text", shown, article.line))
            continue
        slug = slugify(f"{stem}-{article.name}" if several and article.name else stem)
        sources.append(_identified(article, paragraphs, slug, rel))
    return tuple(sources), tuple(warnings)


MULTI_ARTICLE_SUFFIXES = (".xml", ".rss", ".atom", ".json", ".jsonl")
"""Formats that hold several articles a file: each gets a slug of its own."""


def _read_articles(raw: bytes, suffix: str, shown: str) -> list[Article]:
    """The file's articles, by its format; raises Unreadable for a file that holds none."""
    if suffix in (".html", ".htm"):
        from .formats.html import read_html

        return [read_html(raw)]
    if suffix in (".xml", ".rss", ".atom"):
        from .formats.feeds import read_feed

        return read_feed(raw, shown)
    if suffix == ".json":
        from .formats.feeds import read_json_feed

        return read_json_feed(raw, shown)
    if suffix == ".jsonl":
        from .formats.jsonl import read_jsonl

        return read_jsonl(raw, shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Unreadable(f"not UTF-8 text (byte {exc.start}); save it as UTF-8", line) from None
    if not text.strip():
        raise Unreadable("the file is empty")
    return [read_md(text, shown) if suffix == ".md" else parse_txt(text)]


def _identified(article: Article, paragraphs: tuple[Paragraph, ...], slug: str, rel: str) -> Source:
    """The article as a Source with its identity: what the input gives, else what can be
    told for sure from it (the domain of its address, a dateline), else nothing."""
    missing = []
    body = [p.text for p in paragraphs if not p.heading and not p.caption]
    title = article.title
    if title is None:
        missing.append("headline")
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = next(filter(None, map(title_from_sentence, body[:3])), None) or title_from_file_name(stem) or stem
    publisher = article.publisher or domain(article.url)
    if publisher is None:
        missing.append("publisher")
    date = iso_date(article.date) or article.date or next(filter(None, map(date_in_dateline, body[:2])), None)
    if date is None:
        missing.append("date")
    return Source(
        slug=slug,
        file=rel,
        title=title,
        date=date,
        publisher=publisher,
        url=article.url,
        unlinked_url=article.unlinked_url,
        paragraphs=paragraphs,
        content_hash=content_hash(paragraphs),
        author=article.author,
        credits=article.credits,
        summary_only=article.summary_only,
        line=article.line,
        missing=tuple(missing),
    )


def ingest(seeds_dir: Path, memo: SourceMemo | None = None, follow_links: bool = False) -> tuple[tuple[Source, ...], tuple[Diagnostic, ...]]:
    """Read every article under `seeds_dir`; never writes to it. With the `memo`
    of an earlier build (see memo.py), only files whose bytes changed are parsed again. A link to
    a file outside the project (the folder that holds `seeds_dir`) is skipped with
    a warning, unless `follow_links`; so is a file whose name is not UTF-8."""
    sources: list[Source] = []
    skipped: list[tuple[str, str]] = []
    files = named_user_files(seeds_dir, skipped, None if follow_links else Path(os.path.realpath(seeds_dir)).parent)
    warnings: list[Diagnostic] = [Diagnostic.warning(f"skipped: {why}", f"{seeds_dir.name}/{rel}") for rel, why in skipped]
    taken: set[str] = set()
    memo = memo or SourceMemo(keep=False)
    for rel, path in files:
        found, problems = memo.read(path, rel, seeds_dir)
        warnings.extend(problems)
        for source in found:
            if source.slug in taken:  # "a b.txt" and "a-b.md" slugify alike: keep both, distinctly
                n = 2
                while f"{source.slug}-{n}" in taken:
                    n += 1
                source = replace(source, slug=f"{source.slug}-{n}")
            taken.add(source.slug)
            sources.append(source)
    memo.finish()
    return tuple(sources), tuple(warnings)
