"""briefing.json on hand-made sources, entities and mentions (no model): the
export contract other tools rely on (fields may be added, none renamed or
removed), and that each mention points at the words it names."""

from __future__ import annotations

import json

from conftest import article, entity, mentioned
from generator.export import export_json

ZELENSKY = entity("person", "Volodymyr Zelensky", "Zelensky")
KYIV = entity("place", "Kyiv", country="Ukraine")
CEASEFIRE = entity("topic", "ceasefire", "ceasefires", patterns=("ceasefire", "truce"))
UNNAMED = entity("organization", "Nobody Inc")


def exported() -> tuple[bytes, tuple]:
    a, _ = article("a", "Zelensky arrived in Kyiv.", "The ceasefire held; Zelensky said so.", title="Talks", date="2025-03-02", publisher="Kyiv Post", headings=(0,))
    b, _ = article("b", "A ceasefire in Kyiv.")
    names = ((ZELENSKY, "Zelensky"), (KYIV, "Kyiv"), (CEASEFIRE, "ceasefire"))
    return export_json((a, b), (ZELENSKY, KYIV, CEASEFIRE, UNNAMED), (mentioned(a, *names), mentioned(b, *names))), (a, b)


def test_the_export_is_compact_json_of_sources_and_the_entities_they_name():
    data, _ = exported()
    assert data.endswith(b"}\n") and b"\n" not in data[:-1] and b": " not in data
    export = json.loads(data)
    assert list(export) == ["sources", "entities"]
    assert [e["id"] for e in export["entities"]] == ["people/volodymyr-zelensky", "places/kyiv", "topics/ceasefire"]  # none unnamed


def test_a_source_carries_every_field_of_the_contract():
    [first, second] = json.loads(exported()[0])["sources"]
    assert first == {
        "id": "a",
        "title": "Talks",
        "file": "a.txt",
        "url": "sources/a.html",
        "date": "2025-03-02",
        "publisher": "Kyiv Post",
        "source_url": None,
        "canonical_url": None,
        "author": None,
        "credits": [],
        "summary_only": False,
        "paragraphs": [
            {"id": "p-1", "text": "Zelensky arrived in Kyiv.", "heading": True, "caption": False},
            {"id": "p-2", "text": "The ceasefire held; Zelensky said so.", "heading": False, "caption": False},
        ],
    }
    assert second["date"] is None and second["publisher"] is None


def test_an_entity_carries_its_fields_a_topic_its_patterns_a_place_its_country():
    people, places, topics = json.loads(exported()[0])["entities"]
    assert {k: v for k, v in people.items() if k != "mentions"} == {
        "id": "people/volodymyr-zelensky",
        "kind": "person",
        "name": "Volodymyr Zelensky",
        "aliases": ["Zelensky"],
        "url": "people/volodymyr-zelensky.html",
        "confidence": 0.9,
    }
    assert places["country"] == "Ukraine" and "patterns" not in places
    assert topics["patterns"] == ["ceasefire", "truce"] and "country" not in topics


def test_each_mention_points_at_the_words_it_names_source_by_source_in_reading_order():
    data, sources = exported()
    texts = {(s.slug, p.id): p.text for s in sources for p in s.paragraphs}
    people = json.loads(data)["entities"][0]
    assert [(m["source"], m["paragraph"], m["text"]) for m in people["mentions"]] == [("a", "p-1", "Zelensky"), ("a", "p-2", "Zelensky")]
    for e in json.loads(data)["entities"]:
        for m in e["mentions"]:
            assert texts[(m["source"], m["paragraph"])][m["start"] : m["end"]] == m["text"]


def test_the_same_input_gives_the_same_bytes():
    assert exported()[0] == exported()[0]
