"""`briefing suggest`: the ranking rules on hand-made resolutions (no model), then
one end-to-end run on a copy of the sample project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.content import load_content
from generator.errors import Diagnostic
from generator.model import Entity, Mention, Paragraph, Resolution, Source
from generator.overrides import EntityOverride, NeverMerge, Overrides
from generator.slugs import slugify
from generator.suggest import profiles, suggest, to_yaml

HERE = Diagnostic("content/entities.yaml", 3, 5)
KNOWN_PLACES = {"Kyiv", "Odesa"}


def corpus(articles: dict[str, list[str]], entities: list[tuple], doubtful: list[tuple] = (), type_votes: dict | None = None):
    """Sources from paragraphs, and a Resolution whose mentions are every whole-word
    occurrence of each entity's aliases. An entity is (kind, name, aliases, confidence)."""
    sources = tuple(Source(slug, f"{slug}.txt", slug, None, None, None, tuple(Paragraph(f"p{i}", text) for i, text in enumerate(paras)), slug) for slug, paras in articles.items())

    def make(kind, name, aliases, confidence):
        return Entity(f"{kind}/{slugify(name)}", kind, name, tuple(sorted(aliases)), confidence)

    pages = [make(*e) for e in entities]
    mentions = []
    for e in pages:
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in sorted(e.aliases, key=len, reverse=True)) + r")(?!\w)")
        for s in sources:
            for p in s.paragraphs:
                mentions += [Mention(e.id, s.slug, p.id, m.start(), m.end(), m.group()) for m in pattern.finditer(p.text)]
    votes = {f"{kind}/{slugify(name)}": v for (kind, name), v in (type_votes or {}).items()}
    return sources, Resolution(tuple(pages), tuple(mentions), (), tuple(make(*e) for e in doubtful), votes)


def run(sources, resolution, overrides: Overrides | None = None, **options):
    return suggest(sources, resolution, overrides or Overrides(), lambda name: name in KNOWN_PLACES, **options)


def items(section) -> list[dict]:
    return [s.item for s in section]


# -- merges -----------------------------------------------------------------

TRANSLITERATED = corpus(
    {
        "a": ["General Oleksandr Syrskyi said Russia attacked Kharkiv.", "Syrskyi spoke to Donald Trump."],
        "b": ["Alexander Syrsky, Ukraine's commander, met Donald Trump in Kharkiv."],
        "c": ["Donald Trump and Melania Trump flew to Kharkiv. Donald Tusk stayed in Warsaw."],
    },
    [
        ("person", "Oleksandr Syrskyi", {"Oleksandr Syrskyi", "Syrskyi"}, 0.9),
        ("person", "Alexander Syrsky", {"Alexander Syrsky"}, 0.55),
        ("person", "Donald Trump", {"Donald Trump"}, 0.95),
        ("person", "Melania Trump", {"Melania Trump"}, 0.55),
        ("person", "Donald Tusk", {"Donald Tusk"}, 0.55),
        ("place", "Kharkiv", {"Kharkiv"}, 0.95),
        ("place", "Warsaw", {"Warsaw"}, 0.95),
        ("country", "Russia", {"Russia"}, 0.99),
        ("country", "Ukraine", {"Ukraine"}, 0.99),
    ],
)


def test_a_transliteration_below_the_automatic_threshold_is_proposed_with_its_evidence():
    found = run(*TRANSLITERATED)
    assert items(found.merges) == [{"name": "Oleksandr Syrskyi", "aliases": ["Alexander Syrsky"]}]
    evidence = "\n".join(found.merges[0].evidence)
    assert '"Oleksandr Syrskyi" (person, 2 mentions in 1 source)' in evidence
    assert '"Alexander Syrsky" (person, 1 mention in 1 source)' in evidence
    assert "similarity 0.77" in evidence and 'given names "oleksandr"/"alexander" differ' in evidence
    assert "both mentioned with Donald Trump, Kharkiv" in evidence
    assert "to reject: add [Oleksandr Syrskyi, Alexander Syrsky] under never_merge:" in evidence


