"""`briefing suggest`: what a curator should look at, as YAML ready to paste.

Resolution keeps two names apart when unsure (a wrong merge is worse than
a split) and gives no page to names it doubts. This module reads the same
analysis and lists, with the evidence for each:

1. merges the automatic pass did not make: names of the same kind (or a
   person and an organisation) that are close: spelling or transliteration
   variants below the automatic threshold, a bare surname next to the full
   names it could belong to, the same name in another case or with accents,
   an acronym and its expansion;
2. junk: entities that got no page, and names shaped like headline
   fragments, digits or glued words that the corpus barely supports;
3. type conflicts: pages whose mentions the model labelled as different kinds.

Every item is an `entities:` entry of `content/entities.yaml`. A pasted item
makes its suggestion disappear on the next run (the merge is made, the entity
hidden, the kind fixed); a `never_merge` pair, or a `not_aliases` split,
rejects a merge for good. Pure functions of the analysis: no model, no writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Indel

from .lexicon import is_word, only_verb
from .model import NAMED_KINDS, Entity, Resolution, Source
from .names import (
    SURNAME_MIN_SIMILARITY,
    compatible_given_names,
    initials,
    is_acronym,
    is_glued,
    normalise,
    same_person_name,
    similar_surnames,
    similarity,
)
from .overrides import EntityOverride, Overrides

NAME_KINDS = frozenset({"person", "organization"})
"""Kinds whose names are compared by spelling across each other: the model confuses them."""
DEFAULT_MIN_SIMILARITY = 0.75
"""Below this a pair of names is not suggested. "Oleksandr Syrskyi" / "Alexander Syrsky" and
"Mike Waltz" / "Michael Waltz" score 0.77, "Donald Trump" / "Melania Trump" 0.65,
"Donald Trump" / "Donald Tusk" 0.44."""
DEFAULT_LIMIT = 30
"""Suggestions shown per section, best first."""
GIVEN_NAME_WEIGHT = 0.5
"""How much unlike given names lower a full name's similarity: at most by half, because the
surname identifies a person and given names vary more across languages (Oleksandr/Alexander)."""
CONTEXT_WEIGHT = 0.1
"""Weight of each context overlap (shared sources, shared neighbours) in a merge's rank."""
LOW_CONFIDENCE = 0.6
"""A page below this confidence, with a junk-shaped name, is suggested for hiding."""
MIN_CONFLICT_SHARE = 0.25
"""A type conflict is listed when the losing kinds hold at least this share of the votes."""
SHOWN_NEIGHBOURS = 3
SIMILARITY_BLOCK = 1000
"""Names scored against all others at once: a block of 1,000 rows by 20,000 names is 80 MB."""


@dataclass(frozen=True)
class Profile:
    """What the corpus says about one entity, page or doubtful."""

    entity: Entity
    has_page: bool
    mentions: int
    sources: frozenset[str]
    neighbours: frozenset[str]  # names of the entities mentioned in the same paragraphs
    keys: frozenset[str]  # normalised name and aliases

    @property
    def label(self) -> str:
        page = "" if self.has_page else ", no page"
        return f'"{self.entity.name}" ({self.entity.kind}{page}, {plural(self.mentions, "mention")} in {plural(len(self.sources), "source")})'


@dataclass(frozen=True)
class NameMatch:
    """Why two names may be one: the closest pair of their keys."""

    similarity: float
    reason: str


@dataclass(frozen=True)
class Suggestion:
    """One item to paste, with the comment lines that justify it."""

    evidence: tuple[str, ...]
    item: dict  # an `entities:` entry of content/entities.yaml
    rank: float  # higher first


@dataclass(frozen=True)
class Suggestions:
    merges: tuple[Suggestion, ...]
    junk: tuple[Suggestion, ...]
    kinds: tuple[Suggestion, ...]


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


