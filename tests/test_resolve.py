"""Resolution rules, one by one, on hand-made model output: no spaCy model is loaded.

Each article is a list of paragraphs; each paragraph names the spans the
model would have tagged, as (surface, label) in reading order.
"""

from __future__ import annotations

import random
import re

import pytest

from generator.gazetteer import load_gazetteer
from generator.model import Extraction, Paragraph, ParagraphAnalysis, Source, Span
from generator.overrides import EntityOverride, NeverMerge, Origin, Overrides
from generator.resolve import is_title_case, resolve

HERE = Origin("content/entities.yaml", 3, 5)


def article(slug: str, *paragraphs: tuple[str, list[tuple[str, str]]], headings: tuple[int, ...] = ()):
    paras, analyses = [], []
    for i, (text, spans) in enumerate(paragraphs):
        pid = f"p-{slug}-{i}"
        found, pos = [], 0
        for surface, label in spans:
            start = text.index(surface, pos)
            found.append(Span(start, start + len(surface), label))
            pos = start + len(surface)
        paras.append(Paragraph(pid, text, heading=i in headings))
        analyses.append(ParagraphAnalysis(pid, ((0, len(text)),), tuple(found), ()))
    return Source(slug, f"{slug}.txt", slug, None, None, None, tuple(paras), slug), Extraction(slug, tuple(analyses))


def run(*articles, overrides: Overrides | None = None):
    sources = tuple(a[0] for a in articles)
    extractions = {a[1].source_slug: a[1] for a in articles}
    return resolve(sources, extractions, load_gazetteer(), overrides)


def names(resolution, kind: str) -> list[str]:
    return sorted(e.name for e in resolution.entities if e.kind == kind)


def entity(resolution, name: str):
    return next(e for e in resolution.entities if e.name == name)


def mention_texts(resolution, name: str) -> list[str]:
    e = entity(resolution, name)
    return [m.text for m in resolution.mentions if m.entity_id == e.id]


def test_titles_and_possessives_are_stripped_from_mentions():
    r = run(article("a", ("President Emmanuel Macron met Vladimir Putin's envoy.", [("President Emmanuel Macron", "PERSON"), ("Vladimir Putin's", "PERSON")])))
    assert names(r, "person") == ["Emmanuel Macron", "Vladimir Putin"]
    assert mention_texts(r, "Vladimir Putin") == ["Vladimir Putin"]


def test_a_bare_surname_joins_the_full_name_in_the_same_article():
    r = run(article("a", ("Keir Starmer spoke.", [("Keir Starmer", "PERSON")]), ("Later Starmer left.", [("Starmer", "PERSON")])))
    assert names(r, "person") == ["Keir Starmer"]
    assert mention_texts(r, "Keir Starmer") == ["Keir Starmer", "Starmer"]


def test_a_bare_surname_joins_the_only_full_name_in_the_corpus():
    r = run(
        article("a", ("Marco Rubio travelled.", [("Marco Rubio", "PERSON")])),
        article("b", ("Rubio said it.", [("Rubio", "PERSON")])),
    )
    assert names(r, "person") == ["Marco Rubio"]


def test_an_ambiguous_surname_is_resolved_in_its_article_and_never_guessed_across():
    r = run(
        article("a", ("Donald Trump and Melania Trump arrived.", [("Donald Trump", "PERSON"), ("Melania Trump", "PERSON")])),
        article("b", ("Trump said no.", [("Trump", "PERSON")])),
        article("c", ("Melania Trump spoke. Trump agreed.", [("Melania Trump", "PERSON"), ("Trump", "PERSON")])),
    )
    assert names(r, "person") == ["Donald Trump", "Melania Trump"]
    assert "Trump" in mention_texts(r, "Melania Trump")
    # Article b's "Trump" could be either: no guess, and no page of its own (it is also a word).
    assert [e.name for e in r.doubtful] == ["Trump"]


