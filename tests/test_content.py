"""Loading `content/`: every rule of the schema, and every mistake reported as `file:line:col: message`.

Each test writes small files into a scratch content/ folder in tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content import load_content
from generator.errors import Diagnostic, InputError
from generator.model import SiteConfig
from generator.overrides import EntityOverride, FreePage, NeverMerge, TopicOverride

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    content = tmp_path / "content"
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    content.mkdir(exist_ok=True)
    return content


def load(tmp_path: Path, files: dict[str, str | bytes] | None = None):
    return load_content(write(tmp_path, files or {}))[0]


def problems(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(tmp_path, files)
    return [str(p) for p in caught.value.problems]


# -- what a valid content/ gives -------------------------------------------------


def test_a_missing_content_folder_or_file_means_the_defaults(tmp_path):
    overrides, warnings = load_content(tmp_path / "nowhere")
    assert overrides.site == SiteConfig() and overrides.entities == () and overrides.automatic_topics
    assert warnings == ()
    assert load(tmp_path).site == SiteConfig()


def test_an_empty_file_means_the_defaults(tmp_path):
    overrides = load(tmp_path, {"site.yaml": "", "entities.yaml": "# nothing yet\n", "topics.yaml": "topics:\n"})
    assert overrides.site == SiteConfig() and overrides.entities == () and overrides.topics == ()


def test_site_settings(tmp_path):
    site = load(tmp_path, {"site.yaml": ("title: Ukraine briefing\ndescription: Five reports.\nbase_url: https://user.github.io/repo/\nlanguage: en-GB\nmodel: en_core_web_md\n")}).site
    assert site == SiteConfig("Ukraine briefing", "Five reports.", "https://user.github.io/repo/", "en-GB", "en_core_web_md")


def test_an_entity_with_every_key(tmp_path):
    overrides = load(
        tmp_path,
        {
            "entities.yaml": """\
entities:
  - name: Volodymyr Zelensky
    kind: person
    aliases: [Zelenskyy, Zelenskiy]
    not_aliases: [Zelenska]
    hidden: false
    description: "President of *Ukraine*."
    notes: |
      Spelled four ways.
    role: President of Ukraine
    country: Ukraine
    links: [{label: Wikipedia, url: "https://en.wikipedia.org/wiki/Volodymyr_Zelenskyy"}]
"""
        },
    )
    assert overrides.entities == (
        EntityOverride(
            "Volodymyr Zelensky",
            Diagnostic("content/entities.yaml", 2, 5),
            "person",
            ("Zelenskyy", "Zelenskiy"),
            ("Zelenska",),
            False,
            "President of *Ukraine*.",
            "Spelled four ways.\n",
            "President of Ukraine",
            "Ukraine",
            (("Wikipedia", "https://en.wikipedia.org/wiki/Volodymyr_Zelenskyy"),),
        ),
    )


def test_an_entity_needs_only_a_name_and_a_hidden_one_is_kept(tmp_path):
    overrides = load(tmp_path, {"entities.yaml": "entities:\n  - name: Reuters\n    hidden: yes\n  - name: Kremlin\n"})
    assert [(e.name, e.hidden, e.kind, e.aliases) for e in overrides.entities] == [("Reuters", True, None, ()), ("Kremlin", False, None, ())]


def test_never_merge_rules_keep_their_origin(tmp_path):
    overrides = load(tmp_path, {"entities.yaml": "never_merge:\n  - [Donald Trump, Donald Tusk]\n"})
    assert overrides.never_merge == (NeverMerge(("Donald Trump", "Donald Tusk"), Diagnostic("content/entities.yaml", 2, 5)),)


def test_topics_curated_hidden_and_automatic_off(tmp_path):
    overrides = load(
        tmp_path,
        {
            "topics.yaml": """\
automatic: false
topics:
  - name: Ceasefire
    description: Talks to stop the fighting.
    patterns: [ceasefire, truce, "cease-fire", "mobilis*"]
  - name: summit
    hidden: true