def test_namesakes_and_shared_given_names_are_not_proposed_at_the_default_similarity():
    merged = {frozenset((s.item["name"], *s.item["aliases"])) for s in run(*TRANSLITERATED).merges}
    assert frozenset(("Donald Trump", "Melania Trump")) not in merged
    assert frozenset(("Donald Trump", "Donald Tusk")) not in merged
    # A lower bar shows the distant pair, ranked below the transliteration.
    lowered = run(*TRANSLITERATED, min_similarity=0.4).merges
    assert [s.item["name"] for s in lowered][0] == "Oleksandr Syrskyi"
    assert {"name": "Donald Trump", "aliases": ["Melania Trump", "Donald Tusk"]} in items(lowered)  # one entry per page


def test_never_merge_and_not_aliases_reject_a_pair_for_good():
    never = Overrides(never_merge=(NeverMerge(("Alexander Syrsky", "Oleksandr Syrskyi"), HERE),))
    assert run(*TRANSLITERATED, never).merges == ()
    split = Overrides(entities=(EntityOverride("Oleksandr Syrskyi", HERE, not_aliases=("Alexander Syrsky",)),))
    assert run(*TRANSLITERATED, split).merges == ()
    other = Overrides(never_merge=(NeverMerge(("Donald Trump", "Donald Tusk"), HERE),))
    assert items(run(*TRANSLITERATED, other).merges) == items(run(*TRANSLITERATED).merges)


def test_a_bare_surname_that_fits_two_full_names_goes_to_the_one_in_its_context():
    sources, resolution = corpus(
        {
            "a": ["Anna Kovalenko spoke in Kyiv.", "Kovalenko, the mayor, spoke again in Kyiv."],
            "b": ["Taras Kovalenko, the minister, met NATO."],
        },
        [
            ("person", "Anna Kovalenko", {"Anna Kovalenko"}, 0.55),
            ("person", "Taras Kovalenko", {"Taras Kovalenko"}, 0.55),
            ("person", "Kovalenko", {"Kovalenko"}, 0.44),
            ("place", "Kyiv", {"Kyiv"}, 0.95),
            ("organization", "NATO", {"NATO"}, 0.9),
        ],
    )
    found = run(sources, resolution)
    assert items(found.merges) == [{"name": "Anna Kovalenko", "aliases": ["Kovalenko"]}]
    evidence = "\n".join(found.merges[0].evidence)
    assert 'bare surname "kovalenko" next to the full name "anna kovalenko"' in evidence
    # The other reading is shown, not offered: pasting both would claim one name twice.
    assert 'also close, not proposed: "Taras Kovalenko"' in evidence


def test_case_accent_and_acronym_variants_are_proposed_across_kinds():
    sources, resolution = corpus(
        {"a": ["NATO met in Brussels.", "Nato said the European Union and the EU Council agree.", "Pedro Sánchez and Pedro Sanchez."]},
        [
            ("organization", "NATO", {"NATO"}, 0.9),
            ("person", "Nato", {"Nato"}, 0.55),
            ("organization", "European Union", {"European Union"}, 0.8),
            ("place", "EU", {"EU"}, 0.5),
            ("person", "Pedro Sánchez", {"Pedro Sánchez"}, 0.55),
            ("organization", "Pedro Sanchez", {"Pedro Sanchez"}, 0.55),
        ],
    )
    found = items(run(sources, resolution).merges)
    assert {"name": "NATO", "kind": "organization", "aliases": ["Nato"]} in found
    assert {"name": "European Union", "kind": "organization", "aliases": ["EU"]} in found
    assert {"name": "Pedro Sánchez", "kind": "person", "aliases": ["Pedro Sanchez"]} in found


def test_two_gazetteer_places_are_never_merged_by_spelling_but_an_unknown_place_is():
    sources, resolution = corpus(
        {"a": ["Kyiv and Odesa were hit. Odessaa too."]},
        [("place", "Kyiv", {"Kyiv"}, 0.95), ("place", "Odesa", {"Odesa"}, 0.95), ("place", "Odessaa", {"Odessaa"}, 0.5)],
    )
    assert items(run(sources, resolution, min_similarity=0.3).merges) == [{"name": "Odesa", "aliases": ["Odessaa"]}]


