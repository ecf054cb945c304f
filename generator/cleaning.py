"""Cleaning, step 1 of resolution: one article's model spans made into candidate names.

A span loses what is not the name: a leading "the", trailing punctuation and a
possessive, titles, roles and a nationality before it ("President", "CTO",
"Italian"), a model number after it ("F-16s"), punctuation a lost space let in. A
span that cannot be a name is dropped (a time zone after a clock time, a photo
credit's agency, text glued by a lost space: "withUS", "Turkeywill"), and so is
every span of a Title-Case headline but a country and a byline, as the model takes
every capitalised word there for a name. Full names the model left unlabelled or cut
("Amit Shah", "Mikel Oyarzabal") are added, a photo credit and "SPD's Klingbeil" are
cut into their names, and a long name the model cut in pieces is joined by the
acronym its initials spell. Each candidate keeps the words around it that tell a kind
(`_context`): "the" (no person), "in" (a place), a role after it (its employer).

It looks at one article at a time and knows nothing of the others, so it can run as
soon as the model is done with an article (see build.WorkAlongside); resolve.py does
the rest, over the whole corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer
from .lexicon import is_word, zipf
from .model import Extraction, Source
from .names import initials, institution_words, is_acronym, is_acronym_like, is_given_name, is_glued, normalise, place_words, role_words, strip_possessive

SLOGAN_WORDS = (4, 12)
"""A body paragraph of this many words, every one capitalised and no list, is read as a Title-Case
headline is (a slogan, a pull quote, a title the scrape left in the text); shorter, it is a name
in a list or a byline ("• Orson Tan")."""
WORDLIKE_NAME_ZIPF = 3.0
"""A name at least this common as an English word ('falcon' 3.6) may be a capitalised word: alone and
once, it needs more evidence. Lower than topics.COMMON_WORD_ZIPF, which is about what makes a theme."""
_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with via over under after before is are".split())
_LEADING_JUNK = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING_JUNK = re.compile(r"[\s'’\"“”.,;:!?()\[\]\-–—/|]+$")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){2,}$")
_NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
_FULL_NAME = re.compile(rf"(?<![\w’'-]){_NAME_WORD}(?: {_NAME_WORD}){{1,2}}(?![\w-])")
GIVEN_NAME_WORD_ZIPF = 4.0
"""A given name that is also an English word this common ("Will" 6.2, "Mark" 5.0) may open a headline's phrase instead."""
FUNCTION_WORD_ZIPF = 6.0
"""The lexicon knows content words only: a word it does not know that is this common ("the"
7.7, "an" 6.5; the commonest given names, "John" 5.4, stay below) is a function word,
though some list of given names holds it ("The Lib Dem leader" opens with no name)."""
_INNER_CAPITAL = re.compile(r"[a-z](?=[A-Z][a-z])")  # "UkraineThe", "NewsSouth"; not "OpenAI"'s acronym tail
_INNER_POSSESSIVE = re.compile(r"(?<=\w)['’]s?\s+(?=[A-Z])")
_FIRST_WORD = re.compile(r"(\S+)\s+")
_ASCII_DIGIT = re.compile(r"[0-9]")  # an ASCII text's only digits (str.isdigit also takes "²" and the like)
_CLEAN_SEGMENT = re.compile(r"[^\"“”,;:()\[\]]+")
_UNCLEAN = re.compile(r"[\"“”,;:()\[\]]")
_CREDIT_SEPARATOR = re.compile(r"[/|]")
_PERSONAL_TITLES = frozenset("mr mrs ms miss dr sir dame president".split())
"""Titles that only a person bears: "PM Modi", "Mr Sunak" tagged ORG are people all the same."""
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")  # not after a possessive: "Putin's spokesman" is his, not his employer's
_EMPLOYER_ROLES = frozenset(
    "boss manager chairman chairwoman coach forward striker midfielder defender goalkeeper winger captain player "
    "prodigy star owner spokesman spokeswoman spokesperson executive founder ceo leader chief".split()
)
"""Roles after a name that make the name their employer: "Chelsea boss", "Sony spokesperson"."""
_PLACE_AFTER = frozenset("provinces neighborhood neighbourhood neighborhoods neighbourhoods city town village area district region governorate county constituency suburb".split())
"""Words after a name that make it a place's: "Daraa provinces", "the Mezzeh neighbourhood"."""
_DEFINED_ACRONYM_AFTER = re.compile(r"\s*\((?=[A-Za-z]*[A-Z][a-z]*[A-Z])[A-Z][A-Za-z]{1,7}\)")  # "(SOHR)", "(AfD)"; not "(Germany)"
_DATELINE_AGENCY = re.compile(r"\s*\([A-Za-z]+\)\s*[:\-–—]")  # "Damascus (MEE): …": the agency's, not the city's acronym
_AFTER_A_CLOCK_TIME = re.compile(r"(?<!\d)\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s?[ap]\.?m\.?)\s+$", re.IGNORECASE)
_CREDIT_WORDS = ("Photo", "Photos", "Pic", "Pics", "Photograph")
_CREDIT_WORD_LAST = re.compile(r"\s(?:" + "|".join(_CREDIT_WORDS) + ")$")
_IN_X_AND = re.compile(r"(?<!\w)in\s+(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?\s+(?:and|or)\s+$")
_LIST_ENDS = re.compile(r"\s*(?:[,.;:)]|$)")
_CLUB_SUFFIX = re.compile(r" (?:FC|AFC|CF|F\.C\.)(?!\w)")
_IN_A_PLACE = re.compile(r",?\s+in\s+(?:the\s+)?[A-Z]")
_ORGANISATION_NOUNS = frozenset(
    "newspaper broadcaster agency company firm group party outlet daily network channel magazine tabloid bank club "
    "militia organisation organization movement startup platform app website carrier airline giant maker retailer "
    "publisher paper".split()
)
"""Common nouns before a name that make it an organisation's: "the German newspaper Bild"."""
_OWNER_OF_PERSON = re.compile(r"['’]s\s+([A-Z][a-z]+)\s+[A-Z]")
_WORD_BEFORE = re.compile(r"(?<![\w-])([a-z]+)\s+$")  # lower case: a role written as a title is inside the span
_CONTEXT_WORD = re.compile(r"(?<!\w)(the|in)\s+$", re.IGNORECASE)


