"""Markdown written by the user (descriptions, notes, free pages) to HTML.

CommonMark via markdown-it-py with raw HTML disabled: curated text cannot
inject markup or scripts into the site.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def markdown_to_html(text: str) -> str:
    return _parser().render(text)