def entity_keys(entity: Entity) -> frozenset[str]:
    return frozenset(k for k in (normalise(entity.name), *(normalise(a) for a in entity.aliases)) if k)


def rule_keys(rule: EntityOverride) -> frozenset[str]:
    return frozenset(normalise(n) for n in (rule.name, *rule.aliases))


# -- profiles ---------------------------------------------------------------


def profiles(sources: tuple[Source, ...], resolution: Resolution) -> list[Profile]:
    """One profile per page and per doubtful entity. Pages count their resolved
    mentions; doubtful entities have none, so their names are found in the text."""
    texts = {(s.slug, p.id): p.text for s in sources for p in s.paragraphs}
    pages = [e for e in resolution.entities if e.kind in NAMED_KINDS]
    entities = pages + list(resolution.doubtful)
    where: dict[int, list[tuple[str, str]]] = defaultdict(list)
    by_id = {e.id: i for i, e in enumerate(pages)}
    for m in resolution.mentions:
        if m.entity_id in by_id:
            where[by_id[m.entity_id]].append((m.source, m.paragraph))
    doubtful_by_form: dict[str, list[int]] = defaultdict(list)
    for i, entity in enumerate(resolution.doubtful, len(pages)):
        for form in entity.aliases or (entity.name,):
            doubtful_by_form[form].append(i)
    for form, place in _occurrences(doubtful_by_form, texts):
        for i in doubtful_by_form[form]:
            where[i].append(place)
    in_paragraph: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, places in where.items():
        for place in places:
            in_paragraph[place].add(i)
    result = []
    for i, entity in enumerate(entities):
        places = where[i]
        neighbours = {entities[j].name for place in set(places) for j in in_paragraph[place] if j != i}
        result.append(
            Profile(
                entity,
                i < len(pages),
                len(places),
                frozenset(s for s, _ in places),
                frozenset(neighbours),
                entity_keys(entity),
            )
        )
    return result


def _occurrences(forms: Iterable[str], texts: dict[tuple[str, str], str]) -> Iterable[tuple[str, tuple[str, str]]]:
    """(form, paragraph) for every whole-word occurrence of any of `forms`, in one pass over the text."""
    forms = sorted(forms, key=lambda f: (-len(f), f))
    if not forms:
        return
    pattern = re.compile(r"(?<![\w\-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w\-])")
    for place, text in texts.items():
        for m in pattern.finditer(text):
            yield m.group(1), place


# -- 1. merges --------------------------------------------------------------


def match_names(a: Profile, b: Profile, min_similarity: float, known_place: Callable[[str], bool]) -> NameMatch | None:
    """The strongest reason to think `a` and `b` name one thing, if any reaches `min_similarity`."""
    kinds = {a.entity.kind, b.entity.kind}
    fuzzy = kinds <= NAME_KINDS or (kinds == {"place"} and not (known_place(a.entity.name) and known_place(b.entity.name)))
    found = [_exact_or_acronym(ka, kb, a, b) for ka in sorted(a.keys) for kb in sorted(b.keys)]
    if fuzzy:
        found += [_fuzzy(ka, kb, a.entity.kind, b.entity.kind) for ka in _fuzzy_keys(a) for kb in _fuzzy_keys(b)]
    ranked = sorted((m for m in found if m and m.similarity >= min_similarity), key=lambda m: (-m.similarity, m.reason))
    return ranked[0] if ranked else None


def _fuzzy_keys(p: Profile) -> list[str]:
    """The keys to compare by spelling: the multi-word ones, or the name itself when it is one word.
    A full-name page's bare surname ("Trump") must not pull in every namesake ("Melania Trump")."""
    name = normalise(p.entity.name)
    if len(name.split()) == 1:
        return [name]
    return sorted(k for k in p.keys if len(k.split()) >= 2)


