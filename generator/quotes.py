"""Quotes: what the text says a person said.

A quotation is a person's only where its own sentence gives it a speech
verb, and that verb's speaker is the person:

    “I reaffirmed that …,” Zelensky said.           quote, then name and verb
    “…,” said General Maciej Klisz.                 quote, then verb and name
    Zelensky said: “Europe can defend itself.”      name and verb, then quote
    X, the alliance's chief, announced that “…”     an apposition between
    “…,” the Ukrainian president said.              a role the articles give one person

The speaker is the one the verb belongs to, not whoever is named nearby:
a person named inside the quotation, or in another sentence, is not its
speaker. A pronoun ("he said") is not followed back to a name, and a
quotation whose sentence has no speech verb is nobody's: a wrong speaker
is worse than a missing quote. A person's same words quoted by several
articles are listed once, from the first.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from .errors import Diagnostic, contained
from .lexicon import zipf
from .memo import LastRun, LastValue
from .model import Entity, Mention, Quote, SourceMentions
from .names import normalise, role_words

SPEECH_VERBS = (
    "said|says|saying|told|tells|telling|wrote|writes|writing|added|adds|adding|stated|states|stating|warned|warns|"
    "warning|declared|declares|declaring|insisted|insists|insisting|argued|argues|arguing|announced|announces|"
    "announcing|acknowledged|acknowledges|acknowledging|cautioned|cautions|stressed|stresses|stressing|claimed|claims|"
    "claiming|noted|notes|noting|urged|urges|urging|asked|asks|replied|replies|replying|responded|responds|"
    "responding|explained|explains|explaining|posted|posts|suggested|suggests|suggesting|emphasised|emphasized|"
    "emphasising|emphasizing|pledged|pledges|accused|accuses|accusing|recalled|recalls|conceded|concedes|admitted|"
    "admits|vowed|vows|predicted|predicts|tweeted|tweets|confirmed|confirms"
)
_QUOTE = re.compile(r"[“\"]([^”\"]{12,}?)[”\"]")
_ANY_QUOTE = re.compile(r"[“\"][^”\"]*[”\"]")
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(]?[A-Z])")
# Between a speaker and the verb: nothing, an apposition ("X, the alliance's secretary general, announced"),
# an auxiliary or an adverb ("X has also said").
_SUBJECT_GAP = re.compile(r"\s*(?:,[^,;:“”\"]{1,90})?,?\s*(?:(?:has|had|have|also|then|later|again|once|now|further)\s+)*")
# Between a verb and its speaker after it: titles and the like ("said General Maciej Klisz", "said Mr X").
_INVERTED_GAP = re.compile(r"\s+(?:[A-Z][\w.]*\s+){0,3}")
_ROLE_BEFORE = re.compile(r"(?:^|[\s,(])((?:[A-Za-z][\w'’\-]*\s+){0,2}[A-Za-z][\w'’\-]*)\s*,?\s+$")
_ROLE_AFTER_VERB = re.compile(r"\s+(?:the\s+)?((?:[A-Za-z][\w'’\-]*\s+){0,2}[A-Za-z][\w'’\-]*)")
_HONORIFICS = frozenset("mr mrs ms miss sir dame dr lord lady".split())
SMALL_WORD_ZIPF = 5.5
"""A lower-case word this common ("with" 6.9, "after" 6.2) is no part of a role's name."""
MIN_WORDS = 5
"""Fewer words in quotation marks are a phrase held at arm's length ("coalition of the willing"), not speech."""


