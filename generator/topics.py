"""Topics: the themes that recur across sources, and the curated ones.

Automatic topics are salient keyphrases. The extract stage hands over
keyphrase candidates (runs of content words between stop words,
punctuation and named entities); here every sub-phrase of one to three
words gets a key (lower case, head noun singularised, so "drone attacks"
and "drone attack" share one) and a salience score: how many sources use
it, how often, and how rare its words are in general English
(`wordfreq`'s Zipf scale), so that "ceasefire" outranks "people". Phrases
built on a person's title ("prime minister") are roles, not themes.

Variants merge under their head: once "ceasefire" is a topic, "30-day
ceasefire" and "Black Sea ceasefire" are its sub-themes.

Curated topics (`content/topics.yaml`) are matched by their patterns and
join or replace automatic ones of the same name.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import sys
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import islice

from .errors import Diagnostic, contained
from .lexicon import can_be_noun, is_word, only_modifier, only_verb, singular, zipf
from .memo import Interned, LastRun
from .model import Entity, Extraction, Mention, Source
from .names import normalise, titles
from .overrides import Overrides, TopicOverride
from .slugs import unique_slugs

MAX_WORDS = 3
COMMON_WORD_ZIPF = 4.5
"""A single word this common in English ("majority" 5.0, "leader" 4.8) is a theme only where many articles use it."""
VAGUE_WORD_ZIPF = 5.3
"""A single word this common ("war" 5.5, "people" 6.2) is too vague to be a theme on its own."""
COMMON_WORD_DISCOUNT = 0.2
PROPER_NAME_SHARE = 0.5
CAPITALS_SAMPLE = 200
NAME_VETO_CONFIDENCE = 0.6
INSIDE_A_PHRASE_SHARE = 0.6
UNKNOWN_WORD_ZIPF = 3.5
"""A word the lexicon does not know that is this common ("amid" 3.9) is a function word or a name, not a theme."""
"""A phrase written with capitals at least this often inside sentences is a name, not a theme."""
MIN_SOURCES = 2
STAND_IN_WORDS = frozenset({"acting", "interim", "caretaker", "transitional"})
TEMPORARY_WORDS = frozenset({"interim", "caretaker", "transitional"})
"""Words that say the same of what they modify: an "interim", "caretaker" or "transitional" government is one theme."""
ONE_SOURCE_PHRASE_OCCURRENCES = 3
REGATHERED_SHARE = 8
"""Past one source in this many changed, every key's occurrences are gathered anew rather than mended."""
RARE_RARITY = 2.5
"""Mean (6 - Zipf) of a phrase's words above which one source is enough: "mobilisation" (3.3) passes."""


def phrase_key(words: list[str]) -> str:
    """'Drone Attacks' -> 'drone attack': lower case, head noun singular; a phrase that a
    temporary word begins keys as "interim ..." ('Transitional Government' -> 'interim government'),
    so that an article's three ways of saying it count as one theme."""
    lowered = [w.lower() for w in words]
    lowered[-1] = singular(lowered[-1])
    if len(lowered) > 1 and lowered[0] in TEMPORARY_WORDS:
        lowered[0] = "interim"
    return " ".join(lowered)


@dataclass(frozen=True)
class Topic:
    """A topic on its way to becoming an Entity of kind 'topic'."""

    name: str
    keys: tuple[str, ...]  # the head key first, then sub-themes
    subthemes: tuple[str, ...]


@dataclass(frozen=True)
class TopicResult:
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    subthemes: dict[str, tuple[str, ...]]  # entity id -> display names of its sub-themes
    warnings: tuple[Diagnostic, ...] = ()  # curated topic rules that match nothing


Occurrence = tuple[str, str, int, int, str]  # (source slug, paragraph id, start, end, surface)


