"""The data export, `briefing.json`: the whole extracted model for other tools.

Its shape is documented in docs/export.md and stable: fields may be added,
none renamed or removed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from .jsonpieces import comma_separated, compact, joined, members
from .memo import LastRun
from .model import Entity, Mention, Paragraph, Source, SourceMentions


class ExportMemo:
    """What the last export encoded, reused where its inputs are the same: each
    source's JSON while the source is the very same object (see ingest.SourceMemo);
    the JSON of each source's mentions, entity by entity, while its mentions are
    (see model.SourceMentions); and each entity's JSON, its mentions spliced in,
    while the entity is equal and every source that names it hands on the very
    same mentions. An edit to one article then encodes that article, its mentions
    and the entities it names, and the rest is one comparison an entity (the
    mentions' JSON is then held twice, by source and joined by entity: at 10,000
    articles some tens of megabytes more for `briefing watch`). A Builder keeps
    one; a single build's (`keep=False`) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self._sources: LastRun[str, str] = LastRun(keep)
        self._mentions: LastRun[str, dict[str, str]] = LastRun(keep)
        self._entities: LastRun[str, str] = LastRun(keep)

    def source(self, source: Source) -> str:
        return self._sources.reuse(source.slug, (source,), lambda: compact(_source(source)))

    def entity(self, entity: Entity, naming: list[SourceMentions]) -> str:
        """The entity's JSON with its mentions in the sources that name it, in their order."""

        def make() -> str:
            return compact(_entity(entity))[:-1] + ',"mentions":[' + ",".join(self._mentions_of(m, entity.id) for m in naming) + "]}"

        return self._entities.reuse(entity.id, tuple(naming), make, equal=(entity,))

    def carry_mentions(self, by_source: tuple[SourceMentions, ...]) -> None:
        """Keep every source's mentions' JSON for the next export, whether or not an entity
        of this one needed it: an entity remade next time reads all of its sources'."""
        if self.keep:
            for mentioned in by_source:
                self._chunks(mentioned)

    def _mentions_of(self, mentioned: SourceMentions, entity_id: str) -> str:
        """The entity's mentions in the source, as the members of a JSON array (without its
        brackets): a Builder's memo makes and keeps those of every entity in the source at
        once; a single build's, which keeps nothing, makes the one asked for, for it to go
        once spliced into its entity (see export_json)."""
        if not self.keep:
            return members([_mention(m) for m in mentioned.by_entity[entity_id]])
        return self._chunks(mentioned)[entity_id]

    def _chunks(self, mentioned: SourceMentions) -> dict[str, str]:
        return self._mentions.reuse(mentioned.source.slug, (mentioned,), lambda: _mention_chunks(mentioned))

    def finish(self) -> None:
        self._sources.finish()
        self._mentions.finish()
        self._entities.finish()


def export_json(sources: tuple[Source, ...], entities: tuple[Entity, ...], by_source: tuple[SourceMentions, ...], memo: ExportMemo | None = None) -> bytes:
    """briefing.json, compact, encoded a source and an entity at a time: the whole
    export as one Python structure would cost several times the file's size. Each
    piece is turned into bytes and added to the file as it is made, so that the file
    is in memory once (see jsonpieces.joined)."""
    memo = memo or ExportMemo(keep=False)
    naming: dict[str, list[SourceMentions]] = defaultdict(list)  # entity id -> the sources that name it, in order
    for mentioned in by_source:
        for entity_id in mentioned.by_entity:
            naming[entity_id].append(mentioned)
    memo.carry_mentions(by_source)
    # Each entity's fields, with its mentions spliced in as the last field, source by source;
    # a single build makes one entity's mentions' JSON at a time, which goes once added to
    # the file, rather than every entity's before the first is added.
    entity_json = (memo.entity(e, naming[e.id]) for e in entities if e.id in naming)
    data = joined(
        itertools.chain(
            [b'{"sources":['],
            comma_separated(map(memo.source, sources)),
            [b'],"entities":['],
            comma_separated(entity_json),
            [b"]}\n"],
        )
    )
    memo.finish()
    return data


def _mention_chunks(mentioned: SourceMentions) -> dict[str, str]:
    """Each entity's mentions in the source, as the members of a JSON array (without its brackets)."""
    return {entity_id: members([_mention(m) for m in ms]) for entity_id, ms in mentioned.by_entity.items()}


def _source(s: Source) -> dict:
    return {
        "id": s.slug,
        "title": s.title,
        "file": s.file,
        "url": s.pages[0][0],
        "date": s.date,
        "publisher": s.publisher,
        "source_url": s.url,
        "canonical_url": s.url,  # the address the article names as its own (a page's <link rel=canonical>), when known
        "author": s.author,
        "credits": list(s.credits),
        "summary_only": s.summary_only,
        "paragraphs": [_paragraph(p, s) for p in s.paragraphs],
    }


def _paragraph(p: Paragraph, s: Source) -> dict:
    found = {"id": p.id, "text": p.text, "heading": p.heading, "caption": p.caption}
    if len(s.pages) > 1:
        found["page"] = s.page_of[p.id]  # the part of the source's page it is on (see model.Source.pages)
    return found


def _entity(e: Entity) -> dict:
    return {
        "id": e.id,
        "kind": e.kind,
        "name": e.name,
        "aliases": list(e.aliases),
        "url": e.url,
        "confidence": e.confidence,
        **({"patterns": list(e.patterns)} if e.kind == "topic" else {}),
        **({"country": e.country} if e.country else {}),
    }


def _mention(m: Mention) -> dict:
    return {"source": m.source, "paragraph": m.paragraph, "start": m.start, "end": m.end, "text": m.text}
