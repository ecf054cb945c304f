"""Bad input and faults, as an attacker or a careless user would bring them: each is
refused or reported, and the file system is checked afterwards (nothing outside the
output folder changed, no input changed). One section per case of issue 15; the
docs/reliability.md lists them."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import REPO, args_for, files_in
from generator.build import build
from generator.cli import main
from generator.errors import BriefingError
from generator.write import MANIFEST


def inputs_of(project) -> dict[str, dict[str, bytes]]:
    return {str(folder): files_in(folder) for folder in (project.seeds, project.content, project.templates)}


# -- 1. the manifest never deletes outside the output folder ----------------------------


def test_a_crafted_manifest_deletes_nothing_outside_the_output_folder(scratch_project, tmp_path):
    victim_dir = tmp_path / "home"
    victim_dir.mkdir()
    victim = victim_dir / "precious.txt"
    victim.write_text("mine\n")
    absolute = tmp_path / "absolute.txt"
    absolute.write_text("mine too\n")
    inside_link = scratch_project.out / "linked"
    scratch_project.out.mkdir()
    inside_link.symlink_to(victim_dir, target_is_directory=True)
    (scratch_project.out / "a-folder").mkdir()
    before = inputs_of(scratch_project)
    seed = sorted(p.name for p in scratch_project.seeds.iterdir())[0]
    listed = ["../home/precious.txt", str(absolute), f"../seeds/{seed}", "linked/precious.txt", "a-folder", "..", "", "a/../../x"]
    (scratch_project.out / MANIFEST).write_text(json.dumps({"build": "x", "files": dict.fromkeys(listed, 1)}))

    build(scratch_project)

    assert victim.read_text() == "mine\n" and absolute.read_text() == "mine too\n"
    assert (scratch_project.out / "a-folder").is_dir() and inside_link.is_symlink()
    assert inputs_of(scratch_project) == before
    assert (scratch_project.out / "index.html").is_file()


def test_a_page_an_earlier_build_wrote_is_still_removed_with_its_empty_folder(scratch_project):
    scratch_project.out.mkdir()
    (scratch_project.out / "old").mkdir()
    (scratch_project.out / "old" / "page.html").write_text("old page")
    (scratch_project.out / MANIFEST).write_text(json.dumps({"build": "x", "files": {"old/page.html": 8}}))
    report = build(scratch_project)
    assert report.pages_removed == 1 and not (scratch_project.out / "old").exists()


# -- 3. --out never writes over inputs or strangers' files -----------------------------


@pytest.mark.parametrize("out", ["templates", "seeds", "seeds/site", ".", "..", "content", "HOME", "/"])
def test_an_output_folder_over_an_input_the_project_home_or_root_is_refused(scratch_project, tmp_path, monkeypatch, capsys, out):
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "user-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    out = str(home) if out == "HOME" else out
    before = inputs_of(scratch_project)
    outside = files_in(tmp_path.parent) if out in ("..", "/") else None
    code = main(["build", "--seeds", "seeds", "--content", "content", "--templates", "templates", "--out", out, "--cache-dir", str(scratch_project.cache), "-q"])
    assert code == 1
    assert "the output folder must" in capsys.readouterr().err
    assert inputs_of(scratch_project) == before
    assert not any(tmp_path.rglob(MANIFEST)) and not any(tmp_path.rglob("briefing.json"))
    if outside is not None:
        assert files_in(tmp_path.parent) == outside


def test_a_non_empty_folder_of_someone_else_is_refused_unless_forced_and_its_files_are_never_overwritten(scratch_project, capsys):
    scratch_project.out.mkdir()
    (scratch_project.out / "notes.txt").write_text("my notes\n")
    args = ["build", *args_for(scratch_project)]
    assert main(args) == 1
    assert "--force-out" in capsys.readouterr().err
    assert sorted(p.name for p in scratch_project.out.iterdir()) == ["notes.txt"]

    (scratch_project.out / "index.html").write_text("their front page\n")
    assert main([*args, "--force-out"]) == 1
    assert "index.html: this file was not written by Briefing" in capsys.readouterr().err
    assert sorted(p.name for p in scratch_project.out.iterdir()) == ["index.html", "notes.txt"]
    assert (scratch_project.out / "index.html").read_text() == "their front page\n"

    (scratch_project.out / "index.html").unlink()
    assert main([*args, "--force-out"]) == 0
    assert (scratch_project.out / "notes.txt").read_text() == "my notes\n"
    assert main(args) == 0  # its manifest is there now: the folder is ours


def test_a_folder_with_only_a_gitkeep_is_empty(scratch_project):
    scratch_project.out.mkdir()
    (scratch_project.out / ".gitkeep").write_text("")
    build(scratch_project)
    assert (scratch_project.out / "index.html").is_file() and (scratch_project.out / ".gitkeep").is_file()


def test_a_folder_of_the_site_that_links_out_of_it_is_not_written_through(scratch_project, tmp_path):
    build(scratch_project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(scratch_project.out / "people")
    (scratch_project.out / "people").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BriefingError, match="link out of the output folder"):
        build(scratch_project)
    assert list(elsewhere.iterdir()) == []


# -- 2. a user's address becomes a link only when it is http(s) -------------------------


@pytest.mark.parametrize("url", ["javascript:alert(9)", "JaVaScRiPt:alert(9)", "data:text/html,<script>alert(9)</script>", " javascript:alert(9)", "https:alert(9)", "vbscript:x"])
def test_a_script_address_in_front_matter_is_shown_as_no_link_with_a_warning(scratch_project, url):
    (scratch_project.seeds / "evil.md").write_text(f'---\ntitle: An evil article\nurl: "{url}"\n---\nKeir Starmer spoke in London today.\n', encoding="utf-8")
    before = inputs_of(scratch_project)
    report = build(scratch_project)
    assert any(w.file == "seeds/evil.md" and w.line == 3 and "not linked" in w.message for w in report.warnings)
    page = (scratch_project.out / "sources" / "evil.html").read_text(encoding="utf-8")
    assert f"<code>{escape(url.strip())}</code> (not a web address, so not linked)" in page  # shown as text
    assert not re.search(r"""(?:href|src)=["']?\s*(?:javascript|data|vbscript):""", page, re.IGNORECASE)
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    assert [s["source_url"] for s in exported["sources"] if s["file"] == "evil.md"] == [None]
    assert inputs_of(scratch_project) == before


