"""Read a user's YAML with the place of every value: content/ files, the front matter of
articles and pages, gold files.

Values are read from PyYAML's node tree, never from constructed Python objects, for two
reasons: every value keeps the line and column it was written at, so each mistake is
reported as `content/entities.yaml:14:5: message`; and where a schema says string, the
value is the text the user typed (`NO`, `10:00`, `1.10`), not what YAML 1.1 would make of
it (and an alias bomb is never expanded). Mistakes are collected as Diagnostics, for the
reader of the schema to raise together in one InputError.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic

T = TypeVar("T")

_YAML_TAG = "tag:yaml.org,2002:"
# The tags plain YAML gets without writing one; a value is only ever read as text, but an
# explicit tag such as !!python/object says the user expects something this schema never does.
_PLAIN_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_CLOSE_ENOUGH = 0.75  # difflib's ratio for a did-you-mean: "alias" suggests "aliases", "alliance" no kind
_WHAT_SCALAR_IS = {"null": "nothing", "bool": "true/false", "int": "a number", "float": "a number", "timestamp": "a date"}


class YamlFile:
    """One YAML document being read: its root node, and where to report its mistakes."""

    def __init__(self, display: str, problems: list[Diagnostic], first_line: int = 1):
        self.display = display  # the file as the user sees it: content/entities.yaml
        self.problems = problems
        self.first_line = first_line  # the file's line the YAML text starts on (after front matter's ---)
        self.root: Node | None = None

    @classmethod
    def read(cls, path: Path, display: str, problems: list[Diagnostic]) -> YamlFile:
        """The file at `path`, parsed; without a root when it is missing, empty or broken."""
        file = cls(display, problems)
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
            if mark is None:  # PyYAML's own errors always have a mark; one raised without is placed nowhere
                self.problems.append(Diagnostic(self.display, None, None, message))
            else:
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
        self.error(node, f"{key}: expected {expected}, got {described(node)}")

    # -- reading values -------------------------------------------------------

    def mapping(self, node: Node | None, keys: tuple[str, ...] | None, where: str) -> dict[str, Node]:
        """The entries of a mapping node by key; duplicate keys are reported, and unknown
        ones unless `keys` is None (any key is allowed)."""
        if node is None or is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            self.expected(node, where, f"a mapping with the keys {', '.join(keys)}" if keys else "a mapping of keys to values")
            return {}
        found: dict[str, Node] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else described(key_node)
            if key in first_seen:
                self.error(key_node, f"duplicate key '{key}' (first at line {self.line(first_seen[key])}); keep one")
                continue
            first_seen[key] = key_node
            if key_node.tag == _YAML_TAG + "merge":
                self.error(key_node, "merge keys (<<) are not supported; write the keys out")
            elif keys is not None and key not in keys:
                hint = did_you_mean(key, keys, "'{}'", f"the keys here are {', '.join(keys)}")
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
        if node is None or is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            self.expected(node, key, expected)
            return ()
        values = (read(self, item) for item in node.value if self.supported(item, key))
        return tuple(value for value in values if value is not None)

    def text(self, node: Node | None, key: str) -> str | None:
        """The exact text written, whatever YAML would have made of it; None when left empty."""
        if node is None or is_null(node):
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
        if isinstance(node, ScalarNode) and not is_null(node):
            self.error(node, f"{key}: expected a list of strings, got {described(node)}; write [{node.value}]")
            return ()

        def named(file: YamlFile, item: Node) -> tuple[str, Node] | None:
            name = file.name(item, key, item)
            return None if name is None else (name, item)

        return self.each(node, key, "a list of strings", named)

    def flag(self, node: Node | None, key: str) -> bool | None:
        """true/false, also written yes/no or on/off; None when left empty."""
        if node is None or is_null(node):
            return None
        if isinstance(node, ScalarNode) and node.value.lower() in yaml.SafeLoader.bool_values:
            return yaml.SafeLoader.bool_values[node.value.lower()]
        self.expected(node, key, "true or false")
        return None


def did_you_mean(word: str, choices: tuple[str, ...], quoted: str, otherwise: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=_CLOSE_ENOUGH)
    return f"did you mean {quoted.format(close[0])}?" if close else otherwise


def is_null(node: Node) -> bool:
    return node.tag == _YAML_TAG + "null"


def described(node: Node) -> str:
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


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between a first line `---` and the next line `---` (or `...`), and the text after it."""

    yaml: str | None  # None: the front matter is opened and never closed
    body: str


_FENCE = re.compile(r"(---|\.\.\.)[ \t]*\r?\n?")


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter of a Markdown file (an article or a page), None when it has none.
    Its YAML starts on the file's line 2: read it with `YamlFile(..., first_line=2)`."""
    lines = text.splitlines(keepends=True)
    if not lines or not _is_fence(lines[0], opening=True):
        return None
    end = next((i for i, line in enumerate(lines[1:], start=1) if _is_fence(line, opening=False)), None)
    if end is None:
        return FrontMatter(None, text)
    # Without the line break before the closing line: YAML that ends too soon is reported
    # at the end of its last line, not at the start of the closing one.
    yaml_text = "".join(lines[1:end]).removesuffix("\n").removesuffix("\r")
    return FrontMatter(yaml_text, "".join(lines[end + 1 :]))


def _is_fence(line: str, opening: bool) -> bool:
    fence = _FENCE.fullmatch(line)
    return fence is not None and (fence.group(1) == "---" or not opening)
