"""The data export, `briefing.json`: the whole extracted model for other tools.

Its shape is documented in the README and stable: fields may be added,
none renamed or removed.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Entity, Mention, Source


def export_data(sources: tuple[Source, ...], entities: tuple[Entity, ...], mentions: tuple[Mention, ...]) -> dict:
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity_id].append(m)
    return {
        "sources": [
            {
                "id": s.slug,
                "title": s.title,
                "file": s.file,
                "url": f"sources/{s.slug}.html",
                "date": s.date,
                "publisher": s.publisher,
                "source_url": s.url,
                "paragraphs": [{"id": p.id, "text": p.text, "heading": p.heading} for p in s.paragraphs],
            }
            for s in sources
        ],
        "entities": [
            {
                "id": e.id,
                "kind": e.kind,
                "name": e.name,
                "aliases": list(e.aliases),
                "url": e.url,
                "confidence": e.confidence,
                **({"patterns": list(e.patterns)} if e.kind == "topic" else {}),
                **({"country": e.country} if e.country else {}),
                "mentions": [
                    {"source": m.source, "paragraph": m.paragraph, "start": m.start, "end": m.end, "text": m.text}
                    for m in by_entity[e.id]
                ],
            }
            for e in entities
            if by_entity[e.id]
        ],
    }