# -- junk -------------------------------------------------------------------

JUNK = corpus(
    {
        "a": ["Strong Decisions: Medvedev States His Case", "Dmitry Medvedev said the states must take strong decisions."],
        "b": ["The White House said the White House and Alexander Stubb met.", "Palace officials met at the White House. A palace."],
        "c": ["Martin F-16s flew over the White House. Dmitry Medvedev agreed."],
    },
    [
        ("person", "Medvedev States", {"Medvedev States"}, 0.55),
        ("person", "Strong Decisions", {"Strong Decisions"}, 0.55),
        ("person", "Dmitry Medvedev", {"Dmitry Medvedev"}, 0.7),
        ("person", "Alexander Stubb", {"Alexander Stubb"}, 0.55),
        ("organization", "White House", {"White House"}, 1.0),
        ("organization", "Martin F-16s", {"Martin F-16s"}, 0.55),
    ],
    doubtful=[("organization", "Palace", {"Palace"}, 0.28)],
)


def test_junk_is_doubtful_names_and_headline_fragments_with_little_support():
    found = run(*JUNK)
    hidden = [s.item["name"] for s in found.junk]
    assert set(hidden) == {"Palace", "Medvedev States", "Strong Decisions", "Martin F-16s"}
    assert all(s.item["hidden"] is True for s in found.junk)
    assert hidden[-1] == "Palace"  # its low confidence is its only signal: the others have two or three
    evidence = {s.item["name"]: "\n".join(s.evidence) for s in found.junk}
    assert "no page: confidence 0.28 is below the page threshold" in evidence["Palace"]
    assert "Title-Case fragment" in evidence["Medvedev States"] and "1 mention" in evidence["Medvedev States"]
    assert "digits" in evidence["Martin F-16s"]


def test_a_curated_entity_is_never_called_junk():
    curated = Overrides(entities=(EntityOverride("Strong Decisions", HERE, kind="organization"),))
    assert "Strong Decisions" not in [s.item["name"] for s in run(*JUNK, curated).junk]


# -- type conflicts ---------------------------------------------------------

CONFLICTS = corpus(
    {"a": ["Giorgia Meloni met Keir Starmer and Volodymyr Zelensky at Reuters."]},
    [
        ("person", "Giorgia Meloni", {"Giorgia Meloni"}, 0.4),
        ("person", "Keir Starmer", {"Keir Starmer"}, 0.86),
        ("person", "Volodymyr Zelensky", {"Volodymyr Zelensky"}, 0.96),
        ("organization", "Reuters", {"Reuters"}, 1.0),
    ],
    type_votes={
        ("person", "Giorgia Meloni"): {"organization": 3, "person": 1},
        ("person", "Keir Starmer"): {"organization": 2, "person": 4},
        ("person", "Volodymyr Zelensky"): {"organization": 1, "person": 25},
    },
)


def test_type_conflicts_suggest_the_majority_kind_most_contested_first():
    found = run(*CONFLICTS)
    assert items(found.kinds) == [{"name": "Giorgia Meloni", "kind": "organization"}, {"name": "Keir Starmer", "kind": "person"}]
    assert "labelled its mentions organization 3, person 1; suggested kind: organization" in found.kinds[0].evidence[0]
    assert "confirm kind: person" in found.kinds[1].evidence[0]


def test_a_curated_kind_ends_the_conflict():
    curated = Overrides(entities=(EntityOverride("Giorgia Meloni", HERE, kind="person"),))
    assert [s.item["name"] for s in run(*CONFLICTS, curated).kinds] == ["Keir Starmer"]


# -- the output -------------------------------------------------------------