@pytest.mark.parametrize("variants", [
    ["Volodymyr Zelensky", "Volodymyr Zelenskiy", "Volodymyr Zelenski", "Volodymyr Zelenskyy"],
    ["Emmanuel Macron", "Emmaneul Macron"],
    ["Andrii Yermak", "Andriy Yermak"],
    ["Oleh Synehubov", "Oleg Synehubov"],
    ["Pedro Sánchez", "Pedro Sanchez"],
])
def test_spelling_and_transliteration_variants_merge(variants):
    r = run(*(article(f"s{i}", (f"{v} spoke today.", [(v, "PERSON")])) for i, v in enumerate(variants)))
    assert len(names(r, "person")) == 1
    assert set(entity(r, names(r, "person")[0]).aliases) == set(variants)


@pytest.mark.parametrize("pair", [("Donald Trump", "Donald Tusk"), ("Kim Jong Un", "Kim Yo Jong"), ("Donald Trump", "Melania Trump")])
def test_different_people_sharing_a_name_part_stay_apart(pair):
    r = run(article("a", (f"{pair[0]} met {pair[1]}.", [(pair[0], "PERSON"), (pair[1], "PERSON")])))
    assert names(r, "person") == sorted(pair)


def test_a_lone_given_name_never_becomes_a_page():
    r = run(article("a", ("Vladimir Putin spoke. (Russian President Vladimir) Putin smiled.",
                          [("Vladimir Putin", "PERSON"), ("Vladimir", "PERSON"), ("Putin", "PERSON")])))
    assert names(r, "person") == ["Vladimir Putin"]
    assert names(r, "place") == []  # Vladimir is also a Russian city, but not here


def test_a_place_tagged_as_a_person_is_a_place():
    r = run(article("a", ("Talks with Kyiv and Kiev went on.", [("Kyiv", "PERSON"), ("Kiev", "PERSON")])))
    assert names(r, "person") == []
    assert names(r, "place") == ["Kyiv"]
    assert entity(r, "Kyiv").country == "Ukraine"


def test_the_majority_label_wins_for_a_name_tagged_two_ways():
    r = run(
        article("a", ("Giorgia Meloni arrived.", [("Giorgia Meloni", "ORG")])),
        *(article(f"b{i}", ("Giorgia Meloni spoke.", [("Giorgia Meloni", "PERSON")])) for i in range(3)),
    )
    assert names(r, "person") == ["Giorgia Meloni"]
    assert names(r, "organization") == []
    assert r.type_votes[entity(r, "Giorgia Meloni").id] == {"organization": 1, "person": 3}


def test_an_org_tagged_surname_of_a_known_person_is_that_person():
    r = run(article("a", ("Donald Trump spoke. Macron called Trump.", [("Donald Trump", "PERSON"), ("Trump", "ORG")])))
    assert names(r, "person") == ["Donald Trump"]
    assert mention_texts(r, "Donald Trump") == ["Donald Trump", "Trump"]


def test_countries_come_from_names_short_forms_and_demonyms():
    r = run(article("a", (
        "Ukrainian forces, the US, U.S. envoys, Britain, North Korean troops and South Korea's army.",
        [("Ukrainian", "NORP"), ("US", "GPE"), ("U.S.", "GPE"), ("Britain", "GPE"), ("North Korean", "NORP"), ("South Korea's", "GPE")],
    )))
    assert names(r, "country") == ["North Korea", "South Korea", "Ukraine", "United Kingdom", "United States"]
    assert mention_texts(r, "South Korea") == ["South Korea"]


def test_cities_are_places_of_their_country_never_countries():
    r = run(article("a", ("Moscow and Washington talked.", [("Moscow", "GPE"), ("Washington", "GPE")])))
    assert names(r, "country") == []
    assert {(entity(r, n).country) for n in names(r, "place")} == {"Russia", "United States"}


