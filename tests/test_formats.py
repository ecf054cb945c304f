"""Articles as people have them: web pages, feeds, JSON Lines and scraped text, each
read into paragraphs with its title, publisher, author and date; a broken file is a
warning naming it (and its line), never a failed build. Every input here is a small
file written for the test."""

from __future__ import annotations

import json

import pytest

from generator.check import missing_identity
from generator.formats.identity import date_in_line, iso_date, title_from_file_name, title_from_sentence
from generator.formats.plaintext import parse_txt
from generator.ingest import ingest

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Leaders meet in Paris | Example News</title>
<meta property="og:title" content="Leaders meet in Paris">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-03-27T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2025/03/27/leaders-paris">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news menu</a></li></ul></nav>
<article>
<h1>Leaders meet in Paris</h1>
<p>French President Emmanuel Macron hosted European leaders in Paris on Thursday to discuss security guarantees for Ukraine after three years of war.</p>
<h2>What was agreed</h2>
<p>The leaders agreed to keep talking. Ukrainian President Volodymyr Zelensky thanked them for their support and said that more was needed.</p>
<figure><img src="/img/elysee.jpg" alt="Leaders"><figcaption>Leaders at the Elysee Palace on Thursday. <span class="credit">Photo: Reuters</span></figcaption></figure>
<p>British Prime Minister Keir Starmer said a coalition of the willing would be ready to act once a ceasefire was agreed.</p>
</article>
<div class="share">Share this article on Facebook and Twitter</div>
<footer><p>Copyright 2025 Example News. All rights reserved. Cookie settings.</p></footer>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Example Wire</title>
<link>https://wire.example.org/</link>
<item>
<title>Talks resume in Geneva</title>
<link>https://wire.example.org/talks-geneva</link>
<pubDate>Sun, 23 Feb 2025 19:10:00 GMT</pubDate>
<dc:creator>Ann Reporter</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>Delegations from both sides met in Geneva on Sunday.</p><p>The talks will go on this week, officials said.</p>]]></content:encoded>
</item>
<item>
<title>Ministers meet in Brussels</title>
<link>https://wire.example.org/brussels</link>
<pubDate>Mon, 24 Feb 2025 21:00:00 -0500</pubDate>
<description>Foreign ministers met in Brussels on Monday to discuss sanctions.</description>
</item>
<item><title>A link with no text</title><link>https://wire.example.org/empty</link></item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Daily</title>
<id>urn:example:atom</id>
<updated>2025-02-23T19:10:00Z</updated>
<entry>
<title>Summit opens in Rome</title>
<id>urn:example:1</id>
<link href="https://atom.example.net/rome"/>
<published>2025-02-21T09:00:00Z</published>
<updated>2025-02-21T09:00:00Z</updated>
<content type="html">&lt;p&gt;Leaders gathered in Rome on Friday for the summit.&lt;/p&gt;</content>
</entry>
</feed>
"""


def write(folder, name, text: str | bytes):
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def by_title(sources):
    return {s.title: s for s in sources}


# --- web pages ----------------------------------------------------------------


def test_a_web_page_gives_its_text_without_boilerplate_and_its_metadata(tmp_path):
    write(tmp_path, "paris.html", PAGE)
    [source], warnings = ingest(tmp_path)
    assert warnings == ()
    assert (source.title, source.publisher, source.author, source.date) == ("Leaders meet in Paris", "Example News", "Jane Doe", "2025-03-27")
    assert source.url == "https://news.example.com/2025/03/27/leaders-paris"
    texts = [p.text for p in source.paragraphs]
    assert texts[0].startswith("French President Emmanuel Macron hosted")
    assert ("What was agreed", True) in [(p.text, p.heading) for p in source.paragraphs]
    assert "Leaders meet in Paris" not in texts  # the headline is the title, not a heading again
    assert not any("Share" in t or "Copyright" in t or "menu" in t for t in texts)
    assert [(p.text, p.caption) for p in source.paragraphs if p.caption] == [("Leaders at the Elysee Palace on Thursday. Photo: Reuters", True)]
    assert source.credits == ("Reuters",)
    assert source.missing == ()


def test_a_page_in_another_declared_encoding_is_read_as_it_declares(tmp_path):
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').replace("French President", "Fran\u00e7ois and the French President")
    write(tmp_path, "cp1252.htm", page.encode("windows-1252"))
    [source], warnings = ingest(tmp_path)
    assert warnings == ()
    assert source.paragraphs[0].text.startswith("François and the French President")


def test_invalid_html_is_read_as_far_as_it_goes_and_a_page_without_text_is_a_warning(tmp_path):
    write(
        tmp_path,
        "broken.html",
        "<html><head><title>Broken page</title><body><div><article><p>Delegations met in Vienna on Tuesday, "
        "and the talks were described as constructive by both of the sides.<p>A second paragraph <b>never closes its tags</span> "
        "and the file ends before the document does, as a partial download would.",
    )
    write(tmp_path, "brief.html", "<html><body><nav><a href='/'>Home</a></nav><main><article><p>Rain is forecast in Oslo today.</p></article></main></body></html>")
    write(tmp_path, "empty.html", "<html><head><title>Nothing here</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    sources, warnings = ingest(tmp_path)
    assert [s.file for s in sources] == ["brief.html", "broken.html"]
    assert [p.text for p in sources[0].paragraphs] == ["Rain is forecast in Oslo today."]  # a news brief is short, not boilerplate
    assert sources[1].paragraphs[0].text.startswith("Delegations met in Vienna")
    assert [str(w) for w in warnings] == [f"{tmp_path.name}/empty.html: skipped: no article text found in this page (is it a whole article, saved as HTML?)"]


# --- feeds --------------------------------------------------------------------


def test_each_feed_entry_with_text_is_an_article_and_a_summary_says_so(tmp_path):
    write(tmp_path, "wire.rss", RSS)
    sources, warnings = ingest(tmp_path)
    found = by_title(sources)
    assert list(found) == ["Talks resume in Geneva", "Ministers meet in Brussels"]
    geneva, brussels = found.values()
    assert (geneva.publisher, geneva.date, geneva.author, geneva.url) == ("Example Wire", "2025-02-23", "Ann Reporter", "https://wire.example.org/talks-geneva")
    assert [p.text for p in geneva.paragraphs] == ["Delegations from both sides met in Geneva on Sunday.", "The talks will go on this week, officials said."]
    assert not geneva.summary_only and brussels.summary_only
    assert geneva.slug != brussels.slug and geneva.slug.startswith("wire-")
    assert [str(w) for w in warnings] == [f"{tmp_path.name}/wire.rss: entry 3 ('A link with no text') has no text; left out"]


def test_atom_and_json_feeds(tmp_path):
    write(tmp_path, "daily.atom", ATOM)
    write(
        tmp_path,
        "feed.json",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "JSON Times",
                "items": [
                    {
                        "id": "1",
                        "url": "https://json.example.com/a",
                        "title": "Vote counted in Oslo",
                        "content_html": "<p>The vote was counted in Oslo overnight.</p><p>Turnout was high.</p>",
                        "date_published": "2025-02-23T19:10:00+01:00",
                        "authors": [{"name": "Per Writer"}],
                    }
                ],
            }
        ),
    )
    found = by_title(ingest(tmp_path)[0])
    rome, oslo = found["Summit opens in Rome"], found["Vote counted in Oslo"]
    assert (rome.publisher, rome.date, rome.url) == ("Atom Daily", "2025-02-21", "https://atom.example.net/rome")
    assert (oslo.publisher, oslo.date, oslo.author) == ("JSON Times", "2025-02-23", "Per Writer")
    assert [p.text for p in oslo.paragraphs] == ["The vote was counted in Oslo overnight.", "Turnout was high."]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("none.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>', "skipped: the feed has no entries"),
        ("bad.xml", "Not a feed at all,\njust <b>text</i> with a .xml name\n", "skipped: not a readable RSS or Atom feed"),
        ("other.json", '{"name": "not a feed"}', "skipped: not a JSON Feed"),
        ("broken.json", '{"version": "https://jsonfeed.org/version/1.1",\n "items": [\n', "skipped: invalid JSON"),
    ],
)
def test_a_feed_that_holds_no_article_is_a_warning_naming_it(tmp_path, name, content, message):
    write(tmp_path, "good.txt", "A real title\n\nA paragraph of the article.\n")
    write(tmp_path, name, content)
    sources, warnings = ingest(tmp_path)
    assert [s.file for s in sources] == ["good.txt"]
    assert len(warnings) == 1 and warnings[0].file == f"{tmp_path.name}/{name}" and warnings[0].message.startswith(message), warnings
    if name in ("bad.xml", "broken.json"):
        assert warnings[0].line is not None  # where the parser gave up


def test_a_feed_that_is_not_well_formed_is_read_as_far_as_it_goes_with_a_warning_naming_the_line(tmp_path):
    write(tmp_path, "sloppy.rss", RSS.replace("<title>Ministers meet in Brussels</title>", "<title>Ministers meet in Brussels</titl>"))
    sources, warnings = ingest(tmp_path)
    assert "Talks resume in Geneva" in by_title(sources)
    assert warnings[0].line == 15 and warnings[0].message.startswith("not well-formed XML (mismatched tag)")


# --- JSON Lines -----------------------------------------------------------------


def test_json_lines_one_article_a_line_and_a_broken_line_is_a_warning_naming_it(tmp_path):
    lines = [
        {
            "title": "Ceasefire holds",
            "text": "The ceasefire held overnight, officials said.\n\nBoth sides reported calm.",
            "url": "https://www.example.com/ceasefire",
            "date": "Feb 23, 2025",
            "author": "Kim Writer",
        },
        "{not json",
        {"title": "Port reopens", "html": "<p>The port of Odesa reopened on Monday.</p>", "publisher": "Harbour News", "date": "24.02.2025"},
        {"title": "No text at all"},
        ["a", "list"],
    ]
    write(tmp_path, "export.jsonl", "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    sources, warnings = ingest(tmp_path)
    ceasefire, port = sources
    assert (ceasefire.title, ceasefire.publisher, ceasefire.date, ceasefire.author, ceasefire.line) == ("Ceasefire holds", "example.com", "2025-02-23", "Kim Writer", 1)
    assert [p.text for p in ceasefire.paragraphs] == ["The ceasefire held overnight, officials said.", "Both sides reported calm."]
    assert (port.publisher, port.date, port.line) == ("Harbour News", "2025-02-24", 3)
    shown = f"{tmp_path.name}/export.jsonl"
    assert [(w.file, w.line) for w in warnings] == [(shown, 2), (shown, 4), (shown, 5)]
    assert warnings[0].message.startswith("not JSON") and '"text" or "html"' in warnings[1].message


def test_json_lines_in_a_wrong_encoding_is_a_warning_with_its_line(tmp_path):
    write(tmp_path, "latin.jsonl", b'{"title": "ok", "text": "Fine text."}\n{"title": "Caf\xe9", "text": "Bad bytes."}\n')
    sources, warnings = ingest(tmp_path)
    assert sources == () and (warnings[0].line, "not UTF-8" in warnings[0].message) == (2, True)


# --- plain text as scraped ------------------------------------------------------


SCRAPED = """Talks on Ukraine resume in Geneva
Published: Feb 23, 2025

