"""Read and validate the user's curated files in `content/` into `Overrides`.

Each file is read with `yamlfile.YamlFile`, so every mistake names its file,
line and column, and a value is the text the user typed. Every mistake of a
run is collected and raised together in one InputError.
The README's "Curating" section documents the schema.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from .errors import Diagnostic, InputError
from .model import NAMED_KINDS, SiteConfig
from .names import normalise
from .overrides import EntityOverride, FreePage, NeverMerge, Overrides, TopicOverride, keys_of
from .slugs import slugify
from .urls import is_web_url
from .userfiles import user_files
from .yamlfile import YamlFile, described, did_you_mean, split_front_matter

# The keys each place accepts, as overrides.py and model.SiteConfig declare them.
SITE_KEYS = keys_of(SiteConfig)
MAY_BE_EMPTY = tuple(f.name for f in fields(SiteConfig) if f.metadata.get("may_be_empty"))  # the others mean nothing when empty
ENTITIES_FILE_KEYS = keys_of(Overrides, "entities.yaml")
ENTITY_KEYS = keys_of(EntityOverride)
LINK_KEYS = tuple(next(f for f in fields(EntityOverride) if f.name == "links").metadata["keys"])
TOPICS_FILE_KEYS = keys_of(Overrides, "topics.yaml")
TOPIC_KEYS = keys_of(TopicOverride)
PAGE_KEYS = keys_of(FreePage)
KNOWN_FILES = ("site.yaml", "entities.yaml", "topics.yaml")

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
# A `*` ends a word to match any ending ("mobilis*"); anywhere else it would be matched literally.
_MISPLACED_STAR = re.compile(r"\*(?=\S)|(?:^|\s)\*")


def load_content(content_dir: Path) -> tuple[Overrides, tuple[Diagnostic, ...]]:
    """The overrides in `content_dir`; a missing folder or file means the defaults."""
    if not content_dir.exists():
        return Overrides(), ()
    if not content_dir.is_dir():
        raise InputError([Diagnostic(content_dir.name, None, None, "is not a folder; --content must name the folder of curated files")])
    problems: list[Diagnostic] = []
    site = _load_site(_read(content_dir, "site.yaml", problems))
    entities, never_merge = _load_entities(_read(content_dir, "entities.yaml", problems))
    automatic, topics = _load_topics(_read(content_dir, "topics.yaml", problems))
    pages = _load_pages(content_dir, problems)
    if problems:
        raise InputError(_in_reading_order(problems))
    overrides = Overrides(site, entities, never_merge, automatic_topics=automatic, topics=topics, pages=pages)
    return overrides, _unread_files(content_dir)


def _read(content_dir: Path, name: str, problems: list[Diagnostic]) -> YamlFile:
    return YamlFile.read(content_dir / name, f"{content_dir.name}/{name}", problems)


def _in_reading_order(problems: list[Diagnostic]) -> list[Diagnostic]:
    """File by file as they were read, each from its top: checks across entries find problems late."""
    files = list(dict.fromkeys(p.file for p in problems))
    return sorted(problems, key=lambda p: (files.index(p.file), p.line or 0, p.column or 0))


# -- site.yaml ------------------------------------------------------------------


def _load_site(file: YamlFile) -> SiteConfig:
    fields = file.mapping(file.root, SITE_KEYS, "site.yaml")
    settings = {
        key: file.text(node, key) if key in MAY_BE_EMPTY else file.name(node, key, node)
        for key, node in fields.items()
    }
    settings = {key: value.strip() for key, value in settings.items() if value is not None}
    base_url = settings.get("base_url", "")
    if base_url and not is_web_url(base_url):
        file.error(fields["base_url"], f"base_url: must start with http:// or https:// (or be left empty), got '{base_url}'")
    language = settings.get("language")
    if language is not None and not _LANGUAGE_TAG.fullmatch(language):
        file.error(fields["language"], f"language: expected a language tag such as en or en-GB, got '{language}'")
    return SiteConfig(**settings)


# -- entities.yaml --------------------------------------------------------------


def _load_entities(file: YamlFile) -> tuple[tuple[EntityOverride, ...], tuple[NeverMerge, ...]]:
    sections = file.mapping(file.root, ENTITIES_FILE_KEYS, "entities.yaml")
    claims = _Claims(file)
    entities = file.each(sections.get("entities"), "entities", "a list of entities, each starting with '- name:'",
                         lambda file, node: _entity(file, node, claims))
    rules = file.each(sections.get("never_merge"), "never_merge", "a list of name pairs such as [Donald Trump, Donald Tusk]", _never_merge)
    for rule in rules:
        _check_kept_apart(file, rule, entities)
    return entities, rules


class _Claims:
    """Which entry claims each name and alias: two entries claiming one name would make
    the page that name joins depend on their order."""

    def __init__(self, file: YamlFile):
        self.file = file
        self.owners: dict[str, tuple[EntityOverride, Node, bool]] = {}  # key -> entry, where, as its name?

    def claim(self, entity: EntityOverride, node: Node, name: str, as_name: bool) -> None:
        owner, where, owned_as_name = self.owners.setdefault(normalise(name), (entity, node, as_name))
        line = self.file.line(where)
        if owner is entity:
            return
        if as_name and owned_as_name:
            message = f"'{name}' has two entries (lines {line} and {self.file.line(node)}); merge them into one"
        elif as_name:
            message = f"'{name}' has an entry of its own but is also an alias of '{owner.name}' (line {line}); keep one"
        elif owned_as_name:
            message = f"alias '{name}' of '{entity.name}' has an entry of its own (line {line}); keep one"
        else:
            message = f"alias '{name}' is claimed by '{owner.name}' (line {line}) and '{entity.name}'; keep it in one entry"
        self.file.error(node, message)


def _entity(file: YamlFile, node: Node, claims: _Claims) -> EntityOverride | None:
    """One entry; none without a name."""
    if not isinstance(node, MappingNode):
        file.expected(node, "entities", "an entity (a mapping starting with 'name:')")
        return None
    fields = file.mapping(node, ENTITY_KEYS, "an entity")
    name = file.name(fields.get("name"), "name", node)
    aliases = file.names(fields.get("aliases"), "aliases")
    not_aliases = file.names(fields.get("not_aliases"), "not_aliases")
    alias_keys = {normalise(alias) for alias, _ in aliases}
    for alias, alias_node in not_aliases:
        if normalise(alias) in alias_keys:
            file.error(alias_node, f"not_aliases: '{alias}' is also listed in aliases; keep it in one of the two")
    entity = EntityOverride(
        name=name or "",
        origin=file.origin(node),
        kind=_kind(file, fields.get("kind")),
        aliases=_distinct(aliases),
        not_aliases=_distinct(not_aliases),
        hidden=bool(file.flag(fields.get("hidden"), "hidden")),
        description=file.text(fields.get("description"), "description"),
        notes=file.text(fields.get("notes"), "notes"),
        role=file.text(fields.get("role"), "role"),
        country=file.text(fields.get("country"), "country"),
        links=file.each(fields.get("links"), "links", "a list of links such as {label: Wikipedia, url: https://...}", _link),
    )
    if not name:
        return None
    claims.claim(entity, fields["name"], name, as_name=True)
    for alias, alias_node in aliases:
        claims.claim(entity, alias_node, alias, as_name=False)
    return entity


def _distinct(names: tuple[tuple[str, Node], ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name, _ in names))


def _kind(file: YamlFile, node: Node | None) -> str | None:
    kind = file.text(node, "kind")
    if kind is None or kind in NAMED_KINDS:
        return kind
    hint = did_you_mean(kind.lower(), NAMED_KINDS, "'{}'", f"use one of {', '.join(NAMED_KINDS)}")
    file.error(node, f"kind: '{kind}' is not a kind of entity; {hint}")
    return None


def _link(file: YamlFile, node: Node) -> tuple[str, str] | None:
    if not isinstance(node, MappingNode):
        file.expected(node, "links", "a link such as {label: Wikipedia, url: https://...}")
        return None
    fields = file.mapping(node, LINK_KEYS, "a link")
    label = file.name(fields.get("label"), "label", node)
    url = file.name(fields.get("url"), "url", node)
    if url is not None and not is_web_url(url):
        file.error(fields["url"], f"url: must start with http:// or https://, got '{url}'")
        return None
    return (label, url) if label and url else None


def _never_merge(file: YamlFile, node: Node) -> NeverMerge | None:
    if not isinstance(node, SequenceNode) or len(node.value) != 2:
        got = f"{len(node.value)} names" if isinstance(node, SequenceNode) else described(node)
        file.error(node, f"never_merge: expected a pair of names such as [Donald Trump, Donald Tusk], got {got}")
        return None
    first, second = (file.name(item, "never_merge", item) for item in node.value)
    if first is None or second is None:
        return None
    if normalise(first) == normalise(second):
        file.error(node, f"never_merge: '{first}' and '{second}' are the same name; a rule needs two different names")
        return None
    return NeverMerge((first, second), file.origin(node))


def _check_kept_apart(file: YamlFile, rule: NeverMerge, entities: tuple[EntityOverride, ...]) -> None:
    """A never_merge rule that an entry's aliases contradict: which one did the user mean?"""
    keys = {normalise(name) for name in rule.names}
    for entity in entities:
        if keys <= {normalise(entity.name), *map(normalise, entity.aliases)}:
            first, second = rule.names
            origin = rule.origin
            file.problems.append(Diagnostic(origin.file, origin.line, origin.column, (
                f"never_merge keeps '{first}' and '{second}' apart, but the entry '{entity.name}' "
                f"(line {entity.origin.line}) merges them; remove one of the two rules")))