def test_a_script_address_in_any_format_is_shown_as_no_link_with_a_warning(scratch_project):
    line = {"title": "An evil line", "text": "Keir Starmer spoke in London today.", "url": "javascript:alert(9)"}
    (scratch_project.seeds / "evil.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = build(scratch_project)
    assert any(w.file == "seeds/evil.jsonl" and "not linked" in w.message for w in report.warnings)
    [page] = (scratch_project.out / "sources").glob("evil*.html")
    text = page.read_text(encoding="utf-8")
    assert "<code>javascript:alert(9)</code>" in text and 'href="javascript' not in text


def test_a_web_address_in_front_matter_is_linked(scratch_project):
    (scratch_project.seeds / "good.md").write_text("---\ntitle: A good article\nurl: https://example.org/a?b=1\n---\nKeir Starmer spoke in London today.\n", encoding="utf-8")
    build(scratch_project)
    assert 'href="https://example.org/a?b=1"' in (scratch_project.out / "sources" / "good.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "file, text",
    [
        ("entities.yaml", 'entities:\n  - name: Keir Starmer\n    links:\n      - {label: Evil, url: "javascript:alert(9)"}\n'),
        ("entities.yaml", 'entities:\n  - name: Keir Starmer\n    links:\n      - {label: Evil, url: "data:text/html,x"}\n'),
        ("site.yaml", 'base_url: "javascript:alert(9)//"\n'),
    ],
)
def test_a_script_address_in_content_is_an_error_and_nothing_is_written(scratch_project, capsys, file, text):
    (scratch_project.content / file).write_text(text, encoding="utf-8")
    assert main(["build", *args_for(scratch_project)]) == 1
    assert f"content/{file}:" in capsys.readouterr().err
    assert not scratch_project.out.exists()


# -- 5. front matter is read as carefully as content/ -----------------------------------


def front_matter_build(project, front: str):
    (project.seeds / "fm.md").write_text(f"---\n{front}---\nKeir Starmer spoke in London today.\n", encoding="utf-8")
    return build(project)


def test_front_matter_scalars_are_the_strings_written(scratch_project):
    front_matter_build(scratch_project, "title: NO\ndate: 2025-03-27\npublisher: 1.10\n")
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    source = next(s for s in exported["sources"] if s["file"] == "fm.md")
    assert (source["title"], source["date"], source["publisher"]) == ("NO", "2025-03-27", "1.10")


def test_a_front_matter_time_as_date_stays_as_written_with_a_warning(scratch_project):
    report = front_matter_build(scratch_project, "title: Ten\ndate: 10:00\n")
    assert any(w.file == "seeds/fm.md" and w.line == 3 and "'10:00'" in w.message for w in report.warnings)


@pytest.mark.parametrize(
    "front, where, message",
    [
        ("title: One\ndate: 2025-03-27\ntitle: Two\n", "seeds/fm.md:4:1", "duplicate key 'title' (first at line 2)"),
        ("title: !!python/object/apply:os.system [echo hi]\n", "seeds/fm.md:2:8", "not supported"),
        ("title: [a, list]\n", "seeds/fm.md:2:8", "title: expected a string"),
        ("title: [unclosed\n", "seeds/fm.md:2:17", "invalid YAML"),
    ],
)
def test_bad_front_matter_stops_the_build_naming_file_and_line(scratch_project, capsys, front, where, message):
    (scratch_project.seeds / "fm.md").write_text(f"---\n{front}---\nKeir Starmer spoke in London today.\n", encoding="utf-8")
    assert main(["build", *args_for(scratch_project)]) == 1
    err = capsys.readouterr().err
    assert f"error: {where}:" in err and message in err
    assert not scratch_project.out.exists()


def test_a_front_matter_alias_bomb_is_never_expanded(scratch_project):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):  # 9**10 strings, were it expanded
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    front = "title: The bomb\n" + "\n".join(lines) + "\ntags: *j\n"
    assert len(front) < 800
    front_matter_build(scratch_project, front)  # in well under a second, with no memory to speak of
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    assert [s["title"] for s in exported["sources"] if s["file"] == "fm.md"] == ["The bomb"]


