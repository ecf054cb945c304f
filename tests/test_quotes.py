"""Quotes are attributed only where the text names the speaker next to the quotation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.build import find_entities
from generator.extract import Extractor
from generator.ingest import ingest
from generator.model import Entity, Mention, Paragraph, Source, SourceMentions
from generator.overrides import Overrides
from generator.quotes import QuoteMemo, find_quotes

PERSON = Entity("people/a-speaker", "person", "Ann Speaker", ("Speaker",), 0.9)
OTHER = Entity("people/bo-other", "person", "Bo Other", ("Other",), 0.9)


@pytest.fixture(scope="module")
def sample_quotes() -> dict[str, list]:
    """The quotes found in the sample articles with no curation, by the name of the speaker's page."""
    from conftest import REPO, SHARED_CACHE

    sources, _ = ingest(REPO / "seeds")
    extractions = Extractor("en_core_web_sm", SHARED_CACHE).run(sources).extractions
    found = find_entities(sources, extractions, Overrides())
    names = {e.id: e.name for e in found.entities}
    return {names[speaker]: list(quotes) for speaker, quotes in found.quotes.items()}


def quotes_in(text: str, *names: tuple[Entity, str]) -> dict[str, list[str]]:
    source = Source("s", "s.txt", "S", None, None, None, (Paragraph("p-1", text),), "h")
    mentions, pos = [], 0
    for entity, surface in names:
        start = text.index(surface, pos)
        mentions.append(Mention(entity.id, "s", "p-1", start, start + len(surface), surface))
        pos = start + len(surface)
    found = find_quotes((SourceMentions.of(source, tuple(mentions)),), (PERSON, OTHER))
    return {k: [q.text for q in v] for k, v in found.items()}


@pytest.mark.parametrize(
    "text",
    [
        "“We are ready to meet, but not on our knees,” Speaker told reporters.",
        '"We are ready to meet, but not on our knees," said Speaker.',
        "Speaker said: “We are ready to meet, but not on our knees.”",
        "“We are ready to meet, but not on our knees,” the president, Speaker, said.",
    ],
)
def test_an_attributed_quotation_is_the_speakers(text):
    found = quotes_in(text, (PERSON, "Speaker"))
    assert list(found) == [PERSON.id]
    assert found[PERSON.id][0].rstrip(".") == "We are ready to meet, but not on our knees"


def test_a_pronoun_is_not_followed_back_to_a_name():
    assert quotes_in("Speaker arrived. “We are ready to meet, on our terms,” he said.", (PERSON, "Speaker")) == {}


def test_a_scare_quoted_phrase_is_not_speech():
    assert quotes_in("Speaker said Ukrainians “want” to be ruled by others.", (PERSON, "Speaker")) == {}


def test_a_quotation_about_someone_is_not_theirs():
    found = quotes_in("Other said that “Speaker has shown he is not a serious player in talks”.", (OTHER, "Other"), (PERSON, "Speaker"))
    assert list(found) == [OTHER.id]


def test_a_role_the_articles_give_one_person_names_the_speaker():
    source = Source(
        "s",
        "s.txt",
        "S",
        None,
        None,
        None,
        (
            Paragraph("p-1", "The Freedonian president, Ann Speaker, arrived."),
            Paragraph("p-2", "“We will not give up an inch of our land,” the Freedonian president said."),
        ),
        "h",
    )
    start = source.paragraphs[0].text.index("Ann Speaker")
    mention = Mention(PERSON.id, "s", "p-1", start, start + len("Ann Speaker"), "Ann Speaker")
    found = find_quotes((SourceMentions.of(source, (mention,)),), (PERSON, OTHER))
    assert [q.text for q in found[PERSON.id]] == ["We will not give up an inch of our land"]


def introduced(slug: str, introductions: tuple[tuple[Entity, str], ...], text: str = "") -> SourceMentions:
    """A source that gives people a role ("The Freedonian president, Ann Speaker, arrived."), then says `text`."""
    paragraphs = tuple(Paragraph(f"p-{i}", f"The {role}, {entity.name}, arrived.") for i, (entity, role) in enumerate(introductions)) + (Paragraph("p-q", text),)
    mentions = tuple(Mention(entity.id, slug, f"p-{i}", len(f"The {role}, "), len(f"The {role}, {entity.name}"), entity.name) for i, (entity, role) in enumerate(introductions))
    return SourceMentions.of(Source(slug, f"{slug}.txt", slug, None, None, None, paragraphs, slug + "".join(p.text for p in paragraphs)), mentions)


def test_a_kept_memo_finds_what_a_fresh_search_finds_when_another_article_changes_whom_a_role_names():
    quoted = introduced("b", (), "“We will not give up an inch of our land,” the Freedonian president said.")
    memo = QuoteMemo()
    before = (introduced("a", ((PERSON, "Freedonian president"),)), quoted)
    assert [q.text for q in find_quotes(before, (PERSON, OTHER), memo)[PERSON.id]] == ["We will not give up an inch of our land"]
    # Another article gives the role to a second person as well: it names neither, and the unchanged article's quote is nobody's.
    after = (introduced("a", ((PERSON, "Freedonian president"), (OTHER, "Freedonian president"))), quoted)
    assert find_quotes(after, (PERSON, OTHER), memo) == find_quotes(after, (PERSON, OTHER)) == {}
    assert memo.roles.reused == 1 and memo.quotes.reused == 0  # the unchanged article's roles, not its quotes
    assert find_quotes(after, (PERSON, OTHER), memo) == {} and memo.roles.reused == 3 and memo.quotes.reused == 2


def test_a_quotation_alone_in_its_sentence_is_nobodys():
    assert quotes_in("“If Bo wants peace, he should come here.” Speaker responded that “this is a mockery of the talks”.", (OTHER, "Bo"), (PERSON, "Speaker")) == {
        PERSON.id: ["this is a mockery of the talks"]
    }


def test_the_speaker_is_the_verbs_not_the_name_nearest_the_quotation():
    found = quotes_in("But Other “has shown he is not a serious player in these talks”, Speaker warned.", (OTHER, "Other"), (PERSON, "Speaker"))
    assert list(found) == [PERSON.id]


def test_the_same_words_quoted_by_two_articles_are_listed_once():
    text = "Speaker said it was a “decisive phase to end the war of aggression”."
    sources = [Source(s, f"{s}.txt", s, None, None, None, (Paragraph("p-1", text),), s) for s in ("a", "b")]
    mentioned = tuple(SourceMentions.of(s, (Mention(PERSON.id, s.slug, "p-1", 0, 7, "Speaker"),)) for s in sources)
    assert len(find_quotes(mentioned, (PERSON,))[PERSON.id]) == 1


def test_the_sample_articles_quotes_match_their_gold_list(sample_quotes):
    gold = yaml.safe_load((Path(__file__).parent / "data" / "quotes-gold.yaml").read_text(encoding="utf-8"))
    found = [(speaker, q.text) for speaker, quotes in sample_quotes.items() for q in quotes]
    correct = [(s, t) for s, t in found if any(g["speaker"] == s and t.startswith(g["quote"]) for g in gold)]
    recalled = [g for g in gold if any(s == g["speaker"] and t.startswith(g["quote"]) for s, t in found)]
    assert len(correct) == len(found), f"quotes credited to the wrong person or not speech: {set(found) - set(correct)}"
    assert len(recalled) / len(gold) >= 0.9, f"missed: {[g for g in gold if g not in recalled]}"