"""
        },
    )
    assert overrides.automatic_topics is False
    assert overrides.topics == (
        TopicOverride("Ceasefire", Diagnostic("content/topics.yaml", 3, 5), "Talks to stop the fighting.", ("ceasefire", "truce", "cease-fire", "mobilis*")),
        TopicOverride("summit", Diagnostic("content/topics.yaml", 6, 5), hidden=True),
    )


def test_free_pages_keep_their_markdown_and_take_their_slug_from_the_file_name(tmp_path):
    overrides = load(tmp_path, {"pages/About_Us.md": "---\ntitle: About us\n---\nWe **read** the news.\n", "pages/method.md": "---\ntitle: Method\n---\n"})
    assert overrides.pages == (
        FreePage("about-us", "About us", "We **read** the news.\n", Diagnostic("content/pages/About_Us.md", 2, 1)),
        FreePage("method", "Method", "", Diagnostic("content/pages/method.md", 2, 1)),
    )


def test_the_sample_content_folder_loads_without_a_problem():
    overrides, warnings = load_content(REPO / "content")
    assert warnings == ()
    assert overrides.site.title != SiteConfig().title
    described = [e for e in overrides.entities if e.description and e.role]
    assert len(described) >= 5 and all(e.links for e in described)
    assert overrides.never_merge and overrides.topics and {p.slug for p in overrides.pages} == {"about", "method"}


# -- strings and booleans as the user meant them ------------------------------------


def test_values_yaml_would_convert_are_read_as_the_strings_written(tmp_path):
    overrides = load(
        tmp_path,
        {
            "site.yaml": "title: 1.10\nlanguage: NO\ndescription: 10:00\n",
            "entities.yaml": "entities:\n  - name: 2025-03-27\n    aliases: [yes, 1.10, ~x, 0x1F]\n    role: NO\n    country: off\n",
            "topics.yaml": "topics:\n  - name: 1e3\n    patterns: [true]\n",
        },
    )
    assert (overrides.site.title, overrides.site.language, overrides.site.description) == ("1.10", "NO", "10:00")
    entity = overrides.entities[0]
    assert (entity.name, entity.aliases, entity.role, entity.country) == ("2025-03-27", ("yes", "1.10", "~x", "0x1F"), "NO", "off")
    assert (overrides.topics[0].name, overrides.topics[0].patterns) == ("1e3", ("true",))


@pytest.mark.parametrize(("written", "meant"), [("true", True), ("False", False), ("yes", True), ("NO", False), ("on", True), ('"off"', False)])
def test_booleans_accept_true_false_and_yes_no(tmp_path, written, meant):
    overrides = load(tmp_path, {"entities.yaml": f"entities:\n  - name: Reuters\n    hidden: {written}\n", "topics.yaml": f"automatic: {written}\n"})
    assert overrides.entities[0].hidden is meant and overrides.automatic_topics is meant


def test_an_empty_optional_value_is_the_same_as_leaving_it_out(tmp_path):
    overrides = load(tmp_path, {"site.yaml": "description:\n", "entities.yaml": "entities:\n  - name: NATO\n    aliases:\n    hidden:\n    role:\n"})
    assert overrides.site.description == SiteConfig().description
    assert overrides.entities[0] == EntityOverride("NATO", Diagnostic("content/entities.yaml", 2, 5))


def test_a_yaml_anchor_can_be_reused_by_its_alias(tmp_path):
    overrides = load(tmp_path, {"entities.yaml": ("entities:\n  - name: Keir Starmer\n    country: &uk United Kingdom\n  - name: John Healey\n    country: *uk\n")})
    assert [e.country for e in overrides.entities] == ["United Kingdom", "United Kingdom"]


def test_explicit_yaml_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    assert problems(tmp_path, {"site.yaml": f"title: !!python/object/apply:os.system ['touch {marker}']\n"}) == [
        "content/site.yaml:1:8: title: the YAML tag '!!python/object/apply:os.system' is not supported; remove it"
    ]
    assert not marker.exists()


# -- every mistake, located --------------------------------------------------------

ERRORS = {
    "invalid YAML": (
        {"site.yaml": "title: Briefing\ndescription: [unclosed\n"},
        ["content/site.yaml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence at line 2)"],
    ),
    "a tab in the indentation": (
        {"entities.yaml": "entities:\n\t- name: NATO\n"},
        ["content/entities.yaml:2:1: invalid YAML: found character '\\t' that cannot start any token; indent with spaces, not tabs"],
    ),
    "a file that is not UTF-8": ({"topics.yaml": "topics:\n  - name: Caf\xe9\n".encode("latin-1")}, ["content/topics.yaml:2:14: is not UTF-8 text; save the file as UTF-8"]),
    "a file that is not a mapping": (
        {"site.yaml": "- title: Briefing\n"},
        ["content/site.yaml:1:1: site.yaml: expected a mapping with the keys title, description, base_url, language, model, got a list"],
    ),
    "a duplicate key": (
        {"entities.yaml": "entities:\n  - name: NATO\n    kind: organization\n    role: alliance\n    kind: place\n"},
        ["content/entities.yaml:5:5: duplicate key 'kind' (first at line 3); keep one"],
    ),
    "a duplicate top-level key": ({"site.yaml": "title: A\ntitle: B\n"}, ["content/site.yaml:2:1: duplicate key 'title' (first at line 1); keep one"]),
    "an unknown key close to a known one": (
        {"entities.yaml": "entities:\n  - name: NATO\n    alias: [Nato]\n"},
        ["content/entities.yaml:3:5: unknown key 'alias' in an entity; did you mean 'aliases'?"],
    ),
    "an unknown key like no other": (
        {"topics.yaml": "topics:\n  - name: Drones\n    colour: red\n"},
        ["content/topics.yaml:3:5: unknown key 'colour' in a topic; the keys here are name, description, patterns, hidden"],
    ),
    "a merge key": (
        {"entities.yaml": "entities:\n  - &zelensky {name: Volodymyr Zelensky, kind: person}\n  - <<: *zelensky\n    name: Olena Zelenska\n"},
        ["content/entities.yaml:3:5: merge keys (<<) are not supported; write the keys out"],
    ),
    "an unknown site setting": ({"site.yaml": "baseurl: https://example.org/\n"}, ["content/site.yaml:1:1: unknown key 'baseurl' in site.yaml; did you mean 'base_url'?"]),
    "a number for a list of strings": (
        {"entities.yaml": "entities:\n  - name: NATO\n    aliases: 5\n"},
        ["content/entities.yaml:3:14: aliases: expected a list of strings, got a number (5); write [5]"],
    ),
    "a mapping for a list of strings": ({"topics.yaml": "topics:\n  - name: Drones\n    patterns: {drone: 1}\n"}, ["content/topics.yaml:3:15: patterns: expected a list of strings, got a mapping"]),
    "a list inside a list of strings": ({"entities.yaml": "entities:\n  - name: NATO\n    aliases: [[Nato, N]]\n"}, ["content/entities.yaml:3:15: aliases: expected a string, got a list"]),
    "a list for a string": ({"entities.yaml": "entities:\n  - name: NATO\n    description: [an, alliance]\n"}, ["content/entities.yaml:3:18: description: expected a string, got a list"]),
    "a word for a boolean": ({"entities.yaml": "entities:\n  - name: NATO\n    hidden: maybe\n"}, ["content/entities.yaml:3:13: hidden: expected true or false, got a string (maybe)"]),
    "a number for automatic": ({"topics.yaml": "automatic: 1\n"}, ["content/topics.yaml:1:12: automatic: expected true or false, got a number (1)"]),
    "entities that are not a list": ({"entities.yaml": "entities:\n  name: NATO\n"}, ["content/entities.yaml:2:3: entities: expected a list of entities, each starting with '- name:', got a mapping"]),
    "an entity that is a bare name": ({"entities.yaml": "entities:\n  - NATO\n"}, ["content/entities.yaml:2:5: entities: expected an entity (a mapping starting with 'name:'), got a string (NATO)"]),
    "an entity without a name": ({"entities.yaml": "entities:\n  - kind: person\n    role: envoy\n"}, ["content/entities.yaml:2:5: missing required key 'name'"]),
    "an empty name": ({"entities.yaml": 'entities:\n  - name: "  "\n'}, ["content/entities.yaml:2:11: name: must not be empty"]),
    "an empty alias": ({"entities.yaml": "entities:\n  - name: NATO\n    aliases: [Nato, '']\n"}, ["content/entities.yaml:3:21: aliases: must not be empty"]),
    "a misspelt kind": (
        {"entities.yaml": "entities:\n  - name: NATO\n    kind: organisation\n"},
        ["content/entities.yaml:3:11: kind: 'organisation' is not a kind of entity; did you mean 'organization'?"],
    ),
    "an unknown kind": (
        {"entities.yaml": "entities:\n  - name: NATO\n    kind: alliance\n"},
        ["content/entities.yaml:3:11: kind: 'alliance' is not a kind of entity; use one of person, country, organization, place"],
    ),
    "a link without http": (
        {"entities.yaml": "entities:\n  - name: NATO\n    links: [{label: Site, url: www.nato.int}]\n"},
        ["content/entities.yaml:3:32: url: must start with http:// or https://, got 'www.nato.int'"],
    ),
    "a link that is a bare URL": (
        {"entities.yaml": "entities:\n  - name: NATO\n    links: [https://www.nato.int/]\n"},
        ["content/entities.yaml:3:13: links: expected a link such as {label: Wikipedia, url: https://...}, got a string (https://www.nato.int/)"],
    ),
    "a link without a label": ({"entities.yaml": "entities:\n  - name: NATO\n    links:\n      - url: https://www.nato.int/\n"}, ["content/entities.yaml:4:9: missing required key 'label'"]),
    "the same name twice": (
        {"entities.yaml": "entities:\n  - name: NATO\n    role: alliance\n  - name: Nato\n"},
        ["content/entities.yaml:4:11: 'Nato' has two entries (lines 2 and 4); merge them into one"],
    ),
    "an alias claimed by two entries": (
        {"entities.yaml": "entities:\n  - name: Volodymyr Zelensky\n    aliases: [Zelenski]\n  - name: Olena Zelenska\n    aliases: [Zelenski]\n"},
        ["content/entities.yaml:5:15: alias 'Zelenski' is claimed by 'Volodymyr Zelensky' (line 3) and 'Olena Zelenska'; keep it in one entry"],
    ),
    "an alias that has an entry of its own": (
        {"entities.yaml": "entities:\n  - name: Kyiv\n  - name: Ukraine\n    aliases: [Kyiv]\n"},
        ["content/entities.yaml:4:15: alias 'Kyiv' of 'Ukraine' has an entry of its own (line 2); keep one"],
    ),
    "an entry named like an earlier alias": (
        {"entities.yaml": "entities:\n  - name: Ukraine\n    aliases: [Kyiv]\n  - name: Kyiv\n"},
        ["content/entities.yaml:4:11: 'Kyiv' has an entry of its own but is also an alias of 'Ukraine' (line 3); keep one"],
    ),
    "a name both alias and not alias": (
        {"entities.yaml": "entities:\n  - name: Donald Trump\n    aliases: [Trump]\n    not_aliases: [trump]\n"},
        ["content/entities.yaml:4:19: not_aliases: 'trump' is also listed in aliases; keep it in one of the two"],
    ),
    "never_merge with three names": (
        {"entities.yaml": "never_merge:\n  - [Donald Trump, Donald Tusk, Donald Duck]\n"},
        ["content/entities.yaml:2:5: never_merge: expected a pair of names such as [Donald Trump, Donald Tusk], got 3 names"],
    ),
    "never_merge with one string": (
        {"entities.yaml": "never_merge:\n  - Donald Trump\n"},
        ["content/entities.yaml:2:5: never_merge: expected a pair of names such as [Donald Trump, Donald Tusk], got a string (Donald Trump)"],
    ),
    "never_merge with the same name twice": (
        {"entities.yaml": "never_merge:\n  - [Donald Trump, donald trump]\n"},
        ["content/entities.yaml:2:5: never_merge: 'Donald Trump' and 'donald trump' are the same name; a rule needs two different names"],
    ),
    "never_merge against an entry's aliases": (
        {"entities.yaml": "entities:\n  - name: Andriy Yermak\n    aliases: [Andrii Yermak]\nnever_merge:\n  - [Andrii Yermak, Andriy Yermak]\n"},
        ["content/entities.yaml:5:5: never_merge keeps 'Andrii Yermak' and 'Andriy Yermak' apart, but the entry 'Andriy Yermak' (line 2) merges them; remove one of the two rules"],
    ),
    "a base URL without http": (
        {"site.yaml": "base_url: user.github.io/repo/\n"},
        ["content/site.yaml:1:11: base_url: must start with http:// or https:// (or be left empty), got 'user.github.io/repo/'"],
    ),
    "a language that is not a tag": ({"site.yaml": "language: English (UK)\n"}, ["content/site.yaml:1:11: language: expected a language tag such as en or en-GB, got 'English (UK)'"]),
    "an empty model": ({"site.yaml": "model:\n"}, ["content/site.yaml:1:7: model: must not be empty"]),
    "the same topic twice": (
        {"topics.yaml": "topics:\n  - name: Ceasefire\n  - name: ceasefire\n    patterns: [truce]\n"},
        ["content/topics.yaml:3:11: topic 'ceasefire' has two entries (lines 2 and 3); merge them into one"],
    ),
    "a star inside a word": (
        {"topics.yaml": 'topics:\n  - name: Mobilisation\n    patterns: [mobilis*, "mobil*ation", "* draft"]\n'},
        ["content/topics.yaml:3:26: patterns: 'mobil*ation': '*' may only end a word, as in mobilis*", "content/topics.yaml:3:41: patterns: '* draft': '*' may only end a word, as in mobilis*"],
    ),
    "a page without front matter": (
        {"pages/about.md": "# About\nText.\n"},
        ["content/pages/about.md:1:1: missing front matter: start the file with a '---' line, then 'title: ...', then another '---' line"],
    ),
    "a page whose front matter is not closed": ({"pages/about.md": "---\ntitle: About\nText.\n"}, ["content/pages/about.md:1:1: the front matter is not closed: add a '---' line after it"]),
    "a page without a title": (
        {"pages/about.md": "---\nauthor: me\n---\nText.\n"},
        ["content/pages/about.md:2:1: unknown key 'author' in the front matter; the keys here are title", "content/pages/about.md:2:1: missing required key 'title'"],
    ),
    "a page with empty front matter": ({"pages/about.md": "---\n---\nText.\n"}, ["content/pages/about.md:2:1: missing required key 'title' in the front matter"]),
    "invalid YAML in a page's front matter": (
        {"pages/about.md": "---\ntitle: About\nsubtitle: [x\n---\nText.\n"},
        ["content/pages/about.md:3:13: invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence at line 3)"],
    ),
    "two pages with one slug": (
        {"pages/about.md": "---\ntitle: About\n---\n", "pages/About.md": "---\ntitle: About\n---\n"},
        ["content/pages/about.md: makes the same page pages/about.html as content/pages/About.md; rename one"],
    ),
}


@pytest.mark.parametrize("files, expected", ERRORS.values(), ids=ERRORS.keys())
def test_each_mistake_is_reported_with_file_line_and_column(tmp_path, files, expected):
    assert problems(tmp_path, files) == expected


def test_every_mistake_of_a_run_is_reported_at_once_in_reading_order(tmp_path):
    found = problems(
        tmp_path,
        {
            "site.yaml": "base_url: example.org\nlanguage: [en]\n",
            "entities.yaml": "entities:\n  - name: NATO\n    kind: alliance\n  - name: NATO\nnever_merge:\n  - [A]\n",
            "topics.yaml": "automatic: maybe\n",
            "pages/about.md": "no front matter\n",
        },
    )
    assert [p.split(": ")[0] for p in found] == [
        "content/site.yaml:1:11",
        "content/site.yaml:2:11",
        "content/entities.yaml:3:11",
        "content/entities.yaml:4:11",
        "content/entities.yaml:6:5",
        "content/topics.yaml:1:12",
        "content/pages/about.md:1:1",
    ]


def test_a_broken_file_does_not_hide_the_mistakes_of_the_others(tmp_path):
    found = problems(tmp_path, {"site.yaml": "title: [\n", "entities.yaml": "entities:\n  - name: NATO\n    kind: alliance\n"})
    assert [p.split(":")[0] for p in found] == ["content/site.yaml", "content/entities.yaml"]


def test_a_misnamed_file_is_a_warning_with_a_suggestion(tmp_path):
    content = write(tmp_path, {"topic.yaml": "topics: []\n", "site.yml": "title: A\n", "notes.yaml": "", "pages/about.txt": "About", "README.md": "mine"})
    _, warnings = load_content(content)
    assert [str(w) for w in warnings] == [
        "content/notes.yaml: this file is not read; the files read here are site.yaml, entities.yaml, topics.yaml",
        "content/site.yml: this file is not read; did you mean site.yaml?",
        "content/topic.yaml: this file is not read; did you mean topics.yaml?",
        "content/pages/about.txt: this file is not read; pages are Markdown files ending in .md",
    ]


def test_loading_never_modifies_a_file(tmp_path):
    content = write(tmp_path, {"entities.yaml": "entities:\n  - name: NATO\n    kind: alliance\n"})
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    with pytest.raises(InputError):
        load_content(content)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_a_content_path_that_is_a_file_is_an_error(tmp_path):
    (tmp_path / "content").write_text("title: A\n")
    with pytest.raises(InputError) as caught:
        load_content(tmp_path / "content")
    assert str(caught.value) == "content: is not a folder; --content must name the folder of curated files"
