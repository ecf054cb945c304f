"""The built sample site, checked page by page: links, anchors, the data export, coverage."""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO, SHARED_CACHE
from generator.build import build
from generator.check import PageRefs, check_site, site_pages
from generator.names import normalise
from generator.project import Project

GOLD = REPO / "tests" / "data" / "seeds-gold.yaml"  # a copy of ../shared/eval/seeds-gold.yaml


@pytest.fixture(scope="module")
def pages(sample_site) -> dict[str, PageRefs]:
    return site_pages(sample_site)


@pytest.fixture(scope="module")
def data(sample_site) -> dict:
    return json.loads((sample_site / "briefing.json").read_text(encoding="utf-8"))


def test_every_internal_link_and_fragment_resolves(sample_site):
    assert [str(p) for p in check_site(sample_site)] == []


def test_the_checker_finds_a_broken_link_an_unknown_anchor_and_a_remote_script(sample_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    page = site / "people" / "index.html"
    page.write_text(page.read_text().replace("</main>", '<a href="nowhere.html">x</a><a href="../index.html#nope">y</a><script src="https://cdn.example/x.js"></script></main>'))
    messages = [p.message for p in check_site(site)]
    assert "broken link nowhere.html: no such file" in messages
    assert "broken link ../index.html#nope: no element with that id" in messages
    assert "loads https://cdn.example/x.js from another host; ship it in the site" in messages


def test_links_name_their_html_file_and_nothing_is_loaded_from_elsewhere(pages):
    for rel, page in pages.items():
        for href, _ in page.links:
            path = urlsplit(href).path
            assert urlsplit(href).scheme or path == "" or path.endswith((".html", ".json")), (rel, href)


def test_github_pages_files_exist(sample_site):
    assert (sample_site / ".nojekyll").is_file()
    assert (sample_site / "404.html").is_file()


def test_mention_offsets_match_their_paragraph_text(data):
    paragraphs = {(s["id"], p["id"]): p["text"] for s in data["sources"] for p in s["paragraphs"]}
    for entity in data["entities"]:
        assert entity["mentions"], entity["id"]
        for m in entity["mentions"]:
            assert paragraphs[(m["source"], m["paragraph"])][m["start"] : m["end"]] == m["text"]


def test_every_mention_is_linked_on_its_entity_page_and_its_source_page(data, pages):
    for entity in data["entities"]:
        entity_page = pages[entity["url"]]
        backlinks = {href.removeprefix("../") for href, _ in entity_page.links}
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


def test_a_page_lists_the_other_spellings_of_its_name_but_not_the_name_itself(sample_site, data):
    import re

    merged = [e for e in data["entities"] if e["kind"] == "person" and len(set(e["aliases"]) - {e["name"]}) >= 1]
    assert merged, "the samples spell some person two ways"
    for entity in merged:
        html = (sample_site / entity["url"]).read_text(encoding="utf-8")
        shown = re.findall(r'<span class="alias">([^<]*)</span>', html)
        assert entity["name"] not in [s.replace("&#39;", "'").replace("&amp;", "&") for s in shown], entity["name"]
        assert shown, entity["name"]