By Jane Doe

Delegations from Ukraine and Russia met in Geneva on Wednesday.The talks were the first in months.

Related: Ten charts that explain the war

Diplomats arrive at the Palais des Nations in Geneva
Sean Gallup / Getty Images

Share this:

WhatsApp

Advertisement

The Swiss foreign minister said the meeting had been constructive and
that a second round was planned for
next week.

Read more: Who is who at the Geneva talks

Delegations from Ukraine and Russia met in Geneva on Wednesday. The talks were the first in months.
URL: https://www.example.co.uk/geneva-talks
"""


def test_scraped_text_is_cleaned_into_paragraphs_with_its_metadata():
    article = parse_txt(SCRAPED)
    assert article.title == "Talks on Ukraine resume in Geneva"
    assert (article.date, article.author, article.url) == ("2025-02-23", "Jane Doe", "https://www.example.co.uk/geneva-talks")
    assert article.credits == ("Sean Gallup / Getty Images",)
    assert [(b.text, b.heading, b.caption) for b in article.blocks] == [
        ("By Jane Doe", False, True),
        ("Delegations from Ukraine and Russia met in Geneva on Wednesday. The talks were the first in months.", False, False),
        ("Diplomats arrive at the Palais des Nations in Geneva", False, True),
        ("Sean Gallup / Getty Images", False, True),
        ("The Swiss foreign minister said the meeting had been constructive and that a second round was planned for next week.", False, False),
    ]


def test_hard_wrapped_text_is_reflowed_into_its_paragraphs():
    wrapped = (
        "Parliament votes on the budget\n\n"
        "Members of parliament voted on the budget on Tuesday after a long debate\n"
        "that lasted well into the night, with the opposition calling for a delay\n"
        "and the government insisting that the vote go ahead as planned.\n\n"
        "The finance minister said the budget would restore confidence in the\n"
        "public finances and protect spending on schools, hospitals and roads in\n"
        "every region of the country.\n"
    )
    article = parse_txt(wrapped)
    assert [b.text[:40] for b in article.blocks] == ["Members of parliament voted on the budge", "The finance minister said the budget wou"]
    assert not any(b.heading for b in article.blocks)
    assert article.blocks[0].text.endswith("go ahead as planned.")


# --- identity -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, day",
    [
        ("23.02.2025", "2025-02-23"),
        ("Feb 23, 2025", "2025-02-23"),
        ("2025-02-23T19:10", "2025-02-23"),
        ("23 February 2025", "2025-02-23"),
        ("Published : Dec. 7, 2024 - 21:50", "2024-12-07"),
        ("March 2025", None),
        ("31.02.2025", None),
    ],
)
def test_dates_in_any_common_form_are_read_as_a_day(text, day):
    assert iso_date(text) == day


def test_a_date_line_is_only_a_date_and_a_sentence_with_a_date_is_not():
    assert date_in_line("5 July 2024, 15:42 | Updated: 5 July 2024, 16:53") == "2024-07-05"
    assert date_in_line("The talks began on Feb 23, 2025 in Geneva.") is None


def test_a_title_from_the_first_sentence_is_its_main_clause_never_cut_mid_phrase():
    long = (
        "French President Emmanuel Macron is hosting a high-profile summit in Paris, bringing together European leaders "
        "including Ukrainian President Volodymyr Zelensky to strengthen security as ceasefire talks continue."
    )
    assert title_from_sentence(long) == "French President Emmanuel Macron is hosting a high-profile summit in Paris"
    apposition = "The President of the United States, Donald Trump, stated that he remains committed to the search for a peace agreement between Russia and Ukraine after the talks in Saudi Arabia."
    title = title_from_sentence(apposition)
    assert title.startswith("The President of the United States, Donald Trump, stated") and len(title) <= 120
    assert not title.endswith(("…", ",", " the", " a", " of"))
    assert title_from_file_name("geneva-talks_resume") == "Geneva talks resume"
    assert title_from_file_name("000_514c4ec814fad36f") is None


def test_the_publisher_falls_back_to_the_address_and_what_is_missing_is_reported_once(tmp_path):
    write(tmp_path, "a.txt", "Leaders met in Paris on Thursday to talk about Ukraine.\nURL: https://www.lemonde.fr/a\n")
    write(tmp_path, "b.txt", "Headline of b\n\ndate 2025-02-23\n\nA paragraph of b.\n\nSource: Example Post\n")
    sources, _ = ingest(tmp_path)
    a, b = sources
    assert (a.title, a.publisher, a.date, a.missing) == ("Leaders met in Paris on Thursday to talk about Ukraine", "lemonde.fr", None, ("headline", "date"))
    assert (b.title, b.publisher, b.date, b.missing) == ("Headline of b", "Example Post", "2025-02-23", ())
    [warning] = missing_identity(sources, tmp_path.name)
    assert warning.file == f"{tmp_path.name}/a.txt" and warning.message.startswith("no headline or date found")


# --- a whole site from a mix of formats ---------------------------------------------


def test_a_site_from_a_mix_of_formats_shows_each_source_with_its_identity_and_skips_only_the_broken(tmp_path):
    import shutil

    from conftest import REPO, SHARED_CACHE
    from generator.build import build
    from generator.project import Project

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write(seeds, "geneva.txt", SCRAPED)
    write(
        seeds,
        "rome.md",
        "---\ntitle: Summit in Rome\ndate: 21 February 2025\npublisher: Rome Daily\nauthor: Lia Autore\n---\n\nItalian Prime Minister Giorgia Meloni welcomed leaders to Rome on Friday.\n",
    )
    write(seeds, "paris.html", PAGE)
    write(seeds, "wire.rss", RSS)
    write(seeds, "export.jsonl", json.dumps({"title": "Port reopens", "text": "The port of Odesa reopened on Monday.", "url": "https://harbour.example.com/odesa"}) + "\n{oops\n")
    write(seeds, "empty.html", "<html><body><nav>Home</nav></body></html>")
    write(seeds, "none.atom", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Nothing</title></feed>')
    write(seeds, "latin.txt", "Caf\xe9 news\n\nA paragraph.\n".encode("latin-1"))
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "content").mkdir()
    project = Project(seeds=seeds, content=tmp_path / "content", templates=tmp_path / "templates", out=tmp_path / "site", cache=SHARED_CACHE)

    report = build(project)

    assert sorted(str(w) for w in report.warnings) == [
        "seeds/empty.html: skipped: no article text found in this page (is it a whole article, saved as HTML?)",
        "seeds/export.jsonl:2: not JSON (Expecting property name enclosed in double quotes, column 2); this line is left out",
        "seeds/latin.txt:1: skipped: not UTF-8 text (byte 3); save it as UTF-8",
        "seeds/none.atom: skipped: the feed has no entries",
        "seeds/wire.rss: entry 3 ('A link with no text') has no text; left out",
    ]
    data = json.loads((project.out / "briefing.json").read_text(encoding="utf-8"))
    shown = {s["title"]: (s["publisher"], s["date"], s["author"], s["canonical_url"]) for s in data["sources"]}
    assert shown == {
        "Talks on Ukraine resume in Geneva": ("example.co.uk", "2025-02-23", "Jane Doe", "https://www.example.co.uk/geneva-talks"),
        "Summit in Rome": ("Rome Daily", "2025-02-21", "Lia Autore", None),
        "Leaders meet in Paris": ("Example News", "2025-03-27", "Jane Doe", "https://news.example.com/2025/03/27/leaders-paris"),
        "Talks resume in Geneva": ("Example Wire", "2025-02-23", "Ann Reporter", "https://wire.example.org/talks-geneva"),
        "Ministers meet in Brussels": ("Example Wire", "2025-02-24", None, "https://wire.example.org/brussels"),
        "Port reopens": ("harbour.example.com", None, None, "https://harbour.example.com/odesa"),
    }
    geneva = next(s for s in data["sources"] if s["file"] == "geneva.txt")
    assert geneva["credits"] == ["Sean Gallup / Getty Images"]
    assert [p["caption"] for p in geneva["paragraphs"]] == [True, False, True, True, False]

    pages = {s["title"]: (project.out / s["url"]).read_text(encoding="utf-8") for s in data["sources"]}
    paris = pages["Leaders meet in Paris"]
    assert "<h1>Leaders meet in Paris</h1>" in paris and "Example News" in paris and '<time datetime="2025-03-27">' in paris
    assert '<p class="byline">By Jane Doe</p>' in paris
    assert 'class="para caption"' in pages["Talks on Ukraine resume in Geneva"] and "Credits: Sean Gallup / Getty Images" in pages["Talks on Ukraine resume in Geneva"]
    assert "Only a summary" in pages["Ministers meet in Brussels"] and "Only a summary" not in pages["Talks resume in Geneva"]


def test_plain_text_with_iso_dates_imports_none_of_the_readers_libraries(tmp_path):
    import subprocess
    import sys

    write(tmp_path, "a.txt", "A headline here\n\ndate 2025-02-23\n\nA paragraph of the article.\nSource: Example Post\n")
    code = (
        "import sys; from pathlib import Path; from generator.ingest import ingest; "
        f"assert len(ingest(Path({str(tmp_path)!r}))[0]) == 1; "
        "print(sorted(m for m in ('trafilatura', 'htmldate', 'feedparser', 'dateparser', 'lxml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_briefing_check_warns_once_per_article_of_what_its_input_does_not_give(tmp_path, capsys):
    from generator.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write(seeds, "a.txt", "Leaders met in Paris on Thursday to talk about Ukraine.\n")
    write(
        seeds,
        "b.jsonl",
        json.dumps({"title": "Dated", "text": "Text.", "date": "2025-02-23", "publisher": "P"}) + "\n" + json.dumps({"text": "Undated text without a title.", "url": "https://x.example.org/a"}) + "\n",
    )
    main(["check", "--no-overrides", "--seeds", str(seeds), "--out", str(tmp_path / "site")])
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: seeds/a.txt: no headline, publisher or date found (titled 'Leaders met in Paris on Thursday to talk about Ukraine'); "
        "put the headline on the first line; end with a line `Source: publisher` or `URL: https://…`; add a line such as `date 2025-02-23` at the top",
        'warning: seeds/b.jsonl:2: no headline or date found (titled \'Undated text without a title\'); add "title" to its line; add "date" to its line',
    ]


def test_a_rebuild_after_an_edit_of_the_byline_alone_shows_the_new_byline(tmp_path):
    import shutil

    from conftest import REPO, SHARED_CACHE
    from generator.build import build
    from generator.project import Project

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    article = "---\ntitle: Summit in Rome\nauthor: {}\n---\n\nItalian Prime Minister Giorgia Meloni welcomed leaders to Rome on Friday.\n"
    write(seeds, "rome.md", article.format("Lia Autore"))
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "content").mkdir()
    project = Project(seeds=seeds, content=tmp_path / "content", templates=tmp_path / "templates", out=tmp_path / "site", cache=SHARED_CACHE)
    build(project)
    write(seeds, "rome.md", article.format("Marco Scrittore"))
    build(project)
    assert '<p class="byline">By Marco Scrittore</p>' in (project.out / "sources" / "rome.html").read_text(encoding="utf-8")