def test_an_alias_as_title_is_the_text_it_names(scratch_project):
    front_matter_build(scratch_project, "x: &t Shared title\ntitle: *t\n")
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    assert [s["title"] for s in exported["sources"] if s["file"] == "fm.md"] == ["Shared title"]


# -- 4. no generated page takes an index's name; names alike both get pages --------------


def test_a_source_an_entity_and_a_free_page_named_index_keep_the_indexes(scratch_project):
    (scratch_project.seeds / "index.txt").write_text("Index\nKeir Starmer met officials of Index in London on Monday.\n", encoding="utf-8")
    (scratch_project.content / "entities.yaml").write_text("entities:\n  - name: Index\n    kind: organization\n    aliases: [Index]\n", encoding="utf-8")
    (scratch_project.content / "pages").mkdir()
    (scratch_project.content / "pages" / "index.md").write_text("---\ntitle: Index of notes\n---\nNotes.\n", encoding="utf-8")
    build(scratch_project)
    out = scratch_project.out
    assert (out / "sources" / "index-page.html").is_file()
    assert (out / "organizations" / "index-page.html").is_file()
    assert (out / "pages" / "index-page.html").is_file()
    exported = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert "sources/index-page.html" in [s["url"] for s in exported["sources"]]
    assert "organizations/index-page.html" in [e["url"] for e in exported["entities"]]
    for index in ("sources/index.html", "organizations/index.html"):
        assert "index-page.html" in (out / index).read_text(encoding="utf-8")  # the index lists the page, so it is the index


