"""Name normalisation and comparison, shared by resolution, evaluation and suggestions.

Pure string functions: no model, no gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Generic, TypeVar

from anyascii import anyascii
from rapidfuzz.distance import Indel

T = TypeVar("T")

_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9 \u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
"""Chinese characters (and their use in Japanese and Korean): the one script whose
transliteration loses what tells names apart, as many characters share a syllable
(李明 and 黎明 are both "Li Ming"), so keys keep them as written."""
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
_CAMEL_GLUE = re.compile(r"[a-z]{3,}[A-Z]")


@cache
def titles() -> frozenset[str]:
    """Words and abbreviations that stand before a name as a title ("Mr", "President", "CEO")."""
    return _word_list("titles.txt")


def _word_list(name: str) -> frozenset[str]:
    text = resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def institution_words() -> frozenset[str]:
    """Words that make a name an institution's, a law's or an event's ("Act", "Party", "Sabha")."""
    return _word_list("organisation_words.txt")


@cache
def event_words() -> frozenset[str]:
    """Words that end the name of an event, a competition or a law ("Championship", "Act")."""
    return _word_list("event_words.txt")


@cache
def place_words() -> frozenset[str]:
    """Words that end the name of a place or a landmark ("Heights", "Mosque", "Strip")."""
    return _word_list("place_words.txt")


def is_acronym_like(text: str) -> bool:
    """Mostly capitals, as acronyms are, in any mix of case: "AfD", "JDS", "SPD" (not "McCain")."""
    letters = [c for c in text if c.isalpha()]
    capitals = sum(1 for c in letters if c.isupper())
    return 2 <= len(letters) <= 6 and capitals >= 2 and 2 * capitals >= len(letters)


@cache
def role_words() -> frozenset[str]:
    """Titles and roles that may stand before a name, from nameparser's list of about 800
    ("photographer", "coach", "ceo") with ours: stripped from the front of a name unless
    the word is also a given name ("Dean Smith", "Major Jones" is a hard case we keep)."""
    from nameparser.config.titles import TITLES

    return titles() | frozenset(t for t in TITLES if t.isalpha() and not is_given_name(t))


@cache
def name_particles() -> frozenset[str]:
    """Lower-case particles inside personal names ("al", "bin", "van", "de"), from nameparser."""
    from nameparser.config.particles import PARTICLES

    return frozenset(p.strip("-'’") for p in PARTICLES if p.strip("-'’").isalpha())


GIVEN_NAME_MIN_FREQUENCY = 2
"""nam_dict.txt rates a name's frequency per country from 1 (rare) to 13; a name rated 1
everywhere ("Easter", "King", "Justice") is more often a word or a surname than a given name."""


@cache
def _given_names() -> frozenset[str]:
    """Given names from many countries and scripts' romanisations: the name dictionary that
    the gender-guesser package ships (Jörg Michael's nam_dict.txt, about 45,000 names;
    the data is under the GNU FDL). Only its data file is read."""
    data = resources.files("gender_guesser").joinpath("data", "nam_dict.txt").read_text(encoding="utf-8")
    names = set()
    for line in data.splitlines():
        if line.startswith("#") or len(line) < 30:
            continue
        name, ratings = line[3:29].strip(), line[30:]
        if "+" in name or " " in name:
            continue  # compound forms ("Abd+al"): their parts are listed on their own
        if max((int(c, 16) for c in ratings if c in "123456789ABCD"), default=0) >= GIVEN_NAME_MIN_FREQUENCY:
            names.add(anyascii(name).lower())
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """A common given name somewhere in the world: "Nicola", "Shabana", "Ilya", "Yoon"."""
    return normalise(word) in _given_names()


def strip_possessive(text: str) -> str:
    """ "Putin's" -> "Putin", "Ukraines'" -> "Ukraines"; other text unchanged."""
    return _POSSESSIVE.sub("", text) if len(text) > 2 else text


@lru_cache(maxsize=1 << 16)  # asked of the same few thousand names over and over
def normalise(text: str) -> str:
    """The comparison key of a name: ASCII, lower case, no punctuation or possessive,
    no leading "the". "Sánchez" and "Sanchez", "NATO" and "Nato" share a key."""
    text = strip_possessive(unicodedata.normalize("NFC", text.translate(_QUOTES)).strip())
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)  # "U.S." and "US" share a key
    text = _INNER_APOSTROPHE.sub("", text)  # "Hay’at" and "Hayat", "O'Brien" and "OBrien" share a key
    key = " ".join(_NON_WORD.sub(" ", _ascii_but_han(text).lower().replace("-", " ")).split())
    return key[4:] if key.startswith("the ") else key


def _ascii_but_han(text: str) -> str:
    if not _HAN.search(text):
        return anyascii(text)
    out, at = [], 0
    for m in _HAN.finditer(text):
        out.append(anyascii(text[at : m.start()]))
        out.append(" " + m.group(0) + " ")
        at = m.end()
    out.append(anyascii(text[at:]))
    return "".join(out)


def similarity(a: str, b: str) -> float:
    """0..1 edit similarity of two normalised strings (1 - Indel distance / total length)."""
    return Indel.normalized_similarity(a, b)


