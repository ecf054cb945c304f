"""`briefing eval GOLD.yaml`: score a build's pages against a gold annotation.

A measurement, not a gate: it reports per kind (people, countries,
organisations) precision, recall and merge accuracy, the `never_people`
strings that became person pages, the places that became country pages and
the topic themes covered, and lists every error so a developer sees what to
fix. docs/evaluation.md explains each number.

A page matches a gold entity when one of the page's names (its name or an
alias) and one of the gold entity's names share a key of `names.normalise`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from .errors import BriefingError, Diagnostic, InputError
from .lexicon import singular
from .names import normalise
from .yamlfile import YamlFile

SCORED_KINDS = {"people": "person", "countries": "country", "organizations": "organization"}
"""Gold section -> page kind in briefing.json; each has an `optional_<section>` twin."""


# --- the gold file -----------------------------------------------------------


@dataclass(frozen=True)
class GoldEntity:
    name: str
    aliases: tuple[str, ...]

    @cached_property
    def keys(self) -> frozenset[str]:
        return name_keys((self.name, *self.aliases))


@dataclass(frozen=True)
class Theme:
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    entities: dict[str, tuple[GoldEntity, ...]]  # section ("people"...) -> entities a build should have
    optional: dict[str, tuple[GoldEntity, ...]]  # section -> entities neither rewarded nor penalised
    never_people: tuple[str, ...]
    places: tuple[GoldEntity, ...]
    themes: tuple[Theme, ...]


def name_keys(names) -> frozenset[str]:
    return frozenset(key for key in map(normalise, names) if key)


def load_gold(path: Path) -> Gold:
    """Read and validate a gold file; every mistake is reported with its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(str(path), None, None, f"cannot read the gold file ({exc.strerror or exc})")]) from None
    file = YamlFile(str(path), [])
    text = file.decode(data)
    if not file.problems and file.parse(text):
        gold = _gold(file, file.root)
        if not file.problems:
            return gold
    raise InputError(sorted(file.problems, key=lambda p: (p.line or 0, p.column or 0)))


def _gold(file: YamlFile, root: yaml.Node | None) -> Gold:
    known = (*SCORED_KINDS, *(f"optional_{s}" for s in SCORED_KINDS), "never_people", "places", "topics")
    sections: dict[str, yaml.Node] = {}
    if not isinstance(root, yaml.MappingNode):
        file.problems.append(Diagnostic(file.display, 1, None, f"a gold file is a mapping with sections {', '.join(known)}"))
    else:
        for key, value in root.value:
            if key.value in known:
                sections[key.value] = value
            else:  # a misspelt section would silently score nothing
                file.error(key, f"unknown section '{key.value}'; the sections are {', '.join(known)}")

    def entities(section: str) -> tuple[GoldEntity, ...]:
        if section not in sections:
            return ()
        found = (_entity(file, item, section) for item in _items(file, sections[section], section))
        return tuple(e for e in found if e)

    themes = (_theme(file, item) for item in _items(file, sections["topics"], "topics")) if "topics" in sections else ()
    return Gold(
        entities={s: entities(s) for s in SCORED_KINDS},
        optional={s: entities(f"optional_{s}") for s in SCORED_KINDS},
        never_people=_strings(file, sections["never_people"], "never_people") if "never_people" in sections else (),
        places=entities("places"),
        themes=tuple(t for t in themes if t),
    )


def _text(file: YamlFile, node: yaml.Node, what: str) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        return node.value.strip()
    file.error(node, f"{what} must be a non-empty string")
    return None


def _items(file: YamlFile, node: yaml.Node, field: str) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if not (isinstance(node, yaml.ScalarNode) and node.value == ""):  # an empty section is an empty list
        file.error(node, f"'{field}' must be a list")
    return []


def _strings(file: YamlFile, node: yaml.Node, field: str) -> tuple[str, ...]:
    found = (_text(file, item, f"each of '{field}'") for item in _items(file, node, field))
    return tuple(s for s in found if s)


