"""The data export, `briefing.json`: the whole extracted model for other tools.

Its shape is documented in docs/export.md and stable: fields may be added,
none renamed or removed.
"""

from __future__ import annotations

from collections import defaultdict

from .jsonpieces import comma_separated, compact, members
from .memo import LastRun
from .model import Entity, Mention, Paragraph, Source, SourceMentions


class ExportMemo:
    """Each source's JSON, and the JSON of the mentions in it of each entity, from
    the last export: reused while the source is the very same object (see
    ingest.SourceMemo), and its mentions are (see model.SourceMentions). An
    edit to one article then encodes that article and its mentions only. A
    Builder keeps one; a single build's (`keep=False`) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self._sources: LastRun[str, str] = LastRun(keep)
        self._mentions: LastRun[str, dict[str, str]] = LastRun(keep)

    def source(self, source: Source) -> str:
        return self._sources.reuse(source.slug, (source,), lambda: compact(_source(source)))

    def mentions(self, mentioned: SourceMentions) -> dict[str, str]:
        """Each entity's mentions in the source, as the members of a JSON array (without its brackets)."""
        return self._mentions.reuse(mentioned.source.slug, (mentioned,), lambda: _mention_chunks(mentioned))

    def finish(self) -> None:
        self._sources.finish()
        self._mentions.finish()


def export_json(sources: tuple[Source, ...], entities: tuple[Entity, ...], by_source: tuple[SourceMentions, ...], memo: ExportMemo | None = None) -> bytes:
    """briefing.json, compact, encoded a source and an entity's mentions in a source
    at a time: the whole export as one Python structure would cost several times
    the file's size. Each piece is turned into bytes as it is made, so that the
    file is in memory twice at most: in pieces, and joined."""
    memo = memo or ExportMemo(keep=False)
    in_sources: dict[str, list[str]] = defaultdict(list)  # entity id -> its mentions' JSON, source by source
    for mentioned in by_source:
        for entity_id, chunk in memo.mentions(mentioned).items():
            in_sources[entity_id].append(chunk)
    # Each entity's fields, with its mentions spliced in as the last field; a single build
    # keeps no memo of the mentions' pieces, which go as soon as they are joined.
    entity_json = (compact(_entity(e))[:-1] + ',"mentions":[' + ",".join(in_sources.pop(e.id)) + "]}" for e in entities if e.id in in_sources)
    pieces = [
        b'{"sources":[',
        *comma_separated(map(memo.source, sources)),
        b'],"entities":[',
        *comma_separated(entity_json),
        b"]}\n",
    ]
    memo.finish()
    return b"".join(pieces)


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