def test_a_group_demonym_is_no_country():
    r = run(article("a", ("European leaders met.", [("European", "NORP")])))
    assert r.entities == ()


def test_case_variants_and_acronyms_share_one_organisation_page():
    r = run(article("a", (
        "NATO and Nato allies; the European Union and the EU; Agence France-Presse (AFP).",
        [("NATO", "ORG"), ("Nato", "ORG"), ("the European Union", "ORG"), ("EU", "ORG"), ("Agence France-Presse", "ORG"), ("AFP", "ORG")],
    )))
    assert names(r, "organization") == ["Agence France-Presse", "European Union", "NATO"]


def test_text_glued_by_lost_spaces_makes_no_entity():
    r = run(article("a", ("member Turkeywill be there withUS officials in Ukraines capital.",
                          [("Turkeywill", "ORG"), ("withUS", "GPE"), ("Ukraines", "ORG")])))
    assert r.entities == ()


def test_model_numbers_are_products_not_names():
    r = run(article("a", ("Ukrainian F-16s and Lockheed Martin F-16s flew.", [("Ukrainian F-16s", "PERSON"), ("Lockheed", "ORG"), ("Martin F-16s", "PERSON")])))
    assert names(r, "person") == []
    assert names(r, "organization") == ["Lockheed Martin"]
    assert names(r, "country") == ["Ukraine"]


def test_title_case_headlines_make_no_entities_but_link_known_ones():
    r = run(article(
        "a",
        ("Medvedev States Russia Could Seize British Assets", [("Medvedev States", "PERSON"), ("Russia", "GPE")]),
        ("Dmitry Medvedev said Russia would act.", [("Dmitry Medvedev", "PERSON"), ("Russia", "GPE")]),
        headings=(0,),
    ))
    assert names(r, "person") == ["Dmitry Medvedev"]
    headline = [m for m in r.mentions if m.paragraph == "p-a-0"]
    assert [m.text for m in headline] == ["Medvedev", "Russia"]  # the surname of a known person, not "Medvedev States"


def test_title_case_detection():
    assert is_title_case("Poland Reports Two Drones Entered Its Airspace Without Causing Damage")
    assert is_title_case("'Strong Decisions'")
    assert not is_title_case("Kharkiv hit by massive Russian drone attack")


def test_a_name_the_model_missed_is_linked_from_its_known_alias():
    r = run(article("a", ("Keir Starmer spoke.", [("Keir Starmer", "PERSON")]), ("Starmer warned later.", [])))
    assert mention_texts(r, "Keir Starmer") == ["Keir Starmer", "Starmer"]


def test_mention_offsets_point_at_their_text():
    r = run(article("a", ("Mr Zelensky met Emmanuel Macron's team in Paris.", [("Zelensky", "PERSON"), ("Emmanuel Macron's", "PERSON"), ("Paris", "GPE")])))
    text = "Mr Zelensky met Emmanuel Macron's team in Paris."
    assert all(text[m.start:m.end] == m.text for m in r.mentions)


def test_resolution_is_deterministic():
    arts = [article(f"s{i}", (f"Person{i} Smith met NATO in Paris.", [(f"Person{i} Smith", "PERSON"), ("NATO", "ORG"), ("Paris", "GPE")])) for i in range(5)]
    assert run(*arts) == run(*arts)


# -- curated overrides -------------------------------------------------------

def test_an_override_alias_merges_two_extracted_entities_and_names_the_page():
    r = run(
        article("a", ("Coalition of Volunteers met.", [("Coalition of Volunteers", "ORG")])),
        article("b", ("The Willing Coalition met.", [("Willing Coalition", "ORG")])),
        overrides=Overrides(entities=(EntityOverride("Coalition of the willing", HERE, aliases=("Coalition of Volunteers", "Willing Coalition"), description="A *group*."),)),
    )
    assert names(r, "organization") == ["Coalition of the willing"]
    e = entity(r, "Coalition of the willing")
    assert e.description_html == "<p>A <em>group</em>.</p>\n"
    assert e.confidence == 1.0


