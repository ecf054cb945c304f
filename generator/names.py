"""Name normalisation and comparison, shared by resolution, evaluation and suggestions.

Pure string functions: no model, no gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from anyascii import anyascii
from rapidfuzz.distance import Indel

_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_CAMEL_GLUE = re.compile(r"[a-z]{3,}[A-Z]")


@cache
def titles() -> frozenset[str]:
    """Words and abbreviations that stand before a name as a title ("Mr", "President")."""
    text = resources.files("generator.data").joinpath("titles.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def strip_possessive(text: str) -> str:
    """"Putin's" -> "Putin", "Ukraines'" -> "Ukraines"; other text unchanged."""
    return _POSSESSIVE.sub("", text) if len(text) > 2 else text


@lru_cache(maxsize=1 << 16)  # asked of the same few thousand names over and over
def normalise(text: str) -> str:
    """The comparison key of a name: ASCII, lower case, no punctuation or possessive,
    no leading "the". "Sánchez" and "Sanchez", "NATO" and "Nato" share a key."""
    text = strip_possessive(unicodedata.normalize("NFC", text.translate(_QUOTES)).strip())
    key = " ".join(_NON_WORD.sub(" ", anyascii(text).lower().replace("-", " ")).split())
    return key[4:] if key.startswith("the ") else key


def similarity(a: str, b: str) -> float:
    """0..1 edit similarity of two normalised strings (1 - Indel distance / total length)."""
    return Indel.normalized_similarity(a, b)


SURNAME_MIN_SIMILARITY = 0.85
"""Zelensky/Zelenskiy (0.94), Zelenski/Zelensky (0.88) pass; Trump/Tusk (0.44) does not."""
GIVEN_NAME_MIN_SIMILARITY = 0.75
"""Emmanuel/Emmaneul (0.88), Andrii/Andriy (0.83), Oleh/Oleg (0.75) pass; Donald/Ronald too,
which is why the surname must match first."""


def similar_surnames(a: str, b: str) -> bool:
    """Two normalised surnames that are spelling or transliteration variants of each other."""
    if a == b:
        return True
    if a[0] != b[0] or min(len(a), len(b)) < 4:
        return False
    return similarity(a, b) >= SURNAME_MIN_SIMILARITY


def compatible_given_names(a: list[str], b: list[str]) -> bool:
    """Given-name token lists that can belong to one person: equal, variants, or initials."""
    for x, y in zip(a, b):
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
    """A token where scraping lost a space: "withUS", "anyEuropean"."""
    return bool(_CAMEL_GLUE.search(token))


def initials(name: str) -> str:
    """Initials of a multi-word name, ignoring small words and splitting hyphens:
    "Agence France-Presse" -> "AFP", "European Union" -> "EU"."""
    words = [w for w in re.split(r"[\s\-]+", anyascii(name)) if w and w.lower() not in {"of", "the", "and", "for", "de", "la", "du", "des", "&"}]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def is_acronym(text: str) -> bool:
    """"EU", "NATO", "U.S." — but not "Nato" or "I"."""
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()
