"""Quotes are attributed only where the text names the speaker next to the quotation."""

from __future__ import annotations

import pytest

from generator.model import Entity, Mention, Paragraph, Source, SourceMentions
from generator.quotes import find_quotes

PERSON = Entity("people/a-speaker", "person", "Ann Speaker", ("Speaker",), 0.9)
OTHER = Entity("people/bo-other", "person", "Bo Other", ("Other",), 0.9)


def quotes_in(text: str, *names: tuple[Entity, str]) -> dict[str, list[str]]:
    source = Source("s", "s.txt", "S", None, None, None, (Paragraph("p-1", text),), "h")
    mentions, pos = [], 0
    for entity, surface in names:
        start = text.index(surface, pos)
        mentions.append(Mention(entity.id, "s", "p-1", start, start + len(surface), surface))
        pos = start + len(surface)
    found = find_quotes((SourceMentions.of(source, tuple(mentions)),), (PERSON, OTHER))
    return {k: [q.text for q in v] for k, v in found.items()}


@pytest.mark.parametrize("text", [
    "“We are ready to meet, but not on our knees,” Speaker told reporters.",
    '"We are ready to meet, but not on our knees," said Speaker.',
    "Speaker said: “We are ready to meet, but not on our knees.”",
    "“We are ready to meet, but not on our knees,” the president, Speaker, said.",
])
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