def _exact_or_acronym(ka: str, kb: str, a: Profile, b: Profile) -> NameMatch | None:
    if ka == kb:
        return NameMatch(1.0, f'both read "{ka}" once case, accents and punctuation are set aside')
    for short, owner, expansion in ((ka, a, kb), (kb, b, ka)):
        written = (f for f in (owner.entity.name, *owner.entity.aliases) if normalise(f) == short)
        if len(expansion.split()) >= 2 and initials(expansion) == short.upper() and any(is_acronym(f) for f in written):
            return NameMatch(0.95, f'"{short.upper()}" is the initials of "{expansion}"')
    return None


def _fuzzy(ka: str, kb: str, kind_a: str, kind_b: str) -> NameMatch | None:
    ta, tb = ka.split(), kb.split()
    person = "person" in (kind_a, kind_b)
    if person and len(ta) >= 2 and len(tb) >= 2:
        return _full_names(ta, tb)
    if person and min(len(ta), len(tb)) == 1 < max(len(ta), len(tb)):
        bare, full = (ta[0], tb) if len(ta) == 1 else (tb[0], ta)
        if similar_surnames(bare, full[-1]):
            return NameMatch(similarity(bare, full[-1]), f'bare surname "{bare}" next to the full name "{" ".join(full)}"')
        return None
    if ka.replace(" ", "") == kb.replace(" ", ""):
        return NameMatch(0.99, f'"{ka}" and "{kb}" differ only in spacing')
    if len(ta) == len(tb):
        # Every word must be a variant ("Defence"/"Defense"), not just most letters ("Council"/"Union").
        worst = min(similarity(x, y) for x, y in zip(ta, tb, strict=True))
        return NameMatch(min(worst, similarity(ka, kb)), f'"{ka}" and "{kb}" compared word by word')
    short, long = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return NameMatch(similarity(ka, kb), f'"{" ".join(short)}" is part of "{" ".join(long)}"')
    return None


def _full_names(ta: list[str], tb: list[str]) -> NameMatch:
    surname = similarity(ta[-1], tb[-1])
    given_compatible = compatible_given_names(ta[:-1], tb[:-1])
    given = 1.0 if given_compatible else similarity(" ".join(ta[:-1]), " ".join(tb[:-1]))
    score = surname * (1 - GIVEN_NAME_WEIGHT * (1 - given))
    a, b = " ".join(ta), " ".join(tb)
    if same_person_name(a, b):
        reason = f'"{a}" and "{b}" are variants of one name'
    elif similar_surnames(ta[-1], tb[-1]):
        reason = f'surnames "{ta[-1]}"/"{tb[-1]}" match ({surname:.2f}); given names "{" ".join(ta[:-1])}"/"{" ".join(tb[:-1])}" differ ({given:.2f})'
    else:
        reason = f'surnames "{ta[-1]}"/"{tb[-1]}" only {surname:.2f} alike (an automatic merge needs {SURNAME_MIN_SIMILARITY})'
    return NameMatch(score, reason)


def _kept_apart(a: Profile, b: Profile, apart: list[tuple[str, str]]) -> bool:
    return any((x in a.keys and y in b.keys) or (y in a.keys and x in b.keys) for x, y in apart)


def apart_pairs(overrides: Overrides) -> list[tuple[str, str]]:
    """Pairs of names a curator keeps apart: `never_merge` rules and `not_aliases` splits."""
    pairs = [(normalise(r.names[0]), normalise(r.names[1])) for r in overrides.never_merge]
    pairs += [(normalise(rule.name), normalise(n)) for rule in overrides.entities for n in rule.not_aliases]
    return pairs


def better(a: Profile, b: Profile) -> tuple[Profile, Profile]:
    """(the name the page should keep, the one that joins it): a page over a doubtful
    name, a full name over a surname or an acronym, then the name used more, the one
    resolution is surer of, the spelling with its accents ("Sánchez" over "Sanchez")."""

    def strength(p: Profile):
        name = p.entity.name
        return (p.has_page, len(normalise(name).split()), p.mentions, p.entity.confidence, not name.isascii(), len(name))

    by_name = sorted((a, b), key=lambda p: (p.entity.name, p.entity.kind))
    keep, join = sorted(by_name, key=strength, reverse=True)  # stable: a tie keeps the name first in order
    return keep, join


