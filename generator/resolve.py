"""Resolve: turn the model's spans into entities and mentions. A pure function.

The steps, in order:

1. Clean each span, one article at a time (cleaning.py): leading "the",
   possessives, titles ("President", "Mr"), text glued on by lost spaces;
   drop spans that cannot be names (digits, "withUS"), and spans inside
   Title-Case headlines, where the model mistakes every capitalised word
   for a name.
2. Type each cleaned span: the gazetteer knows countries (by name, short
   form and demonym) and places; what it does not know is a name, voted a
   person, organisation or place by its labels across the whole corpus,
   with titles as extra evidence for a person.
3. Merge names: a bare surname joins the full name used in the same
   article, else the only full name in the corpus it fits; full names that
   are spelling or transliteration variants of each other merge when both
   given name and surname agree; organisations merge across case,
   acronyms ("EU" / "European Union") and prefixes ("EU European Council").
4. Link the aliases found back into every paragraph, so that a name the
   model missed once (or in a headline) is still linked.

When unsure, resolution keeps two names apart: a wrong merge is worse
than a split, and `briefing suggest` proposes the doubtful ones.
"""

from __future__ import annotations

import functools
import re
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, combinations, groupby, pairwise
from operator import attrgetter

from .cleaning import WORDLIKE_NAME_ZIPF, Candidate, Cleaner
from .errors import Diagnostic, contained
from .gazetteer import Gazetteer
from .lexicon import is_word, zipf
from .memo import Interned, LastRun, LastValue
from .model import KIND_FOLDERS, Entity, Extraction, Mention, Resolution, Source
from .names import (
    SurnameIndex,
    event_words,
    initials,
    institution_words,
    is_acronym,
    is_acronym_like,
    is_given_name,
    is_glued,
    name_particles,
    normalise,
    place_words,
    same_person_name,
    similar_surnames,
)
from .overrides import EntityOverride, Overrides
from .slugs import slugify, unique_slugs

MIN_PAGE_CONFIDENCE = 0.35
"""Entities below this confidence get no page; `briefing suggest` lists them."""
EVIDENCE_AGREEMENT = 0.8
"""How far the name's own evidence (an institution's word, a given name) is trusted where every label disagrees."""

_ALIAS_FLAGS = (re.IGNORECASE, 0)  # curated aliases match in any case, extracted ones with their case ("US" is not "us")
_AliasMatch = tuple[str, int, int, str, int]  # paragraph id, start, end, the text, which table of aliases (see _ALIAS_FLAGS)
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_HYPHENATED_GIVEN_NAME = re.compile(r"[A-Z][a-z]{1,4}-[a-z]{2,5}")
_ALSO_KNOWN_AS = re.compile(r"\b(?:also known as|better known as|known as|real name|nom de guerre|alias|a\.k\.a\.|aka|also called|born)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?]\s")
GLUED_WORD_ZIPF = 5.0
"""A word this common ("who" 6.1, "said" 5.9) glued to a name's end is a lost space, not part of the name."""
MAX_ALIAS_GAP = 60
"""Characters between two names that an "also known as" joins ("..., confirmed his real name was ...")."""
_OPENING_BRACKET = re.compile(r"\s*\(\s*")
_CLOSING_BRACKET = re.compile(r"\s*\)")
MISSPELT_WORD_MIN = 7
"""Letters a word has at least for one letter more, fewer or other to be a misspelling of it:
shorter words one letter apart are often other words ("Union" and "Unions" aside)."""
CLIPPED_WORD_MIN = 3
"""Letters a clipped word keeps at least ("Lib Dem"): shorter, and "St" or "Un" could start anything."""
_COMPANY_SUFFIXES = frozenset("inc ltd llc plc corp co ag sa gmbh limited".split())
_ACRONYM_DEFINITION = re.compile(r"((?:[A-Z][\w’'&.\-]*\s+(?:(?:of|for|the|and|de|du|des|la)\s+)*){1,7})\(([A-Z][A-Za-z]{1,7})\)")
_SENTENCE_END = re.compile(r"[.!?\"”’)]\s+$")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_VOTE_OF_LABEL = {"PERSON": "person", "ORG": "organization", "NORP": "organization"}  # any other label votes "place"
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|y|et|und)\s+")
"""Between the names of a list; with the conjunctions of the languages that credit lines
and quoted names bring into English articles ("TASS y Ria Novosti")."""
_SCOPE_WORDS = frozenset("national federal state supreme grand central general legislative constituent provincial regional".split())
"""The first word of an institution's name that says its reach: "National Assembly", "Federal Council"."""
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.\-]*$", re.UNICODE)
_CONNECTORS = frozenset("of for the and on & y".split())  # inside a name: "Bank of England", "Brighton & Hove Albion"
_PARTICLE_PREFIX = re.compile(r"^([a-z]+)[-'’](?=[A-Z])")  # "al-Sharaa", "el-Sisi", "d'Estaing"


@dataclass
class _Group:
    """Every candidate sharing one normalised key (internal, mutable)."""

    key: str
    candidates: list[Candidate] = field(default_factory=list)
    votes: Counter = field(default_factory=Counter)
    listed_with_organisations: bool = False  # "TASS and Ria Novosti": a given-name-like first word makes no person of it

    @property
    def tokens(self) -> list[str]:
        return self.key.split()


@dataclass(eq=False)
class _Cluster:
    """Candidates that resolve to one entity (internal, mutable until assembly)."""

    kind: str
    name: str
    members: list[Candidate]
    confidence: float
    rule: EntityOverride | None = None  # the curated entry that shaped it

    def keys(self) -> set[str]:
        return {normalise(self.name), *(normalise(c.text) for c in self.members if c.kind != "given-name")}


