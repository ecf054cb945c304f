"""What a reader sees on the pages: backlinks that land on their paragraph, graphs,
timelines, quotes, previews, a stable layout and screenshots to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, COUNTRY, DESKTOP, PERSON, PHONE, TOPIC, open_context


def test_a_backlink_opens_its_paragraph_highlighted(page, site_url):
    page.goto(site_url(PERSON))
    passage = page.locator("a.passage").first
    href = passage.get_attribute("href")
    paragraph_id = href.split("#")[1]
    passage.click()
    page.wait_for_url(re.compile(re.escape(href.removeprefix("../")) + "$"))
    target = page.locator(":target")
    assert target.get_attribute("id") == paragraph_id
    assert target.is_visible()
    other = page.locator(f"p.para:not([id='{paragraph_id}'])").first
    plain = other.evaluate("element => getComputedStyle(element).backgroundColor")
    # The highlight fades in (a CSS transition): wait for it rather than read its first frame.
    expect(target).not_to_have_css("background-color", plain)
    assert page.locator(f"#{paragraph_id} mark, #{paragraph_id} a.mention").count() > 0


def test_the_entity_graph_draws_its_companions_as_links(page, site_url):
    page.goto(site_url(PERSON))
    graph = page.locator(".related svg.graph")
    assert graph.is_visible()
    box = graph.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    nodes = graph.locator("a.node")
    assert 2 <= nodes.count() == page.locator(".related .chips li").count() <= 12
    labels = nodes.locator("text").all_text_contents()
    assert "Ukraine" in labels
    assert graph.locator(".node.centre text").text_content() == "Volodymyr Zelensky"
    ukraine = graph.locator("a.node", has_text="Ukraine")
    ukraine.click()
    page.wait_for_url(re.compile(re.escape(COUNTRY) + "$"))


def test_the_whole_briefing_graph_caps_its_nodes_and_links_each(page, site_url):
    page.goto(site_url("graph.html"))
    nodes = page.locator("svg.graph a.node")
    assert 10 <= nodes.count() <= 60
    hrefs = nodes.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(href.endswith(".html") for href in hrefs)
    assert PERSON in hrefs
    assert page.locator("svg.graph line.edge").count() > 10
    assert page.locator(".graph-list li").count() == nodes.count()


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory) -> Path:
    """The sample project with a date added to two more of its articles, so that a timeline has
    three dated sources of five: the articles' paragraphs, and so the model's results, are the same."""
    import shutil

    from conftest import REPO, SHARED_CACHE
    from generator.build import build
    from generator.project import Project

    root = tmp_path_factory.mktemp("dated")
    seeds = root / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    undated = sorted(p for p in seeds.iterdir() if "date " not in p.read_text(encoding="utf-8")[:40])
    for path, day in zip(undated, ("2025-03-20", "2025-03-26"), strict=False):  # two of the undated samples
        path.write_text(f"date {day}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    project = Project(seeds=seeds, content=REPO / "content", templates=REPO / "templates", out=root / "site", cache=SHARED_CACHE)
    build(project)
    return project.out


def test_a_timeline_needs_two_dated_sources(page, site_url):
    page.goto(site_url(PERSON))  # the samples give one date between them
    assert page.locator(".when").count() == 0


def test_the_timeline_shows_mentions_by_date_with_a_text_alternative(page, dated_site):
    page.goto((dated_site / PERSON).as_uri())
    days = page.locator(".when .timeline li")
    assert days.count() >= 2
    first = days.first
    assert first.locator(".tl-bar").bounding_box()["height"] > 10
    # What a screen reader gets: the count and the full date, not the bar's short visual labels.
    spoken = re.sub(r"\s*- (listitem|text|time):\s*", " ", first.aria_snapshot()).strip()
    assert re.fullmatch(r"\d+ mentions? on \d+ [A-Z][a-z]+ \d{4}", spoken), spoken
    # The sources without a date are not on the axis, and the caption says how many they are.
    sources = int(re.search(r"(\d+) sources?", page.locator(".page-head .facts").inner_text()).group(1))
    caption = page.locator(".when > p.facts").inner_text()
    left_out = re.search(r"(\d+) of its (\d+) sources (?:has|have) no date and (?:is|are) left out", caption)
    assert left_out and int(left_out.group(2)) == sources and 0 < int(left_out.group(1)) <= sources - 2, caption


def test_the_front_page_lists_sources_by_date(page, site_url):
    page.goto(site_url("index.html"))
    dates = page.locator(".latest h3 time").evaluate_all("times => times.map(t => t.getAttribute('datetime'))")
    assert dates and dates == sorted(dates, reverse=True)
    assert page.locator(".latest .sources a").count() == 5


def test_a_person_page_quotes_them_linked_to_the_paragraph(page, site_url):
    page.goto(site_url(PERSON))
    quotes = page.locator(".quotes figure.quote")
    assert quotes.count() >= 1
    link = quotes.first.locator("figcaption a")
    href = link.get_attribute("href")
    assert re.fullmatch(r"\.\./sources/[\w-]+\.html#p-[\w-]+", href), href
    quoted = quotes.first.locator("blockquote").inner_text().strip('“”" ')
    link.click()
    assert quoted[:30] in page.locator(":target").inner_text()


@pytest.mark.parametrize("how", ["hover", "focus"])
def test_an_entity_link_previews_its_page(page, site_url, how):
    page.goto(site_url("sources/000-514c4ec814fad36f.html"))
    link = page.locator(f".article-body a.mention[href='../{PERSON}']").first
    card = page.locator("#preview-card")
    link.hover() if how == "hover" else link.focus()
    card.wait_for(state="visible")
    assert "Volodymyr Zelensky" in card.inner_text()
    assert card.locator(".preview-kind").text_content().startswith("Person")
    assert "mentions in" in card.inner_text()
    assert link.get_attribute("aria-describedby") == "preview-card"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None


def test_the_pages_do_not_shift_while_loading(page, site_url):
    page.add_init_script("""
        window.__shift = 0;
        const count = entries => { for (const entry of entries) if (!entry.hadRecentInput) window.__shift += entry.value; };
        const shifts = new PerformanceObserver(list => count(list.getEntries()));
        shifts.observe({type: 'layout-shift', buffered: true});
        window.__shiftSoFar = () => { count(shifts.takeRecords()); return window.__shift; };
    """)
    for path in ("index.html", PERSON, "graph.html", "sources/000-514c4ec814fad36f.html"):
        page.goto(site_url(path))
        page.wait_for_load_state("load")
        page.wait_for_function("document.fonts.status === 'loaded'")
        # Two frames after the load: what the scripts did on load is laid out, and any shift it made recorded.
        shift = page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(window.__shiftSoFar()))))")
        assert shift < 0.01, path


def test_no_console_error_and_nothing_from_elsewhere_on_any_kind_of_page(page, site_url, watch):
    for path in ("index.html", PERSON, COUNTRY, TOPIC, "people/index.html", "sources/index.html", "sources/000-514c4ec814fad36f.html", "graph.html", "search.html?q=ceasefire", "pages/about.html"):
        page.goto(site_url(path))
        page.wait_for_load_state("load")
        assert page.locator("h1").count() == 1, path
    assert watch.errors == [] and watch.outside == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("path", ["index.html", PERSON, "graph.html"], ids=["front", "person", "graph"])
def test_screenshots_fit_the_screen(browser, http_root, watch, sample_site, viewport, path):
    """Saved to test-artifacts/ for a person to look at; the page must not scroll sideways."""
    context = open_context(browser, http_root, watch, viewport=viewport)
    page = context.new_page()
    page.goto(f"{http_root}{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    name = {"index.html": "front", "graph.html": "graph"}.get(path, "person")
    page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport['width']}.png"), full_page=True)
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {viewport['width']}px"
    assert watch.errors == [] and watch.outside == []


def test_the_watch_catches_a_request_to_another_host(page, site_url, watch):
    """The guard behind "nothing leaves the site" is real: a page that reached out would be caught."""
    page.goto(site_url("index.html"))
    # The refused request's own console message is the last thing the page says of it.
    with page.expect_console_message(lambda message: message.type == "error" and "ERR_FAILED" in message.text):
        page.evaluate("fetch('https://example.org/tracker.js').catch(() => null)")
    assert watch.outside == ["https://example.org/tracker.js"]
    watch.outside.clear()
    watch.errors.clear()  # that console message