@dataclass(frozen=True)
class MergeCandidate:
    """Two profiles that may be one entity, with the evidence."""

    keep: Profile
    join: Profile
    match: NameMatch
    rank: float

    def evidence(self) -> list[str]:
        a, b = self.keep, self.join
        shared = sorted(a.neighbours & b.neighbours - {a.entity.name, b.entity.name})
        return [
            f"{a.label} and {b.label}",
            f"similarity {self.match.similarity:.2f}: {self.match.reason}",
            f"shared context: {plural(len(a.sources & b.sources), 'source')} in common" + (f"; both mentioned with {', '.join(shared[:SHOWN_NEIGHBOURS])}" if shared else ""),
            f"to reject: add [{a.entity.name}, {b.entity.name}] under never_merge:",
        ]


def merge_candidates(found: list[Profile], overrides: Overrides, min_similarity: float, known_place: Callable[[str], bool]) -> list[MergeCandidate]:
    """Every pair close enough to suggest, best first. The rank is the name similarity plus
    CONTEXT_WEIGHT times each overlap (Jaccard) of their sources and of their co-mentioned entities."""
    apart = apart_pairs(overrides)
    pairs = candidate_pairs(found, min_similarity)
    result = []
    for i, j in pairs:
        a, b = found[i], found[j]
        if not (a.has_page or b.has_page) or _kept_apart(a, b, apart):
            continue
        keep, join = better(a, b)
        match = match_names(keep, join, min_similarity, known_place)
        if match is not None:
            rank = match.similarity + CONTEXT_WEIGHT * (_jaccard(a.sources, b.sources) + _jaccard(a.neighbours, b.neighbours))
            result.append(MergeCandidate(keep, join, match, rank))
    return sorted(result, key=lambda c: (-round(c.rank, 6), c.keep.entity.name, c.join.entity.name))


def candidate_pairs(found: list[Profile], min_similarity: float) -> list[tuple[int, int]]:
    """The pairs of profiles worth comparing, without comparing them all: every rule needs
    one key in common, an acronym and its expansion, or two keys or two last words at least
    `min_similarity` alike (a full name's similarity never exceeds its surnames')."""
    by_key: dict[str, set[int]] = defaultdict(set)
    by_last_word: dict[str, set[int]] = defaultdict(set)
    by_initials: dict[str, set[int]] = defaultdict(set)
    for i, p in enumerate(found):
        for key in p.keys:
            words = key.split()
            by_key[key].add(i)
            by_last_word[words[-1]].add(i)
            if len(words) >= 2:
                by_initials[initials(key)].add(i)
    pairs: set[tuple[int, int]] = set()

    def connect(left: set[int], right: set[int]) -> None:
        pairs.update((min(i, j), max(i, j)) for i in left for j in right if i != j)

    for index in (by_key, by_last_word):
        for owners in index.values():
            connect(owners, owners)
        for a, b in _similar_strings(sorted(index), min_similarity):
            connect(index[a], index[b])
    for key, owners in by_key.items():
        if key.upper() in by_initials:
            connect(owners, by_initials[key.upper()])
    return sorted(pairs)


def _similar_strings(strings: list[str], cutoff: float) -> Iterable[tuple[str, str]]:
    """Pairs of distinct strings at least `cutoff` alike, scored by rapidfuzz in C, a block of rows at a time."""
    for start in range(0, len(strings), SIMILARITY_BLOCK):
        scores = process.cdist(strings[start : start + SIMILARITY_BLOCK], strings, scorer=Indel.normalized_similarity, score_cutoff=max(0.0, cutoff - 1e-6))
        for row, column in zip(*scores.nonzero(), strict=True):
            if start + row < column:
                yield strings[start + row], strings[column]


