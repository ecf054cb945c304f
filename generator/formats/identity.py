"""What names an article: its title, publisher and date, found in whatever form the
input gives them, and never made up.

Dates are read by dateparser (any common form: "23.02.2025", "Feb 23, 2025",
"2025-02-23T19:10", "Published : Dec. 7, 2024 - 21:50"), imported only when a
date is not already written as YYYY-MM-DD, so that a folder of tidy articles
does not pay for it. A title made from a sentence is cut only where a phrase
ends, never inside one, and never marked with "…".
"""

from __future__ import annotations

import datetime
import functools
import re
from urllib.parse import urlsplit

TITLE_MAX_CHARS = 120
"""A title made from a sentence is at most this long."""
TITLE_MIN_CHARS = 30
"""...and at least this long, or it says too little to name the article."""

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR = r"(?:19|20)\d{2}"
# Some day, month and year next to each other, in the forms people and pages write them.
_DATE_IN_TEXT = re.compile(
    rf"\b{_YEAR}-\d{{1,2}}-\d{{1,2}}(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?\S*)?"  # 2025-02-23, 2025-02-23T19:10
    rf"|\b\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}\b"  # 23.02.2025, 23/02/2025
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"  # 23 Feb 2025, 23rd of February, 2025
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}\b",  # Feb 23, 2025; Dec. 7, 2024
    re.IGNORECASE,
)


def iso_date(text: str | None) -> str | None:
    """The day `text` names, as YYYY-MM-DD; None when it names no full date.

    `text` is a date as metadata gives it, or a line of text that holds one."""
    if not text:
        return None
    text = str(text).strip()
    if m := _ISO_DAY.match(text):
        return _valid_day(int(m[1]), int(m[2]), int(m[3]))
    found = _DATE_IN_TEXT.search(text)
    return _parse_date(found.group(0)) if found else None


def _valid_day(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


@functools.lru_cache(maxsize=1024)
def _parse_date(text: str) -> str | None:
    import dateparser  # about a fifth of a second to import: only for a date that is not YYYY-MM-DD

    # Day before month, as everywhere but in the US, when the form leaves it open ("03.02.2025"):
    # a month name ("Feb 3, 2025") settles it either way. Every part required, so that
    # nothing is taken from today's date and the output stays the same on every run.
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"},
    )
    return parsed.date().isoformat() if parsed else None


def date_in_line(line: str) -> str | None:
    """The date of a line that is only a date, perhaps labelled ("Published: Feb 23, 2025",
    "5 July 2024, 15:42 | Updated: 5 July 2024, 16:53"); None for a line of prose."""
    found = _DATE_IN_TEXT.search(line)
    if not found:
        return None
    rest = (line[: found.start()] + " " + line[found.end() :]).lower()
    # What may stand beside the date: labels, times, time zones, separators; no sentence.
    rest = re.sub(r"\b(published|updated|posted|first|last|modified|date|dated|on|at|am|pm|[a-z]{2,4}t|utc|gmt|ist|kst|local time)\b", " ", rest)
    rest = re.sub(_DATE_IN_TEXT, " ", rest)
    rest = re.sub(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", " ", rest)
    if re.search(r"[a-z]{2,}", re.sub(r"[\d\s:|,.;()/+\-–—]", " ", rest)):
        return None
    return iso_date(found.group(0))


_DATELINE = re.compile(rf"^[A-Z][A-Za-z .'’-]{{1,40}},\s*(?P<date>(?:{_MONTH}\s+\d{{1,2}},?\s+{_YEAR})|(?:\d{{1,2}}\s+{_MONTH}\s+{_YEAR}))", re.IGNORECASE)


def date_in_dateline(paragraph: str) -> str | None:
    """The date of a dateline that opens a paragraph: "LONDON, Feb 23, 2025 (Reuters) - ..."."""
    m = _DATELINE.match(paragraph)
    return iso_date(m.group("date")) if m else None


def domain(url: str | None) -> str | None:
    """The site an address belongs to, as people name it: 'www.bbc.co.uk' -> 'bbc.co.uk'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return host or None


def title_from_file_name(stem: str) -> str | None:
    """A title from a file name that reads as words ('paris-summit_2025' -> 'Paris summit 2025');
    None for a name of codes and numbers, which would not name the article."""
    words = [w for w in re.split(r"[-_.\s]+", stem) if w]
    readable = [w for w in words if re.fullmatch(r"[^\W\d_]{2,}", w)]
    if len(readable) < 2 or len(readable) < len(words) / 2:
        return None
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# Where a clause or phrase ends inside a sentence: before a subordinate or participle
# clause (strong), before a prepositional phrase (weak). A cut there leaves a phrase whole.
_CLAUSE_BREAK = re.compile(
    r"(?:,\s+|\s+[—–-]+\s+|;\s+|:\s+|\s+(?=(?:as|after|amid|while|which|who|because|but|ahead of|following|despite|"
    r"since|although|though|until|before|when|where|saying|says|said|according to|in a bid|reports?)\s))"
)
_PHRASE_BREAK = re.compile(r"\s+(?=(?:for|in|on|at|with|to|from|over|by|between|against|during|into|about|across|under|near|of)\s)")


def title_from_sentence(paragraph: str) -> str | None:
    """A short title from a paragraph's first sentence: the sentence when it is short,
    else its main clause, cut where a clause or a phrase ends, at most TITLE_MAX_CHARS
    long. None when no such cut leaves enough to name the article."""
    text = paragraph.strip()
    if m := re.match(r"^[\"“‘'].*?[\"”’'](?=\s)", text):  # a leading quotation makes a poor title
        text = text[m.end() :].strip() or text
    sentence = re.split(r"(?<=[a-z0-9\"”’)][.!?])\s+(?=[A-Z\"“‘'])", text, maxsplit=1)[0].strip().strip("\"“”'")
    sentence = re.sub(r"[.!?]+$", "", sentence).strip()
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence if len(sentence.split()) >= 3 else None
    for pattern in (_CLAUSE_BREAK, _PHRASE_BREAK):
        cut = _last_cut(sentence, pattern, strong=pattern is _CLAUSE_BREAK)
        if cut:
            return cut
    return None


def _last_cut(sentence: str, pattern: re.Pattern[str], strong: bool) -> str | None:
    best = None
    for m in pattern.finditer(sentence):
        head = sentence[: m.start()].rstrip(" ,;:")
        if len(head) > TITLE_MAX_CHARS:
            break
        if len(head) < TITLE_MIN_CHARS or not _balanced(head):
            continue
        if strong and m.group(0).startswith(","):
            rest = sentence[m.end() :]
            # A comma before a capital opens an apposition ("The President, Donald Trump,"),
            # and the second of two closes one: neither ends the main clause.
            if not rest[:1].islower() or head.count(",") % 2 == 1:
                continue
        best = head
    return best


def _balanced(text: str) -> bool:
    """No quotation or bracket left open, which a cut there would leave dangling."""
    return text.count("(") == text.count(")") and text.count("“") == text.count("”") and text.count('"') % 2 == 0 and text.count("‘") <= text.count("’")