class _DisjointSets:
    """Keys joined into sets, each set named by its least key (union-find, with path halving)."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self._parent
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)


STORY_NAMES = 8
"""How many of the names an article mentions most tell which story it is."""


def _stories(groups: dict[str, _Group], kinds: dict[str, str]) -> dict[str, str]:
    """Which story each article tells, for the articles that share one with another (source ->
    its story's first article by slug): two articles of which two of the
    people and organisations each names most are the same tell one story, and so do
    articles linked through others. Each article's pairs of main names are looked up, not
    compared with every other article's, so the cost grows with the corpus, not its square."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, group in groups.items():
        if kinds[key] in ("person", "organization"):
            for source, n in Counter(c.source for c in group.candidates).items():
                counts[source][key] += n
    stories = _DisjointSets()
    first_naming: dict[tuple[str, str], str] = {}  # two main names -> the first article found with both
    for source in sorted(counts):
        main = sorted(key for key, _ in sorted(counts[source].items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_NAMES])
        # The pairs of one article mostly lead to the same few: each is joined once.
        for first in {first_naming.setdefault(pair, source) for pair in combinations(main, 2)}:
            stories.union(first, source)
    story = {source: stories.find(source) for source in counts}
    shared = Counter(story.values())
    return {source: first for source, first in story.items() if shared[first] > 1}


def _paragraphs_of(cands: list[Candidate]) -> Iterator[list[Candidate]]:
    """The candidates paragraph by paragraph, each paragraph's by where they start: the
    resolver's candidates are in reading order, so a paragraph's are one run of the list."""
    for _, found in groupby(cands, key=attrgetter("source", "paragraph")):
        yield list(found)


def _clips(short: str, full: str) -> bool:
    """Whether a name is a clipped form of a longer one of as many words: each word the start of
    the other's, or its plural the start of the other's plural ("lib dems" of "liberal democrats")."""
    clipped, whole = short.split(), full.split()
    if len(short) >= len(full) or len(clipped) != len(whole):
        return False
    return all(b.startswith(a) or (a.endswith("s") and b.endswith("s") and b.startswith(a[:-1])) for a, b in zip(clipped, whole, strict=True))


def _aim_at_their_groups(groups: dict[str, _Group], kinds: dict[str, str]) -> None:
    """Each candidate of a group takes the group's kind, and the group's key as its target."""
    for key, group in groups.items():
        for c in group.candidates:
            c.kind, c.target = kinds[key], key


def _aim_at_merged(groups: dict[str, _Group], person_map: dict[str, str], org_map: dict[str, str]) -> None:
    """Each person's and organisation's candidate takes as its target the key its group merged
    into; a name alone, which merge_people placed mention by mention, keeps its own."""
    for key, group in groups.items():
        for c in group.candidates:
            if c.kind == "person" and key in person_map:
                c.target = person_map[key]
            elif c.kind == "organization":
                c.target = org_map[key]


def _followed_to_the_end(keys: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Each key mapped to where its chain of forms ends (AFP -> Agence France-Presse; "EU
    European Council" -> "European Council"); two forms that each point at the other
    ("Supreme Court", "US Supreme Court") end at the first of the cycle, alphabetically."""
    resolved: dict[str, str] = {}
    for k in keys:
        path = [k]
        while mapping[path[-1]] != path[-1] and mapping[path[-1]] not in path:
            path.append(mapping[path[-1]])
        resolved[k] = path[-1] if mapping[path[-1]] == path[-1] else min(path[path.index(mapping[path[-1]]) :])
    return resolved


def _one_letter_out(name: str) -> set[str]:
    """The name with one letter left out of one of its long words: where two spellings one
    letter apart meet ("commision" is "commission" less an "s", and "commisison" and
    "commission" share "commisson")."""
    words = name.split()
    return {" ".join([*words[:at], word[:i] + word[i + 1 :], *words[at + 1 :]]) for at, word in enumerate(words) if len(word) >= MISSPELT_WORD_MIN for i in range(len(word))}


def _starting_with(ordered: list[str], prefix: str) -> Iterator[str]:
    """The strings of a sorted list that start with `prefix`: one run, from where the prefix would be inserted."""
    at = bisect_left(ordered, prefix)
    while at < len(ordered) and ordered[at].startswith(prefix):
        yield ordered[at]
        at += 1


def _person_tokens(name: str) -> list[str]:
    """The words of a person's name as resolution compares them: particles dropped ("Ahmed
    al-Sharaa" -> ahmed, sharaa), a hyphenated word kept as one ("Lee Sang-min" -> lee, sangmin)."""
    found = []
    for word in name.split():
        parts = [normalise(part).replace(" ", "") for part in word.split("-")]
        while len(parts) > 1 and parts[0] in name_particles():
            parts.pop(0)  # "al-Jolani"
        token = "".join(parts)
        if token and token not in name_particles():
            found.append(token)
    return found or [normalise(name).replace(" ", "")]


def _glued_word(glued: str, key: str) -> bool:
    """Keys alike but for an English word glued to the end of the first ("bashar al assadwho")."""
    if not glued.startswith(key) or glued == key:
        return False
    tail = glued[len(key) :]
    return tail.isalpha() and zipf(tail) >= GLUED_WORD_ZIPF


def _family_name_first(name: str) -> bool:
    """A romanised Korean name, family name first and given name hyphenated: "Lee Sang-min"."""
    words = name.split()
    return len(words) >= 2 and bool(_HYPHENATED_GIVEN_NAME.fullmatch(words[-1]))


def _particle_name_without_given_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and any(_particle_prefixed(w) for w in words[1:]) and not is_given_name(words[0]) and words[0].lower() not in name_particles()


def _starts_sentence(text: str, start: int) -> bool:
    return start == 0 or bool(_SENTENCE_END.search(text[max(0, start - 4) : start]))


def _particle_prefixed(token: str) -> bool:
    m = _PARTICLE_PREFIX.match(token)
    return m is not None and m.group(1) in name_particles() and bool(_NAME_TOKEN.match(token[m.end() :]))


def _looks_like_name(surface: str) -> bool:
    tokens = surface.split()
    return (
        1 <= len(tokens) <= 5
        and all(_NAME_TOKEN.match(t) or t in name_particles() or _particle_prefixed(t) for t in (tokens[0], tokens[-1]))
        and all(_NAME_TOKEN.match(t) or t in name_particles() or t in _CONNECTORS or _particle_prefixed(t) for t in tokens)
        and not any(ch.isdigit() for ch in surface)
        and not any(is_glued(t) for t in tokens)
    )


class CandidateMemo:
    """Each source's cleaned spans (step 1 of resolution, which looks at one
    source at a time) from the last resolution, reused while the source and the
    model's result for it are the very same objects (see ingest.SourceMemo).
    The later steps are corpus-wide and run every time, on copies: they mutate
    candidates. `briefing watch` keeps one, so an edit cleans one source again.
    A single build's (`keep=False`) only carries the cleaning done alongside the
    model (see `prepare`) over to the resolution, and forgets all at its end."""

    def __init__(self, keep: bool = True) -> None:
        self._candidates: LastRun[str, list[Candidate]] = LastRun(keep)
        self._aliases: LastRun[str, list[_AliasMatch]] = LastRun(keep)
        self._patterns: LastValue[tuple[str, ...]] = LastValue(())
        self._lower_words: LastRun[str, frozenset[str]] = LastRun(keep)
        self._naming_paragraphs: LastRun[str, frozenset[str]] = LastRun(keep)
        self._lists: LastRun[str, tuple[tuple[int, int], ...]] = LastRun(keep)
        self.mention = Interned(Mention, keep)  # the last resolution's Mention where one is unchanged
        self._cleaner: Cleaner | None = None

    def cleaner(self, gazetteer: Gazetteer) -> Cleaner:
        """One Cleaner for every source, cleaned ahead or in the resolution: it remembers
        what depends on a name's letters alone, which an article shares with the others."""
        if self._cleaner is None or self._cleaner.gaz is not gazetteer:
            self._cleaner = Cleaner(gazetteer)
        return self._cleaner

    def candidates(self, source: Source, extraction: Extraction, clean: Callable[[], list[Candidate]]) -> tuple[list[Candidate], tuple[tuple[int, int], ...]]:
        """A source's candidates, copies for the corpus-wide steps to set, and where it lists them (see _lists_of)."""
        kept = self._candidates.reuse(source.slug, (source, extraction.paragraphs), clean)
        lists = self._lists.reuse(source.slug, (kept,), functools.partial(_lists_of, source, kept))
        return [c.fresh() for c in kept], lists

    def prepare(self, source: Source, extraction: Extraction, gazetteer: Gazetteer) -> None:
        """Do this resolution's work on one source ahead of it: while the model runs on the next ones."""
        try:
            self._candidates.ahead(source.slug, (source, extraction.paragraphs), lambda: self.cleaner(gazetteer).source_candidates(source, extraction))
        except Exception:  # noqa: BLE001 - the resolution cleans it again, and reports the failure (errors.contained)
            pass
        self._lower_words.ahead(source.slug, (source,), functools.partial(_lower_words, source))
        self._naming_paragraphs.ahead(source.slug, (source,), functools.partial(_naming_paragraphs, source))

    def lower_words(self, source: Source) -> frozenset[str]:
        """The words a source writes in lower case."""
        return self._lower_words.reuse(source.slug, (source,), functools.partial(_lower_words, source))

    def naming_paragraphs(self, source: Source) -> frozenset[str]:
        """The ids of a source's paragraphs that may give a name another (see _naming_paragraphs)."""
        return self._naming_paragraphs.reuse(source.slug, (source,), functools.partial(_naming_paragraphs, source))

    def same_patterns(self, patterns: tuple[str, ...]) -> tuple[str, ...]:
        """The last resolution's alias patterns when these equal them: so that each
        source can tell they did not change by identity, not by comparing them."""
        return self._patterns.same(patterns)

    def alias_matches(self, source: Source, patterns: tuple[str, ...], existing: tuple[Mention, ...], find: Callable[[], list[_AliasMatch]]) -> list[_AliasMatch]:
        """Where a source names a known alias that no mention covers yet: the same as
        last time while the source, the aliases' patterns and its mentions are."""
        return self._aliases.reuse(source.slug, (source, patterns), find, equal=(existing,))

    def finish(self) -> None:
        """Keep what this resolution used, and only that, for the next one."""
        self._candidates.finish()
        self._aliases.finish()
        self._lower_words.finish()
        self._naming_paragraphs.finish()
        self._lists.finish()
        self.mention.finish()


def _lower_words(source: Source) -> frozenset[str]:
    # Interned: a cold build holds every source's set while the model runs, and articles share most words.
    return frozenset(map(sys.intern, {w for p in source.paragraphs for w in _LOWER_WORD.findall(p.text)}))


def _lists_of(source: Source, cands: list[Candidate]) -> tuple[tuple[int, int], ...]:
    """Where a source lists names ("Ofania, Quneitra, Al-Hamidiyah and Ramtha"): each run of two or
    more of its candidates in a row in one paragraph with only a list's separators between them, as
    (first, end) indexes into its candidates; found once per source (see _Resolver._vote_by_company)."""
    texts = {p.id: p.text for p in source.paragraphs}
    lists = []
    first = 0
    for i in range(1, len(cands) + 1):
        if i < len(cands) and cands[i].paragraph == cands[i - 1].paragraph and _LIST_SEPARATOR.fullmatch(texts[cands[i].paragraph], cands[i - 1].end, cands[i].start):
            continue
        if i - first >= 2:
            lists.append((first, i))
        first = i
    return tuple(lists)


def _naming_paragraphs(source: Source) -> frozenset[str]:
    """The paragraphs that say "also known as" or open a bracket, where alone one name can be said
    to be another's (see _Resolver._also_known_as): few, and looked for in each source once."""
    return frozenset(p.id for p in source.paragraphs if "(" in p.text or _ALSO_KNOWN_AS.search(p.text))


class _Resolver:
    def __init__(
        self,
        sources: tuple[Source, ...],
        extractions: dict[str, Extraction],
        gazetteer: Gazetteer,
        overrides: Overrides,
        memo: CandidateMemo,
    ):
        self.memo = memo
        self.curated: dict[str, str] = {}  # entity id -> the name of the rule that shaped it
        self.sources = sources
        self.extractions = extractions
        self.gaz = gazetteer
        self.overrides = overrides
        self.cleaner = memo.cleaner(gazetteer)
        self._lower_words: set[str] | None = None
        self.hidden_keys: set[str] = set()  # names a curated rule hides: never linked
        self._paragraph_text = {(s.slug, p.id): p.text for s in sources for p in s.paragraphs}
        self.warnings: list[Diagnostic] = []  # articles whose analysis failed (see errors.contained)
        self._lists: list[tuple[int, int]] = []  # where the sources list names: (first, end) indexes into the candidates (see _lists_of)
        self.story: dict[str, str] = {}  # source -> its story, where it shares one with other sources (see _stories)
        self.typed_by_evidence: set[str] = set()  # keys whose kind the name's own evidence decided against every label
        self.ambiguous_keys: set[str] = set()  # names alone that fit several people: doubtful, for `briefing suggest`
        self._apart = {frozenset(normalise(n) for n in rule.names) for rule in overrides.never_merge}

    def kept_apart(self, a_key: str, b_key: str) -> bool:
        """A `never_merge` rule in content/ keeps these two names apart."""
        return frozenset((a_key, b_key)) in self._apart

    # -- step 1: clean ------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """Every source's cleaned spans, in reading order: source by source, each source's
        paragraphs in turn, each paragraph's by where they start (see _paragraphs_of)."""
        found: list[Candidate] = []
        self._lists = []
        for source in self.sources:
            extraction = self.extractions[source.slug]
            copies, lists = self.memo.candidates(source, extraction, partial(self._contained_candidates, source, extraction))
            self._lists.extend((len(found) + first, len(found) + end) for first, end in lists)
            found.extend(copies)
        return found

    def _contained_candidates(self, source: Source, extraction: Extraction) -> list[Candidate]:
        return contained(source.file, lambda: self.cleaner.source_candidates(source, extraction), [], self.warnings)

    # -- step 2: type -------------------------------------------------------

    def type_candidates(self, cands: list[Candidate]) -> dict[str, _Group]:
        groups: dict[str, _Group] = {}
        # "Vladimir" is a city too, but next to "Vladimir Putin" it is his given name.
        given_names = {c.text.split()[0] for c in cands if c.label == "PERSON" and len(c.text.split()) >= 2}
        typed: dict[tuple[str, str, bool, bool], tuple[str, str, str]] = {}  # a corpus has far fewer names than mentions
        for c in cands:
            seen_as = (c.text, c.label, c.label == "PERSON" and c.text in given_names, c.context == "employer")
            kind_target_key = typed.get(seen_as)
            if kind_target_key is None:
                kind_target_key = typed[seen_as] = self._type(*seen_as)
            c.kind, c.target, c.key = kind_target_key
            if c.key:
                group = groups.get(c.key)
                if group is None:
                    group = groups[c.key] = _Group(c.key)
                group.candidates.append(c)
                if c.label:  # a possessive's owner split off a span casts no vote
                    vote = _VOTE_OF_LABEL.get(c.label, "place")
                    if c.context == "employer":
                        vote = "organization"  # "Chelsea boss", "the Real Sociedad forward"
                    if c.context == "in" and not c.titled and not is_acronym_like(c.text):
                        vote = "place"  # "in Quneitra", "in Hama"
                    elif vote == "person" and c.context == "the" and not c.titled:
                        vote = "organization"  # "the Lok Sabha"
                    if c.context == "role":
                        vote = "person"
                    group.votes[vote] += 3 if c.titled or c.context == "role" else 1
        self._vote_by_company(cands, groups)
        return groups

    def _vote_by_company(self, cands: list[Candidate], groups: dict[str, _Group]) -> None:
        """Names listed together are of one kind: in "Ofania, Quneitra, Al-Hamidiyah and Ramtha"
        the places (known to the gazetteer or labelled so) vote for the other names; and a name
        the model labels an organisation, listed with another so labelled ("Chelsea and Aston
        Villa", "TASS y Ria Novosti"), stays one though its first word is a given name."""
        for first, end in self._lists:
            run = cands[first:end]
            if len(run) >= 3 and 2 * sum(1 for r in run if r.kind == "place" or r.label in _PLACE_LABELS) >= len(run) - 1:
                for r in run:
                    if r.key and not r.titled:
                        groups[r.key].votes["place"] += 2
            organisations = [r for r in run if r.label == "ORG" and not r.titled]
            if len(organisations) >= 2:
                for r in organisations:
                    if r.key:
                        groups[r.key].listed_with_organisations = True

    def _type(self, text: str, label: str, given_name: bool, employer: bool) -> tuple[str, str, str]:
        """(kind, target, key) of a span: a country or place the gazetteer knows, a name to
        be typed by its group's votes (kind "", with its key), or dropped."""
        country = self.gaz.country(text)
        if country:
            return "country", country, ""
        if label == "NORP" and (" " not in text or self.gaz.is_demonym(text)):
            return "drop", "", ""  # "European", "western": groups, not countries ("Liberal Democrats" is a name)
        if normalise(text).split()[-1:] and normalise(text).split()[-1] in event_words():
            return "drop", "", ""  # "European Championship", "Applications Act": events and laws get no page
        place = None if given_name or employer else self.gaz.place(text)
        if place and (label != "PERSON" or " " not in text or place.kind == "region"):
            return "place", place.name, ""
        key = normalise(text) if _looks_like_name(text) else ""
        return ("", "", key) if key else ("drop", "", "")

    def regions_in_context(self, cands: list[Candidate]) -> None:
        """A country's name that a region also bears is the region where the paragraph names
        other regions or cities of that region's country: "Georgia" beside Arizona and Nevada."""
        # Each country's name is looked up once; most corpora name no such country, and are done.
        shared = {text: region for text in {c.text for c in cands if c.kind == "country"} if (region := self.gaz.region_sharing_name(text))}
        if not shared:
            return
        for found in _paragraphs_of(cands):
            for c in found:
                region = shared.get(c.text) if c.kind == "country" else None
                if region is None:
                    continue
                neighbours = (self.gaz.place(o.target) for o in found if o.kind == "place")
                if any(p is not None and p.country == region.country and p.kind == "region" for p in neighbours):
                    c.kind, c.target = "place", region.name

    def lower_words(self) -> set[str]:
        """Words the corpus uses in lower case: a capitalised one-word 'name' that is
        also an ordinary word here ('State', 'Palace') is a common noun."""
        if self._lower_words is None:
            self._lower_words = set().union(*(self.memo.lower_words(source) for source in self.sources))
        return self._lower_words

    def group_kinds(self, groups: dict[str, _Group]) -> dict[str, str]:
        kinds = {key: self._kind(group) for key, group in groups.items()}
        self.typed_by_evidence = {key for key, group in groups.items() if group.votes[kinds[key]] == 0}
        # A one-word name tagged ORG or GPE that is (a spelling of) the surname of a full-named person is
        # that person ("Trump", "Asad" beside "Bashar al-Assad").
        surnames = SurnameIndex((_person_tokens(g.candidates[0].text)[-1], k) for k, g in groups.items() if kinds[k] == "person" and len(g.tokens) >= 2)
        for key, group in groups.items():
            if len(group.tokens) == 1 and kinds[key] != "person" and not is_acronym(group.candidates[0].text) and any(s[:1] == key[:1] for s in surnames.surnames_like(key)):
                kinds[key] = "person"
        # A name inside a longer organisation's name is a cut form of it ("Tahrir al-Sham", "Hayat Tahrir").
        long_orgs = [f" {k} " for k, kind in kinds.items() if kind == "organization" and len(k.split()) >= 3]
        for key, group in groups.items():
            if kinds[key] == "person" and len(group.tokens) >= 2 and any(f" {key} " in org for org in long_orgs):
                kinds[key] = "organization"
        # A multi-word name tagged ORG that is a variant of a person's full name is that person.
        people = SurnameIndex((k.split()[-1], k) for k, kind in kinds.items() if kind == "person" and len(k.split()) >= 2)
        for key, group in groups.items():
            if kinds[key] == "organization" and 2 <= len(group.tokens) <= 4 and any(same_person_name(key, p) for p in people.like(group.tokens[-1])):
                kinds[key] = "person"
        return kinds

    def _kind(self, group: _Group) -> str:
        """A name's kind from the evidence of all its mentions: the model's labels, each
        weighed by its context (a title before it, "the" before it, "in" before it), then
        what the name itself says (an institution's word, a given name, an acronym's shape)."""
        tokens = group.tokens
        if len(tokens) >= 2 and tokens[-1] in place_words():
            return "place"  # "Golan Heights", "Umayyad Mosque"
        if any(t in institution_words() for t in tokens):
            return "organization"  # "Lok Sabha", "Adversary Controlled Applications Act"
        text = group.candidates[0].text
        if not group.votes:
            return "organization" if is_acronym_like(text) else "drop"  # a possessive's owner alone: see group_kinds
        kind = sorted(group.votes.items(), key=lambda kv: (-kv[1], ("person", "organization", "place").index(kv[0])))[0][0]
        first = text.split()[0]
        if (
            kind != "person"
            and len(tokens) >= 2
            and is_given_name(tokens[0])
            and tokens[0] not in name_particles()
            and not any(is_acronym_like(t) for t in text.split())
            and not self.gaz.country(first)
            and not self.gaz.place(first)
            and not any(c.context in ("the", "employer") for c in group.candidates)
            and not group.listed_with_organisations
        ):
            return "person"  # "Nicola Sturgeon", "Shabana Mahmood", tagged ORG
        if kind == "person" and len(tokens) == 1 and is_acronym_like(text):
            return "organization"  # "AfD", "JDS"
        return kind

    # -- step 3: merge ------------------------------------------------------

    def merge_people(self, groups: dict[str, _Group], kinds: dict[str, str]) -> dict[str, str]:
        """Map each full name's key to the key of its cluster's representative: full names that
        are spelling variants of one another ("Zelensky"/"Zelenskyy"), that the model cut short
        ("Yoon Suk" of "Yoon Suk Yeol"), or that put the family name first or last ("Jun-il Kim",
        "Kim Jun-il"), merge; then each mention of a name alone is placed (_place_names_alone)."""
        people = sorted(k for k, kind in kinds.items() if kind == "person")
        tokens = {k: _person_tokens(groups[k].candidates[0].text) for k in people}
        full = [k for k in people if len(tokens[k]) >= 2]
        known = set(full)
        clusters = _DisjointSets()
        find = clusters.find

        def union(a: str, b: str) -> None:
            if not self.kept_apart(a, b):
                clusters.union(a, b)

        by_initial: dict[str, list[str]] = defaultdict(list)
        for k in full:
            by_initial[tokens[k][-1][0]].append(k)
        for block in by_initial.values():
            for i, a in enumerate(block):
                for b in block[i + 1 :]:
                    if same_person_name(" ".join(tokens[a]), " ".join(tokens[b])):
                        union(a, b)
        by_tokens: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for k in full:
            by_tokens[tuple(sorted(tokens[k]))].append(k)
        for same in by_tokens.values():  # "Jun-il Kim" and "Kim Jun-il"
            for other in same[1:]:
                union(same[0], other)
        in_order = sorted(full)
        for k in full:
            # "Yoon Suk", "Han Duck" cut from "Yoon Suk Yeol", "Han Duck-soo"; "Bashar al-Assadwho" glued to a word.
            # Both are prefixes, so the sorted keys after k and the prefixes of k hold all there are.
            extended = _starting_with(in_order, k + " ")
            glued_to = (k[:cut] for cut in range(1, len(k)) if k[:cut] in known and _glued_word(k, k[:cut]))
            longer = {find(m) for m in chain(extended, glued_to)}
            if len(longer) == 1:
                union(k, next(iter(longer)))

        def full_name_of(k: str) -> str | None:
            if k in known:
                return k
            fitting = {find(m) for m in full if similar_surnames(tokens[k][0], tokens[m][-1])}
            return next(iter(fitting)) if len(fitting) == 1 else None

        for a, b in self._also_known_as(groups, set(people)):  # "al-Jolani confirmed his real name was Ahmed al-Sharaa"
            fa, fb = full_name_of(a), full_name_of(b)
            if fa and fb:
                union(fa, fb)
        mapping = {k: find(k) for k in full}
        self._place_names_alone(people, tokens, mapping, groups)
        return mapping

    def _place_names_alone(self, people: list[str], tokens: dict[str, list[str]], mapping: dict[str, str], groups: dict[str, _Group]) -> None:
        """Each mention of a one-word name: the full name it belongs to in its article, else the
        one full name of the corpus it fits, told in the article's story; a lone given name the
        full name it opens in its article; else a name of its own, doubtful where it fits several."""
        full = list(mapping)
        # Full names per article, to resolve bare surnames and first names locally first.
        in_source: dict[str, set[str]] = defaultdict(set)
        for k in full:
            for c in groups[k].candidates:
                in_source[c.source].add(mapping[k])
        clusters_by_surname: SurnameIndex[str] = SurnameIndex()
        opened_by: dict[str, set[str]] = defaultdict(set)  # a given name -> the clusters of the full names it opens
        for k in full:
            clusters_by_surname.add(tokens[k][-1], mapping[k])
            if _family_name_first(groups[k].candidates[0].text):
                clusters_by_surname.add(tokens[k][0], mapping[k])
            opened_by[tokens[k][0]].add(mapping[k])

        story = self.story
        stories_of: dict[str, set[str]] = defaultdict(set)  # a cluster -> the stories of the articles naming it in full
        for source, roots in in_source.items():
            for root in roots:
                stories_of[root].add(story.get(source, source))
        singles = [k for k in people if len(tokens[k]) == 1]
        for key in singles:
            name = tokens[key][0]
            fitting = {root for root in clusters_by_surname.like(name) if not self.kept_apart(key, root)}
            for c in groups[key].candidates:
                local = {r for r in fitting if r in in_source[c.source]}
                # From another article, only a full name of this article's story: "Asad" in a list of
                # India's election results is not the Bashar al-Assad of the articles about Syria.
                told = fitting if c.source not in story else {r for r in fitting if story[c.source] in stories_of[r]}
                choice = local if len(local) == 1 else (told if len(fitting) == 1 and len(told) == 1 and not local else set())
                if choice:
                    c.target = next(iter(choice))
                    continue
                # A lone given name ("Vladimir") goes to the one full name it opens in this article, else nowhere.
                opening = opened_by.get(name, set()) & in_source[c.source]
                if len(opening) == 1:
                    c.target = next(iter(opening))
                    c.kind = "given-name"
                elif opening or name in opened_by:
                    c.kind = "drop"
                else:
                    c.target = key
                    if local or fitting:  # it fits several people: no page of its own, never a guess
                        self.ambiguous_keys.add(key)

    def _also_known_as(self, groups: dict[str, _Group], people: set[str]) -> list[tuple[str, str]]:
        """Pairs of person keys that a sentence says name one person: "X, also known as Y",
        "X confirmed his real name was Y", "Y, whose nom de guerre is X", "X (Y)" where both
        are full names ("Jihad Issa al-Sheikh (Abu Ahmad Zakour)")."""
        naming = {(s.slug, paragraph) for s in self.sources for paragraph in self.memo.naming_paragraphs(s)}
        by_paragraph: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for key in people:
            for c in groups[key].candidates:
                if (c.source, c.paragraph) in naming:
                    by_paragraph[(c.source, c.paragraph)].append(c)
        pairs = []
        for where, found in by_paragraph.items():
            text = self._paragraph_text[where]
            found.sort(key=lambda c: c.start)
            for x, y in pairwise(found):
                if y.start - x.end > MAX_ALIAS_GAP or x.key == y.key:
                    continue
                between = text[x.end : y.start]
                if (_ALSO_KNOWN_AS.search(between) and not _SENTENCE_BREAK.search(between)) or (_OPENING_BRACKET.fullmatch(between) and _CLOSING_BRACKET.match(text, y.end)):
                    pairs.append((x.key, y.key))
        return sorted(set(pairs))

    def merge_organizations(self, groups: dict[str, _Group], kinds: dict[str, str]) -> dict[str, str]:
        """Map each organisation key to the key of the name it is a form of. Each step below
        maps names that the steps before it left alone; then chains are followed to their end."""
        orgs = sorted(k for k, kind in kinds.items() if kind == "organization")
        mapping = {k: k for k in orgs}
        multi = [k for k in orgs if len(k.split()) >= 2]
        self._acronyms_and_cut_forms(orgs, multi, mapping, groups)
        self._short_forms_one_word_shorter(orgs, multi, mapping, groups)
        self._clipped_forms(multi, mapping)
        self._misspelt_forms(multi, mapping, groups)
        return _followed_to_the_end(orgs, mapping)

    def _acronyms_and_cut_forms(self, orgs: list[str], multi: list[str], mapping: dict[str, str], groups: dict[str, _Group]) -> None:
        """An acronym to its long form ("EU", "ECI" defined as "Election Commission of India
        (ECI)"), a company to its name without "Inc", a run of a longer name's words to it, a
        name with a sentence's first word or another name's acronym before it to the name
        ("Key NATO", "EU European Council")."""
        # The longer names by what they are looked up by below, so that no name is compared with every other.
        spelling: dict[str, list[str]] = defaultdict(list)  # initials -> names
        inside: dict[str, list[str]] = defaultdict(list)  # a run of a name's words, not all of them -> names
        for m in multi:
            spelling[initials(groups[m].candidates[0].text)].append(m)
            words = m.split()
            for a, b in combinations(range(len(words) + 1), 2):
                if b - a < len(words):
                    inside[" ".join(words[a:b])].append(m)
        defined = self._defined_acronyms()
        for k in orgs:
            tokens = k.split()
            text = groups[k].candidates[0].text
            if len(tokens) == 1:
                long_forms = {m for m in defined.get(k, ()) if m in mapping} or set(spelling.get(k.upper(), ()))
                long_forms = {m for m in long_forms if not self.kept_apart(k, m)}
                if len(long_forms) == 1:
                    mapping[k] = next(iter(long_forms))
                continue
            if tokens[-1] in _COMPANY_SUFFIXES and " ".join(tokens[:-1]) in mapping:
                mapping[k] = " ".join(tokens[:-1])  # "TikTok Inc" -> "TikTok"
                continue
            containing = [m for m in dict.fromkeys(inside.get(k, ())) if not self.kept_apart(k, m)]
            if len(containing) == 1 and len(tokens) >= 2:
                mapping[k] = containing[0]  # "Tahrir al-Sham" cut from "Hayat Tahrir al-Sham"
                continue
            tail = " ".join(tokens[1:])
            if tail not in mapping or self.kept_apart(k, tail) or not (len(tokens) > 2 or is_acronym(tail.upper()) and is_acronym(text.split()[-1])):
                continue
            head = text.split()[0]
            if is_acronym(head) and (head.lower() in mapping or self.gaz.country(head)):
                mapping[k] = tail  # "EU European Council": another name's acronym before the name
            elif head.lower() in self.lower_words() and all(_starts_sentence(self._text_of(c), c.start) for c in groups[k].candidates):
                mapping[k] = tail  # "Key NATO": a capitalised sentence opener, not part of the name
                for c in groups[k].candidates:
                    c.start = c.end - len(text) + len(head) + 1
                    c.text = c.text[len(head) + 1 :]

    def _short_forms_one_word_shorter(self, orgs: list[str], multi: list[str], mapping: dict[str, str], groups: dict[str, _Group]) -> None:
        """A short form and the one longer form of it the corpus writes: "Labour" and "Labour
        Party", "Senate" and "US Senate" (a country before)."""
        one_word_more: dict[str, list[str]] = defaultdict(list)  # a name without its last or its first word -> names
        for m in multi:
            words = m.split()
            one_word_more[" ".join(words[:-1])].append(m)
            one_word_more[" ".join(words[1:])].append(m)
        for k in orgs:
            if mapping[k] != k:
                continue
            longer = [
                m
                for m in dict.fromkeys(one_word_more.get(k, ()))
                if len(m.split()) == len(k.split()) + 1
                and mapping[m] != k
                and not self.kept_apart(k, m)
                and ((m.startswith(k + " ") and m.split()[-1] == "party") or (m.endswith(" " + k) and self.gaz.country(groups[m].candidates[0].text.split()[0])))
            ]
            if len(longer) == 1:
                mapping[k] = longer[0]

    def _clipped_forms(self, multi: list[str], mapping: dict[str, str]) -> None:
        """A clipped form, each word the start of the same word of one longer name: "Lib Dem(s)"
        of "Liberal Democrats". Names are filed under their words' first letters, so each is looked up."""
        clipped_from: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for m in multi:
            clipped_from[tuple(w[:CLIPPED_WORD_MIN] for w in m.split())].append(m)
        for k in multi:
            words = k.split()
            if mapping[k] != k or any(len(w) < CLIPPED_WORD_MIN for w in words):
                continue
            longer = [m for m in clipped_from.get(tuple(w[:CLIPPED_WORD_MIN] for w in words), ()) if _clips(k, m) and mapping[m] != k and not self.kept_apart(k, m)]
            longest = [m for m in longer if not any(_clips(m, other) for other in longer)]  # "Prog Unionists" is a clip too
            if len(longest) == 1:
                mapping[k] = longest[0]

    def _misspelt_forms(self, multi: list[str], mapping: dict[str, str], groups: dict[str, _Group]) -> None:
        """Map a name with one long word misspelt (a letter more, fewer or another) to the one
        organisation written right, whole or by its first words, and mentioned at least as
        often: "Election Commision" of "Election Commission of India". Each spelling is filed
        under itself and under each of its long words with one letter left out, so that two
        spellings one letter apart meet under a shared key, without comparing every pair."""
        written: dict[str, set[str]] = defaultdict(set)  # a name or its first words (two or more) -> the names
        for m in multi:
            words = m.split()
            for end in range(2, len(words) + 1):
                written[" ".join(words[:end])].add(m)
        letter_out: dict[str, set[str]] = defaultdict(set)
        for run, named in written.items():
            for variant in _one_letter_out(run):
                letter_out[variant].update(named)
        for k in multi:
            if mapping[k] != k:
                continue
            variants = _one_letter_out(k)
            found = set(letter_out.get(k, ())).union(*(written.get(v, ()) for v in variants), *(letter_out.get(v, ()) for v in variants))
            # Not k itself, nor a name that k contains (k would be its longer form, not its misspelling).
            found = {m for m in found if m != k and mapping[m] != k and k not in written.get(m, ()) and not self.kept_apart(k, m)}
            if len(found) == 1:
                m = next(iter(found))
                if len(groups[m].candidates) >= len(groups[k].candidates):
                    mapping[k] = m

    def _text_of(self, c: Candidate) -> str:
        return self._paragraph_text[(c.source, c.paragraph)]

    def _defined_acronyms(self) -> dict[str, set[str]]:
        """Acronyms the articles define: "the Alternative for Germany (AfD)", "Election Commission
        of India (ECI)": acronym key -> the keys of the long forms written before it."""
        defined: dict[str, set[str]] = defaultdict(set)
        for text in self._paragraph_text.values():
            if "(" not in text:
                continue
            for m in _ACRONYM_DEFINITION.finditer(text):
                long_form, acronym = m.group(1), m.group(2)
                words = long_form.split()
                # The long form is as many capitalised words before the bracket as the acronym has letters, give or take.
                for n in range(len(words), 0, -1):
                    candidate = " ".join(words[-n:])
                    if candidate[0].isupper() and initials(candidate)[:1] == acronym[:1].upper():
                        defined[normalise(acronym)].add(normalise(candidate))
                        break
        return defined

    # -- assemble -----------------------------------------------------------

    def run(self) -> Resolution:
        """The steps of resolution in turn: clean, type, merge, cluster, curate, assemble."""
        cands = self.candidates()
        groups = self.type_candidates(cands)
        self.regions_in_context(cands)
        kinds = self.group_kinds(groups)
        _aim_at_their_groups(groups, kinds)
        self.story = _stories(groups, kinds)
        person_map = self.merge_people(groups, kinds)
        org_map = self.merge_organizations(groups, kinds)
        _aim_at_merged(groups, person_map, org_map)
        self._short_forms_in_their_article(cands, org_map)
        clusters, warnings = self._apply_overrides(self._clusters(cands, groups))
        return self._entities(clusters, groups, self.warnings + warnings)

    def _clusters(self, cands: list[Candidate], groups: dict[str, _Group]) -> list[_Cluster]:
        """The candidates by the entity they resolve to, in reading order of each one's first;
        a lone given name counts with its person, but gives the cluster neither name nor
        confidence, and a cluster of lone given names alone makes none."""
        by_target: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for c in cands:
            if c.kind in ("drop", ""):
                continue
            kind = "person" if c.kind == "given-name" else c.kind
            by_target[(kind, c.target)].append(c)
        clusters = []
        for (kind, target), members in by_target.items():
            named = [c for c in members if c.kind != "given-name"]
            if named:
                clusters.append(_Cluster(kind, self._name(kind, target, named), members, self._confidence(kind, named, groups)))
        return clusters

    def _short_forms_in_their_article(self, cands: list[Candidate], org_map: dict[str, str]) -> None:
        """A one-word organisation that the corpus-wide step left alone is, in an article that
        names exactly one longer organisation of a country's or a scope ending in that word,
        that organisation: "the Assembly" after "the National Assembly"; failing that, the one
        such organisation that the other articles of its story name (see _stories); and in an article about
        a country, that country's one such organisation ("Congress" in articles about India is
        the Indian National Congress, in articles about the United States the US Congress). Not
        "the House" beside the White House, nor where a name starts with the word ("the House"
        may be the House of X)."""
        heads = {k.split()[0] for k in org_map if " " in k}
        by_source: dict[str, list[Candidate]] = defaultdict(list)
        countries_by_source: dict[str, Counter[str]] = defaultdict(Counter)
        for c in cands:
            if c.kind == "organization":
                by_source[c.source].append(c)
            elif c.kind == "country":
                countries_by_source[c.source][c.target] += 1
        longer = {c.target for found in by_source.values() for c in found if " " in c.target}
        national: dict[tuple[str, str], set[str]] = defaultdict(set)  # (short key, country) -> long keys
        for t in longer:
            if country := self.gaz.country(t.split()[0]):
                national[(t.split()[-1], country)].add(t)
        named_in_story: dict[str, set[str]] = defaultdict(set)
        for source, found in by_source.items():
            if source in self.story:
                named_in_story[self.story[source]].update(c.target for c in found if " " in c.target)

        def ending_in(c: Candidate, names: Iterable[str]) -> set[str]:
            return {
                t
                for t in names
                if t.endswith(" " + c.target) and not self.kept_apart(c.key, t) and (t.split()[0] in _SCOPE_WORDS or self.gaz.is_demonym(t.split()[0]) or self.gaz.country(t.split()[0]))
            }

        for source, found in by_source.items():
            here = {c.target for c in found if " " in c.target}
            top = countries_by_source[source].most_common(2)
            about = top[0][0] if top and (len(top) == 1 or top[1][1] < top[0][1]) else None
            for c in found:
                if " " in c.target or c.target != c.key or c.target in heads:
                    continue
                ends = ending_in(c, here)
                if not ends and source in self.story:
                    ends = ending_in(c, named_in_story[self.story[source]])  # the story's other articles name it
                if not ends and about is not None:
                    ends = {t for t in national.get((c.target, about), ()) if not self.kept_apart(c.key, t)}
                if len(ends) == 1:
                    c.target = next(iter(ends))

    # -- curated overrides --------------------------------------------------

    def _apply_overrides(self, clusters: list[_Cluster]) -> tuple[list[_Cluster], list[Diagnostic]]:
        """Curated rules from content/ win over extraction: merges by alias, splits,
        hidden entities, kinds. A rule that matches nothing is a warning."""
        warnings: list[Diagnostic] = []
        for rule in self.overrides.entities:
            keys = {normalise(rule.name), *(normalise(a) for a in rule.aliases)}
            matched = [cl for cl in clusters if cl.keys() & keys]
            if rule.hidden:
                self.hidden_keys |= keys
                clusters = [cl for cl in clusters if cl not in matched]
                if not matched:
                    warnings.append(rule.origin.warn(f"hidden entity '{rule.name}' names no entity that any source mentions"))
                continue
            if not matched and not rule.kind:
                warnings.append(rule.origin.warn(f"'{rule.name}' names no entity that any source mentions; check the spelling, or set `kind:` to create it from its aliases"))
                continue
            not_keys = {normalise(a) for a in rule.not_aliases}
            members = [c for cl in matched for c in cl.members]
            split = [c for c in members if c.key and normalise(c.text) in not_keys]
            kept = [c for c in members if c not in split]
            kind = rule.kind or Counter(cl.kind for cl in matched for _ in cl.members).most_common(1)[0][0]
            clusters = [cl for cl in clusters if cl not in matched]
            clusters.append(_Cluster(kind, rule.name, kept, 1.0, rule))
            by_key: dict[str, list[Candidate]] = defaultdict(list)
            for c in split:
                by_key[normalise(c.text)].append(c)
            for group in by_key.values():
                clusters.append(_Cluster(matched[0].kind, self._name(matched[0].kind, "", group), group, 0.5))
        return clusters, warnings

    # -- assemble -----------------------------------------------------------

    def _entities(self, clusters: list[_Cluster], groups: dict[str, _Group], warnings: list[Diagnostic]) -> Resolution:
        doubtful = [cl for cl in clusters if cl.confidence < MIN_PAGE_CONFIDENCE and cl.rule is None]
        kept = sorted((cl for cl in clusters if cl not in doubtful), key=lambda cl: (cl.kind, normalise(cl.name), cl.name))
        ids: dict[int, str] = {}
        for kind in KIND_FOLDERS:
            of_kind = [cl for cl in kept if cl.kind == kind]
            for cl, slug in zip(of_kind, unique_slugs([cl.name for cl in of_kind]), strict=True):
                ids[id(cl)] = f"{KIND_FOLDERS[kind]}/{slug}"
        mention = self.memo.mention
        mentions: list[Mention] = []
        for cl in kept:
            entity_id = ids[id(cl)]
            mentions.extend([mention(entity_id, c.source, c.paragraph, c.start, c.end, c.text) for c in cl.members])
        # The ways each entity is written; a lone given name is linked to its person ("Vladimir" before "Putin") but is not one.
        seen = {ids[id(cl)]: {c.text for c in cl.members if c.kind != "given-name"} for cl in kept}
        linked = self._link_aliases(kept, ids, mentions, seen)
        mentions.extend(linked)
        for m in linked:
            seen[m.entity_id].add(m.text)
        entities = []
        for cl in kept:
            entity_id = ids[id(cl)]
            if not seen[entity_id]:
                if cl.rule is not None:  # only a curated rule's cluster can be left without a mention
                    warnings.append(cl.rule.origin.warn(f"'{cl.name}' names no entity that any source mentions"))
                continue
            entities.append(self._entity(entity_id, cl, tuple(sorted(seen[entity_id]))))
        position = {(s.slug, p.id): i for i, (s, p) in enumerate((s, p) for s in self.sources for p in s.paragraphs)}
        # In reading order: by paragraph, start and end, packed in one integer, which sorts
        # faster than a tuple (no paragraph has 2**32 characters).
        mentions.sort(key=lambda m: position[(m.source, m.paragraph)] << 64 | m.start << 32 | m.end)
        type_votes = {}
        for cl in kept:
            votes = sum((groups[k].votes for k in {c.key for c in cl.members if c.key}), Counter())
            if len(votes) > 1:
                type_votes[ids[id(cl)]] = dict(sorted(votes.items()))
        doubtful_entities = tuple(
            Entity(f"{KIND_FOLDERS[cl.kind]}/{slugify(cl.name)}", cl.kind, cl.name, tuple(sorted({c.text for c in cl.members})), round(cl.confidence, 3))
            for cl in sorted(doubtful, key=lambda cl: (cl.kind, cl.name))
        )
        return Resolution(tuple(entities), tuple(mentions), tuple(warnings), doubtful_entities, type_votes, dict(self.curated))

    def _entity(self, entity_id: str, cl: _Cluster, aliases: tuple[str, ...]) -> Entity:
        place = (self.gaz.place(cl.name) or self.gaz.region_sharing_name(cl.name)) if cl.kind == "place" else None
        country = place.country if place else None
        if cl.rule is None:
            return Entity(entity_id, cl.kind, cl.name, aliases, round(cl.confidence, 3), country=country)
        self.curated[entity_id] = cl.rule.name
        return Entity(entity_id, cl.kind, cl.name, aliases, 1.0, country=country)

    def _name(self, kind: str, target: str, members: list[Candidate]) -> str:
        if kind == "country" or (kind == "place" and self.gaz.place(target)):
            return target
        forms = Counter(c.text for c in members)
        if kind == "person":
            multi = {f: n for f, n in forms.items() if len(f.split()) >= 2}
            forms = Counter(multi) or forms
        else:
            longer = {f: n for f, n in forms.items() if len(normalise(f).split()) > 1}
            own = {f: n for f, n in forms.items() if normalise(f) == target}
            if " " in target and own and len(own) < len(forms):
                forms = Counter(own)  # "Grand Diet", not the "Diet" that its articles also write
            elif longer and any(is_acronym(f) for f in forms):
                forms = Counter(longer)  # "European Union", not "EU"
            # "NATO" over "Nato": an all-capitals variant of the same key is the acronym's own spelling.
            capitals = {f: n for f, n in forms.items() if f.isupper() and len(f) > 1}
            if capitals and all(normalise(f) == normalise(next(iter(capitals))) for f in forms):
                forms = Counter(capitals)
        return sorted(forms.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]

    def _confidence(self, kind: str, members: list[Candidate], groups: dict[str, _Group]) -> float:
        if kind == "country":
            return 0.99
        if kind == "place":
            known = self.gaz.place(members[0].target) or self.gaz.region_sharing_name(members[0].target)
            return 0.95 if known else 0.5
        keys = {c.key for c in members}
        votes: Counter[str] = Counter()
        for k in keys:
            votes.update(groups[k].votes)
        agreement = votes[kind] / max(1, sum(votes.values()))
        if keys & self.typed_by_evidence:
            agreement = max(agreement, EVIDENCE_AGREEMENT)
        if keys <= self.ambiguous_keys:
            return 0.0
        sources = len({c.source for c in members})
        support = min(1.0, 0.55 + 0.15 * (len(members) - 1) + 0.1 * (sources - 1))
        confidence = agreement * support
        if kind == "person" and len(members) == 1 and not members[0].titled and _particle_name_without_given_name(members[0].text):
            # Once, with no title, "Front al-X" with no given name before the particle
            # ("Jabhat al-Nusra", "Jaish al-Islam"): more likely a group's name than a person's.
            confidence *= 0.6
        one_word = all(len(k.split()) == 1 for k in keys)
        if one_word and not any(is_acronym(c.text) for c in members):
            if any(k in self.lower_words() for k in keys):
                confidence *= 0.3  # 'State': an ordinary word this corpus also writes in lower case
            elif kind != "person" and len(members) == 1 and all(zipf(k) >= WORDLIKE_NAME_ZIPF for k in keys) and members[0].context != "employer":
                # 'Falcon', 'Palace' once: more likely a capitalised noun than a name; but
                # "Newcastle manager Eddie Howe" names a club.
                confidence *= 0.5
            elif kind == "person":
                # A surname never seen with its given name; if it is also an ordinary word
                # ("Patriot" missiles, "Euros", "Easter"), more likely a capitalised noun than a person.
                key = next(iter(keys))
                confidence *= 0.45 if is_word(key) or zipf(key) >= WORDLIKE_NAME_ZIPF else 0.8
        return confidence

    def _link_aliases(self, clusters: list[_Cluster], ids: dict[int, str], mentions: list[Mention], written: dict[str, set[str]]) -> list[Mention]:
        """Link every other occurrence of a known alias on word boundaries: names the
        model missed once, names in headlines, and curated aliases. Extracted forms
        (`written`, by entity id) match with their case ("US" is not "us"); curated ones in any case."""
        by_alias: dict[str, str] = {}
        ambiguous: set[str] = set()

        def claim(alias: str, entity_id: str) -> None:
            if alias in by_alias and by_alias[alias] != entity_id:
                ambiguous.add(alias)
            by_alias[alias] = entity_id

        # A person's surname alone, where no other person has it and it is no ordinary word.
        surnames = Counter(cl.name.split()[-1] for cl in clusters if cl.kind == "person" and len(cl.name.split()) >= 2)
        # A one-word form that is a word of several people's names ("Choi", "Lee") names none of them for sure.
        name_words = Counter(w for cl in clusters if cl.kind == "person" for w in set(_person_tokens(cl.name)))
        # A person's name alone links in the stories that name the person (see merge_people) and in articles of no known story.
        told_in: dict[str, set[str]] = {}  # a one-word form of a person or an organisation -> the stories of its mentions
        for cl in clusters:
            forms = set(written[ids[id(cl)]])  # a copy, which the lines below add to
            if cl.kind == "person":
                forms = {f for f in forms if " " in f or name_words[_person_tokens(f)[0]] <= 1}
                stories = {self.story.get(c.source, c.source) for c in cl.members}
                told_in.update((f, stories) for f in forms if " " not in f)
            elif cl.kind == "organization" and " " in cl.name:
                # So does an organisation's one-word short form ("Congress", "Assembly"): another story's may be another's.
                told_in.update((f, {self.story.get(c.source, c.source) for c in cl.members}) for f in forms if " " not in f and not is_acronym(f))
            if cl.kind in ("country", "place") or cl.rule:
                forms.add(cl.name)
            if cl.kind == "person" and len(cl.name.split()) >= 2:
                surname = cl.name.split()[-1]
                if surnames[surname] == 1 and len(surname) >= 4 and zipf(surname.lower()) < WORDLIKE_NAME_ZIPF and not self.gaz.country(surname) and not self.gaz.place(surname):
                    forms.add(surname)
                    told_in[surname] = stories
            for alias in forms:
                if (len(alias) >= 3 or is_acronym(alias)) and normalise(alias) not in self.hidden_keys:
                    claim(alias, ids[id(cl)])
        curated: dict[str, str] = {}
        for cl in clusters:
            if cl.rule:
                for alias in (cl.rule.name, *cl.rule.aliases):
                    if len(alias) >= 3:
                        curated[alias.lower()] = ids[id(cl)]
        for alias in ambiguous:
            del by_alias[alias]
        tables = (curated, by_alias)  # curated aliases first: where two overlap, the curated one is linked
        patterns = self.memo.same_patterns(tuple(_alias_pattern(table) for table in tables))
        compiled = tuple(re.compile(pattern, flags) if pattern else None for pattern, flags in zip(patterns, _ALIAS_FLAGS, strict=True))
        existing: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            existing[m.source].append(m)
        added: list[Mention] = []
        for source in self.sources:
            named = tuple(existing.get(source.slug, ()))
            found = self.memo.alias_matches(source, patterns, named, partial(self._source_alias_matches, source, compiled, named))
            story = self.story.get(source.slug)
            for paragraph, start, end, text, which in found:
                key = text.lower() if _ALIAS_FLAGS[which] else text
                if tables[which] is by_alias and story is not None and story not in told_in.get(key, (story,)):
                    continue
                added.append(self.memo.mention(tables[which][key], source.slug, paragraph, start, end, text))
        return added

    def _source_alias_matches(self, source: Source, compiled: tuple[re.Pattern | None, ...], named: tuple[Mention, ...]) -> list[_AliasMatch]:
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in named:
            taken[m.paragraph].append((m.start, m.end))
        found: list[_AliasMatch] = []
        for p in source.paragraphs:
            # The characters already in a mention, one byte each: whether a match overlaps one is then
            # a single search in C, where comparing it with every mention of the paragraph was not.
            covered = bytearray(len(p.text))
            for a, b in taken[p.id]:
                covered[a:b] = b"\1" * (b - a)
            for which, pattern in enumerate(compiled):
                if pattern is None:
                    continue
                for match in pattern.finditer(p.text):
                    start, end = match.span()
                    if covered.find(1, start, end) != -1:
                        continue
                    found.append((p.id, start, end, match.group(1), which))
                    covered[start:end] = b"\1" * (end - start)
        return found


def _alias_pattern(table: dict[str, str]) -> str:
    """A regular expression for the aliases on word boundaries, the longest first where
    several match at one place; '' for none.

    The aliases make a trie, so that `re` tests a character once for all the aliases
    that share it (an alias that is a prefix of another is an optional tail, tried
    first: the longer alias wins). And the pattern begins with the aliases' first
    characters, each followed by the look behind it, rather than with the look behind:
    `re` can then skip straight to where an alias could start. Three times as fast as
    a plain alternation, which at 1,000 sources was a third of resolving."""
    if not table:
        return ""
    trie: dict = {}
    for alias in table:
        node = trie
        for ch in alias:
            node = node.setdefault(ch, {})
        node[""] = {}  # an alias ends here

    def tails(node: dict) -> str:
        chain = ""
        while len(node) == 1 and "" not in node:  # one way on: letters in a row, not a group each (nor a call)
            ((ch, node),) = node.items()
            chain += re.escape(ch)
        branches = [re.escape(ch) + tails(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return chain
        either = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return chain + (f"(?:{either})?" if "" in node else either)

    starts = "|".join(re.escape(ch) + r"(?<![\w\-]" + re.escape(ch) + ")" + tails(child) for ch, child in sorted(trie.items()))
    return "(" + starts + r")(?![\w\-]|['’][a-rt-z])"


def with_curated_text(entities: tuple[Entity, ...], curated: dict[str, str], overrides: Overrides) -> tuple[Entity, ...]:
    """The entities of a resolution with what their rules in content/ say about them
    beyond resolving (description, notes, role, country, links), each rule found by its
    name (`curated`: entity id -> rule name, from the Resolution). Apart from resolving,
    so that an edit to a description can reuse the resolution of the same rules."""
    rules = {rule.name: rule for rule in overrides.entities}
    out = []
    for entity in entities:
        if entity.id not in curated:
            out.append(entity)
            continue
        rule = rules[curated[entity.id]]
        out.append(replace(entity, country=rule.country or entity.country, description=rule.description, notes=rule.notes, role=rule.role, links=rule.links))
    return tuple(out)


def for_resolution(overrides: Overrides) -> tuple:
    """What of `content/` resolution and topics depend on: two overrides with the same
    value here resolve alike, and differ at most in `with_curated_text`."""
    rules = tuple(replace(rule, description=None, notes=None, role=None, country=None, links=()) for rule in overrides.entities)
    return (rules, overrides.never_merge, overrides.topics, overrides.automatic_topics)


def resolve(
    sources: tuple[Source, ...],
    extractions: dict[str, Extraction],
    gazetteer: Gazetteer,
    overrides: Overrides | None = None,
    memo: CandidateMemo | None = None,
) -> Resolution:
    """Entities and mentions from the model's spans; pure and deterministic (the
    memo of an earlier run only saves work, it never changes the result)."""
    memo = memo or CandidateMemo(keep=False)
    resolution = _Resolver(sources, extractions, gazetteer, overrides or Overrides(), memo).run()
    memo.finish()
    return resolution