def merge_items(candidates: list[MergeCandidate], limit: int) -> list[Suggestion]:
    """One item per page that keeps its name; every name in at most one item, so the whole
    output pastes as is. A name that a better candidate already claimed is shown as the
    alternative it is, in that item's comments."""
    items: dict[str, tuple[dict, list[str], float]] = {}  # keep key -> (item, evidence, rank)
    claimed: dict[str, str] = {}  # name key -> keep key of the item that holds it
    for c in candidates:
        keep, join = normalise(c.keep.entity.name), normalise(c.join.entity.name)
        holder = claimed.get(join) or (claimed.get(keep) if claimed.get(keep) != keep else None)
        if holder is not None:
            items[holder][1].append(f"also close, not proposed: {c.keep.label} and {c.join.label} ({c.match.similarity:.2f})")
            continue
        if keep not in items:
            if len(items) == limit:
                continue
            item: dict = {"name": c.keep.entity.name, "aliases": []}
            items[keep] = (item, [], c.rank)
            claimed[keep] = keep
        item, evidence, _ = items[keep]
        item["aliases"].append(c.join.entity.name)
        if c.join.entity.kind != c.keep.entity.kind:
            item["kind"] = c.keep.entity.kind
        evidence.extend(c.evidence())
        claimed[join] = keep
    return [Suggestion(tuple(evidence), _ordered(item), rank) for item, evidence, rank in items.values()]


def _ordered(item: dict) -> dict:
    """The schema's key order: name, kind, aliases, hidden."""
    return {k: item[k] for k in ("name", "kind", "aliases", "hidden") if k in item}


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _best(suggestions: list[Suggestion], limit: int) -> list[Suggestion]:
    return sorted(suggestions, key=lambda s: (-round(s.rank, 6), s.item["name"]))[:limit]


# -- 2. junk ----------------------------------------------------------------


def junk_signals(profile: Profile, lower_words: set[str]) -> list[str]:
    """Why a name looks like junk rather than a person, organisation or place; empty if it does not."""
    entity = profile.entity
    shape = []
    if any(ch.isdigit() for ch in entity.name):
        shape.append("the name contains digits")
    if any(is_glued(t) for t in entity.name.split()):
        shape.append("words glued together where a space was lost")
    if _fragment(entity, lower_words):
        shape.append("a Title-Case fragment: ordinary words this corpus also writes in lower case")
    weak = []
    if profile.mentions <= 1:
        weak.append(plural(profile.mentions, "mention"))
    if entity.confidence < LOW_CONFIDENCE:
        weak.append(f"confidence {entity.confidence:.2f}")
    if not profile.has_page:
        return [f"no page: confidence {entity.confidence:.2f} is below the page threshold", *shape]
    # A well supported name ("White House", many mentions, confident) is not junk for its shape alone.
    return [*shape, *weak] if shape and weak else []


def _fragment(entity: Entity, lower_words: set[str]) -> bool:
    words = normalise(entity.name).split()
    if entity.kind not in NAME_KINDS or len(words) < 2:
        return False
    ordinary = [w in lower_words and is_word(w) for w in words]
    if entity.kind == "person":
        # "Medvedev States", "Putin Says": a name run into the headline word after it.
        return ordinary[-1] or any(o and only_verb(w) for o, w in zip(ordinary, words, strict=True))
    return all(ordinary)


def suggest_junk(found: list[Profile], sources: tuple[Source, ...], skip: set[str], limit: int) -> list[Suggestion]:
    """Entities to hide, most junk-like first; none whose name is in `skip` (curated, or in a merge)."""
    lower_words = {w for s in sources for p in s.paragraphs for w in re.findall(r"\b[a-z]+\b", p.text)}
    result = []
    for p in found:
        if p.keys & skip:
            continue
        signals = junk_signals(p, lower_words)
        if signals:
            rank = len(signals) + 1 - p.entity.confidence
            evidence = (f"{p.label} looks like junk: {'; '.join(signals)}", "to keep it instead: give it an entry with its name and kind, without hidden:")
            result.append(Suggestion(evidence, {"name": p.entity.name, "hidden": True}, rank))
    return _best(result, limit)


