"""The curated corrections a user keeps in `content/`, as typed objects.

`content.py` reads and validates the YAML files into these; resolution,
topics and rendering apply them. Each field a user's key sets is declared
with `model.documented` metadata, with its doc line: the keys content.py accepts and
docs/reference.md (`python -m generator.content reference`) come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .errors import Diagnostic
from .model import NAMED_KINDS, SiteConfig, documented


def _one_of(words: tuple[str, ...]) -> str:
    return ", ".join(f"`{w}`" for w in words[:-1]) + f" or `{words[-1]}`"


@dataclass(frozen=True)
class EntityOverride:
    """One entry of `content/entities.yaml`: everything about one page."""

    name: str = field(
        metadata=documented(
            'The page\'s canonical name. It matches the extracted entity of that name (compared ignoring case, accents, punctuation and a leading "the"), and the page takes this spelling.'
        )
    )
    origin: Diagnostic
    kind: str | None = field(
        default=None, metadata=documented(f"{_one_of(NAMED_KINDS)}: corrects the type extraction guessed. With a `kind`, an entry whose name no source mentions is created from its aliases.")
    )
    aliases: tuple[str, ...] = field(
        default=(),
        metadata=documented(
            "Other names of the same thing. Every mention of an alias joins this page; two extracted entities named in one entry (the name and an alias, or two aliases) are merged into one page."
        ),
    )
    not_aliases: tuple[str, ...] = field(default=(), metadata=documented("Names that must never join this page: their mentions are split off into a page of their own."))
    hidden: bool = field(default=False, metadata=documented("`true` removes the entity: no page, and its mentions stay plain text."))
    description: str | None = field(default=None, metadata=documented("Shown at the top of the page, above the passages.", type="Markdown"))
    notes: str | None = field(default=None, metadata=documented("Shown after the description: spelling notes, caveats, sources.", type="Markdown"))
    role: str | None = field(default=None, metadata=documented("A short title (`President of France`), shown under the name."))
    country: str | None = field(default=None, metadata=documented("The country the entity belongs to, shown under the name."))
    links: tuple[tuple[str, str], ...] = field(
        default=(),
        metadata=documented(
            "Links to external references, each `{label: ..., url: ...}`.", type="list of links", keys={"label": "The link's text.", "url": "The address, starting with `http://` or `https://`."}
        ),
    )


@dataclass(frozen=True)
class NeverMerge:
    """Two names that automatic resolution and `briefing suggest` must keep apart."""

    names: tuple[str, str]
    origin: Diagnostic


@dataclass(frozen=True)
class TopicOverride:
    """One entry of `content/topics.yaml`."""

    name: str = field(metadata=documented("The topic's name. A curated topic replaces an automatic topic of the same name (ignoring case)."))
    origin: Diagnostic
    description: str | None = field(default=None, metadata=documented("Describes the topic, at the top of its page.", type="Markdown"))
    patterns: tuple[str, ...] = field(
        default=(),
        metadata=documented(
            "Words and phrases, matched case-insensitively, with a plural tolerated (`sanction` matches `sanctions`). "
            "A `*` at the end of a word matches any ending (`mobilis*` matches mobilise, mobilisation); it may only "
            "end a word. Without patterns, the topic's name is its only pattern."
        ),
    )
    hidden: bool = field(default=False, metadata=documented("`true` removes the automatic topic of this name (for a theme that is noise in your corpus, or one a curated topic covers)."))


@dataclass(frozen=True)
class FreePage:
    """A Markdown page from `content/pages/`, such as about.md."""

    slug: str
    title: str = field(metadata=documented("The page's title, in its header and in the link to it in every page's footer."))
    body: str  # Markdown
    origin: Diagnostic


@dataclass(frozen=True)
class Overrides:
    """Everything in `content/`; empty when the build runs with --no-overrides."""

    site: SiteConfig = field(default_factory=SiteConfig)
    entities: tuple[EntityOverride, ...] = field(
        default=(), metadata=documented("One entry per page to correct or enrich, each starting with `- name:`.", file="entities.yaml", type="list of entities")
    )
    never_merge: tuple[NeverMerge, ...] = field(
        default=(),
        metadata=documented(
            "Pairs of names, such as `[Donald Trump, Donald Tusk]`, that automatic resolution never puts on one page; "
            "`briefing suggest` no longer proposes merging them: it is how you reject a suggestion.",
            file="entities.yaml",
            type="list of name pairs",
        ),
    )
    automatic_topics: bool = field(
        default=True, metadata=documented("`true`: topics found in the text itself are kept next to the curated ones. `false`: only the curated topics.", key="automatic", file="topics.yaml")
    )
    topics: tuple[TopicOverride, ...] = field(default=(), metadata=documented("Curated topics, each starting with `- name:`.", file="topics.yaml", type="list of topics"))
    pages: tuple[FreePage, ...] = ()


def keys_of(cls: type, file: str | None = None) -> tuple[str, ...]:
    """The keys that set `cls`'s fields (at the top of `file`, for Overrides), in the order declared."""
    return tuple(f.metadata.get("key", f.name) for f in fields(cls) if "doc" in f.metadata and f.metadata.get("file") == file)
