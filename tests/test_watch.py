"""`briefing watch`, driven as a user drives it: a real process on a scratch
project, real file edits (as editors and tools make them), and the output
folder polled until it shows the change or a bounded wait runs out. That no
build happens is told by the watch itself: it says which files each rebuild is
for, and when it is idle again (see conftest.WatchProcess)."""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

from conftest import SHARED_CACHE, WatchProcess


def seed_files(project) -> list[Path]:
    return sorted(project.seeds.glob("*.txt"))


def page_of(project, seed: Path) -> Path:
    return project.out / "sources" / f"{seed.stem.replace('_', '-')}.html"


def contains(path: Path, text: str) -> Callable[[], bool]:
    return lambda: path.is_file() and text in path.read_text(encoding="utf-8")


def test_an_edited_source_is_rebuilt_on_the_model_and_its_page_changes(watch, scratch_project):
    w = watch()
    seed = seed_files(scratch_project)[0]
    page = page_of(scratch_project, seed)
    assert page.is_file()
    with seed.open("a", encoding="utf-8") as f:
        f.write("\nVolunteers filled sandbags along the riverbank on Friday.\n")
    w.wait_until(contains(page, "sandbags"), "updated source page")
    w.wait_for_builds(2)
    assert "model run on 1 of 2 sources" in w.output()


def test_once_idle_it_loads_the_model_the_first_build_took_from_the_cache(watch, scratch_project):
    w = watch()
    assert "model run on 0 of 2 sources" in w.output()  # everything came from the cache: no model yet
    w.wait_until(lambda: "model loaded" in w.output(), "the model loaded while idle")
    seed = seed_files(scratch_project)[0]
    with seed.open("a", encoding="utf-8") as f:
        f.write("\nVolunteers filled sandbags along the riverbank on Friday.\n")
    w.wait_until(contains(page_of(scratch_project, seed), "sandbags"), "updated source page")
    w.wait_for_builds(2)
    assert "model run on 1 of 2 sources" in w.output() and w.output().count("model loaded") == 1


def test_an_atomic_save_by_rename_is_seen(watch, scratch_project):
    w = watch()
    seed = seed_files(scratch_project)[1]
    page = page_of(scratch_project, seed)
    # What vim (backupcopy=no) and VS Code do: write a temporary file, then rename it over the original.
    temporary = seed.with_name(f".{seed.name}.swp")
    temporary.write_text(seed.read_text(encoding="utf-8") + "\nFarmers drove their tractors to the border.\n", encoding="utf-8")
    os.replace(temporary, seed)
    w.wait_until(contains(page, "tractors"), "page updated after a rename-over save")


def test_a_deleted_source_loses_its_page_and_leaves_the_indexes(watch, scratch_project):
    w = watch()
    victim, kept = seed_files(scratch_project)
    page, slug = page_of(scratch_project, victim), page_of(scratch_project, victim).stem
    index = scratch_project.out / "sources" / "index.html"
    assert page.is_file() and slug in index.read_text(encoding="utf-8")
    victim.unlink()
    w.wait_until(lambda: not page.exists(), "removal of the deleted source's page")
    w.wait_until(lambda: slug not in index.read_text(encoding="utf-8"), "sources index without the deleted source")
    assert slug not in (scratch_project.out / "briefing.json").read_text(encoding="utf-8")
    assert page_of(scratch_project, kept).is_file()


def test_a_renamed_source_moves_its_page(watch, scratch_project):
    w = watch()
    old = seed_files(scratch_project)[0]
    old_page = page_of(scratch_project, old)
    new = old.with_name("renamed-article.txt")
    old.rename(new)
    new_page = page_of(scratch_project, new)
    w.wait_until(lambda: new_page.is_file() and not old_page.exists(), "the page to follow the rename")
    assert "model run on 0 of 2 sources" in w.output().split("] built ")[-1]  # same text: the cache serves it