# -- 3. type conflicts ------------------------------------------------------


def suggest_kinds(resolution: Resolution, skip: set[str], limit: int) -> list[Suggestion]:
    """Pages whose mentions the model labelled as different kinds, the most contested first;
    none whose name is in `skip` (its kind is curated)."""
    by_id = {e.id: e for e in resolution.entities}
    result = []
    for entity_id, votes in sorted(resolution.type_votes.items()):
        entity = by_id.get(entity_id)
        if entity is None or normalise(entity.name) in skip or len(votes) < 2:
            continue
        total = sum(votes.values())
        # A tie keeps the kind resolution chose (it saw titles and the gazetteer too).
        kind = max(sorted(votes), key=lambda k: (votes[k], k == entity.kind))
        contested = 1 - votes[kind] / total
        if contested < MIN_CONFLICT_SHARE and kind == entity.kind:
            continue
        shown = ", ".join(f"{k} {n}" for k, n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])))
        verdict = f"suggested kind: {kind}" if kind != entity.kind else f"confirm kind: {kind}"
        evidence = (f'"{entity.name}" ({entity.kind} page): the model labelled its mentions {shown}; {verdict}',)
        result.append(Suggestion(evidence, {"name": entity.name, "kind": kind}, contested + (kind != entity.kind)))
    return _best(result, limit)


# -- all three --------------------------------------------------------------


def suggest(
    sources: tuple[Source, ...],
    resolution: Resolution,
    overrides: Overrides,
    known_place: Callable[[str], bool],
    *,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    limit: int = DEFAULT_LIMIT,
) -> Suggestions:
    """The three sections. No name appears in two items, so the whole output pastes as is."""
    found = profiles(sources, resolution)
    rules = {k: rule for rule in overrides.entities for k in rule_keys(rule)}
    merges = merge_items(merge_candidates(found, overrides, min_similarity, known_place), limit)
    in_merges = {normalise(n) for s in merges for n in (s.item["name"], *s.item["aliases"])}
    # A name proposed for a merge is not junk: the merge is the better reading of it.
    junk = suggest_junk(found, sources, set(rules) | in_merges, limit)
    curated_kinds = {k for k, rule in rules.items() if rule.kind}
    kinds = []
    for s in suggest_kinds(resolution, curated_kinds | {normalise(j.item["name"]) for j in junk}, limit):
        key = normalise(s.item["name"])
        keeping = [m for m in merges if normalise(m.item["name"]) == key]
        if keeping:  # one entry per name: the merge item carries the kind too
            merges = [_with_kind(m, s) if m in keeping else m for m in merges]
        elif key not in in_merges:
            kinds.append(s)
    return Suggestions(*(tuple(_note_existing(s, rules) for s in section) for section in (merges, junk, kinds)))


def _with_kind(merge: Suggestion, conflict: Suggestion) -> Suggestion:
    item = _ordered({**merge.item, "kind": conflict.item["kind"]})
    return Suggestion(merge.evidence + conflict.evidence, item, merge.rank)


def _note_existing(s: Suggestion, rules: dict[str, EntityOverride]) -> Suggestion:
    """Pasting a name that already has an entry would be an error: say where to edit instead."""
    notes = []
    for name in (s.item["name"], *s.item.get("aliases", ())):
        rule = rules.get(normalise(name))
        if rule is not None:
            notes.append(f"{rule.origin.file}:{rule.origin.line} already has an entry for '{rule.name}': edit it there instead of pasting this")
    return Suggestion(s.evidence + tuple(notes), s.item, s.rank) if notes else s


