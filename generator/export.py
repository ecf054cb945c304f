"""The data export, `briefing.json`: the whole extracted model for other tools.

Its shape is documented in the README and stable: fields may be added,
none renamed or removed.
"""

from __future__ import annotations

import json
from collections import defaultdict

from .model import Entity, Mention, Source


def export_json(sources: tuple[Source, ...], entities: tuple[Entity, ...], mentions: tuple[Mention, ...]) -> bytes:
    """briefing.json, compact, encoded a source and an entity at a time: the whole
    export as one Python structure would cost several times the file's size."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity_id].append(m)
    parts = ['{"sources":[', ",".join(_dumps(_source(s)) for s in sources), '],"entities":[']
    parts.append(",".join(_dumps(_entity(e, by_entity[e.id])) for e in entities if by_entity[e.id]))
    parts.append("]}\n")
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


def _entity(e: Entity, mentions: list[Mention]) -> dict:
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
