"""`briefing eval`: scoring on hand-written gold files and builds, then the command on the sample project."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from conftest import REPO, SHARED_CACHE
from generator.cli import main
from generator.errors import InputError
from generator.evaluate import evaluate, load_gold, report_text

SEEDS_GOLD = REPO / "tests" / "data" / "seeds-gold.yaml"  # a copy of ../shared/eval/seeds-gold.yaml: the tests run on any clone


@pytest.fixture
def gold(tmp_path):
    def load(text: str):
        path = tmp_path / "gold.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_gold(path)

    return load


def briefing(*entities) -> dict:
    """A briefing.json with the given (kind, name, aliases[, patterns]) pages."""
    return {"entities": [{"kind": e[0], "name": e[1], "aliases": list(e[2]), **({"patterns": list(e[3])} if len(e) > 3 else {})} for e in entities]}


PEOPLE = """
    people:
      - {name: Volodymyr Zelensky, aliases: [Zelensky, Zelenskiy]}
      - {name: Donald Trump, aliases: [Trump]}
      - {name: Donald Tusk}
"""


def people(report):
    return report.kinds[0]


def test_a_perfect_build_scores_one_everywhere(gold):
    report = evaluate(
        gold(PEOPLE),
        briefing(
            ("person", "Volodymyr Zelensky", ["Zelensky", "Zelenskiy"]),
            ("person", "Donald Trump", ["Trump"]),
            ("person", "Donald Tusk", []),
        ),
    )
    score = people(report)
    assert (score.precision, score.recall, score.merge_accuracy) == (1.0, 1.0, 1.0)
    assert not (score.unmatched or score.missed or score.split or score.merged)


def test_names_match_across_case_accents_possessives_and_a_leading_the(gold):
    report = evaluate(
        gold("people:\n  - {name: Pedro Sánchez}\norganizations:\n  - {name: NATO}\n  - {name: Kremlin}\n"),
        briefing(("person", "Pedro Sanchez's", []), ("organization", "Nato", []), ("organization", "the Kremlin", [])),
    )
    assert [(k.found, k.matched_pages) for k in report.kinds] == [(1, 1), (0, 0), (2, 2)]


def test_a_split_entity_keeps_recall_and_precision_but_loses_merge_accuracy(gold):
    report = evaluate(
        gold(PEOPLE),
        briefing(
            ("person", "Volodymyr Zelensky", ["Zelensky"]),
            ("person", "Zelenskiy", []),
            ("person", "Donald Trump", ["Trump"]),
            ("person", "Donald Tusk", []),
        ),
    )
    score = people(report)
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.merge_accuracy == round(2 / 3, 4)
    assert score.split == (("Volodymyr Zelensky", ("Volodymyr Zelensky", "Zelenskiy")),)


def test_two_gold_entities_on_one_page_fail_merge_for_both(gold):
    report = evaluate(
        gold(PEOPLE),
        briefing(("person", "Volodymyr Zelensky", []), ("person", "Donald Trump", ["Trump", "Donald Tusk"])),
    )
    score = people(report)
    assert score.recall == 1.0 and score.precision == 1.0
    assert score.merge_accuracy == round(1 / 3, 4)
    assert score.merged == (("Donald Trump", ("Donald Trump", "Donald Tusk")),)


def test_a_missed_entity_costs_recall_and_merge_accuracy_and_junk_costs_precision(gold):
    report = evaluate(
        gold(PEOPLE),
        briefing(("person", "Volodymyr Zelensky", []), ("person", "Donald Trump", []), ("person", "Strong Decisions", [])),
    )
    score = people(report)
    assert (score.precision, score.recall, score.merge_accuracy) == (round(2 / 3, 4), round(2 / 3, 4), round(2 / 3, 4))
    assert score.missed == ("Donald Tusk",)
    assert [p.name for p in score.unmatched] == ["Strong Decisions"]
    assert 'false positive: "Strong Decisions"' in report_text(report)


def test_an_optional_entity_is_neither_rewarded_nor_penalised_but_may_not_share_a_page(gold):
    text = """
        countries:
          - {name: Ukraine, aliases: [Ukrainian]}
          - {name: Spain, aliases: [Spanish]}
        optional_countries:
          - name: China
          - {name: Norway, aliases: [Norwegian]}
    """
    with_optional = evaluate(gold(text), briefing(("country", "Ukraine", []), ("country", "Spain", []), ("country", "China", [])))
    without = evaluate(gold(text), briefing(("country", "Ukraine", []), ("country", "Spain", [])))
    for report in (with_optional, without):
        countries = report.kinds[1]
        assert (countries.precision, countries.recall, countries.merge_accuracy) == (1.0, 1.0, 1.0)
    assert with_optional.kinds[1].optional_pages == 1
    merged = evaluate(gold(text), briefing(("country", "Ukraine", ["Norwegian"]), ("country", "Spain", [])))
    assert merged.kinds[1].merge_accuracy == 0.5
    assert merged.kinds[1].merged == (("Ukraine", ("Ukraine", "Norway")),)


def test_never_people_count_person_pages_but_not_a_first_name_on_its_own_persons_page(gold):
    text = PEOPLE + "      - {name: Vladimir Putin, aliases: [Putin]}\n    never_people: [Kyiv, Vladimir, Medvedev States]\n"
    report = evaluate(
        gold(text),
        briefing(
            ("person", "Kyiv", []),
            ("person", "Vladimir Putin", ["Putin", "Vladimir"]),
            ("person", "Medvedev", ["Medvedev States"]),
            ("place", "Kyiv", []),
        ),
    )
    assert report.never_people_count == 2
    assert set(report.never_people) == {
        ("Kyiv", "Kyiv", True),
        ("Medvedev", "Medvedev States", True),
        ("Vladimir Putin", "Vladimir", False),
    }


def test_a_city_with_a_country_page_is_an_error(gold):
    text = "places:\n  - {name: Kyiv, aliases: [Kyiv, Kiev], country: Ukraine}\n  - {name: Paris}\n"
    report = evaluate(gold(text), briefing(("country", "Kiev", []), ("place", "Paris", [])))
    assert report.places_as_countries == (("Kyiv", "Kiev"),)


THEMES = """
    topics:
      - {theme: drone attacks, words: [drone attack, drone strikes]}
      - {theme: North Korean troops, words: [North Korean troops]}
      - {theme: military aid, words: [military aid, air defence]}
      - {theme: mobilisation, words: [mobilisation, conscription]}