class PhraseMemo:
    """Each source's phrase occurrences from the last build, reused while the
    source's text and the model's result for it (the very same object, as a
    Builder keeps it) are unchanged; and, phrase by phrase, its salience, the
    form it is shown in and a topic's mentions, while its occurrences are equal (the same tuples, from the
    sources' memo: a pointer comparison each). `briefing watch` keeps one, so an
    edit re-reads the phrases of the edited article only, gathers again only the
    keys of its phrases (see `gathered`), and weighs again only the phrases it uses."""

    def __init__(self, keep: bool = True) -> None:
        self._by_source: LastRun[str, list[tuple[str, Occurrence]]] = LastRun(keep)
        self._gathered_from: dict[str, list[tuple[str, Occurrence]]] = {}  # the last build's phrases, source by source
        self._gathered: defaultdict[str, list[Occurrence]] = defaultdict(list)  # ... and by key, in the sources' order
        self.mention = Interned(Mention, keep)  # the last build's Mention where one is unchanged
        self.salience: LastRun[str, float] = LastRun(keep)  # phrase key -> its salience, for these corpus-wide inputs:
        self._weighed_with: tuple = ()  # (sources, names) the kept saliences were weighed with
        self.display: LastRun[str, str] = LastRun(keep)  # phrase key -> the form a page shows it in
        self.topic_mentions: LastRun[str, tuple[tuple[tuple, ...], tuple[Mention, ...], tuple[str, ...]]] = LastRun(keep)  # entity id -> its mentions' fields, its mentions, its aliases

    def weigh_with(self, n_sources: int, names: frozenset[str]) -> None:
        """Saliences are weighed against the number of sources and the names: another
        number or other names, and none can be reused."""
        if (n_sources, names) != self._weighed_with:
            self.salience.clear()
        self._weighed_with = (n_sources, names)

    def occurrences(self, source: Source, extraction: Extraction, warnings: list[Diagnostic]) -> list[tuple[str, Occurrence]]:
        """The source's phrases; a failure on its text is a warning in `warnings` (see errors.contained)."""
        find = functools.partial(contained, source.file, functools.partial(_source_occurrences, source, extraction), [], warnings)
        return self._by_source.reuse(source.slug, (extraction.paragraphs,), find, equal=(source.content_hash,))

    def prepare(self, source: Source, extraction: Extraction) -> None:
        """Find the source's phrases ahead of the topics: while the model runs on the next sources."""
        find = functools.partial(_source_occurrences, source, extraction)
        with contextlib.suppress(Exception):  # the topics find them again, and report the failure
            self._by_source.ahead(source.slug, (extraction.paragraphs,), find, equal=(source.content_hash,))

    def finish(self) -> None:
        self._by_source.finish()
        self.mention.finish()
        self.salience.finish()
        self.display.finish()
        self.topic_mentions.finish()

    def gathered(self, by_source: dict[str, list[tuple[str, Occurrence]]]) -> defaultdict[str, list[Occurrence]]:
        """Every source's phrases by key, each key's in the sources' order: the last build's,
        with the keys of the few sources that changed gathered again, each a new list (so
        the memos above, which compare a key's occurrences, see which changed); or all
        gathered anew when the sources or their order changed, or many of them did."""
        order = list(by_source)
        changed = [slug for slug, phrases in by_source.items() if self._gathered_from.get(slug) is not phrases]
        if order != list(self._gathered_from) or len(changed) > len(order) // REGATHERED_SHARE or not self._by_source.keep:
            found: defaultdict[str, list[Occurrence]] = defaultdict(list)
            for phrases in by_source.values():
                for key, occurrence in phrases:
                    found[key].append(occurrence)
        else:
            found = self._gathered
            position = {slug: i for i, slug in enumerate(order)}
            for slug in changed:
                now: dict[str, list[Occurrence]] = defaultdict(list)
                for key, occurrence in by_source[slug]:
                    now[key].append(occurrence)
                for key in now.keys() | {key for key, _ in self._gathered_from[slug]}:
                    kept = found.get(key, [])
                    # A key's occurrences are in the sources' order: the source's run is found by bisection.
                    first = bisect_left(kept, position[slug], key=lambda o: position[o[0]])
                    end = bisect_right(kept, position[slug], lo=first, key=lambda o: position[o[0]])
                    if gathered := kept[:first] + now.get(key, []) + kept[end:]:
                        found[key] = gathered
                    else:
                        del found[key]
        if self._by_source.keep:
            self._gathered_from, self._gathered = by_source, found
        return found


def _occurrences(sources: tuple[Source, ...], extractions: dict[str, Extraction], memo: PhraseMemo, warnings: list[Diagnostic]) -> defaultdict[str, list[Occurrence]]:
    """Every sub-phrase occurrence: key -> [(source, paragraph, start, end, surface)], in the sources' order."""
    return memo.gathered({source.slug: memo.occurrences(source, extractions[source.slug], warnings) for source in sources})


