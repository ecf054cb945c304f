"""What a new reader meets on every page (issue 17): graphs whose lines and labels read
well, search that knows every spelling, every kind on the front page, a whole graph that
fits a phone, long pages folded by source, and the small things (favicon, quotes, header)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import COUNTRY, DESKTOP, PERSON, PHONE, Watch, open_context

# Every page that can carry a graph: the entity pages and the whole graph.
KIND_FOLDERS = ("people", "countries", "organizations", "places", "topics")

# One visit per page, reading what the tests below check, so that the site is crawled once per scheme.
FACTS = """() => {
  const svg = document.querySelector('svg.graph');
  const facts = {path: location.pathname, edges: [], nodes: [], chips: [], passages: []};
  if (svg) {
    const [vx, vy, vw, vh] = svg.getAttribute('viewBox').split(' ').map(Number);
    facts.edges = [...svg.querySelectorAll('line.edge')].map(l => ({width: Number(l.getAttribute('stroke-width')), strong: l.classList.contains('strong')}));
    facts.nodes = [...svg.querySelectorAll('.node')].map(n => {
      const text = n.querySelector('text');
      const box = text.getBBox();
      const title = n.querySelector('title');
      return {
        label: text.textContent.trim().replace(/\\s+/g, ' '),
        name: title ? title.textContent.replace(/: \\d+ [a-z ]+$/, '') : document.querySelector('h1').textContent,
        href: n.getAttribute('href'),
        inside: box.x >= vx - 0.5 && box.y >= vy - 0.5 && box.x + box.width <= vx + vw + 0.5 && box.y + box.height <= vy + vh + 0.5,
      };
    });
  }
  facts.chips = [...document.querySelectorAll('.related .chips a')].map(a => a.getAttribute('href'));
  facts.passages = [...document.querySelectorAll('a.passage')].map(a => a.textContent.trim());
  const line = document.querySelector('.page-head .facts');
  facts.once = !!line && line.textContent.startsWith('1 mention in');
  facts.head = [...document.querySelectorAll('.page-head *')].map(e => e.textContent.trim().toLowerCase());
  const about = document.querySelector('.overview > .about');
  const related = document.querySelector('.overview > .related');
  facts.about = about && {
    timelineOnly: about.children.length === 1 && about.firstElementChild.matches('.when'),
    days: about.querySelectorAll('.timeline li').length, height: about.getBoundingClientRect().height,
    beside: !!related && related.getBoundingClientRect().top < about.getBoundingClientRect().bottom,
  };
  return facts;
}"""


def entity_paths(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for folder in KIND_FOLDERS for p in (site / folder).glob("*.html") if p.name != "index.html")


@pytest.fixture(scope="module", params=["file", "http"])
def every_page(request, browser, sample_site, http_root) -> list[dict]:
    """What each entity page and the graph page show, from disk or over http."""
    base = sample_site.as_uri() + "/" if request.param == "file" else http_root
    watch = Watch()
    context = open_context(browser, http_root, watch, viewport=DESKTOP)
    page = context.new_page()
    facts = []
    for path in entity_paths(sample_site) + ["graph.html"]:
        page.goto(base + path)
        facts.append(page.evaluate(FACTS))
    context.close()
    assert watch.errors == [] and watch.outside == []
    assert len(facts) > 50
    return facts


# 1. Graph lines: no blob, and the lines to the page's subject lead.


def test_graph_lines_stay_within_a_few_pixels_and_lines_to_the_subject_are_the_strongest(every_page):
    graphs = [f for f in every_page if f["edges"]]
    assert len(graphs) > 50
    for facts in graphs:
        widths = [e["width"] for e in facts["edges"]]
        assert max(widths) <= 4 and min(widths) >= 0.5, (facts["path"], sorted(widths)[-3:])
        if facts["path"].endswith("/graph.html"):
            continue
        spokes = [e["width"] for e in facts["edges"] if e["strong"]]
        rim = [e["width"] for e in facts["edges"] if not e["strong"]]
        assert spokes, facts["path"]
        assert not rim or min(spokes) > max(rim), (facts["path"], min(spokes), max(rim))


# 6. Graph labels whole, and every companion listed is in the graph.


def test_graph_labels_are_whole_names_inside_the_picture(every_page):
    nodes = [(f["path"], n) for f in every_page for n in f["nodes"]]
    assert len(nodes) > 300
    for path, node in nodes:
        assert node["label"] == node["name"].strip(), (path, node)
        assert node["inside"], (path, node["name"])


def test_every_companion_in_mentioned_with_is_in_the_graph(every_page):
    with_graph = [f for f in every_page if f["chips"] and f["nodes"]]
    assert len(with_graph) > 50
    for facts in with_graph:
        in_graph = {n["href"] for n in facts["nodes"]}
        assert set(facts["chips"]) <= in_graph, (facts["path"], set(facts["chips"]) - in_graph)


# 6. No passage ends on the opening quote of the next sentence.


def test_no_passage_ends_with_an_opening_quote(every_page):
    passages = [(f["path"], text) for f in every_page for text in f["passages"]]
    assert len(passages) > 200
    stray = [(path, text[-40:]) for path, text in passages if text.endswith(("“", "‘")) or text.startswith(("”", "’"))]
    assert stray == []


# 2. Search: any spelling, accents, one typo.


def passage_hrefs(page, site_url, query: str) -> set[str]:
    page.goto(site_url("search.html") + "?q=" + query)
    page.locator(".result-group").first.wait_for()
    return set(page.locator("[aria-labelledby=search-passages] li.is-passage a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))


def test_search_for_any_spelling_accented_or_misspelt_finds_every_passage_of_the_person(page, site_url):
    page.goto(site_url(PERSON))
    on_the_page = set(page.locator("a.passage").evaluate_all("links => links.map(a => a.getAttribute('href').replace(/^(\\.\\.\\/)+/, ''))"))
    name = page.locator("h1").inner_text()
    spellings = page.locator(".aliases .alias").all_inner_texts()
    surname = name.split()[-1]
    accented = surname.replace("e", "é", 1)
    misspelt = surname[:3] + "x" + surname[4:]
    assert len(on_the_page) > 10 and spellings
    for query in [surname, name, *spellings, accented, misspelt]:
        found = passage_hrefs(page, site_url, query)
        assert on_the_page <= found, (query, sorted(on_the_page - found))
    # A snippet marks the spelling its passage uses.
    marked = page.locator("[aria-labelledby=search-passages] mark").all_inner_texts()
    assert {m.lower() for m in marked} & {s.split()[-1].lower() for s in spellings if s.split()[-1] != surname}


def test_search_tolerates_one_typo_in_any_word(page, site_url):
    word = "ceasefire"  # a word of the sample articles
    exact = passage_hrefs(page, site_url, word)
    assert len(exact) > 3
    assert passage_hrefs(page, site_url, "ceasfire") == exact
    assert passage_hrefs(page, site_url, "céasefire") == exact


# 3. The front page lists every kind that has pages, Places included.


def test_the_front_page_has_a_panel_for_every_kind_it_counts(page, site_url):
    page.goto(site_url("index.html"))
    counted = page.locator(".stats a[class*='kind-']").evaluate_all("links => links.filter(a => Number(a.querySelector('strong').textContent) > 0).map(a => a.getAttribute('href'))")
    panels = page.locator(".panel h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "places/index.html" in counted
    assert panels == counted
    assert page.locator(".panel", has=page.locator("a[href='places/index.html']")).locator("ol.ranked li").count() >= 1


# 4. The whole graph fits a phone, and zooms and pans by buttons, keys, drag and pinch.


def view_box(page) -> list[float]:
    return [float(v) for v in page.locator(".whole svg.graph").get_attribute("viewBox").split()]


def test_the_whole_graph_fits_a_phone_and_zooms_and_pans(browser, http_root, sample_site, request):
    watch = Watch()
    context = open_context(browser, http_root, watch, viewport=PHONE, has_touch=True)
    page = context.new_page()
    for base in (sample_site.as_uri() + "/", http_root):
        page.goto(base + "graph.html")
        frame = page.locator(".whole .graph-frame")
        frame_box = frame.bounding_box()
        assert frame_box["x"] >= 0 and frame_box["x"] + frame_box["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        circles = page.locator(".whole svg.graph circle").evaluate_all("cs => cs.map(c => { const b = c.getBoundingClientRect(); return [b.left, b.right]; })")
        assert all(frame_box["x"] <= left and right <= frame_box["x"] + frame_box["width"] for left, right in circles)
        full = view_box(page)
        label = page.locator(".whole svg.graph a.node text").first
        small = label.bounding_box()["height"]
        # Buttons
        page.get_by_role("button", name="Zoom in").click()
        zoomed = view_box(page)
        assert zoomed[2] < full[2] and label.bounding_box()["height"] > small * 1.3
        page.get_by_role("button", name="Show the whole graph").click()
        assert view_box(page) == full
        # Keys, on the focused graph
        frame.focus()
        page.keyboard.press("+")
        page.keyboard.press("+")
        before = view_box(page)
        assert before[2] < full[2]
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        after = view_box(page)
        assert after[0] > before[0] and after[1] > before[1]
        page.keyboard.press("0")
        assert view_box(page) == full
        # Touch: two fingers apart zoom in, one finger drags
        box = page.locator(".whole svg.graph").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        touch(page, [(1, cx - 20, cy), (2, cx + 20, cy)], [(1, cx - 80, cy), (2, cx + 80, cy)])
        pinched = view_box(page)
        assert pinched[2] < full[2] * 0.5
        touch(page, [(1, cx, cy)], [(1, cx - 60, cy - 30)])
        dragged = view_box(page)
        assert dragged[0] > pinched[0] and dragged[1] > pinched[1]
    context.close()
    assert watch.errors == [] and watch.outside == []


def touch(page, starts, ends, steps: int = 6) -> None:
    """Fingers (id, x, y) put down at `starts`, moved to `ends` and lifted, as touch pointer events."""
    page.evaluate(
        """([starts, ends, steps]) => {
        const frame = document.querySelector('.whole .graph-frame');
        const fire = (type, id, x, y) => frame.dispatchEvent(new PointerEvent(type, {
            pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true, cancelable: true, isPrimary: id === 1}));
        starts.forEach(([id, x, y]) => fire('pointerdown', id, x, y));
        for (let s = 1; s <= steps; s++) {
            starts.forEach(([id, x, y], i) => {
                const [, ex, ey] = ends[i];
                fire('pointermove', id, x + (ex - x) * s / steps, y + (ey - y) * s / steps);
            });
        }
        ends.forEach(([id, x, y]) => fire('pointerup', id, x, y));
    }""",
        [starts, ends, steps],
    )


# 5. Long pages: a summary at the top, passages folded by source (with and without JavaScript).


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_long_page_shows_a_few_passages_per_source_and_folds_the_rest(browser, http_root, sample_site, javascript):
    watch = Watch()
    context = open_context(browser, http_root, watch, viewport=DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    for base in (sample_site.as_uri() + "/", http_root):
        page.goto(base + COUNTRY)
        total = int(re.match(r"(\d+) mentions? in (\d+) sources?", page.locator(".page-head .facts").inner_text()).group(1))
        groups = page.locator(".mentions .source-group")
        assert groups.count() >= 2
        shown = page.locator(".mentions a.passage:visible").count()
        every = page.locator(".mentions a.passage").count()
        assert shown <= 3 * groups.count() < every <= total
        for i in range(groups.count()):
            group = groups.nth(i)
            assert group.locator(":scope > .passages a.passage").count() <= 3
            assert group.locator("details:not([open]) a.passage:visible").count() == 0
        # One click shows the rest of a source's passages.
        more = page.locator(".mentions details").first
        hidden = more.locator("a.passage").count()
        more.locator("summary").click()
        assert more.locator("a.passage:visible").count() == hidden > 0
        # The summary at the top: the most frequent companions, the dates, the sources.
        glance = page.locator(".page-head .glance")
        companions = glance.locator("dd").first.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        chips = page.locator(".related .chips a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert companions and companions == chips[: len(companions)]
        sources = glance.locator("a[href^='#from-']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert sources and all(page.locator(href).count() == 1 for href in sources)
        assert page.locator(".page-head time").count() >= 1
    context.close()
    assert watch.errors == [] and watch.outside == []


# 6. Favicon, an entity extraction doubts, the header on a phone.


def test_every_page_has_a_favicon_that_loads(page, site_url):
    for path in ("index.html", PERSON, "graph.html", "sources/index.html"):
        page.goto(site_url(path))
        loaded = page.evaluate("""() => new Promise(done => {
            const link = document.querySelector("link[rel~='icon']");
            if (!link) return done(false);
            const img = new Image();
            img.onload = () => done(img.naturalWidth > 0);
            img.onerror = () => done(false);
            img.src = link.href;
        })""")
        assert loaded, path


def test_nothing_the_pages_ask_the_server_for_is_missing(browser, http_root, watch):
    context = open_context(browser, http_root, watch, viewport=DESKTOP)
    page = context.new_page()
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    for path in ("index.html", PERSON, "graph.html"):
        page.goto(http_root + path)
        page.wait_for_load_state("load")
    # A browser asks for /favicon.ico unless the page names its icon.
    icon = page.evaluate("document.querySelector(\"link[rel~='icon']\") && document.querySelector(\"link[rel~='icon']\").href")
    context.close()
    assert missing == []
    assert icon and icon.startswith(http_root)


def test_a_doubtful_entity_says_so_in_words_without_an_empty_column(every_page):
    once = [f for f in every_page if f["once"]]
    assert len(once) >= 3
    for facts in once:
        assert "uncertain" not in facts["head"], facts["path"]
        about = facts["about"]
        if about:
            one_date = about["timelineOnly"] and about["days"] == 1
            assert not (one_date and about["beside"]), f"{facts['path']}: a column holding one date beside the graph"
            assert about["height"] > 40, facts["path"]


@pytest.mark.parametrize("path", ["index.html", PERSON, "graph.html", "search.html"])
def test_the_header_on_a_phone_is_short_and_every_section_reachable(browser, http_root, watch, path):
    context = open_context(browser, http_root, watch, viewport=PHONE)
    page = context.new_page()
    page.goto(http_root + path)
    height = page.locator(".masthead").bounding_box()["height"]
    links = page.locator(".masthead .nav a")
    sections = links.count()
    reachable = []
    for i in range(sections):
        link = links.nth(i)
        link.focus()  # as a keyboard reaches it; a finger swipes the row
        box = link.bounding_box()
        reachable.append(0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"] - 16)  # inside the row, not under the page edge
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert height <= 100, f"the header takes {height}px"
    assert sections >= 7 and all(reachable)
    assert overflow <= 0
    assert watch.errors == [] and watch.outside == []


def test_the_search_results_of_the_phone_header_fit_the_screen(browser, http_root, watch):
    context = open_context(browser, http_root, watch, viewport=PHONE)
    page = context.new_page()
    page.goto(http_root + "index.html")
    page.locator("#site-search-input").fill("Zelensky")
    options = page.locator("#site-search-options")
    options.locator("[role=option]").first.wait_for()
    box = options.bounding_box()
    context.close()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert watch.errors == [] and watch.outside == []
