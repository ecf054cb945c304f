"""The search index and the link previews on a hand-made linked site (no model):
what the site's script finds in them, as site.js reads them."""

from __future__ import annotations

import json

from conftest import article, entity, mentioned
from generator.link import link
from generator.search import PREVIEWS_GLOBAL, SEARCH_GLOBAL, as_script, clip, previews, search_script

ZELENSKY = entity("person", "Volodymyr Zelensky", "Zelensky", "Volodymyr Zelensky", role="President")
UKRAINE = entity("country", "Ukraine", description="A country in *Eastern* Europe & beyond.")
CEASEFIRE = entity("topic", "ceasefire", "ceasefires", patterns=("ceasefire", "mobilis*"))


def tiny_site():
    a, a_model = article("a", "Zelensky spoke of Ukraine.", "A ceasefire, then mobilisation.", title="Talks", date="2025-03-02", publisher="Kyiv Post")
    b, b_model = article("b", "Ukraine again. Zelensky too.", title="Later")
    names = ((ZELENSKY, "Zelensky"), (UKRAINE, "Ukraine"), (CEASEFIRE, "ceasefire"))
    return link((a, b), {"a": a_model, "b": b_model}, (ZELENSKY, UKRAINE, CEASEFIRE), (mentioned(a, *names), mentioned(b, *names)), {}, {})


def loaded(script: bytes, global_name: str):
    """What the browser has in window[global_name] once the script ran."""
    text = script.decode("utf-8")
    prefix = f"window.{global_name}="
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def test_the_index_lists_entities_most_mentioned_first_with_their_other_names():
    index = loaded(search_script(tiny_site(), {"person": "Person"}), SEARCH_GLOBAL)
    assert index["kinds"] == {"person": "Person"}
    assert index["entities"] == [
        ["Ukraine", "country", "countries/ukraine.html", [], 2],
        ["Volodymyr Zelensky", "person", "people/volodymyr-zelensky.html", ["Zelensky"], 2],  # not its own name again
        ["ceasefire", "topic", "topics/ceasefire.html", ["ceasefires", "mobilis"], 1],  # a pattern's star is no word to find
    ]


def test_every_paragraph_is_searchable_whole_and_points_at_its_source_newest_first():
    index = loaded(search_script(tiny_site(), {}), SEARCH_GLOBAL)
    assert index["sources"] == [["Talks", "sources/a.html", "2025-03-02", "Kyiv Post"], ["Later", "sources/b.html", "", ""]]
    assert index["passages"] == [
        [0, "p-1", "Zelensky spoke of Ukraine."],
        [0, "p-2", "A ceasefire, then mobilisation."],
        [1, "p-1", "Ukraine again. Zelensky too."],
    ]


def test_a_preview_shows_the_curated_description_as_text_else_the_newest_passage():
    shown = loaded(as_script(PREVIEWS_GLOBAL, {"entities": previews(tiny_site())}), PREVIEWS_GLOBAL)["entities"]
    assert shown["countries/ukraine.html"] == ["country", "Ukraine", "", "A country in Eastern Europe & beyond.", 2, 2]
    assert shown["people/volodymyr-zelensky.html"] == ["person", "Volodymyr Zelensky", "President", "Zelensky spoke of Ukraine.", 2, 2]


def test_a_long_summary_is_cut_at_a_word_with_an_ellipsis():
    assert clip("  many   spaces\nfolded  ") == "many spaces folded"
    words = "word " * 100
    assert clip(words, 22) == "word word word word…"
    assert clip("Kyiv, Odesa, Kharkiv and Lviv", 14) == "Kyiv, Odesa…"
