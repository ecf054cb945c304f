"""Link: from sources, entities and mentions to the pages of the site.

Everything a template shows is computed here, once: the passages that
quote each mention, the mentions grouped by source, related entities, the
timeline, the indexes. Rendering only lays it out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii

from .memo import LastRun
from .model import KINDS, Entity, EntityLink, Extraction, Mention, Quote, Source, SourceLink, SourceMentions
from .overrides import FreePage

RELATED_LIMIT = 12
TOP_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text, linked to an entity or not."""

    text: str
    entity: EntityLink | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """The sentence (or heading) around one or more mentions of an entity, with them
    marked: the paragraph's own text (not a copy), where the passage starts and ends
    in it, and the mentions. Its `segments` are cut from them as rendering asks: held
    for a whole corpus at once, cut runs of text took half the memory of a large build."""

    page: str  # the path of the source's page that holds the paragraph (see Source.pages)
    paragraph_id: str
    paragraph_text: str
    start: int
    end: int
    entity: EntityLink
    mentions: tuple[Mention, ...]  # in reading order
    heading: bool

    @property
    def href(self) -> str:
        return f"{self.page}#{self.paragraph_id}"

    @property
    def text(self) -> str:
        """The passage's text: its segments' text, joined."""
        return self.paragraph_text[self.start : self.end]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return _segments(self.paragraph_text, ((m.start, m.end, self.entity) for m in self.mentions), self.start, self.end)


@dataclass(frozen=True)
class EntityPage:
    entity: Entity
    passages_by_source: tuple[tuple[SourceLink, tuple[Passage, ...]], ...]  # sources as their pages show them
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

    @property
    def dated_source_count(self) -> int:
        """Sources with a date, full or not (see render.timeline_bars)."""
        return sum(1 for source, _ in self.passages_by_source if source.date)


@dataclass(frozen=True, slots=True)
class SourceParagraph:
    """A paragraph of a source page, its mentions linked: as a Passage, the text and
    its mentions (those of linked entities, in reading order), cut into segments as
    rendering asks."""

    id: str
    heading: bool
    text: str
    mentions: tuple[Mention, ...]
    links: dict[str, EntityLink] = field(compare=False, repr=False)  # the entities linked, by id: one dict for every paragraph of the site

    @property
    def segments(self) -> tuple[Segment, ...]:
        return _segments(self.text, ((m.start, m.end, self.links[m.entity_id]) for m in self.mentions))


@dataclass(frozen=True)
class SourcePage:
    source: Source
    paragraphs: tuple[SourceParagraph, ...]
    entities: tuple[tuple[str, tuple[tuple[EntityLink, int], ...]], ...]  # entities named in it, by kind (in KINDS order), most mentioned first
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


def _segments(text: str, spans: Iterable[tuple[int, int, EntityLink]], start: int = 0, end: int | None = None) -> tuple[Segment, ...]:
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


QUOTATION_LOOKBACK_CHARS = 1000
"""How far back a passage may start to take in the opening of the quotation its sentence is
in: a quotation left open (a stray “ at the top of a long paragraph) must not make every
passage of the paragraph the whole text before it."""


def _with_its_opening_quote(text: str, a: int, b: int) -> tuple[int, int]:
    """The model may end a sentence after the opening quote of the next one ("…more air
    defences. “This terror…"): the quote belongs to the sentence it opens."""
    end = b
    while end > a and text[end - 1].isspace():
        end -= 1
    if end > a + 1 and text[end - 1] in "“‘" and text[end - 2].isspace():
        b = end - 1
        while b > a and text[b - 1].isspace():
            b -= 1
    start = a
    while start > 0 and text[start - 1].isspace():
        start -= 1
    if start > 0 and text[start - 1] in "“‘" and (start == 1 or text[start - 2].isspace()):
        a = start - 1
    return a, b


def _quotation_starts(text: str, bounds: tuple[tuple[int, int], ...]) -> list[int]:
    """Where each sentence's passage starts: a sentence that begins inside a quotation
    ("We have to prove it," he said) is quoted from the sentence where the quotation
    opens, up to QUOTATION_LOOKBACK_CHARS back. One pass over the paragraph, counting
    the quotation marks from one sentence's start to the next."""
    starts: list[int] = []
    opening = closing = straight = 0
    counted_to = 0
    for index, (start, _) in enumerate(bounds):
        opening += text.count("“", counted_to, start)
        closing += text.count("”", counted_to, start)
        straight += text.count('"', counted_to, start)
        counted_to = max(counted_to, start)
        inside = opening > closing or straight % 2 == 1
        if index > 0 and inside and start - starts[-1] <= QUOTATION_LOOKBACK_CHARS:
            starts.append(starts[-1])
        else:
            starts.append(start)
    return starts