# -- topics.yaml ----------------------------------------------------------------


def _load_topics(file: YamlFile) -> tuple[bool, tuple[TopicOverride, ...]]:
    sections = file.mapping(file.root, TOPICS_FILE_KEYS, "topics.yaml")
    automatic = file.flag(sections.get("automatic"), "automatic")
    first_by_name: dict[str, Node] = {}

    def topic_once(file: YamlFile, node: Node) -> TopicOverride | None:
        topic, name_node = _topic(file, node)
        if topic is None or name_node is None:
            return None
        first = first_by_name.setdefault(normalise(topic.name), name_node)
        if first is not name_node:
            file.error(name_node, f"topic '{topic.name}' has two entries (lines {file.line(first)} and {file.line(name_node)}); merge them into one")
            return None
        return topic

    topics = file.each(sections.get("topics"), "topics", "a list of topics, each starting with '- name:'", topic_once)
    return automatic is not False, topics


def _topic(file: YamlFile, node: Node) -> tuple[TopicOverride | None, Node | None]:
    """The topic and the node of its name; no topic without a name."""
    if not isinstance(node, MappingNode):
        file.expected(node, "topics", "a topic (a mapping starting with 'name:')")
        return None, None
    fields = file.mapping(node, TOPIC_KEYS, "a topic")
    name = file.name(fields.get("name"), "name", node)
    patterns = file.names(fields.get("patterns"), "patterns")
    for pattern, pattern_node in patterns:
        if _MISPLACED_STAR.search(pattern):
            file.error(pattern_node, f"patterns: '{pattern}': '*' may only end a word, as in mobilis*")
    topic = TopicOverride(
        name=name or "",
        origin=file.origin(node),
        patterns=_distinct(patterns),
        description=file.text(fields.get("description"), "description"),
        hidden=bool(file.flag(fields.get("hidden"), "hidden")),
    )
    return (topic, fields["name"]) if name else (None, None)