def test_a_free_page_over_a_hand_made_file_in_the_site_is_refused(scratch_project, capsys):
    build(scratch_project)
    (scratch_project.out / "pages").mkdir()
    (scratch_project.out / "pages" / "notes.html").write_text("my hand-made notes\n")
    (scratch_project.content / "pages").mkdir()
    (scratch_project.content / "pages" / "notes.md").write_text("---\ntitle: Notes\n---\nNotes.\n", encoding="utf-8")
    before = files_in(scratch_project.out)
    with pytest.raises(BriefingError, match="pages/notes.html: this file was not written by Briefing"):
        build(scratch_project)
    assert files_in(scratch_project.out) == before


def test_two_names_that_transliterate_alike_both_get_pages():
    from generator.names import normalise
    from generator.slugs import unique_slugs

    assert unique_slugs(["李明", "黎明", "Index", "Index page"]) == ["liming", "liming-2", "index-page", "index-page-2"]
    assert normalise("李明") != normalise("黎明")  # one syllable, two characters: two people, not one
    assert normalise("Sánchez") == normalise("Sanchez") and normalise("Владимир Путин") == normalise("Vladimir Putin")


# -- 6. a long paragraph: near-linear, and never too long for the model ----------------


def test_a_long_line_that_opens_a_quotation_gives_passages_of_their_own_sentence(scratch_project):
    sentence = "Keir Starmer said the talks in London would go on. "
    (scratch_project.seeds / "quote.txt").write_text("A long quotation\n“" + sentence * 2500 + "\n", encoding="utf-8")  # 126 KB, one line
    build(scratch_project)
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    source = next(s for s in exported["sources"] if s["file"] == "quote.txt")
    assert len(source["paragraphs"]) == 1 and len(source["paragraphs"][0]["text"]) > 120_000
    starmer = next(e for e in exported["entities"] if e["name"] == "Keir Starmer")
    assert sum(m["source"] == source["id"] for m in starmer["mentions"]) == 2500
    page = (scratch_project.out / starmer["url"]).read_bytes()
    assert len(page) < 2500 * 1500  # each passage is its sentence and at most QUOTATION_LOOKBACK_CHARS before it


def test_an_enormous_article_is_cut_into_pages_that_every_link_and_the_search_find(scratch_project, monkeypatch):
    import generator.model
    from generator.check import check_site

    monkeypatch.setattr(generator.model, "SOURCE_PAGE_CHARS", 1500)  # the samples' articles, cut as a 20 MB one would be
    build(scratch_project)
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    cut = [s for s in exported["sources"] if any("page" in p for p in s["paragraphs"])]
    assert cut, "no sample article is longer than 1,500 characters"
    for source in cut:
        pages = sorted({p["page"] for p in source["paragraphs"]})
        assert source["url"] in pages and len(pages) >= 2 and all((scratch_project.out / page).is_file() for page in pages)
        for paragraph in source["paragraphs"]:
            html = (scratch_project.out / paragraph["page"]).read_text(encoding="utf-8")
            assert f'id="{paragraph["id"]}"' in html and "This long article is on" in html
    assert [str(p) for p in check_site(scratch_project.out)] == []  # every passage link reaches its part's paragraph
    search = (scratch_project.out / "search-index.js").read_text(encoding="utf-8")
    assert f'"{cut[0]["paragraphs"][-1]["page"]}"' in search


def test_a_paragraph_longer_than_the_models_limit_is_read_in_pieces(scratch_project):
    from generator.nlp import MAX_PIECE_CHARS, pieces

    line = "x" * 1_100_000  # no space, no sentence: spaCy alone stops at a million characters (E088)
    (scratch_project.seeds / "huge.txt").write_text("A huge line\nKeir Starmer spoke in London. " + line + "\n", encoding="utf-8")
    build(scratch_project)
    exported = json.loads((scratch_project.out / "briefing.json").read_text(encoding="utf-8"))
    source = next(s for s in exported["sources"] if s["file"] == "huge.txt")
    assert sum(len(p["text"]) for p in source["paragraphs"]) > 1_100_000
    assert any(m["source"] == source["id"] for e in exported["entities"] if e["name"] == "Keir Starmer" for m in e["mentions"])
    text = "One sentence. " * 20_000 + "y" * 250_000
    ranges = pieces(text)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text) and all(a[1] == b[0] for a, b in pairwise(ranges))
    assert all(b - a <= MAX_PIECE_CHARS for a, b in ranges)
    assert text[ranges[0][1] - 2 : ranges[0][1]] == ". "  # cut after a sentence where there is one