def test_the_output_is_yaml_the_content_loader_accepts_with_every_name_in_one_item(tmp_path):
    sources, resolution = corpus(
        {"a": ["Oleksandr Syrskyi and NO met.", "Alexander Syrsky left. NO said no."]},
        [
            ("person", "Oleksandr Syrskyi", {"Oleksandr Syrskyi"}, 0.55),
            ("person", "Alexander Syrsky", {"Alexander Syrsky"}, 0.55),
            ("organization", "NO", {"NO"}, 0.55),
        ],
        doubtful=[("organization", "Yes", {"Yes"}, 0.1)],
        type_votes={("person", "Oleksandr Syrskyi"): {"organization": 1, "person": 1}},
    )
    text = to_yaml(run(sources, resolution))
    data = yaml.safe_load(text)
    assert data["entities"] == [
        {"name": "Oleksandr Syrskyi", "kind": "person", "aliases": ["Alexander Syrsky"]},  # the conflict folded into the merge
        {"name": "Yes", "hidden": True},  # quoted: YAML would read a bare Yes as true
    ]
    (tmp_path / "entities.yaml").write_text(text, encoding="utf-8")
    overrides, warnings = load_content(tmp_path)
    assert [e.name for e in overrides.entities] == ["Oleksandr Syrskyi", "Yes"] and warnings == ()


def test_an_empty_result_is_still_a_valid_file():
    sources, resolution = corpus({"a": ["Reuters reported."]}, [("organization", "Reuters", {"Reuters"}, 1.0)])
    assert yaml.safe_load(to_yaml(run(sources, resolution))) == {"entities": []}


def test_the_output_does_not_depend_on_the_order_entities_arrive_in():
    sources, resolution = TRANSLITERATED
    reversed_ = Resolution(resolution.entities[::-1], resolution.mentions[::-1], (), resolution.doubtful, resolution.type_votes)
    assert to_yaml(run(sources, reversed_, min_similarity=0.4)) == to_yaml(run(sources, resolution, min_similarity=0.4))


def test_a_doubtful_entity_is_profiled_from_the_text():
    sources, resolution = JUNK
    palace = next(p for p in profiles(sources, resolution) if p.entity.name == "Palace")
    assert (palace.has_page, palace.mentions, palace.sources) == (False, 1, frozenset({"b"}))
    assert palace.neighbours == {"White House"}


# -- end to end -------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample(tmp_path) -> list[str]:
    """A copy of the sample seeds and an empty content/; the repository's model cache."""
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "content").mkdir()
    return ["--seeds", str(tmp_path / "seeds"), "--content", str(tmp_path / "content"), "--cache-dir", str(REPO / ".briefing-cache")]


def suggested(args: list[str], capsys, *extra: str) -> tuple[str, list[dict]]:
    """The printed YAML and its items; a pasted item that names no entity would warn on stderr."""
    assert main(["suggest", *args, *extra]) == 0
    out, err = capsys.readouterr()
    assert "warning" not in err
    return out, yaml.safe_load(out)["entities"]


def test_on_the_sample_pasting_or_rejecting_a_suggestion_ends_it(sample, capsys, tmp_path):
    out, first = suggested(sample, capsys)
    assert {"name": "Falcon", "hidden": True} in first  # a name resolution gave no page
    assert suggested(sample, capsys)[0] == out  # deterministic
    _, distant = suggested(sample, capsys, "--min-similarity", "0.4")
    assert {"name": "Donald Trump", "kind": "person", "aliases": ["Donald Tusk"]} in distant

    entities = tmp_path / "content" / "entities.yaml"
    never = "never_merge:\n  - [Donald Tusk, Donald Trump]\n"
    entities.write_text(never, encoding="utf-8")
    rejected_out, rejected = suggested(sample, capsys, "--min-similarity", "0.4")
    assert not any("Donald Tusk" in item.get("aliases", ()) for item in rejected)
    assert [i for i in rejected if i["name"] != "Donald Trump"] == [i for i in distant if i["name"] != "Donald Trump"]

    # Accept every other suggestion, merges included (wrong ones: only the mechanics matter here).
    entities.write_text(never + rejected_out, encoding="utf-8")
    assert suggested(sample, capsys, "--min-similarity", "0.4")[1] == []
    entities.write_text(out, encoding="utf-8")
    assert suggested(sample, capsys)[1] == []


def test_suggest_help_explains_its_options(capsys):
    with pytest.raises(SystemExit):
        main(["suggest", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for option in ("--min-similarity", "--limit", "--no-overrides", "--cache-dir", "never_merge"):
        assert option in help_text
