"""No article stops a build: articles made from real paragraphs with random damage (glued and
cut words, hyphenated and dotted names, acronyms, stray markup, other scripts, long lines) go
through the whole build, the real model included. Hypothesis finds the damage that breaks it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator.build import build
from generator.errors import contained
from generator.project import Project

PARAGRAPHS = [p.strip() for path in sorted((REPO / "seeds").glob("*")) for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 8 and not p.startswith("---")][:40]

SCRIPTS = ["مرحبا بالعالم", "שלום עולם", "안녕하세요 세계", "你好世界", "Привет мир", "नमस्ते दुनिया", "🙂🔥", "\u200b\u00a0"]
MARKUP = ["<b>", "</i>", "**", "[link](javascript:x)", "<script>", "&amp;", "#", "|", "—", "“", "’s", "(", ")", "..."]
ACRONYMS = ["NATO", "U.S.", "AfD", "ECI", "E.U.", "SDA", "Keystone-SDA", "al-", "bin", "Abu", "Mr.", "Dr"]


def damaged(paragraph: str, draw) -> str:
    words = paragraph.split()
    for _ in range(draw(st.integers(0, 6))):
        if not words:
            break
        i = draw(st.integers(0, len(words) - 1))
        action = draw(st.sampled_from(["glue", "cut", "hyphen", "dot", "insert", "script", "markup", "upper", "drop"]))
        if action == "glue" and i + 1 < len(words):
            words[i : i + 2] = [words[i] + words[i + 1]]
        elif action == "cut":
            words[i] = words[i][: max(1, len(words[i]) // 2)]
        elif action == "hyphen":
            words[i] = words[i] + "-" + words[(i + 1) % len(words)]
        elif action == "dot":
            words[i] = ".".join(words[i]) + "."
        elif action == "insert":
            words.insert(i, draw(st.sampled_from(ACRONYMS)))
        elif action == "script":
            words.insert(i, draw(st.sampled_from(SCRIPTS)))
        elif action == "markup":
            words[i] = draw(st.sampled_from(MARKUP)) + words[i] + draw(st.sampled_from(MARKUP))
        elif action == "upper":
            words[i] = words[i].upper()
        elif action == "drop":
            del words[i]
    text = " ".join(words)
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        text = (text + " ") * 40  # a long line
    return text


@st.composite
def articles(draw) -> list[str]:
    found = []
    for _ in range(draw(st.integers(1, 3))):
        paragraphs = draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=4))
        found.append("\n\n".join(damaged(p, draw) for p in paragraphs))
    return found


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(articles())
def test_any_damaged_article_gives_a_site(texts):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        seeds = root / "seeds"
        seeds.mkdir()
        for i, text in enumerate(texts):
            (seeds / f"article-{i}.txt").write_text(text, encoding="utf-8")
        (root / "content").mkdir()
        shutil.copytree(REPO / "templates", root / "templates")
        report = build(Project(seeds=seeds, content=root / "content", templates=root / "templates", out=root / "site", cache=None))
        assert report.sources == len(texts)
        assert (root / "site" / "index.html").is_file()


def test_an_article_that_used_to_crash_resolution_gives_a_site(scratch_project):
    """'Keystone-SDA' beside 'SDA' alone ended in an IndexError while organisation names were merged."""
    (scratch_project.seeds / "swiss.txt").write_text(
        "Swiss news agency Keystone-SDA reported the vote on Sunday.\n\nTurnout was high, SDA said. The White House and the House of Representatives said nothing.\n",
        encoding="utf-8",
    )
    report = build(scratch_project)
    assert report.sources == 3 and (scratch_project.out / "index.html").is_file()
    names = (scratch_project.out / "briefing.json").read_text(encoding="utf-8")
    assert '"White House"' in names and '"House"' not in names


def test_a_failure_in_one_articles_analysis_is_a_warning_naming_it():
    warnings: list = []

    def broken():
        raise IndexError("list index out of range")

    assert contained("seeds/odd.txt", broken, [], warnings) == []
    assert [str(w) for w in warnings] == [
        "seeds/odd.txt: could not analyse this article (IndexError: list index out of range); what it names is left out of the site. Please report this with the article"
    ]


# -- resolution and topics alone, on any spans the model could give (no model: thousands of cases) --

TOKENS = [
    *ACRONYMS,
    *SCRIPTS[:4],
    *MARKUP,
    "the",
    "in",
    "and",
    "y",
    "said",
    ",",
    ".",
    "Varnia",
    "National",
    "Assembly",
    "Assembly’s",
    "Ria",
    "Lindqvist",
    "Halvard",
    "Brekke",
    "al-Qamar",
    "Harakat",
    "Nour",
    "(HNQ)",
    "(HNQ)-led",
    "20:00",
    "CEST",
    "9pm",
    "KNA",
    "Photo/Anna",
    "(KNA):",
    "manager",
    "boss",
    "ex-Rotherham",
    "FC",
    "acting",
    "president",
    "O'Neill",
    "Ma’arif",
    "2024",
    "F-16s",
    "#TAG",
    "OpenAI",
    "Turkeywill",
    "•",
    "…",
    "(ABCDEFGH)",
    "()",
]
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"]


@st.composite
def analysed_articles(draw) -> tuple:
    from generator.model import Extraction, Paragraph, ParagraphAnalysis, Source, Span

    sources, extractions = [], {}
    for a in range(draw(st.integers(1, 3))):
        paragraphs, analyses = [], []
        for i in range(draw(st.integers(1, 3))):
            words = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=20))
            text = " ".join(words)
            starts = [sum(len(w) + 1 for w in words[:k]) for k in range(len(words))]
            spans, k = [], 0
            while k < len(words):
                n = draw(st.integers(0, 3))  # 0: no span here
                if n:
                    last = min(len(words), k + n) - 1
                    spans.append(Span(starts[k], starts[last] + len(words[last]), draw(st.sampled_from(LABELS))))
                k += max(n, 1)
            phrases = tuple((starts[k], starts[k] + len(w)) for k, w in enumerate(words) if w.isalpha())
            paragraphs.append(Paragraph(f"p-{i}", text, heading=draw(st.booleans())))
            analyses.append(ParagraphAnalysis(f"p-{i}", ((0, len(text)),), tuple(spans), phrases))
        slug = f"a{a}"
        sources.append(Source(slug, f"{slug}.txt", slug, None, None, None, tuple(paragraphs), slug))
        extractions[slug] = Extraction(slug, tuple(analyses))
    return tuple(sources), extractions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(analysed_articles())
def test_any_spans_over_any_text_are_resolved_with_true_offsets_and_no_failed_article(corpus):
    from generator.gazetteer import load_gazetteer
    from generator.overrides import Overrides
    from generator.resolve import resolve
    from generator.topics import build_topics

    sources, extractions = corpus
    resolution = resolve(sources, extractions, load_gazetteer(), Overrides())
    topics = build_topics(sources, extractions, Overrides(), None, resolution.entities)
    assert [w for w in resolution.warnings + topics.warnings if "could not analyse" in w.message] == []
    texts = {(s.slug, p.id): p.text for s in sources for p in s.paragraphs}
    for m in resolution.mentions + topics.mentions:
        assert texts[(m.source, m.paragraph)][m.start : m.end] == m.text
