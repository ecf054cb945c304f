"""Web pages (`.html`, `.htm`) as a browser saves them or a script fetches them.

trafilatura finds the article in the page and leaves out its boilerplate
(navigation, share buttons, related links, comments, footers), and reads the
page's metadata (Open Graph, JSON-LD, `<meta>`, `<link rel=canonical>`): title,
site name, author, canonical address; the date comes from htmldate, which
trafilatura runs. It was chosen over readability-lxml, goose3 and newspaper for
having the best scores in the published comparisons of main-text extraction,
returning the text's structure (headings, paragraphs, lists, quotes) as well
as its metadata, and being maintained. Both are imported only when a page is
read. A `<figure>`'s caption, which trafilatura leaves out, is put where its
image stood, as a caption (it may name a person), and its credit is kept.

HTML inside a feed entry or a JSON Lines record is a fragment, not a page,
often a sentence or two, below what trafilatura keeps: lxml, which
trafilatura parses with, splits it into its blocks instead.
"""

from __future__ import annotations

import functools
import re

from . import Article, Block, Unreadable
from .plaintext import credit_in, is_furniture, repair_glued

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dd", "dt"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def read_html(raw: bytes) -> Article:
    """The article of a web page, given as the bytes of its file: trafilatura decodes
    them by the page's own declared charset."""
    import trafilatura
    from trafilatura.settings import Document

    if not raw.strip():
        raise Unreadable("the file is empty")
    # Images are asked for only to learn where each one stood: its caption takes its place (see _captions).
    # fast: trafilatura's own extractor, without its fallbacks (readability, then jusText): on the
    # benchmark's 50 news pages (bench/html_pages.py) the same text, in a third of the time.
    doc = trafilatura.bare_extraction(raw, config=_config(), with_metadata=True, include_comments=False, include_tables=False, include_images=True, deduplicate=True, fast=True)
    # A Document, not a dict (as_dict is off), or None when the page holds no text.
    if not isinstance(doc, Document) or doc.body is None:
        raise Unreadable("no article text found in this page (is it a whole article, saved as HTML?)")
    title = _clean(doc.title)
    blocks = _body_blocks(doc.body, title, _captions(raw))
    if not any(not b.heading for b in blocks):
        raise Unreadable("no article text found in this page (is it a whole article, saved as HTML?)")
    return Article(
        blocks=tuple(blocks),
        title=title,
        credits=tuple(dict.fromkeys(c for b in blocks if b.caption and (c := credit_in(b.text)))),
        date=doc.date,
        publisher=_clean(doc.sitename),
        author=_clean(doc.author),
        url=doc.url or None,  # as written: ingest links it only if it is a web address (see urls.py)
    )


@functools.cache
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # By default a text under 250 characters is taken for boilerplate: a news brief is that short.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _body_blocks(body, title: str | None, captions: dict[str, str]) -> list[Block]:
    """trafilatura's body (`head`, `p`, `list`/`item`, `quote`, `graphic`) as blocks, in reading
    order; an image is replaced by its caption, when the page gives it one."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for element in body.iter("head", "p", "item", "quote", "graphic"):
        if element.tag in ("p", "quote") and element.getparent() is not None and element.getparent().tag in ("quote", "item"):
            continue  # its text is its parent's
        caption = element.tag == "graphic"
        text = _clean(captions.get(element.get("src", ""), "") if caption else " ".join(element.itertext()))
        if not text or is_furniture(text):
            continue
        key = text.lower()
        if key in seen or (element.tag == "head" and title and key == title.lower()):
            continue  # the headline again, or a paragraph the page repeats
        seen.add(key)
        blocks.append(Block(repair_glued(text), heading=element.tag == "head", caption=caption))
    return blocks


def _captions(raw: bytes) -> dict[str, str]:
    """The caption of each image in a `<figure>` of the page, by the image's address:
    trafilatura keeps where an image stood, not its `<figcaption>`."""
    from trafilatura.utils import load_html

    tree = load_html(raw)
    if tree is None:
        return {}
    captions: dict[str, str] = {}
    for figure in tree.iter("figure"):
        caption = next(figure.iter("figcaption"), None)
        text = _clean(" ".join(caption.itertext())) if caption is not None else None
        if text:
            for src in figure.xpath(".//img/@src"):
                captions.setdefault(str(src), text)
    return captions


def blocks_from_fragment(fragment: str) -> list[Block]:
    """Blocks from an HTML fragment (a feed entry's content): each block element's text,
    and the text between them as paragraphs of its own."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return []
    for junk in root.iter("script", "style", "noscript", "iframe", "form"):
        if junk.getparent() is not None:
            junk.drop_tree()
    blocks: list[Block] = []
    loose: list[str] = []

    def flush() -> None:
        text = _clean(" ".join(loose))
        loose.clear()
        if text and not is_furniture(text):
            blocks.append(Block(repair_glued(text)))

    def walk(element) -> None:
        if element.text:
            loose.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in BLOCK_TAGS:
                flush()
                text = _clean(" ".join(child.itertext()))
                if text and not is_furniture(text):
                    blocks.append(Block(repair_glued(text), heading=tag in HEADING_TAGS, caption=tag == "figcaption"))
            elif tag in ("div", "section", "article", "figure", "ul", "ol", "dl", "main", "header", "footer", "aside", "table", "tbody", "tr", "td"):
                flush()
                walk(child)
                flush()
            elif tag:
                loose.append(" ".join(child.itertext()))
            if child.tail:
                loose.append(child.tail)

    walk(root)
    flush()
    return blocks


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text or None