def _fields(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _entity(file: YamlFile, node: yaml.Node, section: str) -> GoldEntity | None:
    """`- Name`, or `- {name: Name, aliases: [...]}`; other fields (country) are ignored."""
    if isinstance(node, yaml.ScalarNode):
        name = _text(file, node, f"an entry of '{section}'")
        return GoldEntity(name, ()) if name else None
    if not isinstance(node, yaml.MappingNode) or "name" not in _fields(node):
        file.error(node, f"an entry of '{section}' needs a 'name' (and optional 'aliases')")
        return None
    fields = _fields(node)
    name = _text(file, fields["name"], "'name'")
    aliases = _strings(file, fields["aliases"], "aliases") if "aliases" in fields else ()
    return GoldEntity(name, aliases) if name else None


def _theme(file: YamlFile, node: yaml.Node) -> Theme | None:
    fields = _fields(node) if isinstance(node, yaml.MappingNode) else {}
    if "theme" not in fields or "words" not in fields:
        file.error(node, "an entry of 'topics' needs 'theme' and 'words' (a list)")
        return None
    name = _text(file, fields["theme"], "'theme'")
    words = _strings(file, fields["words"], "words")
    if name and not words:
        file.error(fields["words"], f"theme '{name}' has no words")
    return Theme(name, words) if name and words else None


# --- the build's pages -------------------------------------------------------


@dataclass(frozen=True)
class Page:
    kind: str
    name: str
    aliases: tuple[str, ...]
    patterns: tuple[str, ...] = ()  # topics only

    @cached_property
    def keys(self) -> frozenset[str]:
        return name_keys((self.name, *self.aliases))


def pages_from(data: dict) -> tuple[Page, ...]:
    """The entity pages listed in a build's briefing.json."""
    return tuple(Page(e["kind"], e["name"], tuple(e.get("aliases", ())), tuple(e.get("patterns", ()))) for e in data.get("entities", ()))


def read_briefing(site: Path) -> dict:
    path = site / "briefing.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BriefingError(f"{path}: not found; run `briefing build` into {site} first, or drop --site to build afresh") from None
    except json.JSONDecodeError as exc:
        raise InputError([Diagnostic(str(path), exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]) from None


# --- scoring -----------------------------------------------------------------


@dataclass(frozen=True)
class KindScore:
    section: str
    pages: int
    optional_pages: int  # pages that match only optional entities: left out of precision
    matched_pages: int  # pages that match a gold entity
    gold: int
    found: int  # gold entities matched by at least one page
    merged_right: int  # gold entities on exactly one page that holds no other entity
    unmatched: tuple[Page, ...]  # false positives
    missed: tuple[str, ...]
    split: tuple[tuple[str, tuple[str, ...]], ...]  # (gold entity, the pages its names are on)
    merged: tuple[tuple[str, tuple[str, ...]], ...]  # (page, the gold entities it holds)

    @property
    def precision(self) -> float | None:
        return ratio(self.matched_pages, self.pages - self.optional_pages)

    @property
    def recall(self) -> float | None:
        return ratio(self.found, self.gold)

    @property
    def merge_accuracy(self) -> float | None:
        return ratio(self.merged_right, self.gold)


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def score_kind(section: str, pages: tuple[Page, ...], gold: tuple[GoldEntity, ...], optional: tuple[GoldEntity, ...]) -> KindScore:
    """Precision, recall and merge accuracy of one kind's pages against its gold entities."""
    holds = {page: [g for g in gold if page.keys & g.keys] for page in pages}
    holds_optional = {page: [o for o in optional if page.keys & o.keys] for page in pages}
    pages_of = {g: [page for page in pages if page.keys & g.keys] for g in gold}

    def alone_on_one_page(g: GoldEntity) -> bool:
        return len(pages_of[g]) == 1 and len(holds[pages_of[g][0]]) + len(holds_optional[pages_of[g][0]]) == 1

    return KindScore(
        section=section,
        pages=len(pages),
        optional_pages=sum(1 for p in pages if holds_optional[p] and not holds[p]),
        matched_pages=sum(1 for p in pages if holds[p]),
        gold=len(gold),
        found=sum(1 for g in gold if pages_of[g]),
        merged_right=sum(1 for g in gold if alone_on_one_page(g)),
        unmatched=tuple(p for p in pages if not holds[p] and not holds_optional[p]),
        missed=tuple(g.name for g in gold if not pages_of[g]),
        split=tuple((g.name, tuple(p.name for p in pages_of[g])) for g in gold if len(pages_of[g]) > 1),
        merged=tuple((p.name, tuple(e.name for e in holds[p] + holds_optional[p])) for p in pages if holds[p] and len(holds[p]) + len(holds_optional[p]) > 1),
    )


def never_people_pages(person_pages: tuple[Page, ...], never: tuple[str, ...], people: tuple[GoldEntity, ...]) -> tuple[tuple[str, str, bool], ...]:
    """(page, never_people string, counted) for each person page that holds a never_people string.
    It counts when the string is the page's name or the page is no gold person's: "Vladimir"
    as an alias of a gold "Vladimir Putin" page is a mention linked right, not a page of its own."""
    keys = {normalise(s): s for s in never}
    person_keys = frozenset().union(*(g.keys for g in people))
    found = []
    for page in person_pages:
        for key in sorted(page.keys & keys.keys()):
            counted = key == normalise(page.name) or not page.keys & person_keys
            found.append((page.name, keys[key], counted))
    return tuple(found)


def places_as_countries(country_pages: tuple[Page, ...], places: tuple[GoldEntity, ...]) -> tuple[tuple[str, str], ...]:
    """(place, country page) for each gold place that a country page holds."""
    return tuple((place.name, p.name) for place in places for p in country_pages if p.keys & place.keys)


def topic_key(text: str) -> str:
    """A name's key with its last word singular: "Security Guarantees" -> "security guarantee"."""
    words = normalise(text).split()
    return " ".join([*words[:-1], singular(words[-1])]) if words else ""


def covers(topic: Page, theme: Theme) -> bool:
    """A topic covers a theme when one of its names or patterns equals one of the
    theme's words, or a theme word ends with the topic's name as whole words
    (a "troops" topic covers "North Korean troops")."""
    word_keys = {topic_key(w) for w in theme.words}
    topic_keys = {topic_key(t) for t in (topic.name, *topic.patterns, *topic.aliases)}
    name = topic_key(topic.name)
    return bool(word_keys & topic_keys) or any(name and (w == name or w.endswith(" " + name)) for w in word_keys)


def theme_coverage(topic_pages: tuple[Page, ...], themes: tuple[Theme, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(theme, the topic pages that cover it) for every theme; an empty tuple means not covered."""
    return tuple((theme.name, tuple(t.name for t in topic_pages if covers(t, theme))) for theme in themes)


@dataclass(frozen=True)
class Report:
    kinds: tuple[KindScore, ...]
    never_people: tuple[tuple[str, str, bool], ...]  # (page, string, counted)
    places: int
    places_as_countries: tuple[tuple[str, str], ...]
    themes: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def never_people_count(self) -> int:
        return sum(1 for _, _, counted in self.never_people if counted)

    @property
    def themes_covered(self) -> int:
        return sum(1 for _, topics in self.themes if topics)


def evaluate(gold: Gold, data: dict) -> Report:
    """Score a build (its briefing.json, parsed) against a gold annotation."""
    pages = pages_from(data)

    def of_kind(kind: str) -> tuple[Page, ...]:
        return tuple(p for p in pages if p.kind == kind)

    return Report(
        kinds=tuple(score_kind(s, of_kind(k), gold.entities[s], gold.optional[s]) for s, k in SCORED_KINDS.items()),
        never_people=never_people_pages(of_kind("person"), gold.never_people, gold.entities["people"] + gold.optional["people"]),
        places=len(gold.places),
        places_as_countries=places_as_countries(of_kind("country"), gold.places),
        themes=theme_coverage(of_kind("topic"), gold.themes),
    )


# --- output ------------------------------------------------------------------


def report_json(report: Report) -> dict:
    """The machine-readable report; its keys are stable."""
    return {
        "kinds": {
            k.section: {
                "pages": k.pages,
                "optional_pages": k.optional_pages,
                "matched_pages": k.matched_pages,
                "gold": k.gold,
                "found": k.found,
                "precision": k.precision,
                "recall": k.recall,
                "merge_accuracy": k.merge_accuracy,
                "unmatched_pages": [{"name": p.name, "aliases": list(p.aliases)} for p in k.unmatched],
                "missed": list(k.missed),
                "split": [{"gold": g, "pages": list(pages)} for g, pages in k.split],
                "merged": [{"page": p, "gold": list(golds)} for p, golds in k.merged],
            }
            for k in report.kinds
        },
        "never_people": {
            "count": report.never_people_count,
            "pages": [{"page": p, "string": s} for p, s, counted in report.never_people if counted],
            "aliases_of_gold_people": [{"page": p, "string": s} for p, s, counted in report.never_people if not counted],
        },
        "places": {
            "gold": report.places,
            "as_countries": len(report.places_as_countries),
            "country_pages": [{"place": place, "page": page} for place, page in report.places_as_countries],
        },
        "topics": {
            "themes": len(report.themes),
            "covered": report.themes_covered,
            "coverage": ratio(report.themes_covered, len(report.themes)),
            "by_theme": [{"theme": theme, "topics": list(topics)} for theme, topics in report.themes],
        },
    }


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _page(page: Page) -> str:
    others = [a for a in page.aliases if a != page.name]
    return f'"{page.name}"' + (f" (also {', '.join(others)})" if others else "")


def _listing(title: str, entries: list[str]) -> list[str]:
    return ["", title, *(f"  {e}" for e in entries or ["no errors"])]


def report_text(report: Report) -> str:
    """The table, then every error by kind, for a developer to read."""
    lines = [
        f"{'kind':<14}{'pages':>6}{'optional':>9}{'matched':>8}{'gold':>6}{'found':>6}{'precision':>10}{'recall':>8}{'merge':>7}",
        *(
            f"{k.section:<14}{k.pages:>6}{k.optional_pages:>9}{k.matched_pages:>8}{k.gold:>6}{k.found:>6}{_number(k.precision):>10}{_number(k.recall):>8}{_number(k.merge_accuracy):>7}"
            for k in report.kinds
        ),
        "precision = matched / (pages - optional); recall = found / gold; merge = gold entities alone on exactly one page / gold",
        "",
        f"never_people as person pages: {report.never_people_count}",
        f"places as country pages: {len(report.places_as_countries)} of {report.places} places",
        f"topic themes covered: {report.themes_covered} of {len(report.themes)}",
    ]
    for k in report.kinds:
        lines += _listing(
            f"{k.section}:",
            [f"false positive: {_page(p)}" for p in k.unmatched]
            + [f"missed: {name}" for name in k.missed]
            + [f"split: {g} is on {len(pages)} pages: {', '.join(pages)}" for g, pages in k.split]
            + [f'merged: page "{p}" holds {", ".join(golds)}' for p, golds in k.merged],
        )
    lines += _listing(
        "never_people:",
        [f'person page "{p}" (never_people: {s})' if counted else f'not counted: "{s}" is an alias of the gold person "{p}"' for p, s, counted in report.never_people],
    )
    lines += _listing("places:", [f'{place} has a country page "{page}"' for place, page in report.places_as_countries])
    lines += _listing("topics:", [f"{theme}: " + (f"covered by {', '.join(topics)}" if topics else "NOT covered") for theme, topics in report.themes])
    return "\n".join(lines)


# --- the command -------------------------------------------------------------


def register(commands) -> None:
    from .cli import add_project_options

    e = commands.add_parser(
        "eval",
        help="score a build against a gold annotation (precision, recall, merges)",
        description="Score a build's pages against a gold file such as ../shared/eval/seeds-gold.yaml: per kind "
        "(people, countries, organizations) precision, recall and merge accuracy; never_people that became person "
        "pages; places that became country pages; topic themes covered. Builds the project into a temporary "
        "folder (site/ is never touched) unless --site names an existing build. Exits 0 whenever it could score.",
    )
    e.add_argument("gold", type=Path, metavar="GOLD.yaml", help="the gold annotation to score against")
    e.add_argument("--site", type=Path, metavar="DIR", help="score DIR/briefing.json of an existing build instead of building afresh; the project options are then unused")
    e.add_argument("--json", action="store_true", help="print a machine-readable JSON report (stable keys) instead of the table")
    add_project_options(e)
    e.set_defaults(run=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    from .build import build
    from .cli import EXIT_ERROR, EXIT_OK, Progress, print_warnings, project_from

    gold = load_gold(args.gold)  # before building: a broken gold file should not cost a build
    if args.site is not None:
        data = read_briefing(args.site)
    else:
        with tempfile.TemporaryDirectory(prefix="briefing-eval-") as scratch:
            out = Path(scratch) / "site"
            built = build(project_from(args, out), use_overrides=not args.no_overrides, jobs=args.jobs, progress=Progress(args.quiet))
            print_warnings(built.warnings, args.quiet)
            if args.strict and built.warnings:
                print(f"error: {len(built.warnings)} warning(s) and --strict is set", file=sys.stderr)
                return EXIT_ERROR
            data = read_briefing(out)
    report = evaluate(gold, data)
    print(json.dumps(report_json(report), indent=2, ensure_ascii=False) if args.json else report_text(report))
    return EXIT_OK