def test_a_burst_of_200_writes_makes_few_builds_and_the_final_site_matches_the_final_files(watch, scratch_project):
    w = watch()
    bodies = [
        "Officials in Warsaw met farmers about grain imports.",
        "The parliament in Kyiv debated a new budget.",
        "Diplomats in Geneva prepared another round of talks.",
        "Engineers in Odesa repaired the port cranes.",
    ]
    # As a `git checkout` or an rsync would: many files written in quick succession, some twice.
    for i in range(190):
        (scratch_project.seeds / f"burst-{i:03d}.txt").write_text(f"Burst article {i}\n{bodies[i % 4]}\n", encoding="utf-8")
    for i in range(10):
        (scratch_project.seeds / f"burst-{i:03d}.txt").write_text(f"Rewritten burst article {i}\n{bodies[i % 4]}\n", encoding="utf-8")
    final_page = scratch_project.out / "sources" / "burst-009.html"
    last_page = scratch_project.out / "sources" / "burst-189.html"
    w.wait_until(lambda: contains(final_page, "Rewritten burst article 9")() and last_page.is_file(), "the final state of the burst")
    # The site shows the final files: every event of the burst came before that build
    # started, so once idle again the watch has built all it will.
    w.wait_until(w.is_idle, "idle after the burst")
    assert w.builds() - 1 <= 3, w.output()
    built_pages = {p.stem for p in (scratch_project.out / "sources").glob("burst-*.html")}
    assert built_pages == {f"burst-{i:03d}" for i in range(190)}
    assert "Rewritten burst article 0" in (scratch_project.out / "sources" / "burst-000.html").read_text(encoding="utf-8")


def test_invalid_yaml_is_reported_with_file_and_line_keeps_the_site_and_recovers(watch, scratch_project):
    w = watch()
    index = scratch_project.out / "index.html"
    before = index.read_bytes()
    site_yaml = scratch_project.content / "site.yaml"
    site_yaml.write_text("title: Night desk\ndescription: [unclosed\n", encoding="utf-8")
    w.wait_until(lambda: "build failed" in w.output(), "a failed build")
    assert re.search(r"error: content/site\.yaml:\d+(:\d+)?: invalid YAML", w.output()), w.output()
    assert index.read_bytes() == before
    site_yaml.write_text("title: Night desk\ndescription: Fixed.\n", encoding="utf-8")
    w.wait_until(contains(index, "Night desk"), "recovery after the fix")