SURNAME_MIN_SIMILARITY = 0.85
"""Zelensky/Zelenskiy (0.94), Zelenski/Zelensky (0.88) pass; Trump/Tusk (0.44) does not."""
GIVEN_NAME_MIN_SIMILARITY = 0.75
"""Emmanuel/Emmaneul (0.88), Andrii/Andriy (0.83), Oleh/Oleg (0.75) pass; Donald/Ronald too,
which is why the surname must match first."""


TRANSLITERATION_MIN_SIMILARITY = 0.75
"""Jolani/Julani (0.83), Golani/Jolani (0.83) share their consonants; Martin/Morton (0.67) too, but differ more."""
_SKELETON = str.maketrans({"j": "g", "q": "k", "c": "k", "a": None, "e": None, "i": None, "o": None, "u": None, "y": None, "h": None})


@lru_cache(maxsize=1 << 16)
def consonant_skeleton(name: str) -> str:
    """A name's consonants, with those that transliterations of one sound swap (j/g, q/k/c)
    made one: "Jolani", "Julani" and "Golani" are all "gln"."""
    return re.sub(r"(.)\1+", r"\1", name.translate(_SKELETON))


def similar_surnames(a: str, b: str) -> bool:
    """Two normalised surnames that are spelling or transliteration variants of each other."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 3:  # variants differ by a few letters at most
        return False
    if a[0] == b[0] and similarity(a, b) >= SURNAME_MIN_SIMILARITY:
        return True
    skeleton = consonant_skeleton(a)
    return len(skeleton) >= 3 and skeleton == consonant_skeleton(b) and similarity(a, b) >= TRANSLITERATION_MIN_SIMILARITY


class SurnameIndex(Generic[T]):
    """Values filed under surnames, found by a surname's spelling variants without comparing
    it with every surname: `similar_surnames` accepts only names that share its first
    letter or its consonant skeleton, so those two are the index's keys."""

    def __init__(self, entries: Iterable[tuple[str, T]] = ()) -> None:
        self._by_surname: dict[str, list[T]] = defaultdict(list)
        self._by_key: dict[str, list[str]] = defaultdict(list)
        self._filed: dict[str, int] = {}  # surname -> its place in the filing order
        for surname, value in entries:
            self.add(surname, value)

    def add(self, surname: str, value: T) -> None:
        if surname not in self._by_surname:
            self._filed[surname] = len(self._filed)
            self._by_key["first " + surname[:1]].append(surname)
            self._by_key["skeleton " + consonant_skeleton(surname)].append(surname)
        self._by_surname[surname].append(value)

    def surnames_like(self, surname: str) -> list[str]:
        """The filed surnames that are `surname` or a spelling variant of it, in the order filed."""
        near = {*self._by_key.get("first " + surname[:1], ()), *self._by_key.get("skeleton " + consonant_skeleton(surname), ())}
        return sorted((s for s in near if similar_surnames(surname, s)), key=self._filed.__getitem__)

    def like(self, surname: str) -> list[T]:
        """The values filed under `surname` and its spelling variants."""
        return [value for s in self.surnames_like(surname) for value in self._by_surname[s]]


def compatible_given_names(a: list[str], b: list[str]) -> bool:
    """Given-name token lists that can belong to one person: equal, variants, or initials."""
    for x, y in zip(a, b, strict=False):  # the shorter list's names are the ones compared
        if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            continue
        if x[0] != y[0] or similarity(x, y) < GIVEN_NAME_MIN_SIMILARITY:
            return False
    return True


def same_person_name(a: str, b: str) -> bool:
    """Two normalised full names (two tokens or more) that name one person.

    The surnames must be variants of each other and so must the given names:
    "Donald Trump" and "Donald Tusk" share a given name but not a surname, and
    "Donald Trump" and "Melania Trump" share a surname but not a given name."""
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2:
        return False
    if not similar_surnames(ta[-1], tb[-1]):
        return False
    return compatible_given_names(ta[:-1], tb[:-1])


def is_glued(token: str) -> bool:
    """A token where scraping lost a space after a lower-case word: "withUS", "anyEuropean".
    A capitalised token with a capital inside is a brand's own spelling ("OpenAI", "ChatGPT",
    "LinkedIn", "TikTok"), not glue; a known name glued to a word ("UkraineThe",
    "Turkeywill") is found by resolution, which knows the names."""
    return token[:1].islower() and bool(_CAMEL_GLUE.search(token))


@lru_cache(maxsize=1 << 16)
def initials(name: str) -> str:
    """Initials of a multi-word name, ignoring small words and splitting hyphens:
    "Agence France-Presse" -> "AFP", "European Union" -> "EU"."""
    small = {"of", "the", "and", "for", "de", "la", "du", "des", "&", "al", "el", "bin", "ibn"}  # "Hayat Tahrir al-Sham" -> "HTS"
    words = [w for w in re.split(r"[\s\-]+", anyascii(name)) if w and w.lower() not in small]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def is_acronym(text: str) -> bool:
    """ "EU", "NATO", "U.S." — but not "Nato" or "I"."""
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()
