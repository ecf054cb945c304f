"""The data export, `briefing.json`: the whole extracted model for other tools.

Its shape is documented in the README and stable: fields may be added,
none renamed or removed.
"""

from __future__ import annotations

import json
from collections import defaultdict

from .memo import LastRun
from .model import Entity, Mention, Source


class ExportMemo:
    """Each source's and each entity's JSON from the last export, reused while the
    source is the very same object (see ingest.SourceMemo) and the entity equal,
    with the very same mentions (see memo.Interned). A Builder keeps one."""

    def __init__(self) -> None:
        self._sources: LastRun[str, tuple[Source, str]] = LastRun()
        self._entities: LastRun[str, tuple[Entity, tuple[Mention, ...], str]] = LastRun()

    def source(self, source: Source) -> str:
        kept = self._sources.last(source.slug)
        if kept is None or kept[0] is not source:
            kept = (source, _dumps(_source(source)))
        return self._sources.use(source.slug, kept)[1]

    def entity(self, entity: Entity, mentions: tuple[Mention, ...]) -> str:
        kept = self._entities.last(entity.id)
        if kept is None or kept[1] != mentions or kept[0] != entity:
            kept = (entity, mentions, _dumps(_entity(entity, mentions)))
        return self._entities.use(entity.id, kept)[2]

    def finish(self) -> None:
        self._sources.finish()
        self._entities.finish()


def export_json(
    sources: tuple[Source, ...], entities: tuple[Entity, ...], mentions: tuple[Mention, ...], memo: ExportMemo | None = None
) -> bytes:
    """briefing.json, compact, encoded a source and an entity at a time: the whole
    export as one Python structure would cost several times the file's size."""
    memo = memo if memo is not None else ExportMemo()
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity_id].append(m)
    parts = ['{"sources":[', ",".join(memo.source(s) for s in sources), '],"entities":[']
    parts.append(",".join(memo.entity(e, tuple(by_entity[e.id])) for e in entities if by_entity[e.id]))
    parts.append("]}\n")
    memo.finish()
    return "".join(parts).encode("utf-8")


def _dumps(value: dict) -> str:
    # Compact: with an indent, json falls back from its C encoder to pure Python, ten times slower.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _source(s: Source) -> dict:
    return {
        "id": s.slug,
        "title": s.title,
        "file": s.file,
        "url": f"sources/{s.slug}.html",
        "date": s.date,
        "publisher": s.publisher,
        "source_url": s.url,
        "paragraphs": [{"id": p.id, "text": p.text, "heading": p.heading} for p in s.paragraphs],
    }


def _entity(e: Entity, mentions: tuple[Mention, ...]) -> dict:
    return {
        "id": e.id,
        "kind": e.kind,
        "name": e.name,
        "aliases": list(e.aliases),
        "url": e.url,
        "confidence": e.confidence,
        **({"patterns": list(e.patterns)} if e.kind == "topic" else {}),
        **({"country": e.country} if e.country else {}),
        "mentions": [{"source": m.source, "paragraph": m.paragraph, "start": m.start, "end": m.end, "text": m.text} for m in mentions],
    }