def is_title_case(text: str) -> bool:
    """A headline in Title Case: most words that are not small words start with a capital."""
    words = [w.strip("'\"‘’“”()") for w in text.split()]
    words = [w for w in words if w and w[0].isalpha() and w.lower() not in _SMALL_WORDS]
    if len(words) < 2:
        return bool(words) and text.strip().startswith(("'", "‘", '"', "“"))
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.75


@dataclass(slots=True)  # tens of thousands live at once on a large corpus
class Candidate:
    """A cleaned span on its way to becoming a mention (internal, mutable)."""

    source: str
    paragraph: str
    start: int
    end: int
    text: str
    label: str  # the model's label; "" for a name split off another span, which casts no vote
    titled: bool = False  # a person's title stood before it
    context: str = ""  # the word before it when that word tells a kind: "the" (no person), "in" (a place)
    key: str = ""
    kind: str = ""
    target: str = ""  # the group key or canonical name it resolves to

    def fresh(self) -> Candidate:
        """A copy as cleaning left it, for the corpus-wide steps to set key, kind and target."""
        return Candidate(self.source, self.paragraph, self.start, self.end, self.text, self.label, self.titled, self.context)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past a leading 'the', trailing punctuation and a possessive."""
    span = text[start:end]
    if m := _LEADING_JUNK.match(span):
        start += m.end()
    span = text[start:end]
    if m := _TRAILING_JUNK.search(span):
        end -= len(m.group(0))
        if _ABBREVIATION.search(text[start : end + 1]):
            end += 1  # "U.S." keeps its last full stop
    span = text[start:end]
    stripped = strip_possessive(span)
    end -= len(span) - len(stripped)
    return start, end


def _longest_clean_segment(text: str, start: int, end: int) -> tuple[int, int]:
    """A span swallowed punctuation where a space was lost ('aggression,"Macron'):
    keep its last capitalised segment."""
    if not _UNCLEAN.search(text, start, end):
        return _strip_spaces(text, start, end)  # most spans: nothing to cut
    pieces = [(m.start(), m.end()) for m in _CLEAN_SEGMENT.finditer(text[start:end])]
    pieces = [(start + a, start + b) for a, b in pieces if text[start + a : start + b].strip()]
    capitalised = [p for p in pieces if text[p[0] : p[1]].strip()[:1].isupper()]
    return _strip_spaces(text, *(capitalised or pieces or [(start, end)])[-1])


def _strip_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _first_word(text: str, start: int, end: int) -> re.Match | None:
    return _FIRST_WORD.match(text[start:end])


def _opens_with_given_name(name: str) -> bool:
    """A name of two or three words whose first is a given name and no English word: "Sean
    Gallup", "Jenny Medlicott"; not "Will Trump" (a headline) nor "Grace Period"."""
    words = name.split()
    if not (2 <= len(words) <= 3 and is_given_name(words[0]) and not is_acronym_like(words[-1])):
        return False
    return zipf(words[0].lower()) < (GIVEN_NAME_WORD_ZIPF if is_word(words[0]) else FUNCTION_WORD_ZIPF)