class QuoteMemo:
    """What the last find_quotes made, source by source, for the next to reuse while a
    source's mentions are the very same object (see model.SourceMentions): the roles
    its sentences give the people it names, and its quotes (while the people and the
    roles the whole corpus gives them are the same). `briefing watch` keeps one, so an
    edit reads the edited article's sentences again, not the corpus's (see memo.py)."""

    def __init__(self, keep: bool = True) -> None:
        self.quotes: LastRun[str, list[tuple[str, Quote]]] = LastRun(keep)
        self.roles: LastRun[str, frozenset[tuple[str, str]]] = LastRun(keep)
        self._people: LastValue[frozenset[str]] = LastValue(frozenset())  # the people the kept roles were read for
        self._roles: LastValue[frozenset[tuple[str, str]]] = LastValue(frozenset())  # the roles the kept quotes were found with

    def start(self, people: frozenset[str]) -> frozenset[str]:
        """A source's roles are read for these people: for others, none can be reused. The
        last build's set when these equal it (see memo.LastValue)."""
        if people != self._people.value:
            self.roles.clear()
        return self._people.same(people)

    def same_roles(self, roles: frozenset[tuple[str, str]]) -> frozenset[tuple[str, str]]:
        """The last build's roles when these equal them (see memo.LastValue)."""
        return self._roles.same(roles)

    def finish(self) -> None:
        self.quotes.finish()
        self.roles.finish()