def test_a_template_error_is_reported_with_file_and_line_keeps_the_site_and_recovers(watch, scratch_project):
    w = watch()
    page = page_of(scratch_project, seed_files(scratch_project)[0])
    before = page.read_bytes()
    template = scratch_project.templates / "source.html"
    good = template.read_text(encoding="utf-8")
    lines = good.splitlines()
    lines.insert(2, "{% if %}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    w.wait_until(lambda: "build failed" in w.output(), "a failed build")
    assert "error: templates/source.html:3: template error" in w.output()
    assert page.read_bytes() == before
    template.write_text(good.replace("{% block content %}", "{% block content %}<!-- fixed -->", 1), encoding="utf-8")
    w.wait_until(contains(page, "<!-- fixed -->"), "recovery after the fix")


def test_editor_swap_backup_and_lock_files_start_no_build(watch, scratch_project):
    w = watch()
    seed = seed_files(scratch_project)[0]
    builds, idles = w.builds(), w.idles()
    (scratch_project.templates / ".source.html.swp").write_bytes(b"\0swap")
    (scratch_project.content / "site.yaml~").write_text("title: [broken\n", encoding="utf-8")
    for name in (f".{seed.name}.swp", f"{seed.name}~", "4913", f".#{seed.name}", f"#{seed.name}#", "download.part", "x.tmp"):
        (scratch_project.seeds / name).write_text("not an article\n", encoding="utf-8")
    # Then a real edit, in the same folder as the last of them, whose events come after theirs:
    # the one build that follows must be for it alone.
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA ferry left Dover for Calais.\n", encoding="utf-8")
    w.wait_for_idle(idles + 1)
    assert w.builds() == builds + 1 and w.changes() == [f"seeds/{seed.name}"], w.output()


def test_its_own_cache_inside_a_watched_folder_starts_no_build(scratch_project, tmp_path):
    # The cache inside content/: a build writing it must not start another build. (The output
    # folder cannot be inside an input folder: see test_reliability.)
    w = WatchProcess(tmp_path, "--cache-dir", "content/cache")
    try:
        w.wait_for_idle(1)  # said only when no change is pending: the cache's own files would be
        assert (tmp_path / "site" / "index.html").is_file() and any((tmp_path / "content" / "cache").rglob("*.json"))
        assert w.builds() == 1, w.output()
        (scratch_project.content / "site.yaml").write_text("title: Inside job\n", encoding="utf-8")
        w.wait_for_idle(2)
        assert contains(tmp_path / "site" / "index.html", "Inside job")()
        assert w.builds() == 2 and w.changes() == ["content/site.yaml"], w.output()
    finally:
        w.close()


def test_a_folder_created_after_the_start_or_deleted_and_made_again_is_watched(watch, scratch_project):
    shutil.rmtree(scratch_project.content)
    w = watch()
    scratch_project.content.mkdir()
    (scratch_project.content / "site.yaml").write_text("title: Late arrival\n", encoding="utf-8")
    w.wait_until(contains(scratch_project.out / "index.html", "Late arrival"), "rebuild after content/ appeared")
    shutil.rmtree(scratch_project.content)
    w.wait_until(lambda: "Late arrival" not in (scratch_project.out / "index.html").read_text(encoding="utf-8"), "rebuild after content/ went")
    scratch_project.content.mkdir()
    (scratch_project.content / "site.yaml").write_text("title: Second coming\n", encoding="utf-8")
    w.wait_until(contains(scratch_project.out / "index.html", "Second coming"), "rebuild after content/ came back")


def test_ctrl_c_stops_cleanly(watch):
    w = watch()
    assert w.stop(signal.SIGINT) == 130
    assert "stopped" in w.output() and "Traceback" not in w.output()


def test_sigterm_stops_cleanly(watch):
    w = watch("--serve", "--port", "0")
    assert w.stop(signal.SIGTERM) == 0
    assert "stopped" in w.output() and "Traceback" not in w.output()


def test_a_symlinked_seeds_folder_is_watched_through_its_link(scratch_project, tmp_path):
    elsewhere = tmp_path / "articles-elsewhere"
    scratch_project.seeds.rename(elsewhere)
    scratch_project.seeds.symlink_to(elsewhere, target_is_directory=True)
    w = WatchProcess(tmp_path, "--cache-dir", str(SHARED_CACHE))
    try:
        w.wait_for_idle(1)
        seed = sorted(elsewhere.glob("*.txt"))[0]
        seed.write_text(seed.read_text(encoding="utf-8") + "\nVolunteers planted trees in the square.\n", encoding="utf-8")
        w.wait_until(contains(page_of(scratch_project, seed), "planted trees"), "rebuild after an edit behind the link")
    finally:
        w.close()


def test_the_watch_loop_can_wait_for_changes_with_a_timeout_to_tidy_memory_when_idle(tmp_path):
    from generator.watch import ChangeCollector

    collector = ChangeCollector((tmp_path,), (), quiet=0.01)
    assert collector.wait_for_changes(timeout=0.05) == set()  # nothing changed: back after the timeout
    collector.on_any_event(type("Event", (), {"event_type": "modified", "is_directory": False, "src_path": str(tmp_path / "a.txt")})())
    assert collector.wait_for_changes(timeout=5) == {str(tmp_path / "a.txt")}
