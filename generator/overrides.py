"""The curated corrections a user keeps in `content/`, as typed objects.

`content.py` reads and validates the YAML files into these; resolution,
topics and rendering apply them. See the README's "Curating" section for
the schema with a complete example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Diagnostic
from .model import SiteConfig


@dataclass(frozen=True)
class EntityOverride:
    """One entry of `content/entities.yaml`: everything about one page."""

    name: str  # the canonical name the page takes
    origin: Diagnostic
    kind: str | None = None  # person, country, organization, place, topic
    aliases: tuple[str, ...] = ()  # names that join this page (merges two extracted entities too)
    not_aliases: tuple[str, ...] = ()  # names that must never join this page (splits)
    hidden: bool = False  # never gets a page; its mentions are not linked
    description: str | None = None  # Markdown
    notes: str | None = None  # Markdown
    role: str | None = None
    country: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (label, url)


@dataclass(frozen=True)
class NeverMerge:
    """Two names that automatic resolution and `briefing suggest` must keep apart."""

    names: tuple[str, str]
    origin: Diagnostic


@dataclass(frozen=True)
class TopicOverride:
    """One entry of `content/topics.yaml`."""

    name: str
    origin: Diagnostic
    patterns: tuple[str, ...] = ()  # words and phrases; "*" at a word's end matches any ending
    description: str | None = None  # Markdown
    hidden: bool = False  # removes an automatic topic of this name


@dataclass(frozen=True)
class FreePage:
    """A Markdown page from `content/pages/`, such as about.md."""

    slug: str
    title: str
    body: str  # Markdown
    origin: Diagnostic


@dataclass(frozen=True)
class Overrides:
    """Everything in `content/`; empty when the build runs with --no-overrides."""

    site: SiteConfig = field(default_factory=SiteConfig)
    entities: tuple[EntityOverride, ...] = ()
    never_merge: tuple[NeverMerge, ...] = ()
    topics: tuple[TopicOverride, ...] = ()
    automatic_topics: bool = True
    pages: tuple[FreePage, ...] = ()