def find_quotes(by_source: tuple[SourceMentions, ...], entities: tuple[Entity, ...], memo: QuoteMemo | None = None, warnings: list[Diagnostic] | None = None) -> dict[str, tuple[Quote, ...]]:
    """Each person's quotes, in the order of the sources and their paragraphs, each
    once. With the `memo` of the last build, a source whose mentions are the same
    object keeps its roles, and its quotes while the people and the roles the
    articles give them are the same (see QuoteMemo). An article whose text defeats
    the search is a warning in `warnings` (see errors.contained)."""
    warnings = warnings if warnings is not None else []
    memo = memo or QuoteMemo(keep=False)
    people = frozenset(e.id for e in entities if e.kind == "person")
    people = memo.start(people)
    roles = memo.same_roles(_roles(by_source, people, memo.roles))
    found: dict[str, list[Quote]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for mentioned in by_source:
        find = functools.partial(contained, mentioned.source.file, functools.partial(_source_quotes, mentioned, people, roles), [], warnings)
        quoted = memo.quotes.reuse(mentioned.source.slug, (mentioned,), find, equal=(people, roles))
        for speaker, quote in quoted:
            words = (speaker, normalise(quote.text))
            if words not in seen:
                seen.add(words)
                found[speaker].append(quote)
    memo.finish()
    return {k: tuple(v) for k, v in found.items()}


def _roles(by_source: tuple[SourceMentions, ...], people: frozenset[str], memo: LastRun[str, frozenset[tuple[str, str]]]) -> frozenset[tuple[str, str]]:
    """(role, person) for the roles that the articles give exactly one person: "ukrainian president"
    from "The Ukrainian president, Volodymyr Zelenskiy" or "Ukrainian President Volodymyr Zelensky"."""
    holders: dict[str, set[str]] = defaultdict(set)
    for mentioned in by_source:
        for role, entity_id in memo.reuse(mentioned.source.slug, (mentioned,), functools.partial(_source_roles, mentioned, people)):
            holders[role].add(entity_id)
    return frozenset((role, next(iter(ids))) for role, ids in holders.items() if len(ids) == 1)


def _source_roles(mentioned: SourceMentions, people: frozenset[str]) -> frozenset[tuple[str, str]]:
    """(role, person) for each role one source's sentences put before a person's name."""
    texts = {p.id: p.text for p in mentioned.source.paragraphs}
    found: set[tuple[str, str]] = set()
    for m in mentioned.mentions:
        if m.entity_id not in people:
            continue
        before = _ROLE_BEFORE.search(texts[m.paragraph][max(0, m.start - 60) : m.start])
        if before:
            found.update((role, m.entity_id) for role in _role_keys(before.group(1)))
    return frozenset(found)


def _role_keys(phrase: str) -> list[str]:
    """The role phrases a few words name, longest first: "the Ukrainian foreign minister" ->
    "ukrainian foreign minister", "foreign minister"; nothing unless the last word is a role,
    and no phrase that starts with a small word ("with Mr", "after US president")."""
    words = phrase.split()
    keys = [normalise(w) for w in words]
    if not keys or keys[-1] not in role_words() or keys[-1] in _HONORIFICS:
        return []
    # Two words at least: "the president" alone names whoever the article is about, "Ukrainian president" one person.
    return [" ".join(keys[i:]) for i in range(len(words) - 1) if words[i][:1].isupper() or zipf(keys[i]) < SMALL_WORD_ZIPF]


def _source_quotes(mentioned: SourceMentions, people: frozenset[str], roles: frozenset[tuple[str, str]]) -> list[tuple[str, Quote]]:
    by_paragraph: dict[str, list[Mention]] = defaultdict(list)
    for m in mentioned.mentions:
        if m.entity_id in people:
            by_paragraph[m.paragraph].append(m)
    role_of = dict(roles)
    found = []
    for p in mentioned.source.paragraphs:
        if p.heading:
            continue
        speakers = by_paragraph.get(p.id, [])
        for q in _QUOTE.finditer(p.text):
            words = q.group(1).split()
            if len(words) < MIN_WORDS:
                continue  # a scare-quoted phrase ('"want" to be ruled'), not speech
            speaker = _speaker(p.text, q.start(), q.end(), speakers, role_of)
            if speaker:
                found.append((speaker, Quote(q.group(1).strip().rstrip(","), mentioned.source.link, p.id, mentioned.source.page_of[p.id])))
    return found


def _sentence(text: str, q_start: int, q_end: int) -> tuple[int, int]:
    """The bounds of the sentence holding the quotation at [q_start, q_end): sentence ends inside
    quotations do not count, but a quotation that ends one ("… to Moscow." The minister …) does."""
    masked = list(text)
    for q in _ANY_QUOTE.finditer(text):
        for i in range(q.start() + 2, q.end() - 2):  # its first letter and last mark stay: they start and end sentences
            masked[i] = "x"
    plain = "".join(masked)
    start = 0
    for m in _SENTENCE_END.finditer(plain):
        if m.end() <= q_start:
            start = m.end()
        elif m.start() >= q_end - 2:  # at the quotation's own last mark or after
            return start, m.start() + 1
    return start, len(text)


def _speaker(text: str, q_start: int, q_end: int, speakers: list[Mention], role_of: dict[str, str]) -> str | None:
    start, end = _sentence(text, q_start, q_end)
    outside = [m for m in speakers if start <= m.start and m.end <= end and not (q_start <= m.start < q_end)]
    # The sentence's speech verbs outside quotations, nearest to the quotation first.
    quoted = [(q.start(), q.end()) for q in _ANY_QUOTE.finditer(text, start, end)]
    verbs = [v for v in _VERB.finditer(text, start, end) if not any(a <= v.start() < b for a, b in quoted)]
    verbs.sort(key=lambda v: min(abs(v.start() - q_end), abs(q_start - v.end())))
    for verb in verbs:
        speaker = _verb_speaker(text, verb, outside, role_of, start)
        if speaker:
            return speaker
    if verbs:
        # "Macron has pointed the finger ..., accusing it of … and insisting that “…”": a sentence whose
        # speech verbs have no subject of their own is its opening name's.
        opening = [m for m in outside if m.start < min(v.start() for v in verbs) and len(text[start : m.start].split()) <= 4]
        if opening:
            return opening[0].entity_id
    return None


def _verb_speaker(text: str, verb: re.Match, mentions: list[Mention], role_of: dict[str, str], start: int) -> str | None:
    """Who a speech verb belongs to: the name just before it ("Zelensky said"), just after
    it ("said Mr Zelensky"), or a role the articles give one person ("the Ukrainian president said")."""
    for m in sorted((m for m in mentions if m.end <= verb.start()), key=lambda m: -m.end):
        if _SUBJECT_GAP.fullmatch(text, m.end, verb.start()):
            return m.entity_id
        break
    for m in sorted((m for m in mentions if m.start >= verb.end()), key=lambda m: m.start):
        if _INVERTED_GAP.fullmatch(text, verb.end(), m.start) or text[verb.end() : m.start] == " ":
            return m.entity_id
        break
    before = _ROLE_BEFORE.search(text[max(start, verb.start() - 50) : verb.start()])
    after = _ROLE_AFTER_VERB.match(text, verb.end())
    after_words = after.group(1).split() if after else []
    phrases = [before.group(1) if before else ""] + [" ".join(after_words[:n]) for n in range(len(after_words), 1, -1)]
    for phrase in phrases:
        for role in _role_keys(phrase):
            if role in role_of:
                return role_of[role]
    return None
