"""Link: from sources, entities and mentions to the pages of the site.

Everything a template shows is computed here, once: the passages that
quote each mention, the mentions grouped by source, related entities, the
timeline, the indexes. Rendering only lays it out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from anyascii import anyascii

from .memo import LastRun
from .model import KINDS, Entity, EntityLink, Extraction, Mention, Quote, Source
from .overrides import FreePage

RELATED_LIMIT = 12
TOP_LIMIT = 10


@dataclass(frozen=True)
class Segment:
    """A run of text, linked to an entity or not."""

    text: str
    entity: EntityLink | None = None


@dataclass(frozen=True)
class Passage:
    """The sentence (or heading) around one or more mentions, with them marked."""

    source: Source
    paragraph_id: str
    segments: tuple[Segment, ...]
    heading: bool

    @property
    def href(self) -> str:
        return f"sources/{self.source.slug}.html#{self.paragraph_id}"


@dataclass(frozen=True)
class EntityPage:
    entity: Entity
    passages_by_source: tuple[tuple[Source, tuple[Passage, ...]], ...]
    mention_count: int
    source_count: int
    related: tuple[tuple[Entity, int], ...]
    timeline: tuple[tuple[str, int], ...]  # (date, mentions) for dated sources, oldest first
    subthemes: tuple[str, ...]
    quotes: tuple[Quote, ...]

    @property
    def first_seen(self) -> str | None:
        return self.timeline[0][0] if self.timeline else None

    @property
    def last_seen(self) -> str | None:
        return self.timeline[-1][0] if self.timeline else None


@dataclass(frozen=True)
class SourceParagraph:
    id: str
    heading: bool
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class SourcePage:
    source: Source
    paragraphs: tuple[SourceParagraph, ...]
    entities: tuple[tuple[EntityLink, int], ...]  # entities named in it, most mentioned first
    mention_count: int


@dataclass(frozen=True)
class Site:
    sources: tuple[Source, ...]  # newest first
    entity_pages: tuple[EntityPage, ...]
    source_pages: tuple[SourcePage, ...]
    by_kind: dict[str, tuple[EntityPage, ...]]  # A–Z
    top: dict[str, tuple[EntityPage, ...]]  # most mentioned first
    free_pages: tuple[FreePage, ...]


def newest_first(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    dated = sorted((s for s in sources if s.date), key=lambda s: (s.date, s.title), reverse=True)
    undated = sorted((s for s in sources if not s.date), key=lambda s: (s.title.lower(), s.slug))
    return tuple(dated + undated)


def _segments(text: str, spans: list[tuple[int, int, Entity]], start: int = 0, end: int | None = None) -> tuple[Segment, ...]:
    end = len(text) if end is None else end
    out: list[Segment] = []
    pos = start
    for a, b, entity in spans:
        if a < pos or b > end:
            continue
        if a > pos:
            out.append(Segment(text[pos:a]))
        out.append(Segment(text[a:b], entity))
        pos = b
    if pos < end:
        out.append(Segment(text[pos:end]))
    return tuple(out)


def _inside_quotation(text: str, end: int) -> bool:
    """Whether `text[:end]` leaves a quotation open."""
    return text.count("“", 0, end) > text.count("”", 0, end) or text.count('"', 0, end) % 2 == 1


def _quotation_start(text: str, bounds: tuple[tuple[int, int], ...], index: int, start: int) -> int:
    """A sentence that begins inside a quotation ("We have to prove it," he said) is
    quoted from the sentence where the quotation opens."""
    while index > 0 and _inside_quotation(text, start):
        index -= 1
        start = bounds[index][0]
    return start


def source_passages(entity: Entity, source: Source, mentions: list[Mention], extraction: Extraction) -> tuple[Passage, ...]:
    """The passages of one source that mention `entity`: one per sentence, with
    every mention of the entity in it marked, in reading order."""
    paragraphs = {p.id: p for p in source.paragraphs}
    sentences = {a.paragraph_id: a.sentences for a in extraction.paragraphs}
    starts: dict[str, list[int]] = {}
    by_sentence: dict[tuple[str, int], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.paragraph not in starts:
            starts[m.paragraph] = [a for a, _ in sentences.get(m.paragraph, ())]
        index = max(0, bisect_right(starts[m.paragraph], m.start) - 1) if starts[m.paragraph] else -1
        by_sentence[(m.paragraph, index)].append(m)
    passages = []
    for (pid, index), group in by_sentence.items():
        paragraph = paragraphs[pid]
        bounds = sentences.get(pid, ())
        a, b = bounds[index] if index >= 0 and bounds else (0, len(paragraph.text))
        a = _quotation_start(paragraph.text, bounds, index, a)
        a, b = min(a, min(m.start for m in group)), max(b, max(m.end for m in group))
        spans = sorted((m.start, m.end, entity.link) for m in group)
        passages.append(Passage(source, pid, _segments(paragraph.text, spans, a, b), paragraph.heading))
    return tuple(passages)


def source_page(source: Source, spans_of: dict[str, list[tuple[int, int, EntityLink]]]) -> SourcePage:
    """A source's paragraphs with their mentions (`spans_of`, by paragraph id, in
    reading order) linked, and the entities it names, most mentioned first."""
    paragraphs = []
    named: Counter = Counter()
    by_id: dict[str, EntityLink] = {}
    count = 0
    for p in source.paragraphs:
        spans = spans_of.get(p.id, [])
        for _, _, e in spans:
            named[e.id] += 1
            by_id[e.id] = e
        count += len(spans)
        paragraphs.append(SourceParagraph(p.id, p.heading, _segments(p.text, spans)))
    entities = tuple((by_id[i], n) for i, n in sorted(named.items(), key=lambda kv: (-kv[1], by_id[kv[0]].name)))
    return SourcePage(source, tuple(paragraphs), entities, count)


class LinkMemo:
    """What the last link made, for the next one to reuse: each entity's passages
    in each source, and each source page, while their inputs are unchanged: the
    source, the very same object (see ingest.SourceMemo); the model's result for
    it; its mentions, the very same objects (see memo.Interned); and the
    entities named, as links. `briefing watch` keeps one, so an edit to one
    article quotes and links that article again, not the whole corpus; reused
    objects are the same objects, which lets rendering recognise them."""

    def __init__(self) -> None:
        self._passages: LastRun[tuple[str, str], tuple[Source, Extraction, tuple[Mention, ...], tuple[Passage, ...]]] = LastRun()
        self._pages: LastRun[str, tuple[Source, tuple[Mention, ...], SourcePage]] = LastRun()
        self._links: dict[str, EntityLink] = {}  # the last link's entities, as links
        self._changed: frozenset[str] = frozenset()  # ids of the entities whose link is new, gone or different

    def start(self, entities: tuple[Entity, ...]) -> None:
        links = {e.id: e.link for e in entities}
        self._changed = frozenset(i for i, e in links.items() if self._links.get(i) != e) | (self._links.keys() - links.keys())
        self._links = links

    def source_page(self, source: Source, mentions: tuple[Mention, ...], in_paragraph: dict[tuple[str, str], list[Mention]]) -> SourcePage:
        kept = self._pages.last(source.slug)
        if kept is None or kept[0] is not source or kept[1] != mentions or any(m.entity_id in self._changed for m in mentions):
            spans_of = {}
            for p in source.paragraphs:
                ms = sorted(in_paragraph.get((source.slug, p.id), []), key=lambda m: (m.start, -m.end))
                spans_of[p.id] = [(m.start, m.end, self._links[m.entity_id]) for m in ms if m.entity_id in self._links]
            kept = (source, mentions, source_page(source, spans_of))
        return self._pages.use(source.slug, kept)[2]

    def passages(self, entity: Entity, source: Source, mentions: list[Mention], extraction: Extraction) -> tuple[Passage, ...]:
        key = (entity.id, source.slug)
        same = tuple(mentions)
        kept = self._passages.last(key)
        if kept is None or kept[0] is not source or kept[1].paragraphs is not extraction.paragraphs or kept[2] != same or entity.id in self._changed:
            kept = (source, extraction, same, source_passages(entity, source, mentions, extraction))
        return self._passages.use(key, kept)[3]

    def finish(self) -> None:
        """Keep what this link used, and only that, for the next one."""
        self._passages.finish()
        self._pages.finish()


def link(
    sources: tuple[Source, ...],
    extractions: dict[str, Extraction],
    entities: tuple[Entity, ...],
    mentions: tuple[Mention, ...],
    subthemes: dict[str, tuple[str, ...]],
    quotes: dict[str, tuple[Quote, ...]],
    free_pages: tuple[FreePage, ...] = (),
    memo: LinkMemo | None = None,
) -> Site:
    memo = memo if memo is not None else LinkMemo()
    memo.start(entities)
    by_id = {e.id: e for e in entities}
    source_by_slug = {s.slug: s for s in sources}

    in_paragraph: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    of_entity: dict[str, list[Mention]] = defaultdict(list)
    in_source: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        in_paragraph[(m.source, m.paragraph)].append(m)
        of_entity[m.entity_id].append(m)
        in_source[m.source].append(m)

    # Related: entities named in the same paragraphs, counted once per paragraph.
    together: dict[str, Counter] = defaultdict(Counter)
    for ms in in_paragraph.values():
        ids = sorted({m.entity_id for m in ms})
        for a in ids:
            for b in ids:
                if a != b:
                    together[a][b] += 1

    order = {s.slug: i for i, s in enumerate(newest_first(sources))}
    entity_pages = []
    for entity in entities:
        ms = of_entity.get(entity.id, [])
        if not ms:
            continue
        of_source: dict[str, list[Mention]] = defaultdict(list)
        for m in ms:
            of_source[m.source].append(m)
        grouped = {slug: memo.passages(entity, source_by_slug[slug], group, extractions[slug]) for slug, group in of_source.items()}
        passages_by_source = tuple(
            (source_by_slug[slug], grouped[slug]) for slug in sorted(grouped, key=lambda s: order[s])
        )
        dated = Counter(source_by_slug[m.source].date for m in ms if source_by_slug[m.source].date)
        related = tuple(
            (by_id[i], n) for i, n in sorted(together[entity.id].items(), key=lambda kv: (-kv[1], by_id[kv[0]].name)) if i in by_id
        )[:RELATED_LIMIT]
        entity_pages.append(
            EntityPage(
                entity=entity,
                passages_by_source=passages_by_source,
                mention_count=len(ms),
                source_count=len(grouped),
                related=related,
                timeline=tuple(sorted(dated.items())),
                subthemes=subthemes.get(entity.id, ()),
                quotes=quotes.get(entity.id, ()),
            )
        )

    source_pages = [memo.source_page(source, tuple(in_source[source.slug]), in_paragraph) for source in sources]
    memo.finish()

    by_kind = {
        kind: tuple(sorted((p for p in entity_pages if p.entity.kind == kind), key=lambda p: (anyascii(p.entity.name).lower(), p.entity.id)))
        for kind in KINDS
    }
    top = {
        kind: tuple(sorted(pages, key=lambda p: (-p.mention_count, p.entity.name.lower()))[:TOP_LIMIT])
        for kind, pages in by_kind.items()
    }
    return Site(newest_first(sources), tuple(entity_pages), tuple(source_pages), by_kind, top, free_pages)
