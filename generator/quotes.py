"""Quotes: what the text says a person said.

A quotation counts only where the text attributes it, next to the quote,
with a speech verb and a resolved mention of the person:

    “I reaffirmed that …,” Zelensky said.       quote, then name and verb
    “…,” said Mr Zelensky.                      quote, then verb and name
    Zelensky said: “Europe can defend itself.”  name and verb, then quote

A pronoun ("he said") is not followed back to a name: a wrong speaker is
worse than a missing quote.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .memo import LastRun
from .model import Entity, Mention, Quote, SourceMentions

SPEECH_VERBS = (
    "said|says|told|tells|wrote|writes|added|adds|stated|states|warned|warns|declared|declares|insisted|insists|"
    "argued|argues|announced|announces|acknowledged|acknowledges|cautioned|cautions|stressed|stresses|claimed|claims|"
    "noted|notes|urged|urges|asked|asks|replied|replies|responded|responds|explained|explains|posted|posts"
)
_QUOTE = re.compile(r"[“\"]([^”\"]{12,}?)[”\"]")
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
MAX_GAP = 40
"""Characters allowed between a quote and its attribution (titles, "the Ukrainian president")."""
MIN_WORDS = 4


def find_quotes(
    by_source: tuple[SourceMentions, ...], entities: tuple[Entity, ...], memo: LastRun[str, tuple] | None = None
) -> dict[str, tuple[Quote, ...]]:
    """Each person's quotes, in the order of the sources and their paragraphs. With
    the `memo` of the last build, a source whose mentions are the same object
    (see model.SourceMentions) keeps its quotes while the people are the same."""
    people = frozenset(e.id for e in entities if e.kind == "person")
    found: dict[str, list[Quote]] = defaultdict(list)
    for mentioned in by_source:
        slug = mentioned.source.slug
        kept = memo.last(slug) if memo is not None else None
        if kept is None or kept[0] is not mentioned or kept[1] != people:
            kept = (mentioned, people, _source_quotes(mentioned, people))
        if memo is not None:
            memo.use(slug, kept)
        for speaker, quote in kept[2]:
            found[speaker].append(quote)
    if memo is not None:
        memo.finish()
    return {k: tuple(v) for k, v in found.items()}


def _source_quotes(mentioned: SourceMentions, people: frozenset[str]) -> list[tuple[str, Quote]]:
    by_paragraph: dict[str, list[Mention]] = defaultdict(list)
    for m in mentioned.mentions:
        if m.entity_id in people:
            by_paragraph[m.paragraph].append(m)
    found = []
    for p in mentioned.source.paragraphs:
        speakers = by_paragraph.get(p.id)
        if not speakers or p.heading:
            continue
        for q in _QUOTE.finditer(p.text):
            words = q.group(1).split()
            if len(words) < MIN_WORDS:
                continue  # a scare-quoted phrase ('"want" to be ruled'), not speech
            speaker = _speaker(p.text, q.start(), q.end(), speakers)
            if speaker:
                found.append((speaker, Quote(q.group(1).strip().rstrip(","), mentioned.source, p.id)))
    return found


def _speaker(text: str, q_start: int, q_end: int, speakers: list[Mention]) -> str | None:
    for m in speakers:
        # “…,” Zelensky said / “…,” the president, Zelensky, said
        if q_end <= m.start <= q_end + MAX_GAP and re.match(r"^[\s,.]*(?:[^.!?“”\"]*?)$", text[q_end:m.start]):
            tail = text[m.end:m.end + 25]
            if re.match(rf"^\W*(?:{SPEECH_VERBS})\b", tail):
                return m.entity_id
        # “…,” said Zelensky
        if q_end <= m.start <= q_end + 25 and re.match(rf"^[\s,.]*(?:{SPEECH_VERBS})\s+(?:\w+\s+){{0,3}}$", text[q_end:m.start]):
            return m.entity_id
    for m in speakers:
        # Zelensky said: “…” / Zelensky said that “…”
        if m.end <= q_start and q_start - m.end <= MAX_GAP:
            between = text[m.end:q_start]
            if _VERB.search(between) and not re.search(r"[.!?]", between) and not any(o.start > m.end and o.end <= q_start for o in speakers):
                return m.entity_id
    return None