# -- pages/*.md -----------------------------------------------------------------


def _load_pages(content_dir: Path, problems: list[Diagnostic]) -> tuple[FreePage, ...]:
    folder = content_dir / "pages"
    if not folder.is_dir():
        return ()
    pages: list[FreePage] = []
    by_slug: dict[str, FreePage] = {}
    for path in (p for p in user_files(folder) if p.parent == folder and p.suffix == ".md"):
        page = _page(YamlFile(f"{content_dir.name}/pages/{path.name}", problems, first_line=2), path)
        if page is None:
            continue
        first = by_slug.setdefault(page.slug, page)
        if first is not page:
            problems.append(Diagnostic(page.origin.file, None, None, f"makes the same page pages/{page.slug}.html as {first.origin.file}; rename one"))
            continue
        pages.append(page)
    return tuple(pages)


def _page(file: YamlFile, path: Path) -> FreePage | None:
    """A Markdown file with front matter: a `---` line, YAML with a title, another `---` line."""
    front = split_front_matter(file.decode(path.read_bytes()))
    if front is None:
        file.problems.append(Diagnostic(file.display, 1, 1, "missing front matter: start the file with a '---' line, then 'title: ...', then another '---' line"))
        return None
    if front.yaml is None:
        file.problems.append(Diagnostic(file.display, 1, 1, "the front matter is not closed: add a '---' line after it"))
        return None
    if not file.parse(front.yaml):
        return None
    if file.root is None or not isinstance(file.root, MappingNode):
        file.problems.append(Diagnostic(file.display, 2, 1, "missing required key 'title' in the front matter"))
        return None
    fields = file.mapping(file.root, PAGE_KEYS, "the front matter")
    title = file.name(fields.get("title"), "title", file.root)
    if title is None:
        return None
    return FreePage(slugify(path.stem, fallback="page"), title, front.body, file.origin(file.root))


# -- files nobody reads ---------------------------------------------------------


def _unread_files(content_dir: Path) -> tuple[Diagnostic, ...]:
    """A misnamed file (topic.yaml, site.yml) would otherwise be ignored without a word."""
    warnings = []
    for path in sorted(content_dir.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.name not in KNOWN_FILES:
            # Compared without the extension, which every candidate shares.
            hint = did_you_mean(path.stem, tuple(Path(f).stem for f in KNOWN_FILES), "{}.yaml", f"the files read here are {', '.join(KNOWN_FILES)}")
            warnings.append(Diagnostic.warning(f"this file is not read; {hint}", f"{content_dir.name}/{path.name}"))
    pages = content_dir / "pages"
    if pages.is_dir():
        for path in user_files(pages):
            if path.parent == pages and path.suffix != ".md":
                warnings.append(Diagnostic.warning("this file is not read; pages are Markdown files ending in .md", f"{content_dir.name}/pages/{path.name}"))
    return tuple(warnings)
