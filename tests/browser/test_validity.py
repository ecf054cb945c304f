"""Standards: axe-core finds no accessibility violation, the Nu HTML checker no error."""

from __future__ import annotations

import json
import subprocess

import pytest

from .conftest import COUNTRY, PERSON, TOPIC, VNU_JAR, needs_java_and_vnu, open_context

AXE_PAGES = {
    "front page": "index.html",
    "person": PERSON,
    "country": COUNTRY,
    "topic": TOPIC,
    "source": "sources/000-514c4ec814fad36f.html",
    "search results": "search.html?q=Zelensky",
    "graph": "graph.html",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violation(browser, http_root, watch, name, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = open_context(browser, http_root, watch, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(http_root + AXE_PAGES[name])
    if name == "search results":
        page.locator(".result-group").first.wait_for()
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_the_html_checker_finds_no_error_on_any_page(sample_site):
    needs_java_and_vnu()
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json", str(sample_site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{m['url'].split(sample_site.name, 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors[:40])
    assert len(list(sample_site.rglob("*.html"))) > 50
