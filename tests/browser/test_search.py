"""Search as a reader uses it: "/" to the box, type, arrows or Enter, from disk and over http."""

from __future__ import annotations

import re

from .conftest import PERSON

SEARCH_BOX = "#site-search-input"
OPTIONS = "#site-search-options [role=option]"


def type_in_search(page, text: str) -> None:
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == SEARCH_BOX[1:], "'/' did not focus the search box"
    page.keyboard.type(text)
    page.locator(OPTIONS).first.wait_for()


def test_slash_then_a_name_then_enter_opens_the_page(page, site_url):
    page.goto(site_url("index.html"))
    type_in_search(page, "Zelensky")
    first = page.locator(OPTIONS).first
    assert "Volodymyr Zelensky" in first.inner_text()
    assert page.locator(SEARCH_BOX).get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(PERSON) + "$"))
    assert page.locator("h1").inner_text() == "Volodymyr Zelensky"


def test_another_spelling_finds_the_same_person(page, site_url):
    page.goto(site_url("countries/index.html"))
    type_in_search(page, "Zelenskiy")
    assert page.locator(OPTIONS).first.get_attribute("data-href") == PERSON
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(PERSON) + "$"))


def test_a_spelling_no_source_uses_still_finds_him(page, site_url):
    page.goto(site_url("index.html"))
    type_in_search(page, "Zelenskyy")
    assert page.locator(OPTIONS).first.get_attribute("data-href") == PERSON


def test_arrows_pick_a_result_and_enter_opens_it(page, site_url):
    page.goto(site_url(PERSON))
    type_in_search(page, "Macron")
    box = page.locator(SEARCH_BOX)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(OPTIONS).nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    target = second.get_attribute("data-href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target.split("#")[0]) + "(#.*)?$"))


def test_entity_pages_are_ranked_above_passages(page, site_url):
    page.goto(site_url("index.html"))
    type_in_search(page, "Zelensky")
    classes = page.locator(OPTIONS).evaluate_all("options => options.map(o => o.className)")
    entity_rows = [i for i, c in enumerate(classes) if "kind-" in c]
    passage_rows = [i for i, c in enumerate(classes) if "is-passage" in c]
    assert entity_rows and passage_rows, classes
    assert max(entity_rows) < min(passage_rows)
    snippet = page.locator("#site-search-options .is-passage mark").first
    assert snippet.inner_text().lower().startswith("zelensk")


def test_escape_closes_the_results(page, site_url):
    page.goto(site_url("index.html"))
    type_in_search(page, "Russia")
    page.keyboard.press("Escape")
    assert page.locator("#site-search-options").is_hidden()
    assert page.locator(SEARCH_BOX).get_attribute("aria-expanded") == "false"


def test_enter_with_nothing_found_goes_to_the_search_page(page, site_url):
    page.goto(site_url(PERSON))
    type_in_search(page, "xylophonics")
    assert page.locator(OPTIONS).count() == 1  # only "No results for ..."
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=xylophonics$"))
    page.locator("[data-search-status]", has_text="Nothing found").wait_for()


def test_the_search_page_lists_results_for_q(page, site_url):
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(site_url("search.html?q=Zelensky"))
    page.locator(".result-group").first.wait_for()
    assert page.locator("#search-page-input").input_value() == "Zelensky"
    person = page.locator(f".search-results a[href='{PERSON}']")
    assert person.count() == 1
    passages = page.locator("[aria-labelledby=search-passages] li.is-passage")
    assert passages.count() > 5
    assert "result" in page.locator("[data-search-status]").inner_text()
    assert sum(url.endswith("/search-index.js") for url in loaded) == 1
    person.click()
    page.wait_for_url(re.compile(re.escape(PERSON) + "$"))
