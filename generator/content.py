"""Read and validate the user's curated files in `content/` into `Overrides`.

Values are read from PyYAML's node tree, never from constructed Python
objects, for two reasons: every value keeps the line and column it was
written at, so each mistake is reported as `content/entities.yaml:14:5:
message`; and where the schema says string, the value is the text the user
typed (`NO`, `10:00`, `1.10`), not what YAML 1.1 would make of it.
Every mistake of a run is collected and raised together in one InputError.
The README's "Curating" section documents the schema.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic, InputError
from .model import SiteConfig
from .names import normalise
from .overrides import EntityOverride, FreePage, NeverMerge, Overrides, TopicOverride
from .slugs import slugify
from .urls import is_web_url
from .userfiles import user_files

KINDS = ("person", "country", "organization", "place")
SITE_KEYS = ("title", "description", "base_url", "language", "model")
MAY_BE_EMPTY = ("description", "base_url")  # the other settings have no meaning when empty
ENTITIES_FILE_KEYS = ("entities", "never_merge")
ENTITY_KEYS = ("name", "kind", "aliases", "not_aliases", "hidden", "description", "notes", "role", "country", "links")
LINK_KEYS = ("label", "url")
TOPICS_FILE_KEYS = ("automatic", "topics")
TOPIC_KEYS = ("name", "description", "patterns", "hidden")
PAGE_KEYS = ("title",)
KNOWN_FILES = ("site.yaml", "entities.yaml", "topics.yaml")

T = TypeVar("T")

_YAML_TAG = "tag:yaml.org,2002:"
# The tags plain YAML gets without writing one; a value is only ever read as text, but an
# explicit tag such as !!python/object says the user expects something this schema never does.
_PLAIN_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_CLOSE_ENOUGH = 0.75  # difflib's ratio for a did-you-mean: "alias" suggests "aliases", "alliance" no kind
_WHAT_SCALAR_IS = {"null": "nothing", "bool": "true/false", "int": "a number", "float": "a number", "timestamp": "a date"}
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
    site = _load_site(YamlFile.read(content_dir, "site.yaml", problems))
    entities, never_merge = _load_entities(YamlFile.read(content_dir, "entities.yaml", problems))
    automatic, topics = _load_topics(YamlFile.read(content_dir, "topics.yaml", problems))
    pages = _load_pages(content_dir, problems)
    if problems:
        raise InputError(_in_reading_order(problems))
    overrides = Overrides(site, entities, never_merge, topics, automatic, pages)
    return overrides, _unread_files(content_dir)


def _in_reading_order(problems: list[Diagnostic]) -> list[Diagnostic]:
    """File by file as they were read, each from its top: checks across entries find problems late."""
    files = list(dict.fromkeys(p.file for p in problems))
    return sorted(problems, key=lambda p: (files.index(p.file), p.line or 0, p.column or 0))


class YamlFile:
    """One YAML document being read: its root node, and where to report its mistakes."""

    def __init__(self, display: str, problems: list[Diagnostic], first_line: int = 1):
        self.display = display  # the file as the user sees it: content/entities.yaml
        self.problems = problems
        self.first_line = first_line  # the file's line the YAML text starts on (after front matter's ---)
        self.root: Node | None = None

    @classmethod
    def read(cls, content_dir: Path, name: str, problems: list[Diagnostic]) -> YamlFile:
        """The file `content_dir/name`, parsed; without a root when it is missing, empty or broken."""
        file = cls(f"{content_dir.name}/{name}", problems)
        path = content_dir / name
        if path.is_file():
            file.parse(file.decode(path.read_bytes()))
        return file

    def decode(self, data: bytes) -> str:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - data.rfind(b"\n", 0, exc.start)
            self.problems.append(Diagnostic(self.display, line, column, "is not UTF-8 text; save the file as UTF-8"))
            return ""

    def parse(self, text: str) -> bool:
        """Compose `text` into nodes, never into Python objects; False (and reported) if it is not YAML."""
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = f"invalid YAML: {exc.problem or exc.context}"
            if exc.context and exc.context_mark and exc.problem:
                message += f" ({exc.context} at line {exc.context_mark.line + self.first_line})"
            if "'\\t'" in message:
                message += "; indent with spaces, not tabs"
            self.problems.append(Diagnostic(self.display, mark.line + self.first_line, mark.column + 1, message))
        except yaml.YAMLError as exc:  # a ReaderError (a control character) knows only its offset
            offset = getattr(exc, "position", 0)
            line = text.count("\n", 0, offset) + self.first_line
            column = offset - text.rfind("\n", 0, offset)
            self.problems.append(Diagnostic(self.display, line, column, f"invalid YAML: {getattr(exc, 'reason', exc)}"))
        else:
            return True
        return False

    # -- reporting ----------------------------------------------------------

    def line(self, node: Node) -> int:
        return node.start_mark.line + self.first_line

    def origin(self, node: Node) -> Diagnostic:
        return Diagnostic(self.display, self.line(node), node.start_mark.column + 1)

    def error(self, node: Node, message: str) -> None:
        origin = self.origin(node)
        self.problems.append(Diagnostic(origin.file, origin.line, origin.column, message))

    def expected(self, node: Node, key: str, expected: str) -> None:
        self.error(node, f"{key}: expected {expected}, got {_what(node)}")

    # -- reading values -------------------------------------------------------

    def mapping(self, node: Node | None, keys: tuple[str, ...] | None, where: str) -> dict[str, Node]:
        """The entries of a mapping node by key; duplicate keys are reported, and unknown
        ones unless `keys` is None (any key is allowed)."""
        if node is None or _is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            self.expected(node, where, f"a mapping with the keys {', '.join(keys)}" if keys else "a mapping of keys to values")
            return {}
        found: dict[str, Node] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else _what(key_node)
            if key in first_seen:
                self.error(key_node, f"duplicate key '{key}' (first at line {self.line(first_seen[key])}); keep one")
                continue
            first_seen[key] = key_node
            if key_node.tag == _YAML_TAG + "merge":
                self.error(key_node, "merge keys (<<) are not supported; write the keys out")
            elif keys is not None and key not in keys:
                hint = _did_you_mean(key, keys, "'{}'", f"the keys here are {', '.join(keys)}")
                self.error(key_node, f"unknown key '{key}' in {where}; {hint}")
            elif self.supported(value, key):
                found[key] = value
        return found

    def supported(self, node: Node, key: str) -> bool:
        """False (and reported) for an explicit tag such as `!!python/object`: only plain YAML is read."""
        if node.tag in _PLAIN_TAGS:
            return True
        self.error(node, f"{key}: the YAML tag '{node.tag.replace(_YAML_TAG, '!!')}' is not supported; remove it")
        return False

    def each(self, node: Node | None, key: str, expected: str, read: Callable[[YamlFile, Node], T | None]) -> tuple[T, ...]:
        """What `read` makes of each item of a list, leaving out the items it reported as wrong."""
        if node is None or _is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            self.expected(node, key, expected)
            return ()
        values = (read(self, item) for item in node.value if self.supported(item, key))
        return tuple(value for value in values if value is not None)

    def text(self, node: Node | None, key: str) -> str | None:
        """The exact text written, whatever YAML would have made of it; None when left empty."""
        if node is None or _is_null(node):
            return None
        if not isinstance(node, ScalarNode):
            self.expected(node, key, "a string")
            return None
        return node.value

    def name(self, node: Node | None, key: str, parent: Node) -> str | None:
        """A required, non-blank string, on one line."""
        if node is None:
            self.error(parent, f"missing required key '{key}'")
            return None
        value = self.text(node, key)
        if value is None or not value.strip():
            if isinstance(node, ScalarNode):
                self.error(node, f"{key}: must not be empty")
            return None
        return " ".join(value.split())

    def names(self, node: Node | None, key: str) -> tuple[tuple[str, Node], ...]:
        """A list of names, each with its node; a lone string is a mistake, as YAML would not make it a list."""
        if isinstance(node, ScalarNode) and not _is_null(node):
            self.error(node, f"{key}: expected a list of strings, got {_what(node)}; write [{node.value}]")
            return ()

        def named(file: YamlFile, item: Node) -> tuple[str, Node] | None:
            name = file.name(item, key, item)
            return None if name is None else (name, item)

        return self.each(node, key, "a list of strings", named)

    def flag(self, node: Node | None, key: str) -> bool | None:
        """true/false, also written yes/no or on/off; None when left empty."""
        if node is None or _is_null(node):
            return None
        if isinstance(node, ScalarNode) and node.value.lower() in yaml.SafeLoader.bool_values:
            return yaml.SafeLoader.bool_values[node.value.lower()]
        self.expected(node, key, "true or false")
        return None


def _did_you_mean(word: str, choices: tuple[str, ...], quoted: str, otherwise: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=_CLOSE_ENOUGH)
    return f"did you mean {quoted.format(close[0])}?" if close else otherwise


def _is_null(node: Node) -> bool:
    return node.tag == _YAML_TAG + "null"


def _what(node: Node) -> str:
    """How a value reads to the user, for "expected ..., got ..." messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    kind = _WHAT_SCALAR_IS.get(node.tag.removeprefix(_YAML_TAG), "a string")
    if kind == "nothing":
        return kind
    value = node.value if len(node.value) <= 40 else node.value[:39] + "…"
    return f"{kind} ({value})"


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
    if kind is None or kind in KINDS:
        return kind
    hint = _did_you_mean(kind.lower(), KINDS, "'{}'", f"use one of {', '.join(KINDS)}")
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
        got = f"{len(node.value)} names" if isinstance(node, SequenceNode) else _what(node)
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
    lines = file.decode(path.read_bytes()).splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        file.problems.append(Diagnostic(file.display, 1, 1, "missing front matter: start the file with a '---' line, then 'title: ...', then another '---' line"))
        return None
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), None)
    if end is None:
        file.problems.append(Diagnostic(file.display, 1, 1, "the front matter is not closed: add a '---' line after it"))
        return None
    if not file.parse("".join(lines[1:end])):
        return None
    if file.root is None or not isinstance(file.root, MappingNode):
        file.problems.append(Diagnostic(file.display, 2, 1, "missing required key 'title' in the front matter"))
        return None
    fields = file.mapping(file.root, PAGE_KEYS, "the front matter")
    title = file.name(fields.get("title"), "title", file.root)
    if title is None:
        return None
    return FreePage(slugify(path.stem, fallback="page"), title, "".join(lines[end + 1:]), file.origin(file.root))


# -- files nobody reads ---------------------------------------------------------


def _unread_files(content_dir: Path) -> tuple[Diagnostic, ...]:
    """A misnamed file (topic.yaml, site.yml) would otherwise be ignored without a word."""
    warnings = []
    for path in sorted(content_dir.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.name not in KNOWN_FILES:
            # Compared without the extension, which every candidate shares.
            hint = _did_you_mean(path.stem, tuple(Path(f).stem for f in KNOWN_FILES), "{}.yaml", f"the files read here are {', '.join(KNOWN_FILES)}")
            warnings.append(Diagnostic.warning(f"this file is not read; {hint}", f"{content_dir.name}/{path.name}"))
    pages = content_dir / "pages"
    if pages.is_dir():
        for path in user_files(pages):
            if path.parent == pages and path.suffix != ".md":
                warnings.append(Diagnostic.warning("this file is not read; pages are Markdown files ending in .md", f"{content_dir.name}/pages/{path.name}"))
    return tuple(warnings)
