"""Plain text as it is copied or scraped from a news page.

Such text keeps the page's furniture and loses its layout: lines hard-wrapped
at a fixed width, photo captions and their credits ("Sean Gallup / Getty
Images", "Picture: Alamy"), bylines, "Related:" and "Read more:" links, share
buttons ("Share this:", "WhatsApp"), "Advertisement", a paragraph repeated (a
caption's alt text, the headline again), sentences glued where a line break
was lost ("Wednesday.The"). This module puts the lines back into paragraphs
and sorts the rest out:

* furniture is left out;
* captions, credits and bylines stay, marked as captions (shown apart from the
  body, read by the model, since a credit or a byline names a person), and the
  credits and the author are the article's metadata too;
* a line that is only a date ("Published : Dec. 7, 2024 - 21:50") is the
  article's date, not body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import Article, Block
from .identity import date_in_line

SENTENCE_END = re.compile(r"[.;:,…]['\"’”)\]]*$")
HEADING_MAX_WORDS = 22
"""A line with more words than this is a paragraph, whatever its punctuation."""
TITLE_MAX_WORDS = 30

_DATE_PREFIX = re.compile(r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})\b[\s,;:]*(.*)$", re.IGNORECASE | re.DOTALL)
_SOURCE_LINE = re.compile(r"^\s*source:\s*(\S.*?)\s*$", re.IGNORECASE)
_URL_LINE = re.compile(r"^\s*url:\s*(https?://\S+)\s*$", re.IGNORECASE)

# Lines that are the page's furniture, not the article: links to other articles, share
# buttons, advertising, players, comment forms. Matched against the whole line.
_FURNITURE = re.compile(
    r"^(?:"
    r"(?:related|related articles?|related stories|read more|also read|see also|more from|read next|recommended|"
    r"most read|trending|more on this story|more stories|top stories)\b.*"
    r"|read more.*"  # "Read moreIndians have raised..." lost its colon with the link's markup
    r"|\d*\s*view gallery|advertisement|skip advertisement|story continues below(?: advertisement)?|continue reading"
    r"|share(?: this| this article| this story| on \w+)?:?|tweet|post|email|e-mail|print|whatsapp|facebook|twitter|x|"
    r"linkedin|telegram|reddit|pinterest|flipboard|copy link|link copied|comments?|save|"
    r"listen to this article|loading audio\.*|source|source link|leave a reply|"
    r"your email address will not be published.*|get .{1,40} on whatsapp|"
    r"(?:subscribe|sign up)(?: to| for| now| here)\b.*|follow us on .*|click here .*|"
    r"live|menu|close|search|home|top of page|back to top|skip to (?:main )?content|issn [\dx -]+|"
    r"[^\w]*"  # a line of nothing but symbols: a close button's ×, a divider
    r")$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[\s•·*|>-]+")

# Photo credits: a labelled credit, or a line that ends with an agency's name.
_CREDIT_LABEL = r"(?:photo(?:graph)?s?|pictures?|images?|video|credits?|photo credits?|image credits?|picture credits?)"
_AGENCIES = (
    r"getty images|afp|reuters|ap|ap photo|associated press|pa|pa wire|pa images|pa media|epa|epa-efe|efe|anadolu|"
    r"anadolu agency|shutterstock|bloomberg|alamy|nurphoto|xinhua|yonhap|pti|ani|dpa|sipa|abaca|zuma|"
    r"reuters/[\w .-]+|afp via getty images|[\w .-]+ via getty images"
)
_CREDIT_LINE = re.compile(
    rf"^(?:{_CREDIT_LABEL}\s*[:|/]\s*\S.*"  # "Photo: Reuters", "Photograph: Jane Barlow/PA", "Credit: Getty Images"
    r"|(?:photo|image|picture)\s+credits?\s*:?\s+\S.*"  # "Photo credit www.theguardian.com"
    rf"|\(?(?:{_AGENCIES})\)?\.?)$",  # "(Reuters)", "AFP"
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    rf"(?:^|\s|\|)(?P<credit>(?:[\w.'’ -]{{1,60}}\s*[/|]\s*)*(?:{_AGENCIES})(?:\s*[/|]\s*(?:{_AGENCIES}))*)\s*\)?\.?$",
    re.IGNORECASE,
)
_INLINE_CREDIT = re.compile(r"(?:^|(?<=[.!?\"”’)])\s+)(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?|(?:Photo|Image|Picture) credits?)\s*:\s*(?P<credit>[^.:]{2,80})$")
"""A credit that closes a caption, after its last sentence: '... at Downing Street. Credit: Getty Images'."""
_BYLINE = re.compile(r"^(?i:by|written by|words by)\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*$")

_BULLET_BYLINE = re.compile(r"^[•·]\s*(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s*$")
"""A name alone after a bullet, near the top: how some sites set their byline ('• Orson Tan')."""

_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[a-z]{2}[.!?][\"”’])(?=[A-Z][a-z])")
"""A sentence end glued to the next sentence: 'on Wednesday.The'. Two lower-case letters
before the stop keep initials and abbreviations ('U.S.', 'Mr.') as written."""


def is_title_like(line: str, max_words: int = HEADING_MAX_WORDS) -> bool:
    """A short line that does not end like a sentence: a title or a heading."""
    words = line.split()
    return 0 < len(words) <= max_words and not SENTENCE_END.search(line.strip())


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE.match(_BULLET.sub("", line).strip()))


def credit_of(line: str) -> str | None:
    """The credit a line gives, when the line is a credit: 'Sean Gallup / Getty Images',
    'Photo credits: AFP', '(Reuters)'."""
    line = line.strip()
    if len(line.split()) > 12:
        return None
    if _CREDIT_LINE.match(line):
        return re.sub(rf"^{_CREDIT_LABEL}(?:\s+credits?)?\s*[:|/]?\s*", "", line, flags=re.IGNORECASE).strip(" ()") or line
    if (m := _CREDIT_TAIL.search(line)) and ("/" in line or "|" in line or m.start("credit") == 0):
        return m.group("credit").strip(" ()")
    return None


def credit_in(text: str) -> str | None:
    """The credit a caption ends with ('... Picture: Alamy'), or that a line is."""
    if credit := credit_of(text):
        return credit
    m = _INLINE_CREDIT.search(text)
    return m.group("credit").strip() if m else None


def repair_glued(text: str) -> str:
    """'on Wednesday.The talks' -> 'on Wednesday. The talks'."""
    return _GLUED.sub(" ", text)


def parse_txt(text: str) -> Article:
    """A plain-text article: its headline, metadata and paragraphs."""
    lines = [line.strip() for line in text.splitlines()]
    date = publisher = url = None

    # Trailing metadata lines: "Source: independent.co.uk", "URL: https://…".
    while lines and not lines[-1]:
        lines.pop()
    while lines:
        if m := _SOURCE_LINE.match(lines[-1]):
            value = m.group(1)
            if value.lower().startswith(("http://", "https://")):
                url = url or value
            else:
                publisher = publisher or value
            lines.pop()
        elif m := _URL_LINE.match(lines[-1]):
            url = url or m.group(1)
            lines.pop()
        elif not lines[-1]:
            lines.pop()
        else:
            break

    for i, line in enumerate(lines):
        if m := _DATE_PREFIX.match(line):
            date = date or m.group(1)
            lines[i] = m.group(2).strip()

    cleaned = clean_lines(lines)
    blocks = list(cleaned.blocks)
    title = None
    # The headline: the first line that is not a byline or a credit, when it reads like one.
    first = next((i for i, b in enumerate(blocks) if not b.caption), None)
    if first is not None and first + 1 < len(blocks):
        text = blocks[first].text
        if len(text.split()) >= 2 and is_title_like(text, TITLE_MAX_WORDS):
            # A copy of the headline in the body stays: the model reads the body alone, and a
            # name that only the headline gives would be lost with it.
            title = blocks.pop(first).text
    blocks = _with_headings(blocks)
    return Article(
        blocks=tuple(blocks),
        title=title,
        date=date or cleaned.date,
        publisher=publisher,
        author=cleaned.author,
        url=url,
        credits=cleaned.credits,
    )


def _with_headings(blocks: list[Block]) -> list[Block]:
    """Short title-like lines are section headings, but one at the very end closes nothing."""
    marked = [Block(b.text, heading=not b.caption and is_title_like(b.text), caption=b.caption) for b in blocks]
    if marked and marked[-1].heading:
        marked[-1] = Block(marked[-1].text)
    return marked


@dataclass(frozen=True)
class Cleaned:
    """Paragraphs out of scraped lines, with what the furniture told."""

    blocks: tuple[Block, ...]
    credits: tuple[str, ...]
    author: str | None
    date: str | None


DATE_LINES_AT_TOP = 8
"""A line that is only a date, or a bulleted name, among this many first lines, is the article's date or byline."""