# -- 12. a cache entry that does not fit its paragraph is a miss ------------------------


@pytest.mark.parametrize("corrupt", ["strings", "past the end", "shifted", "unknown label", "overlapping sentences", "not a list"])
def test_a_cache_entry_with_wrong_values_is_a_miss_with_a_warning(scratch_project, tmp_path, corrupt):
    from generator.extract import Extractor
    from generator.ingest import ingest

    build(scratch_project)
    site = files_in(scratch_project.out)
    shutil.rmtree(scratch_project.out)
    cache = tmp_path / "cache"
    source = ingest(scratch_project.seeds)[0][0]
    shared_entry = Extractor("en_core_web_sm", scratch_project.cache).cache._path(source)
    entry = Extractor("en_core_web_sm", cache).cache._path(source)
    entry.parent.mkdir(parents=True)
    shutil.copy(shared_entry, entry)
    data = json.loads(entry.read_text(encoding="utf-8"))
    paragraph = next(p for p in data["paragraphs"] if p["spans"])
    span = paragraph["spans"][0]
    if corrupt == "strings":
        span[0] = str(span[0])
    elif corrupt == "past the end":
        paragraph["phrases"].append([0, 10_000_000])
    elif corrupt == "shifted":
        span[0], span[1] = span[0] + 1, span[1] + 1
    elif corrupt == "unknown label":
        span[2] = "WORK_OF_ART"
    elif corrupt == "overlapping sentences":
        paragraph["sentences"].append(paragraph["sentences"][0])
    else:
        paragraph["spans"] = {"a": 1}
    entry.write_text(json.dumps(data), encoding="utf-8")
    report = build(scratch_project.__class__(**{**scratch_project.__dict__, "cache": cache}))
    assert report.extracted == 2  # the corrupt entry, and the other article, which this cache never held
    assert any("corrupt cache entry" in w.message for w in report.warnings)
    assert files_in(scratch_project.out) == site  # the model ran again: the same site


# -- 7. SIGTERM and SIGINT stop a build alike; what a killed build left is cleaned up ----


def many_articles(seeds: Path, count: int = 70) -> None:
    """`count` articles, each new to the cache, enough for the model to run in workers."""
    seeds.mkdir()
    lines = [line for path in sorted((REPO / "seeds").glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines() if len(line) > 200]
    for n in range(count):
        body = "\n\n".join(lines[(n * 3 + k) % len(lines)] for k in range(3))
        (seeds / f"a{n:03}.txt").write_text(f"Report number {n}\n{body}\nThis is report {n} of {count}, filed {os.getpid()}.\n", encoding="utf-8")


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_build_alone_stops_it_and_its_workers(tmp_path, signum):
    many_articles(tmp_path / "seeds")
    (tmp_path / "content").mkdir()
    before = files_in(tmp_path / "seeds")
    log = tmp_path / "stderr.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "build", "--templates", str(REPO / "templates"), "--cache-dir", str(tmp_path / "cache")],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=stderr,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as a shell starts a background job, or `timeout -s INT`
        )
    deadline = time.monotonic() + 120
    # Until the model has given its first result (the progress line says so): the workers are running it on the rest.
    while b"extract: " not in log.read_bytes() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = children_of(proc.pid)
    assert workers and proc.poll() is None, log.read_text()
    proc.send_signal(signum)
    proc.communicate(timeout=60)  # returns only once no process holds the output pipe: no worker was left behind
    err = log.read_bytes()
    assert proc.returncode == 128 + signum, err.decode()
    assert b"interrupted" in err and b"Traceback" not in err
    assert not any(Path(f"/proc/{pid}").exists() and f"{proc.pid}" in Path(f"/proc/{pid}/stat").read_text() for pid in workers)
    assert files_in(tmp_path / "seeds") == before
    assert not (tmp_path / "site").exists() or not any(p.name.endswith(".tmp") for p in (tmp_path / "site").rglob("*"))


