"""The typed, immutable objects that the build stages pass to each other.

Each stage takes some of these and returns new ones; none of them is filled
in later, so a stage never has to check whether an earlier one ran. Those a
build makes one of per mention, span or paragraph have slots, without a dict per
object: at 10,000 articles a build holds over a million of them at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .errors import Diagnostic

NAMED_KINDS = ("person", "country", "organization", "place")
"""The kinds of the entities resolution finds by name, and that content/entities.yaml may set."""
KINDS = (*NAMED_KINDS, "topic")
"""Entity kinds, in the order the site presents them."""

KIND_FOLDERS = {
    "person": "people",
    "country": "countries",
    "organization": "organizations",
    "place": "places",
    "topic": "topics",
}


@dataclass(frozen=True)
class Paragraph:
    """One block of an article: body text or a section heading."""

    id: str
    text: str
    heading: bool = False
    caption: bool = False  # a photo caption, credit or byline: shown apart from the body; the model reads it all the same


SOURCE_PAGE_CHARS = 500_000
"""The most text one source page holds (see Source.pages): about 80,000 words, a long book
chapter; a 20 MB article makes 40 pages of about 1.3 MB each rather than one of 54 MB."""


@dataclass(frozen=True)
class Source:
    """One ingested article."""

    slug: str
    file: str  # path relative to the seeds folder, with forward slashes
    title: str
    date: str | None  # ISO date, "YYYY-MM-DD", when the article states one
    publisher: str | None
    url: str | None  # the original article's address, when known
    paragraphs: tuple[Paragraph, ...]
    content_hash: str  # hash of what the model reads (see ingest.content_hash): the extraction cache key
    author: str | None = None  # the byline, when the input gives one
    credits: tuple[str, ...] = ()  # photo credits and agency lines, which may name a person
    summary_only: bool = False  # a feed entry that carries only its summary, not the whole article
    line: int | None = None  # where the article starts in a file of several (a JSON Lines file)
    missing: tuple[str, ...] = ()  # what the input did not give: "headline", "publisher", "date" (see `briefing check`)
    unlinked_url: str | None = None  # an address the input gives that is no web address: shown as text, never linked or exported (see urls.py)

    @functools.cached_property
    def words(self) -> int:
        """Words in its paragraphs, for the build's report: counted once per Source,
        which a rebuild hands on unchanged (see ingest.SourceMemo)."""
        return sum(len(p.text.split()) for p in self.paragraphs)

    @functools.cached_property
    def pages(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The source's pages in the site, each (path, its paragraphs' ids): one page, unless
        its text passes SOURCE_PAGE_CHARS, when it is cut between paragraphs into parts
        (`sources/x.html`, `sources/x.part-2.html`, …), so that an enormous article stays
        readable. A paragraph is never cut: one longer than the limit is a part of its own."""
        parts: list[list[str]] = [[]]
        size = 0
        for p in self.paragraphs:
            if parts[-1] and size + len(p.text) > SOURCE_PAGE_CHARS:
                parts.append([])
                size = 0
            parts[-1].append(p.id)
            size += len(p.text)
        return tuple((f"sources/{self.slug}.html" if i == 0 else f"sources/{self.slug}.part-{i + 1}.html", tuple(ids)) for i, ids in enumerate(parts))

    @functools.cached_property
    def page_of(self) -> dict[str, str]:
        """Each paragraph's page path (see pages)."""
        return {pid: path for path, ids in self.pages for pid in ids}

    @functools.cached_property
    def link(self) -> SourceLink:
        return SourceLink(self.slug, self.title, self.date, self.publisher)


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A source as an entity page shows it, heading the group of its passages: not
    its text, which reaches the page as passages. So an edit to an article's text
    re-renders an entity's page only where the entity's passages changed, not every
    page of every entity the article names (see render.RenderMemo)."""

    slug: str
    title: str
    date: str | None
    publisher: str | None

    @property
    def url(self) -> str:
        """Its page, or the first part of it (see Source.pages)."""
        return f"sources/{self.slug}.html"


@dataclass(frozen=True, slots=True)
class Span:
    """A named-entity span found by the model inside one paragraph."""

    start: int
    end: int
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, LOC, FAC, ...


@dataclass(frozen=True, slots=True)
class ParagraphAnalysis:
    """What the model saw in one paragraph; character offsets into its text."""

    paragraph_id: str
    sentences: tuple[tuple[int, int], ...]
    spans: tuple[Span, ...]
    phrases: tuple[tuple[int, int], ...]  # keyphrase candidates (topics are built from them)


@dataclass(frozen=True, slots=True)
class Extraction:
    """The model's output for one source: the one expensive, cached product."""

    source_slug: str
    paragraphs: tuple[ParagraphAnalysis, ...]

    def sentences_only(self) -> Extraction:
        """The extraction without its spans and phrases, once resolution and topics have
        read them: the sentences are all that linking reads."""
        return Extraction(self.source_slug, tuple(ParagraphAnalysis(p.paragraph_id, p.sentences, (), ()) for p in self.paragraphs))