"""


def test_a_theme_is_covered_by_a_topic_name_pattern_or_alias_with_plurals_tolerated(gold):
    report = evaluate(
        gold(THEMES),
        briefing(
            ("topic", "attacks", ["attacks"], ["drone strike"]),
            ("topic", "Air Defences", ["air defences"], ["air defence"]),
        ),
    )
    assert dict(report.themes) == {
        "drone attacks": ("attacks",),
        "North Korean troops": (),
        "military aid": ("Air Defences",),
        "mobilisation": (),
    }
    assert report.themes_covered == 2


def test_a_topic_covers_a_theme_word_that_ends_with_its_name_as_whole_words(gold):
    report = evaluate(
        gold(THEMES),
        briefing(
            ("topic", "troops", ["troop"], ["troop"]),
            ("topic", "aid", ["aid"], ["aid"]),  # "military aid" ends with it
            ("topic", "scription", [], []),  # "conscription" does not end with it as a word
            ("topic", "deployment", [], ["korean troop"]),  # a pattern must equal a word, not end it
        ),
    )
    assert dict(report.themes) == {
        "drone attacks": (),
        "North Korean troops": ("troops",),
        "military aid": ("aid",),
        "mobilisation": (),
    }


def test_a_broken_gold_file_names_file_and_line_for_every_problem(gold):
    with pytest.raises(InputError) as raised:
        gold("people:\n  - name: A\n    aliases: B\n  - {aliases: [x]}\norganisations: []\n")
    assert [(p.line, p.message.split(" ")[:2]) for p in raised.value.problems] == [
        (3, ["'aliases'", "must"]),
        (4, ["an", "entry"]),
        (5, ["unknown", "section"]),
    ]
    with pytest.raises(InputError) as raised:
        gold("people: [a\n")
    assert raised.value.problems[0].line == 2 and "invalid YAML" in raised.value.problems[0].message


def test_eval_builds_the_sample_project_in_a_scratch_folder_and_reads_an_existing_build_alike(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    project = ["--no-overrides", "--templates", str(REPO / "templates"), "--cache-dir", str(SHARED_CACHE), "-q"]

    assert main(["eval", str(SEEDS_GOLD), "--json", *project]) == 0
    built_afresh = json.loads(capsys.readouterr().out)
    assert not (tmp_path / "site").exists()
    assert set(built_afresh) == {"kinds", "never_people", "places", "topics"}
    assert set(built_afresh["kinds"]) == {"people", "countries", "organizations"}
    assert set(built_afresh["kinds"]["people"]) == {
        "pages", "optional_pages", "matched_pages", "gold", "found", "precision", "recall", "merge_accuracy",
        "unmatched_pages", "missed", "split", "merged",
    }  # fmt: skip
    assert built_afresh["kinds"]["people"]["gold"] == 38
    assert built_afresh["kinds"]["people"]["recall"] > 0.9
    assert built_afresh["topics"]["themes"] == 8

    assert main(["build", "--out", str(tmp_path / "built"), *project]) == 0
    assert main(["eval", str(SEEDS_GOLD), "--json", "--site", str(tmp_path / "built")]) == 0
    assert json.loads(capsys.readouterr().out) == built_afresh
    assert main(["eval", str(SEEDS_GOLD), "--site", str(tmp_path / "built")]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[0] == "people"


def test_eval_without_a_build_at_site_says_what_to_do(tmp_path, capsys):
    assert main(["eval", str(SEEDS_GOLD), "--site", str(tmp_path)]) == 1
    assert "briefing build" in capsys.readouterr().err