def _is_slogan(text: str) -> bool:
    """ "Ye Jo Public Hai Ye Sab Jaanti Hai…": not "Kafr Hadi, Ramsiya and Ofania", not "Troops held the Heights"."""
    if len(text) > SLOGAN_WORDS[1] * 16 or "," in text or ";" in text:
        return False
    words = [w.strip("'\"‘’“”()…•-") for w in text.split()]
    words = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    return SLOGAN_WORDS[0] <= len(words) <= SLOGAN_WORDS[1] and all(w[0].isupper() for w in words)


def _context(text: str, start: int, end: int) -> str:
    """The words around a span when they tell a kind: a role after a name makes it the role's
    employer ("Chelsea boss", "the Real Sociedad forward"); people are not "the X", "in X" is a
    place, and a role before a name ("Spanish midfielder Rodri") is a title outside the span.
    A hashtag ("#ESPFRA") is no name."""
    if text[start - 1 : start] == "#":
        return "hashtag"
    after = _WORD_AFTER.match(text, end)
    if after and after.group(1) in _EMPLOYER_ROLES or text[max(0, start - 3) : start].lower() == "ex-":
        return "employer"
    if after and (after.group(1) in _PLACE_AFTER or after.group(1) in place_words()) or _IN_A_PLACE.match(text, end):
        return "in"  # "Daraa provinces", "the Mezzeh neighbourhood", "Clacton in Essex": a place
    space_before = text[start - 1 : start].isspace()  # what the patterns below look for before the span ends in a space
    if space_before and _LIST_ENDS.match(text, end) and _IN_X_AND.search(text, max(0, start - 60), start):
        return "in"  # "his seat in Boston and Skegness,": the preposition is both names'

    if _DEFINED_ACRONYM_AFTER.match(text, end) and not (start == 0 and _DATELINE_AGENCY.match(text, end)):
        return "employer"  # "the Syrian Observatory for Human Rights (SOHR)": a name with an acronym is an organisation's
    owned = _OWNER_OF_PERSON.match(text, end)
    if owned and is_given_name(owned.group(1)):
        return "employer"  # "Janasena's Pawan Kalyan": a party's, a club's or a company's person
    if not space_before:
        return ""
    m = _CONTEXT_WORD.search(text[max(0, start - 8) : start])
    if m:
        return m.group(1).lower()
    m = _WORD_BEFORE.search(text[max(0, start - 24) : start])
    if m and m.group(1) in _ORGANISATION_NOUNS:
        return "employer"  # "the German newspaper Bild"
    return "role" if m and m.group(1) in role_words() else ""