def _source_occurrences(source: Source, extraction: Extraction) -> list[tuple[str, Occurrence]]:
    """One source's sub-phrase occurrences, each with its key.

    A candidate run is cut at words the lexicon knows only as verbs
    ("maintain sanctions" -> "sanctions"), and a sub-phrase must end in a
    word that can be a noun: themes are noun phrases."""
    found: list[tuple[str, Occurrence]] = []
    texts = {p.id: p.text for p in source.paragraphs}
    for analysis in extraction.paragraphs:
        text = texts[analysis.paragraph_id]
        for start, end in analysis.phrases:
            words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
            for run in _split_at_verbs(text, words):
                for i in range(len(run)):
                    if _BRACKETED_CREDIT.match(text, run[i][0] - 1) or (_AFTER_A_NUMBER.search(text, max(0, run[i][0] - 16), run[i][0]) and not is_word(text[run[i][0] : run[i][1]])):
                        continue  # "(dpa/GNA)": a credit; "64.2 crore voters": a unit of another language's numbers
                    for j in range(i + 1, min(i + MAX_WORDS, len(run)) + 1):
                        a, b = run[i][0], run[j - 1][1]
                        surface = sys.intern(text[a:b])  # interned, as the key: a cold build holds every source's while the model runs
                        if can_be_noun(text[run[j - 1][0] : b]):
                            found.append((sys.intern(phrase_key(surface.split())), (source.slug, analysis.paragraph_id, a, b, surface)))
    return found


_AFTER_A_NUMBER = re.compile(r"(?<![\w.])\d[\d.,]*%?\s+$")
_BRACKETED_CREDIT = re.compile(r"\(\w+[/)]")


_OBJECT_AFTER = re.compile(r"\s+(?:the|a|an|his|her|its|their|our|this|these|those)\s", re.IGNORECASE)
"""A determiner after an -ing word makes it a verb with its object: "marking the first time"."""