@dataclass(frozen=True, slots=True)
class Mention:
    """A resolved mention: where an entity is named, and how."""

    entity_id: str
    source: str  # source slug
    paragraph: str  # paragraph id
    start: int
    end: int
    text: str  # paragraph.text[start:end]


@dataclass(frozen=True, eq=False)
class SourceMentions:
    """One source's mentions once overlaps are settled (see overlaps.without_overlaps),
    in reading order and by entity. A rebuild hands on the last build's object
    while they are unchanged, so the later stages recognise an unchanged source
    by identity and reuse their work on it."""

    source: Source
    mentions: tuple[Mention, ...]  # in reading order
    by_entity: dict[str, tuple[Mention, ...]]  # entity id -> its mentions here in reading order, by first mention

    @classmethod
    def of(cls, source: Source, mentions: tuple[Mention, ...]) -> SourceMentions:
        grouped: dict[str, list[Mention]] = {}
        for m in mentions:
            grouped.setdefault(m.entity_id, []).append(m)
        return cls(source, mentions, {entity_id: tuple(ms) for entity_id, ms in grouped.items()})


@dataclass(frozen=True)
class EntityLink:
    """An entity as a link to its page shows it: all that a source page, or a
    passage, knows of the entities it names. So a curated description or a new
    alias changes the entity's own page, not every page that links to it."""

    id: str
    kind: str
    name: str

    @property
    def url(self) -> str:
        return f"{self.id}.html"


@dataclass(frozen=True)
class Entity:
    """A wiki page subject: a person, country, organisation, place or topic."""

    id: str  # "<kind folder>/<slug>", unique; also the page path without ".html"
    kind: str
    name: str
    aliases: tuple[str, ...]
    confidence: float  # 0..1, how sure resolution is that this is a real entity of this kind
    country: str | None = None  # for places: the country name, when the gazetteer knows it
    description: str | None = None  # curated Markdown, made HTML as the page is rendered
    notes: str | None = None  # curated Markdown
    role: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # curated external references: (label, url)
    patterns: tuple[str, ...] = ()  # for topics: the words and phrases that define it

    @property
    def url(self) -> str:
        return f"{self.id}.html"

    @functools.cached_property
    def link(self) -> EntityLink:
        return EntityLink(self.id, self.kind, self.name)


@dataclass(frozen=True)
class Quote:
    """Words the text attributes to a person, in one paragraph of a source."""

    text: str
    source: SourceLink  # as the speaker's page shows it (see SourceLink)
    paragraph_id: str
    page: str  # the path of the source's page that holds the paragraph (see Source.pages)

    @property
    def href(self) -> str:
        return f"{self.page}#{self.paragraph_id}"


@dataclass(frozen=True)
class Resolution:
    """The resolve stage's product: entities and every mention of them."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    warnings: tuple[Diagnostic, ...] = ()  # overrides that name no entity, and the like
    doubtful: tuple[Entity, ...] = ()  # below the page threshold: no page, listed by `briefing suggest`
    type_votes: dict[str, dict[str, int]] = field(default_factory=dict)  # entity id -> kind -> votes from the model's labels
    curated: dict[str, str] = field(default_factory=dict)  # entity id -> the name of its rule in content/: see resolve.with_curated_text


def documented(doc: str, **about: Any) -> dict[str, Any]:
    """The metadata of a field that a key of a user's file sets: the sentence that
    documents it, and what else the reference says. content.py reads the keys these
    declare, and docs/reference.md is generated from them (`python -m
    generator.reference`). `about` may say: `key`, the key when it is not the field's
    name; `file`, the file the key is at the top of; `type`, what to write, when the
    annotation does not say it; `keys`, the keys of each item of a list and their docs;
    `may_be_empty`, for a text that means something when empty (other settings must
    not be left empty)."""
    return {"doc": doc, **about}


@dataclass(frozen=True)
class SiteConfig:
    """Site settings; every field can be set in content/site.yaml."""

    title: str = field(default="Briefing", metadata=documented("The site's name, in every page's header and `<title>`."))
    description: str = field(
        default="A briefing wiki built from news articles.", metadata=documented('What the briefing covers, in one or two sentences: in the footer and `<meta name="description">`.', may_be_empty=True)
    )
    base_url: str = field(
        default="",
        metadata=documented(
            "The absolute address the site is published at (`http://` or `https://`), for canonical links. "
            "Leave it empty to keep every link relative, so the site also opens from `file://`; set it for "
            "GitHub Pages, where the 404 page is served at any depth.",
            may_be_empty=True,
        ),
    )
    language: str = field(default="en", metadata=documented("The language tag of the pages (`en`, `en-GB`): the `<html lang>` of every page, for screen readers and search engines."))
    model: str = field(default="en_core_web_sm", metadata=documented("The installed spaCy model that reads the articles. Changing it re-runs extraction (the cache is keyed by model)."))


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI to print."""

    sources: int
    entities: dict[str, int]
    pages_written: int
    pages_unchanged: int
    pages_removed: int
    extracted: int  # sources that went through the model this run
    cached: int  # sources whose extraction came from the cache
    seconds: float
    words: int
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)
    search_index_bytes: int = 0  # size of search-index.js, which every reader's browser loads to search