def _passage_bounds(text: str, bounds: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Each sentence's passage: the sentence with the opening quote it may have lost,
    from where its quotation opens (see _quotation_starts)."""
    own = tuple(_with_its_opening_quote(text, a, b) for a, b in bounds)
    return [(start, b) for start, (_, b) in zip(_quotation_starts(text, own), own, strict=True)]


def source_passages(mentioned: SourceMentions, extraction: Extraction, links: dict[str, EntityLink]) -> dict[str, tuple[Passage, ...]]:
    """The passages of one source that mention each entity linked: one per
    sentence, with every mention of the entity in it marked, in reading order."""
    source = mentioned.source
    paragraphs = {p.id: p for p in source.paragraphs}
    sentences = {a.paragraph_id: a.sentences for a in extraction.paragraphs}
    starts = {pid: [a for a, _ in bounds] for pid, bounds in sentences.items()}
    passage_bounds: dict[str, list[tuple[int, int]]] = {}  # by paragraph, made when a passage there needs it
    quoted = {}
    for entity_id, mentions in mentioned.by_entity.items():
        entity = links.get(entity_id)
        if entity is None:
            continue
        by_sentence: dict[tuple[str, int], list[Mention]] = defaultdict(list)
        for m in mentions:
            at = starts.get(m.paragraph)
            index = max(0, bisect_right(at, m.start) - 1) if at else -1
            by_sentence[(m.paragraph, index)].append(m)
        passages = []
        for (pid, index), group in by_sentence.items():
            paragraph = paragraphs[pid]
            bounds = sentences.get(pid, ())
            if index >= 0 and bounds:
                if pid not in passage_bounds:
                    passage_bounds[pid] = _passage_bounds(paragraph.text, bounds)
                a, b = passage_bounds[pid][index]
            else:
                a, b = 0, len(paragraph.text)
            a, b = min(a, min(m.start for m in group)), max(b, max(m.end for m in group))
            in_order = tuple(sorted(group, key=lambda m: (m.start, m.end)))
            passages.append(Passage(source.page_of[pid], pid, paragraph.text, a, b, entity, in_order, paragraph.heading))
        quoted[entity_id] = tuple(passages)
    return quoted


def source_page(source: Source, mentions_in: dict[str, list[Mention]], links: dict[str, EntityLink]) -> SourcePage:
    """A source's paragraphs with the mentions of the entities `links` holds linked
    (`mentions_in`, by paragraph id, in reading order), and the entities it names,
    most mentioned first."""
    paragraphs = []
    named: Counter = Counter()
    count = 0
    for p in source.paragraphs:
        mentions = tuple(mentions_in.get(p.id, ()))
        named.update(m.entity_id for m in mentions)
        count += len(mentions)
        paragraphs.append(SourceParagraph(p.id, p.heading, p.text, mentions, links))
    ranked = [(links[i], n) for i, n in sorted(named.items(), key=lambda kv: (-kv[1], links[kv[0]].name))]
    by_kind = tuple((kind, chips) for kind in KINDS if (chips := tuple((e, n) for e, n in ranked if e.kind == kind)))
    return SourcePage(source, tuple(paragraphs), by_kind, count)


@dataclass(frozen=True, slots=True)
class _Gathered:
    """An entity's passages gathered from the sources that name it, with what is counted from them."""

    passages_by_source: tuple[tuple[SourceLink, tuple[Passage, ...]], ...]  # newest source first
    mention_count: int
    timeline: tuple[tuple[str, int], ...]  # (date, mentions) for dated sources, oldest first


def _gathered(found: list[tuple[Source, tuple[Passage, ...], int]]) -> _Gathered:
    """From (source, passages, mentions there) in the order of the sources, newest first."""
    dated: Counter = Counter()
    for source, _, n in found:
        if source.date:
            dated[source.date] += n
    return _Gathered(tuple((source.link, passages) for source, passages, _ in found), sum(n for _, _, n in found), tuple(sorted(dated.items())))


class LinkMemo:
    """What the last link made, for the next one to reuse, source by source: each
    entity's passages in the source and the source's page, while the source's
    mentions are the very same object (see model.SourceMentions: the source and
    its mentions unchanged), the model's result for it is, and the entities
    named have the same links; entity by entity, the passages gathered from all
    sources, while no source that names the entity changed and the sources'
    order did not; and the count of paragraphs each two entities
    share, kept up to date by taking out and putting in the counts of the
    sources that changed. `briefing watch` keeps one, so an edit to one article
    quotes and links that article again, and gathers again only the passages of
    the entities it names (or named), not the whole corpus; reused objects
    are the same objects, which lets rendering recognise them. A single build's
    (`keep=False`) keeps nothing for a next one."""

    def __init__(self, keep: bool = True) -> None:
        self._passages: LastRun[str, dict[str, tuple[Passage, ...]]] = LastRun(keep)
        self._pages: LastRun[str, SourcePage] = LastRun(keep)
        self._links: dict[str, EntityLink] = {}  # the last link's entities, as links
        self._changed: frozenset[str] = frozenset()  # ids of the entities whose link is new, gone or different
        self._pairs: dict[str, tuple[SourceMentions, Counter]] = {}  # slug -> (mentions, paragraphs shared per pair of entities)
        self._together: dict[str, Counter] = defaultdict(Counter)  # entity id -> entity id -> paragraphs shared, over all sources
        self._order: tuple[str, ...] = ()  # the last link's sources' slugs, newest first
        self._passages_of: dict[str, dict[str, tuple[Passage, ...]]] = {}  # the last link's passages, source by source
        self._gathered: dict[str, _Gathered] = {}  # the last link's, entity by entity

    def start(self, entities: tuple[Entity, ...]) -> None:
        links = {e.id: e.link for e in entities}
        self._changed = frozenset(i for i, e in links.items() if self._links.get(i) != e) | (self._links.keys() - links.keys())
        self._links = links

    def _is_stale(self, mentioned: SourceMentions) -> bool:
        # Asked of every source, twice: most links, an edit's among them, change no entity's link.
        return bool(self._changed) and not self._changed.isdisjoint(mentioned.by_entity)

    def passages(self, mentioned: SourceMentions, extraction: Extraction) -> dict[str, tuple[Passage, ...]]:
        """Each entity's passages in the source, for the entities linked."""
        return self._passages.reuse(
            mentioned.source.slug,
            (mentioned, extraction.paragraphs),
            lambda: source_passages(mentioned, extraction, self._links),
            renew=self._is_stale(mentioned),
        )

    def gathered(self, newest: tuple[Source, ...], passages_of: dict[str, dict[str, tuple[Passage, ...]]], mentioned_in: dict[str, SourceMentions]) -> dict[str, _Gathered]:
        """Each entity's passages from all sources (`passages_of`, source by source, as `passages`
        gave them), newest source first; the last link's for an entity that no changed source
        names or named, while the sources' order is the same."""
        order = tuple(source.slug for source in newest)
        if order == self._order:  # an edited source is another object, with the same slug
            changed: set[str] = set()
            for slug, here in passages_of.items():
                before = self._passages_of.get(slug)
                if before is not here:
                    changed.update(here)
                    changed.update(before or ())
            gathered = {entity_id: kept for entity_id, kept in self._gathered.items() if entity_id not in changed}
        else:
            changed, gathered = set(), {}
        anew = not gathered
        found: dict[str, list[tuple[Source, tuple[Passage, ...], int]]] = defaultdict(list)
        for source in newest:
            here = passages_of[source.slug]
            for entity_id in here if anew else here.keys() & changed:
                found[entity_id].append((source, here[entity_id], len(mentioned_in[source.slug].by_entity[entity_id])))
        gathered.update((entity_id, _gathered(of_entity)) for entity_id, of_entity in found.items())
        if self._pages.keep:
            self._order, self._passages_of, self._gathered = order, passages_of, gathered
        return gathered

    def source_page(self, mentioned: SourceMentions) -> SourcePage:
        return self._pages.reuse(mentioned.source.slug, (mentioned,), lambda: self._source_page(mentioned), renew=self._is_stale(mentioned))

    def _source_page(self, mentioned: SourceMentions) -> SourcePage:
        in_paragraph: dict[str, list[Mention]] = defaultdict(list)
        for m in mentioned.mentions:
            if m.entity_id in self._links:
                in_paragraph[m.paragraph].append(m)
        in_order = {pid: sorted(ms, key=lambda m: (m.start, -m.end)) for pid, ms in in_paragraph.items()}
        return source_page(mentioned.source, in_order, self._links)

    def together(self, by_source: tuple[SourceMentions, ...]) -> dict[str, Counter]:
        """For each entity, the paragraphs it shares with each other entity: the
        last link's counts, less those of the sources changed or gone, plus those
        of the sources changed or new."""
        current = {mentioned.source.slug: mentioned for mentioned in by_source}
        for slug, (mentioned, pairs) in list(self._pairs.items()):
            if current.get(slug) is not mentioned:
                self._count(pairs, -1)
                del self._pairs[slug]
        for slug, mentioned in current.items():
            if slug not in self._pairs:
                pairs = _shared_paragraphs(mentioned)
                self._count(pairs, +1)
                self._pairs[slug] = (mentioned, pairs)
        return self._together

    def _count(self, pairs: Counter, sign: int) -> None:
        for (a, b), n in pairs.items():
            for x, y in ((a, b), (b, a)):
                counts = self._together[x]
                counts[y] += sign * n
                if not counts[y]:
                    del counts[y]
                    if not counts:
                        del self._together[x]

    def finish(self) -> None:
        """Keep what this link used, and only that, for the next one (a single build's: nothing)."""
        self._passages.finish()
        self._pages.finish()
        if not self._pages.keep:
            self._links, self._pairs, self._together = {}, {}, defaultdict(Counter)


def _shared_paragraphs(mentioned: SourceMentions) -> Counter:
    """(a, b) with a < b -> the paragraphs of the source that name both."""
    named: dict[str, set[str]] = defaultdict(set)
    for m in mentioned.mentions:
        named[m.paragraph].add(m.entity_id)
    pairs: Counter = Counter()
    for ids in named.values():
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                pairs[(a, b)] += 1
    return pairs


def link(
    sources: tuple[Source, ...],
    extractions: dict[str, Extraction],
    entities: tuple[Entity, ...],
    by_source: tuple[SourceMentions, ...],
    subthemes: dict[str, tuple[str, ...]],
    quotes: dict[str, tuple[Quote, ...]],
    free_pages: tuple[FreePage, ...] = (),
    memo: LinkMemo | None = None,
) -> Site:
    memo = memo or LinkMemo(keep=False)
    memo.start(entities)
    by_id = {e.id: e for e in entities}
    mentioned_in = {mentioned.source.slug: mentioned for mentioned in by_source}
    newest = newest_first(sources)

    # Each entity's passages, source by source, newest source first, with the number of its mentions there.
    passages_of = {source.slug: memo.passages(mentioned_in[source.slug], extractions[source.slug]) for source in newest}
    gathered = memo.gathered(newest, passages_of, mentioned_in)
    # Related: entities named in the same paragraphs, counted once per paragraph.
    together = memo.together(by_source)

    entity_pages = []
    for entity in entities:
        found = gathered.get(entity.id)
        if found is None:
            continue
        companions = ((by_id[i], n) for i, n in together.get(entity.id, {}).items() if i in by_id)
        related = tuple(sorted(companions, key=lambda en: (-en[1], en[0].name, en[0].id)))[:RELATED_LIMIT]
        entity_pages.append(
            EntityPage(
                entity=entity,
                passages_by_source=found.passages_by_source,
                mention_count=found.mention_count,
                source_count=len(found.passages_by_source),
                related=related,
                timeline=found.timeline,
                subthemes=subthemes.get(entity.id, ()),
                quotes=quotes.get(entity.id, ()),
            )
        )

    source_pages = [memo.source_page(mentioned_in[source.slug]) for source in sources]
    memo.finish()

    by_kind = {kind: tuple(sorted((p for p in entity_pages if p.entity.kind == kind), key=lambda p: (anyascii(p.entity.name).lower(), p.entity.id))) for kind in KINDS}
    top = {kind: tuple(sorted(pages, key=lambda p: (-p.mention_count, p.entity.name.lower()))[:TOP_LIMIT]) for kind, pages in by_kind.items()}
    return Site(newest, tuple(entity_pages), tuple(source_pages), by_kind, top, free_pages)