def test_temporary_files_a_killed_build_left_are_removed_by_the_next(scratch_project):
    build(scratch_project)
    leftovers = [scratch_project.out / ".index.html.k2j3h4g5.tmp", scratch_project.out / "people" / ".someone.html.a_b1c2d3.tmp"]
    for path in leftovers:
        path.write_text("half a page")
    (scratch_project.out / "mine.tmp").write_text("the user's")
    build(scratch_project)
    assert not any(path.exists() for path in leftovers)
    assert (scratch_project.out / "mine.tmp").read_text() == "the user's"


# -- 8. --strict fails the same every time, and writes nothing ---------------------------


def test_strict_fails_on_the_nothing_changed_shortcut_too_and_writes_nothing(scratch_project, capsys):
    (scratch_project.content / "entities.yaml").write_text("entities:\n  - name: Nobody Anywhere\n    description: Not in any article.\n", encoding="utf-8")
    args = ["build", *args_for(scratch_project, quiet=False)]
    assert main([*args, "--strict", "-q"]) == 1
    err = capsys.readouterr().err
    assert "entities.yaml:2:5: 'Nobody Anywhere' names no entity" in err and "nothing was written" in err
    assert not scratch_project.out.exists()

    assert main([*args, "-q"]) == 0  # a warning from resolution, which the shortcut below does not run
    assert "warning: " in capsys.readouterr().err  # -q still shows it
    site = files_in(scratch_project.out)
    assert main([*args, "-q"]) == 0
    assert "'Nobody Anywhere' names no entity" in capsys.readouterr().err  # remembered with the build, told again
    assert main([*args, "--strict"]) == 1
    assert "'Nobody Anywhere' names no entity" in capsys.readouterr().err
    assert files_in(scratch_project.out) == site


# -- 9. a link in seeds/ that leaves the project is not read ------------------------------


def test_a_link_out_of_the_project_is_skipped_with_a_warning_unless_allowed(scratch_project, tmp_path):
    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    secret.write_text("Secret title\nThe private key of Keir Starmer is hunter2 in London.\n", encoding="utf-8")
    try:
        (scratch_project.seeds / "leak.txt").symlink_to(secret)
        inside = tmp_path / "notes"
        inside.mkdir()
        (inside / "note.txt").write_text("A note\nKeir Starmer wrote a note in London today.\n", encoding="utf-8")
        (scratch_project.seeds / "note.txt").symlink_to(inside / "note.txt")  # inside the project: read
        report = build(scratch_project)
        assert any(w.file == "seeds/leak.txt" and "outside the project" in w.message for w in report.warnings)
        site = b"".join(files_in(scratch_project.out).values())
        assert b"hunter2" not in site and b"wrote a note" in site
        followed = build(scratch_project.__class__(**{**scratch_project.__dict__, "follow_links": True}))
        assert not any("outside the project" in w.message for w in followed.warnings)
        assert b"hunter2" in (scratch_project.out / "briefing.json").read_bytes()
        assert secret.read_text(encoding="utf-8").startswith("Secret title")
    finally:
        secret.unlink()


# -- 10. a file name that is not UTF-8 -----------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_warning(scratch_project):
    name = os.fsdecode(b"caf\xe9.txt")
    (scratch_project.seeds / name).write_text("Cafe\nKeir Starmer spoke in London today.\n", encoding="utf-8")
    (scratch_project.templates / os.fsdecode(b"old\xff.html")).write_text("stray")
    report = build(scratch_project)
    assert [str(w) for w in report.warnings if "UTF-8" in w.message] == ["seeds/caf\\xe9.txt: skipped: its name is not UTF-8 text; rename the file"]
    assert (scratch_project.out / "index.html").is_file()
    assert (scratch_project.seeds / name).is_file()


# -- 11. two builds into one folder at once ----------------------------------------------