def test_not_aliases_split_a_name_off_a_page():
    r = run(
        article("a", ("Donald Trump spoke. Trump agreed.", [("Donald Trump", "PERSON"), ("Trump", "PERSON")])),
        overrides=Overrides(entities=(EntityOverride("Donald Trump", HERE, not_aliases=("Trump",)),)),
    )
    assert names(r, "person") == ["Donald Trump", "Trump"]


def test_a_hidden_entity_gets_no_page_and_no_links():
    r = run(
        article("a", ("Reuters reported. Reuters again.", [("Reuters", "ORG")])),
        overrides=Overrides(entities=(EntityOverride("Reuters", HERE, hidden=True),)),
    )
    assert r.entities == () and r.mentions == ()


def test_an_override_can_change_the_kind():
    r = run(
        article("a", ("Kremlin said no.", [("Kremlin", "ORG")])),
        overrides=Overrides(entities=(EntityOverride("Kremlin", HERE, kind="place"),)),
    )
    assert names(r, "place") == ["Kremlin"] and names(r, "organization") == []


def test_a_curated_entity_is_found_by_its_aliases_in_any_case():
    r = run(
        article("a", ("The coalition of the willing met in Paris.", [("Paris", "GPE")])),
        overrides=Overrides(entities=(EntityOverride("Coalition of the willing", HERE, kind="organization"),)),
    )
    assert mention_texts(r, "Coalition of the willing") == ["coalition of the willing"]


def test_an_override_naming_nothing_is_a_located_warning():
    r = run(
        article("a", ("Paris.", [("Paris", "GPE")])),
        overrides=Overrides(entities=(EntityOverride("Nobody Atall", HERE),)),
    )
    assert [str(w) for w in r.warnings] == [
        "content/entities.yaml:3:5: 'Nobody Atall' names no entity that any source mentions; "
        "check the spelling, or set `kind:` to create it from its aliases"
    ]


def test_never_merge_keeps_variants_apart():
    arts = (
        article("a", ("Andrii Yermak spoke.", [("Andrii Yermak", "PERSON")])),
        article("b", ("Andriy Yermak spoke.", [("Andriy Yermak", "PERSON")])),
    )
    assert len(names(run(*arts), "person")) == 1
    rule = NeverMerge(("Andrii Yermak", "Andriy Yermak"), HERE)
    assert names(run(*arts, overrides=Overrides(never_merge=(rule,))), "person") == ["Andrii Yermak", "Andriy Yermak"]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_the_alias_pattern_finds_what_a_longest_first_alternation_finds(flags):
    """The trie-shaped pattern is an optimisation: it must match exactly as the plain
    alternation of the aliases, longest first, between the same word boundaries."""
    from generator.resolve import _alias_pattern

    def plain(table):
        alternatives = "|".join(re.escape(a) for a in sorted(table, key=lambda a: (-len(a), a)))
        return r"(?<![\w\-])(" + alternatives + r")(?![\w\-]|['’][a-rt-z])"

    text = "EU, the European Union and Euro-area EUs; Europe's EU’s pro-EU Union. eu European Unions"
    table = {"EU": 1, "European Union": 1, "Euro": 1, "Europe": 1, "Union": 1, "European": 1}
    assert [m.span() for m in re.finditer(_alias_pattern(table), text, flags)] == [m.span() for m in re.finditer(plain(table), text, flags)]
    rng = random.Random(5)
    for _ in range(200):
        table = {"".join(rng.choice("abAB .-'’é") for _ in range(rng.randint(1, 5))).strip() for _ in range(rng.randint(1, 10))} - {""}
        text = "".join(rng.choice("abAB .-'’éxy") for _ in range(150))
        assert [m.span() for m in re.finditer(_alias_pattern(table), text, flags)] == [m.span() for m in re.finditer(plain(table), text, flags)]
