"""What the build knows about ordinary English words, from two libraries.

* `wordfreq` gives how common a word is in general English (Zipf scale:
  about 7 for "the", 5 for "war", 3 for "ceasefire"). Topics use it for
  salience; resolution uses it to tell a capitalised common noun ("Palace")
  from a name.
* `lemminflect` gives a word's possible parts of speech and lemmas from its
  lexicon, without running a tagger: enough to singularise a head noun and
  to see that "maintain" can only be a verb.
"""

from __future__ import annotations

import importlib.abc
import sys
from functools import cache


def load() -> None:
    """Load both libraries' word lists now (about a second) rather than at the first word."""
    zipf("the")
    _lemmas("the")


@cache
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@cache
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    return _lemmatizer().getAllLemmas(word.lower())


@cache
def _lemmatizer():
    """lemminflect's lemmatizer, imported without spaCy. The package imports spaCy if it
    can, only to add its own attributes to spaCy's tokens, which the build never uses;
    that import (half a second, more than the lemmatizer's own) would fall on every
    build that takes the model's results from the cache, and on a cold build's main
    process while its worker runs the model. Where spaCy is already imported (a build
    that ran the model here), lemminflect finds it and adds its attributes as usual."""
    # Process-wide while it lasts: no other thread imports spaCy then (only a build loads
    # the model, and lexicon is loaded by the build's own thread).
    sys.meta_path.insert(0, _WITHOUT_SPACY)
    try:
        from lemminflect import Lemmatizer
    finally:
        sys.meta_path.remove(_WITHOUT_SPACY)
    return Lemmatizer()


class _SpacyUnavailable(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError(f"{name} is not imported for lemminflect (see lexicon._lemmatizer)")
        return None


_WITHOUT_SPACY = _SpacyUnavailable()


def singular(word: str) -> str:
    """'guarantees' -> 'guarantee', 'talks' -> 'talk'; unknown words unchanged."""
    nouns = _lemmas(word).get("NOUN")
    return nouns[0] if nouns else word.lower()


def is_word(word: str) -> bool:
    """An ordinary English word the lexicon knows (any part of speech): "patriot", "trump", not "putin"."""
    return bool(_lemmas(word))


def can_be_noun(word: str) -> bool:
    lemmas = _lemmas(word)
    return "NOUN" in lemmas or "PROPN" in lemmas or not lemmas


def only_verb(word: str) -> bool:
    """A word the lexicon knows only as a verb ('maintain', 'urged')."""
    lemmas = _lemmas(word)
    return bool(lemmas) and set(lemmas) <= {"VERB", "AUX"}


def only_modifier(word: str) -> bool:
    """An adjective or adverb that is never a noun ('possible', 'new', 'further')."""
    lemmas = _lemmas(word)
    return bool(lemmas) and "NOUN" not in lemmas and bool(set(lemmas) & {"ADJ", "ADV"})