def test_a_second_build_into_a_folder_being_built_fails_clearly(scratch_project):
    from generator.write import output_lock

    build(scratch_project)
    site = files_in(scratch_project.out)
    with output_lock(scratch_project.out):  # as a build in another process holds it
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                *args_for(scratch_project, quiet=False),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 1 and "another build is writing into this folder" in proc.stderr
    assert files_in(scratch_project.out) == site
    build(scratch_project)  # free again


# -- a build works from any folder: the theme ships inside the package; `briefing init` --


def test_a_project_without_templates_builds_with_the_theme_and_overrides_it_file_by_file(tmp_path, monkeypatch, capsys):
    from generator.theme import theme_folder

    assert theme_folder() == REPO / "templates"  # a checkout, or an editable install: the one copy of the theme
    monkeypatch.chdir(tmp_path)
    assert main(["init", "project"]) == 0
    project = tmp_path / "project"
    before = files_in(project)
    assert sorted(before) == [".github/workflows/pages.yml", ".gitignore", "content/entities.yaml", "content/pages/about.md", "content/site.yaml", "content/topics.yaml", "seeds/example.md"]
    monkeypatch.chdir(project)
    args = ["build", "--cache-dir", str(REPO / ".briefing-cache"), "-q"]
    assert main(args) == 0, capsys.readouterr().err
    assert (project / "site" / "assets" / "style.css").read_bytes() == (REPO / "templates" / "static" / "style.css").read_bytes()
    assert "Maria Jansen" in (project / "site" / "index.html").read_text(encoding="utf-8")
    (project / "templates" / "static").mkdir(parents=True)
    (project / "templates" / "static" / "style.css").write_text("body { color: rebeccapurple }\n")
    (project / "templates" / "page.html").write_text("{{ free.title }} in my own template\n")
    assert main(args) == 0, capsys.readouterr().err
    assert (project / "site" / "assets" / "style.css").read_text() == "body { color: rebeccapurple }\n"
    assert (project / "site" / "assets" / "site.js").read_bytes() == (REPO / "templates" / "static" / "site.js").read_bytes()
    assert (project / "site" / "pages" / "about.html").read_text(encoding="utf-8") == "About this briefing in my own template\n"
    assert "Maria Jansen" in (project / "site" / "index.html").read_text(encoding="utf-8")  # the theme's, for the rest
    assert {rel: data for rel, data in files_in(project).items() if rel in before} == before


def test_init_keeps_every_file_that_is_there_already(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "example.md").write_text("my own article\n")
    (tmp_path / ".gitignore").write_text("mine\n")
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "seeds" / "example.md").read_text() == "my own article\n" and (tmp_path / ".gitignore").read_text() == "mine\n"
    assert "kept" in capsys.readouterr().err
    assert (tmp_path / "content" / "site.yaml").is_file()


# -- 13. the preview server under load -----------------------------------------------------


@pytest.fixture
def preview(sample_site):
    from generator.serve import LiveState, Preview

    server = Preview(sample_site, LiveState(), "127.0.0.1", 0)
    server.start()
    yield server
    server.stop()


def raw_get(port: int, path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_the_preview_answers_a_burst_of_requests_and_414_to_an_overlong_address(preview):
    from concurrent.futures import ThreadPoolExecutor

    port = preview.server.server_address[1]
    assert preview.server.request_queue_size >= 128
    with ThreadPoolExecutor(200) as pool:
        statuses = list(pool.map(lambda n: raw_get(port, "/index.html" if n % 2 else f"/people/?n={n}"), range(200)))
    assert set(statuses) <= {200, 301} and len(statuses) == 200
    assert raw_get(port, "/" + "a" * 8000) == 414
    assert raw_get(port, "/" + "b" * 1000 + ".html") == 404  # a name too long for the file system
    assert raw_get(port, "/index.html") == 200  # still serving


def test_a_client_that_disconnects_is_one_line_in_the_log(preview, capsys):
    try:
        raise BrokenPipeError(32, "Broken pipe")
    except BrokenPipeError:
        preview.server.handle_error(None, ("127.0.0.1", 50000))
    err = capsys.readouterr().err
    assert err == "preview: 127.0.0.1 closed the connection before the answer was sent (BrokenPipeError)\n"