_BRACKETED_ACRONYM = re.compile(r"\s\(([A-Z][A-Za-z]{1,7})\)")
_LONG_FORM_MAX_WORDS = 8


def _spelled_out_acronyms(text: str) -> list[tuple[int, int]]:
    """Where a bracketed acronym's long form stands before it: the fewest words before the
    bracket, starting with a capital, whose initials spell the acronym."""
    found: list[tuple[int, int]] = []
    if "(" not in text:
        return found
    for m in _BRACKETED_ACRONYM.finditer(text):
        acronym = m.group(1).upper()
        window = max(0, m.start() - 160)
        words = list(re.finditer(r"[^\s,;:()\[\]]+", text[window : m.start()]))
        for n in range(1, min(len(words), _LONG_FORM_MAX_WORDS) + 1):
            first = words[-n]
            phrase = text[window + first.start() : m.start()]
            if any(ch in phrase for ch in ",;:()[]"):
                break
            spelled = initials(phrase)
            if spelled == acronym and phrase[0].isupper():
                found.append((window + first.start(), m.start()))
                break
            if len(spelled) > len(acronym):
                break
    return found


class Cleaner:
    """Step 1 of resolution, which looks at one source at a time and knows nothing
    of the others: so it can run as soon as the model is done with the source."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        # An article writes its names many times: what depends on a name's letters alone is worked out once.
        self._glued_surfaces: dict[tuple[str, str], bool] = {}
        self._front: dict[str, tuple[int, bool]] = {}

    def source_candidates(self, source: Source, extraction: Extraction) -> list[Candidate]:
        found: list[Candidate] = []
        paragraphs = {p.id: p for p in source.paragraphs}
        for analysis in extraction.paragraphs:
            paragraph = paragraphs[analysis.paragraph_id]
            text = paragraph.text
            # In a Title-Case headline every capitalised word looks like a name to the model: only
            # countries and a person's name that opens with a given name (bylines, photo credits)
            # are kept there; the rest is linked later from the aliases the body text establishes.
            headline = (paragraph.heading and is_title_case(text)) or _is_slogan(text)
            previous: Candidate | None = None
            cleaned_here: list[Candidate] = []
            for span in analysis.spans:
                cleaned = self._clean(text, source.slug, analysis.paragraph_id, span.start, span.end, span.label, previous)
                cleaned_here.extend(cleaned)
                if cleaned:
                    previous = cleaned[-1]
            for name in self._unlabelled_people(text, source.slug, analysis.paragraph_id, cleaned_here):
                # The model's span inside it ("Oyarzabal" of "Mikel Oyarzabal") gives way to the whole name.
                cleaned_here = [c for c in cleaned_here if not (name.start <= c.start and c.end <= name.end)]
                cleaned_here.append(name)
            cleaned_here = self._joined_by_their_acronym(text, source.slug, analysis.paragraph_id, cleaned_here)
            if headline:
                cleaned_here = [c for c in cleaned_here if (c.label == "PERSON" and _opens_with_given_name(c.text)) or self.gaz.country(c.text)]
            found.extend(sorted(cleaned_here, key=lambda c: c.start))
        return found

    def _joined_by_their_acronym(self, text: str, source: str, paragraph: str, spans: list[Candidate]) -> list[Candidate]:
        """A name the model cut in pieces, with its acronym after it: "Hay’at Tahrir al-Sham
        (HTS)" tagged as "Hay’at" and "al-Sham" is one name, as its initials spell the acronym."""
        for start, end in _spelled_out_acronyms(text):
            inside = [c for c in spans if start <= c.start and c.end <= end]
            if not inside or any(c.start == start and c.end == end for c in inside) or any(c.start < end and start < c.end and c not in inside for c in spans):
                continue
            label = max(inside, key=lambda c: c.end - c.start).label
            spans = [c for c in spans if c not in inside]
            spans.append(Candidate(source, paragraph, start, end, text[start:end], "ORG" if label == "PERSON" else label, False, _context(text, start, end)))
        return spans

    def _unlabelled_people(self, text: str, source: str, paragraph: str, spans: list[Candidate]) -> list[Candidate]:
        """Full names the model left unlabelled or cut ("Amit Shah", "Mikel Oyarzabal"): a
        given name followed by one or two capitalised words that are no common English words,
        crossing no cleaned span's edge."""
        found = []
        for m in _FULL_NAME.finditer(text):
            start, end = m.span()
            if (
                any(sp.start < end and start < sp.end and not (start <= sp.start and sp.end <= end) for sp in spans)
                or any(sp.start == start and sp.end == end for sp in spans)
                or not _opens_with_given_name(m.group(0))
            ):
                continue
            first, *rest = m.group(0).split()
            if self._known(first) or self.gaz.is_demonym(first) or any(zipf(w.lower()) >= WORDLIKE_NAME_ZIPF + 1 or w.lower() in role_words() or self._known(w) for w in rest):
                continue
            found.append(Candidate(source, paragraph, start, end, m.group(0), "PERSON", False, _context(text, start, end)))
        return found

    def _clean(self, text, source, paragraph, start, end, label, previous) -> list[Candidate]:
        if label == "EVENT":
            return []
        start, end = _longest_clean_segment(text, start, end)
        start, end = _trim(text, start, end)
        if _CREDIT_SEPARATOR.search(text, start, end):
            # "Brendan Smialowski / AFP", "PTI Photo/Ravi": a photo credit's parts are names of their own.
            pieces = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^/|]+", text[start:end])]
            return [c for a, b in pieces for c in self._clean(text, source, paragraph, *_trim(text, *_strip_spaces(text, a, b)), label, None)]
        # "SPD's Klingbeil", "Conservatives’ Giles Watling": a possessive inside a span joins two names.
        inner = _INNER_POSSESSIVE.search(text, start, end)
        if inner and self._owner_then_name(text[start : inner.start()], text[inner.end() : end]):
            owner = self._clean_one(text, source, paragraph, start, inner.start(), "", None)
            named = self._clean_one(text, source, paragraph, inner.end(), end, label, None)
            return [c for c in (owner, named) if c is not None]
        cand = self._clean_one(text, source, paragraph, start, end, label, previous)
        return [cand] if cand is not None else []

    def _owner_then_name(self, owner: str, named: str) -> bool:
        """Whether "owner's named" is two names, not one ("People's Party", "St John's Wood")."""
        if not owner or not named:
            return False
        return is_acronym(owner) or self._known(owner) or not is_word(owner) or is_given_name(named.split()[0])

    def _strip_front(self, text: str, start: int, end: int) -> tuple[int, int, bool]:
        """Drop titles, roles and a nationality from the front of a name: 'President Emmanuel
        Macron', 'CTO Mira Murati', 'Italian Fabio Capello' -> the name; whether a title stood there.
        A nationality goes only before a title or a given name ("British Airways" stays)."""
        span = text[start:end]
        if span not in self._front:
            self._front[span] = self._front_of(span)
        skipped, titled = self._front[span]
        return start + skipped, end, titled

    def _front_of(self, span: str) -> tuple[int, bool]:
        """How many characters of titles, roles and a nationality open the span, and whether a title was among them."""
        titled, start = False, 0
        if any(normalise(w) in institution_words() for w in span.split()[1:]):
            return 0, False  # "Federal Reserve Act", "Foreign Office": the word is the name's own
        while m := _first_word(span, start, len(span)):
            word = m.group(1)
            following = span[start + m.end() :].split()
            if word.lower() in role_words():
                titled = True
            elif not (self.gaz.is_demonym(word) and following and (following[0].lower() in role_words() or is_given_name(following[0]))):
                break
            start += m.end()
        return start, titled

    def _clean_one(self, text, source, paragraph, start, end, label, previous) -> Candidate | None:
        if not text[start:end].strip():
            return None  # nothing left once punctuation and a possessive are trimmed ("(", "’s")
        if text[start - 1 : start] == "#":
            return None  # "#ESPFRA": a hashtag
        if text[start : start + 3] == "ex-":
            start += 3  # "ex-Chelsea": the former employer
        if (text[start - 1 : start].isspace() and _AFTER_A_CLOCK_TIME.search(text, max(0, start - 16), start)) or (
            text.endswith(_CREDIT_WORDS, start, end) and _CREDIT_WORD_LAST.search(text, start, end)
        ):
            return None  # "20:00 BST": a time zone; "PTI Photo": a photo credit's agency, not its news
        if club := _CLUB_SUFFIX.match(text, end):
            end, label = club.end(), "ORG"  # "Southampton" + " FC": the club, not the city
        titled = False
        if label in ("PERSON", "ORG", "NORP", "GPE"):
            s2, e2, titled = self._strip_front(text, start, end)
            remainder = text[s2:e2].split()
            personal = text[start:end].split()[0]
            personal = personal.isupper() or personal.endswith(".") or personal.lower() in _PERSONAL_TITLES
            if remainder and (titled and (label == "PERSON" or len(remainder) >= 2 or personal)):
                start, end, label = s2, e2, "PERSON"
            elif remainder and s2 > start and is_given_name(remainder[0]) and len(remainder) >= 2:
                start, end, label = s2, e2, "PERSON"  # "Italian Fabio Capello"
            else:
                titled = False
        surface = text[start:end]
        if not surface:
            return None
        # "Ukrainian F-16s", "Martin F-16s": the name stops where the model number starts.
        tokens = surface.split(" ")
        digit_at = None if surface.isascii() and not _ASCII_DIGIT.search(surface) else next((i for i, t in enumerate(tokens) if any(c.isdigit() for c in t)), None)
        if digit_at is not None:
            if digit_at == 0:
                return None
            end = start + len(" ".join(tokens[:digit_at]))
            surface = text[start:end]
            if self.gaz.country(surface) is None and previous is not None and previous.label == "ORG" and previous.paragraph == paragraph and text[previous.end : start] == " ":
                # "Lockheed" + "Martin F-16s": one company name the model cut in two.
                previous.end = end
                previous.text = text[previous.start : end]
                return None
            if label != "PERSON" or self.gaz.country(surface) is None:
                return None  # "French Mirage 2000", "Martin F-16s": a product, not a name
        if (surface, label) not in self._glued_surfaces:
            self._glued_surfaces[(surface, label)] = self._glued(surface, label)
        if self._glued_surfaces[(surface, label)]:
            return None
        return Candidate(source, paragraph, start, end, surface, label, titled, _context(text, start, end))

    def _glued(self, surface: str, label: str) -> bool:
        """'withUS', 'Turkeywill', 'Ukraines', 'Kyivs', 'UkraineThe', 'NewsSouth Korea': words run
        together by a lost space (names.is_glued), or a known name with letters or a word glued
        on by a lost space or apostrophe. A brand's own capitals ("OpenAI", "LinkedIn") glue no
        known name to anything."""
        if any(is_glued(t) for t in surface.split()):
            return True
        for m in _INNER_CAPITAL.finditer(surface):
            head, tail = surface[: m.start() + 1].split(" ")[-1], surface[m.start() + 1 :]
            if self._known(head) or self._known(tail) or self._known(tail.split(" ")[0]):
                return True
        if " " in surface or self._known(surface):
            return False
        for cut in range(len(surface) - 1, 3, -1):
            head, tail = surface[:cut], surface[cut:]
            if tail.islower() and (label != "PERSON" or tail == "s") and self._known(head):
                return True
        return False

    def _known(self, name: str) -> bool:
        return bool(self.gaz.country(name) or self.gaz.place(name))