def _split_at_verbs(text: str, words: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    runs: list[list[tuple[int, int]]] = [[]]
    for a, b in words:
        if only_verb(text[a:b]) or (text.endswith("ing", a, b) and _OBJECT_AFTER.match(text, b)):
            runs.append([])
        else:
            runs[-1].append((a, b))
    return [r for r in runs if r]


def _salience(key: str, occurrences: list, n_sources: int = 0, names: frozenset[str] = frozenset()) -> float:
    words = key.split()
    if any(len(w) < 3 for w in words) or any(w in titles() for w in words) and not (len(words) == 2 and words[0] in STAND_IN_WORDS):
        return 0.0  # a title is a role, not a theme; but someone standing in ("acting president") is a story
    if key in names or any(w in names for w in words) and len(words) == 1:
        return 0.0  # "ilya", "modi": a name has a page of its own
    if len(words) == 1 and not is_word(words[0]) and zipf(words[0]) >= UNKNOWN_WORD_ZIPF:
        return 0.0
    sources = len({o[0] for o in occurrences})
    if sources < MIN_SOURCES and len(occurrences) < 2:
        return 0.0  # cheap before the checks below, which read every occurrence
    if _capitalised_share(occurrences) >= PROPER_NAME_SHARE:
        return 0.0  # "Getty Images", "India bloc": written as a name, read as one
    discount = 1.0
    if len(words) == 1 and zipf(words[0]) >= COMMON_WORD_ZIPF:
        # A common word ("majority", "ban") is a theme only where many articles keep using it,
        # and then ranks below the phrases that say more.
        if zipf(words[0]) >= VAGUE_WORD_ZIPF or sources < max(3, n_sources // 8) or only_modifier(words[0]) or not is_word(words[0]):
            return 0.0  # ... and "amid", a common word the lexicon knows as no noun, never is
        discount = COMMON_WORD_DISCOUNT
    rarity = sum(max(0.0, 6.0 - zipf(w)) for w in words) / len(words)
    # One article can make a theme of a rare word it keeps using ("mobilisation").
    # ... and so can a phrase it keeps using ("buffer zone" four times).
    if sources < MIN_SOURCES and not (len(occurrences) >= 2 and rarity >= RARE_RARITY) and not (len(words) > 1 and len(occurrences) >= ONE_SOURCE_PHRASE_OCCURRENCES):
        return 0.0
    if len(words) > 1:
        if only_modifier(words[0]) and zipf(words[0]) >= COMMON_WORD_ZIPF:
            return 0.0  # "possible deployment", "new troops": a common modifier adds no theme ("martial law" stays)
        rarity = max(rarity, 1.0) * 2.5  # a phrase that recurs is a collocation, even of common words
    # A theme recurs within articles as well as across them.
    return math.sqrt(sources) * len(occurrences) * rarity * discount


def _phrase_holding(word: str, found: dict, with_word: dict[str, list[str]]) -> str | None:
    """The phrase most of a word's occurrences are inside ("exit poll" for "exit"), or the most
    frequent of the recurring phrases it modifies when together they hold most of it ("interim
    government" of "interim government" and "interim solution"): the phrase is the theme then,
    not the word. None when the word stands mostly on its own."""
    own = len(found[word])
    pairs = sorted((k for k in with_word[word] if len(k.split()) == 2), key=lambda k: (-len(found[k]), k))
    if pairs and len(found[pairs[0]]) >= INSIDE_A_PHRASE_SHARE * own:
        return pairs[0]
    modified = [k for k in pairs if k.split()[0] == word and len(found[k]) >= 2]
    if modified and sum(len(found[k]) for k in modified) >= INSIDE_A_PHRASE_SHARE * own:
        return modified[0]
    return None


def _keys_by_word(found: dict) -> dict[str, list[str]]:
    """word -> the phrase keys of more than one word that have it as a word: where to look for
    the phrases a key is part of, instead of in every key (heads times keys on a large corpus)."""
    with_word: dict[str, list[str]] = defaultdict(list)
    for key in found:
        if " " in key:
            for word in set(key.split()):
                with_word[word].append(key)
    return with_word


def _capitalised_share(occurrences: list) -> float:
    """How often a phrase is written with capitals, leaving out where a sentence or headline may start it;
    judged from its first CAPITALS_SAMPLE such occurrences, so a phrase a big corpus repeats costs no more."""
    inside = list(islice((o for o in occurrences if o[2] > 0), CAPITALS_SAMPLE))
    if not inside:
        return 0.0
    return sum(1 for o in inside if any(w[:1].isupper() for w in o[4].split())) / len(inside)


def automatic_topics(found: dict, n_sources: int, names: frozenset[str] = frozenset(), memo: PhraseMemo | None = None) -> list[Topic]:
    memo = memo or PhraseMemo(keep=False)
    memo.weigh_with(n_sources, names)

    def salience(key: str) -> float:
        occurrences = found[key]
        return memo.salience.reuse(key, (), lambda: _salience(key, occurrences, n_sources, names), equal=(occurrences,))

    def display(key: str) -> str:
        occurrences = found[key]
        return memo.display.reuse(key, (), lambda: _display(occurrences), equal=(occurrences,))

    scored = sorted(((s, k) for k in found if (s := salience(k)) > 0), key=lambda sk: (-sk[0], sk[1]))
    with_word = _keys_by_word(found)
    limit = max(14, min(60, 8 + 3 * n_sources // 4))
    heads: list[str] = []
    for _score, key in scored:
        if len(heads) >= limit:
            break
        if " " not in key and (phrase := _phrase_holding(key, found, with_word)) is not None:
            # The phrase that holds the word is the theme ("exit poll", not "exit"), and it ranks
            # where the word did; a name that holds it ("India bloc") is no theme.
            if salience(phrase) == 0:
                continue
            key = phrase
        # A phrase that ends in a chosen head or contains one is a variant of it;
        # the bare head noun of a chosen phrase ("guarantee" of "security guarantee") is vaguer than it.
        if any(key == h or key.endswith(" " + h) or f" {h} " in f" {key} " or h.endswith(" " + key) for h in heads):
            continue
        heads.append(key)
    topics = []
    for head in heads:
        # A variant has the head's last word among its words.
        variants = sorted(
            (k for k in with_word[head.split()[-1]] if k != head and (k.endswith(" " + head) or (len(head.split()) > 1 and f" {head} " in f" {k} "))),
            key=lambda k: (-len(found[k]), k),
        )
        shown = [k for k in variants if len(found[k]) >= 2][:8]
        topics.append(Topic(display(head), (head, *variants), tuple(display(k) for k in shown)))
    return topics


def _display(occurrences: list) -> str:
    """The most common written form, lower-cased unless it is a name-like capitalisation."""
    forms = Counter(o[4].lower() for o in occurrences)
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _topic_mentions(entity_id: str, head: list[Occurrence], mention: Interned[Mention]) -> tuple[tuple[tuple, ...], tuple[Mention, ...], tuple[str, ...]]:
    """A topic's mentions, in the sources' order, with the fields each was made of, and
    the words it matched: every variant contains the head phrase, so the head's
    occurrences are all its passages."""
    fields = tuple((entity_id, *hit) for hit in sorted(set(head), key=lambda o: (o[0], o[1], o[2])))
    return fields, tuple(mention(*f) for f in fields), tuple(sorted({f[5] for f in fields}))


def _pattern_regex(patterns: tuple[str, ...]) -> re.Pattern:
    """Words and phrases, case-insensitive, each word also in its plural; '*' ends a prefix."""
    alternatives = []
    for pattern in patterns:
        words = []
        for word in pattern.split():
            if word.endswith("*"):
                words.append(re.escape(word[:-1]) + r"\w*")
            else:
                words.append(re.escape(word) + r"(?:s|es)?")
        alternatives.append(r"\s+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


def build_topics(
    sources: tuple[Source, ...],
    extractions: dict[str, Extraction],
    overrides: Overrides,
    memo: PhraseMemo | None = None,
    entities: tuple[Entity, ...] = (),
) -> TopicResult:
    """Topics from the phrases; a phrase that is (a word of) an entity's name is no theme."""
    memo = memo or PhraseMemo(keep=False)
    failed: list[Diagnostic] = []  # articles whose phrases could not be read
    found = _occurrences(sources, extractions, memo, failed)
    # Names resolution is sure of: a one-off "Exit Poll" place must not take the theme away.
    sure = [e for e in entities if e.confidence > NAME_VETO_CONFIDENCE]
    names = frozenset(normalise(n) for e in sure for n in (e.name, *e.aliases)) | frozenset(w for e in sure if e.kind == "person" for w in normalise(e.name).split())
    topics: list[Topic] = automatic_topics(found, len(sources), names, memo) if overrides.automatic_topics else []
    curated: dict[str, TopicOverride] = {t.name.lower(): t for t in overrides.topics}
    warnings = [
        t.origin.warn(f"hidden topic '{t.name}' is not among the automatic topics; nothing to hide") for t in overrides.topics if t.hidden and t.name.lower() not in {a.name.lower() for a in topics}
    ]
    topics = [t for t in topics if t.name.lower() not in curated]
    slugs = unique_slugs([t.name for t in topics] + [t.name for t in overrides.topics if not t.hidden])

    made: list[Entity] = []
    mentions: list[Mention] = []
    subthemes: dict[str, tuple[str, ...]] = {}
    for topic, slug in zip(topics, slugs, strict=False):  # the curated topics' slugs follow
        entity_id = f"topics/{slug}"
        head = found[topic.keys[0]]
        kept = memo.topic_mentions.found(entity_id, (), equal=(head,))
        if kept is not None:
            memo.mention.carry(kept[0])  # the same Mentions next time too, for the stages that know them by identity
        fields, found_here, aliases = memo.topic_mentions.reuse(entity_id, (), functools.partial(_topic_mentions, entity_id, head, memo.mention), equal=(head,))
        mentions.extend(found_here)
        made.append(Entity(entity_id, "topic", topic.name, aliases, 0.9, patterns=topic.keys))
        subthemes[entity_id] = topic.subthemes

    for override, slug in zip((t for t in overrides.topics if not t.hidden), slugs[len(topics) :], strict=True):
        entity_id = f"topics/{slug}"
        patterns = override.patterns or (override.name,)
        regex = _pattern_regex(patterns)
        hits: list[Occurrence] = []
        for source in sources:
            for p in source.paragraphs:
                hits.extend((source.slug, p.id, m.start(), m.end(), m.group(0)) for m in regex.finditer(p.text))
        if not hits:
            warnings.append(override.origin.warn(f"topic '{override.name}': no passage matches its patterns"))
            continue
        mentions.extend(memo.mention(entity_id, s, pid, a, b, t) for s, pid, a, b, t in hits)
        made.append(
            Entity(
                entity_id,
                "topic",
                override.name,
                tuple(sorted({h[4] for h in hits})),
                1.0,
                patterns=patterns,
                description=override.description,
            )
        )
        subthemes[entity_id] = ()
    memo.finish()
    return TopicResult(tuple(made), tuple(mentions), subthemes, tuple(failed + warnings))