def clean_lines(lines: list[str]) -> Cleaned:
    """Paragraphs from `lines` (blank lines separate blocks): hard-wrapped lines joined,
    furniture left out, captions, credits and bylines marked, repeats dropped, glued
    sentences parted. No block is a heading yet: see `_with_headings`."""
    paragraphs = reflow(lines)
    credits: list[str] = []
    author = date = None
    kept: list[Block] = []
    seen: set[str] = set()
    for i, (text, block_end) in enumerate(paragraphs):
        if is_furniture(text):
            continue
        if i < DATE_LINES_AT_TOP and (found := date_in_line(text)):
            date = date or found
            continue
        text = repair_glued(text)
        caption = False
        if (m := _BYLINE.match(text)) or (i < DATE_LINES_AT_TOP and (m := _BULLET_BYLINE.match(text))):
            author = author or m.group("name")
            caption = True
        elif credit := credit_in(text):
            credits.append(credit)
            caption = True
        elif not block_end and i + 1 < len(paragraphs) and credit_of(paragraphs[i + 1][0]):
            caption = True  # the line above a credit, in the same block: the photo's caption
        key = _key(text)
        if key in seen and not (kept and key == _key(kept[0].text)):
            continue  # a repeated paragraph; a copy of the first line, the headline, stays (see parse_txt)
        following = _key(paragraphs[i + 1][0]) if i + 1 < len(paragraphs) else ""
        if len(key) > 20 and following.startswith(key) and following != key:
            continue  # an image's alt text, then the same as its caption with the credit
        seen.add(key)
        kept.append(Block(text, caption=caption))
    return Cleaned(tuple(kept), tuple(dict.fromkeys(credits)), author, date)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def reflow(lines: list[str]) -> list[tuple[str, bool]]:
    """Lines joined into paragraphs: (text, whether it ends a blank-separated block).

    Where the text is hard-wrapped at a width, every line of that width runs on into the
    next; elsewhere a line runs on only when it does not end a sentence and the next
    begins in lower case ('...as Liberal Democrats forecast' / 'to win 61 seats')."""
    stripped = [line.strip() for line in lines]
    width = _wrap_width(stripped)
    out: list[tuple[str, bool]] = []
    current: str | None = None
    previous = ""  # the last line of the file joined into `current`
    for line in stripped:
        if not line:
            if current is not None:
                out.append((current, True))
            current = None
            continue
        if current is not None and _runs_on(previous, line, width):
            hyphenated = previous.endswith("-") and not previous.endswith(" -") and line[:1].islower()
            current = (current[:-1] if hyphenated else current + " ") + line
        else:
            if current is not None:
                out.append((current, False))
            current = line
        previous = line
    if current is not None:
        out.append((current, True))
    return out


def _runs_on(previous: str, line: str, width: int | None) -> bool:
    """Whether `line` continues the paragraph whose last line in the file was `previous`."""
    if is_furniture(line) or credit_of(line) or _BYLINE.match(line):
        return False
    if width is not None:
        return len(previous) >= width * 0.7
    return not re.search(r"[.!?:;\"”’)\]]$", previous) and line[:1].islower()


def _wrap_width(lines: list[str]) -> int | None:
    """The width the text is hard-wrapped at, or None when its lines are paragraphs.

    Wrapped text has many lines, none much longer than the width, and most lines near it."""
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 6:
        return None
    width = max(lengths)
    if width > 100:
        return None
    near = sum(1 for n in lengths if n >= width * 0.7)
    return width if near >= len(lengths) * 0.5 else None