SECTIONS = (
    ("merges", "Merges the automatic pass did not make (kept apart when unsure)"),
    ("junk", "Entities that look like junk: hide them"),
    ("kinds", "Type conflicts: the model labelled these names as different kinds"),
)


def to_yaml(suggestions: Suggestions) -> str:
    """The suggestions as an `entities:` list for content/entities.yaml, evidence in comments."""
    counts = {name: len(getattr(suggestions, name)) for name, _ in SECTIONS}
    lines = [
        f"# briefing suggest: {plural(counts['merges'], 'merge')}, {plural(counts['junk'], 'junk entity', 'junk entities')}, {plural(counts['kinds'], 'type conflict')}.",
        "# Paste the items you accept into content/entities.yaml under `entities:` and rebuild;",
        "# reject a merge with a `never_merge:` pair. Either way it is not suggested again.",
        "entities:" if any(counts.values()) else "entities: []",
    ]
    for number, (name, title) in enumerate(SECTIONS, 1):
        lines += ["", f"  # --- {number}. {title} ---"]
        items: tuple[Suggestion, ...] = getattr(suggestions, name)
        if not items:
            lines.append("  # (none)")
        for s in items:
            lines += [f"  # {line}" for line in s.evidence]
            fields = [f"{key}: {_flow(value)}" for key, value in s.item.items()]
            lines += [f"  - {fields[0]}", *(f"    {field}" for field in fields[1:])]
    return "\n".join(lines) + "\n"


def _flow(value: object) -> str:
    """One YAML value on one line, quoted where YAML would misread it ("NO", "1.10")."""
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).removesuffix("\n").removesuffix("\n...")


# -- command line -----------------------------------------------------------


def register(subparsers) -> None:
    from .cli import add_project_options

    p = subparsers.add_parser(
        "suggest",
        help="print likely merges, junk entities and type conflicts as YAML to paste into content/entities.yaml",
        description="Analyse the sources as a build would (no site is written) and print, as YAML ready to paste "
        "into content/entities.yaml, the merges resolution suspects but did not make, the entities that look like "
        "junk, and the names the model typed inconsistently, each with its evidence in comments. Names kept apart "
        "by never_merge (or split by not_aliases) in content/entities.yaml are never suggested again; "
        "--no-overrides ignores those rules with the rest of content/.",
    )
    add_project_options(p)
    p.add_argument(
        "--min-similarity",
        type=float,
        default=DEFAULT_MIN_SIMILARITY,
        metavar="X",
        help=f"suggest a merge only when the two names are at least this similar, 0 to 1 (default: {DEFAULT_MIN_SIMILARITY}); lower it to see more distant variants",
    )
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"at most N suggestions per section, best first (default: {DEFAULT_LIMIT})")
    p.set_defaults(run=run_suggest)


def run_suggest(args: argparse.Namespace) -> int:
    from .cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, print_warnings, project_from
    from .gazetteer import load_gazetteer
    from .resolved import resolve_project

    if not 0 <= args.min_similarity <= 1 or args.limit < 1:
        print("error: --min-similarity must be between 0 and 1, --limit 1 or more", file=sys.stderr)
        return EXIT_USAGE
    analysis = resolve_project(project_from(args, Path("site")), use_overrides=not args.no_overrides, jobs=args.jobs)
    print_warnings(analysis.warnings, args.quiet)
    if args.strict and analysis.warnings:
        print(f"error: {len(analysis.warnings)} warning(s) and --strict is set", file=sys.stderr)
        return EXIT_ERROR
    gazetteer = load_gazetteer()
    found = suggest(
        analysis.sources,
        analysis.resolution,
        analysis.overrides,
        lambda name: gazetteer.place(name) is not None,
        min_similarity=args.min_similarity,
        limit=args.limit,
    )
    sys.stdout.write(to_yaml(found))
    return EXIT_OK
