"""The render stage on a hand-made linked site (no model): which files it makes,
what a page links and escapes, template errors with file and line, a project's
templates over the theme, and the small formatters the templates use."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, article, entity, mentioned
from generator.errors import BriefingError
from generator.link import link
from generator.model import SiteConfig
from generator.render import by_letter, human_date, render_site, timeline_bars

ZELENSKY = entity("person", "Volodymyr Zelensky", "Zelensky")
UKRAINE = entity("country", "Ukraine")


def tiny_site():
    source, extraction = article("a", "Zelensky spoke of Ukraine <b>loudly</b>.", title="Talks & <script>", date="2025-03-02", publisher="Kyiv Post")
    names = mentioned(source, (ZELENSKY, "Zelensky"), (UKRAINE, "Ukraine"))
    return link((source,), {"a": extraction}, (ZELENSKY, UKRAINE), (names,), {}, {})


def rendered(templates=REPO / "templates", config: SiteConfig | None = None) -> dict[str, str]:
    main, shares = render_site(tiny_site(), config or SiteConfig(title="Night desk"), templates, lambda: b'{"export": true}\n')
    assert shares == []
    return {path: data.decode("utf-8") for path, data in main}


def test_every_file_of_the_site_is_made_once_with_the_export_from_the_callable():
    main, _ = render_site(tiny_site(), SiteConfig(), REPO / "templates", lambda: b"{}\n")
    paths = [path for path, _ in main]
    assert len(paths) == len(set(paths))
    assert set(paths) == {
        "index.html",
        "404.html",
        "search.html",
        "graph.html",
        "sources/index.html",
        "sources/a.html",
        "people/index.html",
        "countries/index.html",
        "organizations/index.html",
        "places/index.html",
        "topics/index.html",
        "people/volodymyr-zelensky.html",
        "countries/ukraine.html",
        "search-index.js",
        "previews.js",
        "briefing.json",
        ".nojekyll",
        "assets/favicon.svg",
        "assets/site.js",
        "assets/style.css",
    }
    assert rendered()["briefing.json"] == '{"export": true}\n'


def test_a_source_page_links_each_mention_from_its_folder_and_escapes_the_article_text():
    page = rendered()["sources/a.html"]
    assert '<a class="mention kind-person" href="../people/volodymyr-zelensky.html">Zelensky</a>' in page
    assert '<a class="mention kind-country" href="../countries/ukraine.html">Ukraine</a>' in page
    assert "&lt;b&gt;loudly&lt;/b&gt;" in page and "<b>" not in page
    assert "<title>Talks &amp; &lt;script&gt; · Night desk</title>" in page
    assert '<time datetime="2025-03-02">2 March 2025</time>' in page


def test_an_entity_page_marks_its_own_mentions_and_links_the_others():
    page = rendered()["people/volodymyr-zelensky.html"]
    assert "<mark>Zelensky</mark>" in page
    assert 'href="../countries/ukraine.html"' in page
    assert 'href="../sources/a.html#p-1"' in page


def test_the_404_page_links_from_the_site_root_when_the_address_is_known():
    assert 'href="https://example.org/desk/assets/style.css"' in rendered(config=SiteConfig(base_url="https://example.org/desk"))["404.html"]
    assert 'href="assets/style.css"' in rendered()["404.html"]


def test_a_template_error_names_the_template_and_line(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    source = templates / "source.html"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "{% if %}")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BriefingError, match=r"templates/source\.html:3: template error"):
        rendered(templates)


def test_an_undefined_name_in_a_template_is_an_error_not_an_empty_string(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.html").write_text('{% extends "base.html" %}{% block content %}{{ no_such_name }}{% endblock %}\n', encoding="utf-8")
    with pytest.raises(BriefingError, match=r"templates/index\.html:1: template error: 'no_such_name' is undefined"):
        rendered(templates)


def test_a_projects_own_template_and_asset_win_over_the_themes_the_rest_comes_from_the_theme(tmp_path):
    templates = tmp_path / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "source.html").write_text("<p>{{ source.title }} in my own layout</p>\n", encoding="utf-8")
    (templates / "static" / "style.css").write_text("body { color: teal; }\n", encoding="utf-8")
    files = rendered(templates)
    assert files["sources/a.html"] == "<p>Talks &amp; &lt;script&gt; in my own layout</p>\n"
    assert files["assets/style.css"] == "body { color: teal; }\n"
    assert files["assets/site.js"] == (REPO / "templates" / "static" / "site.js").read_text(encoding="utf-8")
    assert "<mark>Zelensky</mark>" in files["people/volodymyr-zelensky.html"]


def test_dates_read_as_people_write_them_and_text_that_is_no_date_stays():
    assert human_date("2025-03-02") == "2 March 2025"
    assert human_date("March 2025") == "March 2025"
    assert human_date(None) == ""


def test_a_timeline_counts_by_day_or_by_month_when_there_are_too_many_days():
    by_day = timeline_bars((("2024-12-31", 1), ("2025-01-02", 4), ("spring", 9)))
    assert [(b.datetime, b.label, b.year, b.count, b.percent) for b in by_day] == [
        ("2024-12-31", "31 Dec", "2024", 1, 25),
        ("2025-01-02", "2 Jan", "2025", 4, 100),
    ]
    many = tuple((f"2025-{m:02d}-{d:02d}", 1) for m in (1, 2) for d in range(1, 16))
    assert [(b.datetime, b.label, b.count) for b in timeline_bars(many)] == [("2025-01", "Jan", 15), ("2025-02", "Feb", 15)]


def test_indexes_group_by_first_letter_accents_folded_and_the_rest_last():
    class Page:
        def __init__(self, name):
            self.entity = entity("place", name)

    groups = by_letter([Page(n) for n in ("Élysée", "Ankara", "1st Brigade", "Evian")])
    assert [(letter, [p.entity.name for p in pages]) for letter, pages in groups] == [
        ("A", ["Ankara"]),
        ("E", ["Élysée", "Evian"]),
        ("#", ["1st Brigade"]),
    ]
