"""The built sample site, checked page by page: links, anchors, the data export, coverage."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from generator.build import Project, build
from generator.names import normalise

from conftest import REPO, SHARED_CACHE

GOLD = REPO.parent / "shared" / "eval" / "seeds-gold.yaml"


class Page(HTMLParser):
    """The ids, links and resource references of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            self._open = [a["href"], ""]
        for attr in ("src",) if tag in ("script", "img", "iframe") else ("href",) if tag == "link" else ():
            if a.get(attr):
                self.resources.append(a[attr])

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.anchors.append(tuple(self._open))
            self._open = None


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def pages(sample_site) -> dict[str, Page]:
    return {p.relative_to(sample_site).as_posix(): parse(p) for p in sorted(sample_site.rglob("*.html"))}


@pytest.fixture(scope="module")
def data(sample_site) -> dict:
    return json.loads((sample_site / "briefing.json").read_text(encoding="utf-8"))


def test_every_internal_link_and_fragment_resolves(sample_site, pages):
    broken = []
    for rel, page in pages.items():
        if rel == "404.html":
            continue  # GitHub Pages serves it at any depth; its links are absolute when base_url is set
        for href in page.links + page.resources:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (sample_site / rel).parent / unquote(parts.path) if parts.path else sample_site / rel
            target = target.resolve()
            if not target.is_file() or sample_site.resolve() not in target.parents:
                broken.append(f"{rel}: {href} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if parts.fragment not in pages[target.relative_to(sample_site.resolve()).as_posix()].ids:
                    broken.append(f"{rel}: {href} (no such anchor)")
    assert broken == []


def test_links_name_their_html_file_and_nothing_is_loaded_from_elsewhere(pages):
    for rel, page in pages.items():
        for href in page.links:
            path = urlsplit(href).path
            assert urlsplit(href).scheme or path == "" or path.endswith((".html", ".json")), (rel, href)
        for ref in page.resources:
            assert not urlsplit(ref).scheme and not ref.startswith("//"), (rel, ref)


def test_github_pages_files_exist(sample_site):
    assert (sample_site / ".nojekyll").is_file()
    assert (sample_site / "404.html").is_file()


def test_mention_offsets_match_their_paragraph_text(data):
    paragraphs = {(s["id"], p["id"]): p["text"] for s in data["sources"] for p in s["paragraphs"]}
    for entity in data["entities"]:
        assert entity["mentions"], entity["id"]
        for m in entity["mentions"]:
            assert paragraphs[(m["source"], m["paragraph"])][m["start"]:m["end"]] == m["text"]


def test_every_mention_is_linked_on_its_entity_page_and_its_source_page(data, pages):
    for entity in data["entities"]:
        entity_page = pages[entity["url"]]
        backlinks = {href.removeprefix("../") for href in entity_page.links}
        for m in entity["mentions"]:
            assert f"sources/{m['source']}.html#{m['paragraph']}" in backlinks, (entity["id"], m)
    for source in data["sources"]:
        anchors = pages[source["url"]].anchors
        linked = [(href.removeprefix("../"), text) for href, text in anchors]
        expected = [(e["url"], m["text"]) for e in data["entities"] for m in e["mentions"] if m["source"] == source["id"]]
        for item in expected:
            assert item in linked, (source["id"], item)


def test_the_export_has_its_documented_shape(data):
    source = data["sources"][0]
    assert {"id", "title", "file", "url", "date", "publisher", "paragraphs"} <= set(source)
    assert {"id", "text"} <= set(source["paragraphs"][0])
    entity = data["entities"][0]
    assert {"id", "kind", "name", "aliases", "url", "mentions", "confidence"} <= set(entity)
    assert {e["kind"] for e in data["entities"]} == {"person", "country", "organization", "place", "topic"}
    assert source["file"] in {p.name for p in (REPO / "seeds").iterdir()}


def test_metadata_lines_are_not_body_text(data):
    texts = [p["text"] for s in data["sources"] for p in s["paragraphs"]]
    assert not any(t.startswith(("Source:", "date ")) for t in texts)
    assert any(s["date"] == "2025-03-27" for s in data["sources"])
    assert any(s["publisher"] == "independent.co.uk" for s in data["sources"])


def _pages_by_kind(data, kind):
    return [{normalise(e["name"]), *map(normalise, e["aliases"])} for e in data["entities"] if e["kind"] == kind]


def test_gold_people_and_countries_have_pages(data):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    for kind, section in (("person", "people"), ("country", "countries")):
        pages = _pages_by_kind(data, kind)
        missing = [g["name"] for g in gold[section] if not any({normalise(a) for a in g["aliases"]} & keys for keys in pages)]
        assert missing == [], kind


def test_no_person_page_for_a_city_or_a_headline_fragment(data):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    forbidden = {normalise(n) for n in gold["never_people"]}
    forbidden |= {normalise(a) for place in gold["places"] for a in place["aliases"]}
    people = {normalise(e["name"]) for e in data["entities"] if e["kind"] == "person"}
    assert people & forbidden == set()
    countries = {normalise(e["name"]) for e in data["entities"] if e["kind"] == "country"}
    assert countries & {normalise(p["name"]) for p in gold["places"]} == set()


def test_the_same_inputs_give_a_byte_identical_site(sample_site, tmp_path):
    again = tmp_path / "again"
    build(Project(seeds=REPO / "seeds", content=REPO / "content", templates=REPO / "templates", out=again, cache=SHARED_CACHE))
    first = {p.relative_to(sample_site).as_posix(): p.read_bytes() for p in sample_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
