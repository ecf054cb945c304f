"""Which phrases become topics: build_topics on hand-made articles and phrase candidates (no model)."""

from __future__ import annotations

import re

from generator.model import Extraction, Paragraph, ParagraphAnalysis, Source
from generator.overrides import Overrides
from generator.topics import build_topics


def article(slug: str, *texts: str) -> tuple[Source, Extraction]:
    """Every run of words between punctuation is a phrase candidate, as the extract stage gives them."""
    paragraphs, analyses = [], []
    for i, text in enumerate(texts):
        pid = f"p-{slug}-{i}"
        phrases = tuple((m.start(), m.end()) for m in re.finditer(r"[^,.;:()]+", text) if m.group(0).strip())
        phrases = tuple((a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip()))) for a, b in phrases)
        paragraphs.append(Paragraph(pid, text))
        analyses.append(ParagraphAnalysis(pid, ((0, len(text)),), (), phrases))
    return Source(slug, f"{slug}.txt", slug, None, None, None, tuple(paragraphs), slug), Extraction(slug, tuple(analyses))


def topic_names(*articles) -> list[str]:
    sources = tuple(a[0] for a in articles)
    result = build_topics(sources, {a[1].source_slug: a[1] for a in articles}, Overrides())
    return sorted(e.name for e in result.entities)


def test_a_phrase_one_article_keeps_using_is_a_theme():
    names = topic_names(
        article("a", "Troops held the buffer zone.", "The buffer zone stayed closed.", "Talks on the buffer zone failed; the buffer zone was shelled."),
        article("b", "Markets were calm."),
    )
    assert "buffer zone" in names


def test_a_unit_of_counting_and_an_agency_credit_are_no_themes():
    texts = ("Some 64 crore voters; 12 crore women (dpa/KNA).", "About 3 crore polling staff (dpa) worked.")
    names = topic_names(article("a", *texts), article("b", *texts), article("c", *texts))
    assert "crore" not in names and "dpa" not in names
    assert "voters" in names


def test_someone_standing_in_is_a_theme_and_a_title_alone_is_a_role():
    texts = ("The acting president met the prime minister.", "The acting president spoke; the prime minister left.")
    names = topic_names(article("a", *texts), article("b", *texts), article("c", "Markets were calm."))
    assert "acting president" in names
    assert not any("prime minister" in n or n == "president" for n in names)


def test_an_article_whose_phrases_cannot_be_read_is_a_warning_and_the_rest_has_its_topics():
    good = [article(slug, "Troops held the buffer zone.", "The buffer zone stayed closed.") for slug in ("a", "b")]
    source, extraction = article("c", "Markets were calm.")
    broken = Extraction("c", (ParagraphAnalysis("p-not-in-the-article", ((0, 5),), (), ((0, 5),)),))  # a model result of another text
    result = build_topics((good[0][0], good[1][0], source), {"a": good[0][1], "b": good[1][1], "c": broken}, Overrides())
    assert "buffer zone" in [e.name for e in result.entities]
    assert [(w.file, "could not analyse this article" in w.message) for w in result.warnings] == [("c.txt", True)]
