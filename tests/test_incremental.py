"""Incremental builds with one long-lived Builder, as `briefing watch` uses it:
the model runs on changed sources only, content and template edits skip the
stages they do not touch, and only changed files are written."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import REPO, args_for, site_bytes, snapshot
from generator import build as build_module
from generator.build import Builder, build
from generator.model import Extraction, ParagraphAnalysis, Span
from generator.nlp import KEPT_LABELS, MAX_PHRASE_TOKENS


def first_seed(project):
    return sorted(project.seeds.glob("*.txt"))[0]


def append_paragraph(seed, text: str) -> None:
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_an_edited_source_goes_through_the_model_alone(project):
    builder = Builder(project)
    builder.build()
    append_paragraph(first_seed(project), "Volunteers filled sandbags along the riverbank on Friday.")
    report = builder.build()
    assert (report.extracted, report.cached) == (1, 1)
    assert "sandbags" in (project.out / "sources" / f"{first_seed(project).stem.replace('_', '-')}.html").read_text()


def test_a_content_edit_runs_no_model_in_a_running_builder_or_a_fresh_one(project):
    builder = Builder(project)
    builder.build()
    (project.content / "site.yaml").write_text("title: Morning desk\n", encoding="utf-8")
    report = builder.build()
    assert report.extracted == 0 and report.pages_written > 0
    (project.content / "site.yaml").write_text("title: Evening desk\n", encoding="utf-8")
    assert build(project).extracted == 0
    assert "Evening desk" in (project.out / "index.html").read_text()


def test_a_template_edit_rerenders_without_resolving_again(project, monkeypatch):
    calls = {"resolve": 0, "build_topics": 0}

    def counted(name):
        real = getattr(build_module, name)

        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    for name in calls:
        monkeypatch.setattr(build_module, name, counted(name))
    builder = Builder(project)
    builder.build()
    assert calls == {"resolve": 1, "build_topics": 1}
    base = project.templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Printed on recycled pixels.</p></footer>"), encoding="utf-8")
    report = builder.build()
    assert calls == {"resolve": 1, "build_topics": 1}
    assert report.extracted == 0 and report.pages_written > 0
    assert "recycled pixels" in (project.out / "index.html").read_text()


def test_only_changed_files_are_written_the_rest_keep_bytes_and_times(project):
    builder = Builder(project)
    builder.build()
    before = snapshot(project.out)
    seed = first_seed(project)
    seed.write_text(seed.read_text(encoding="utf-8").replace("\n", "\n\nA local council approved a new library budget.\n", 1), encoding="utf-8")
    report = builder.build()
    after = snapshot(project.out)
    page = f"sources/{seed.stem.replace('_', '-')}.html"
    assert after[page][0] != before[page][0]
    same = [path for path in before if path in after and after[path][0] == before[path][0]]
    assert same and all(after[path][1] == before[path][1] for path in same)
    changed = [path for path in after if path != ".briefing-manifest.json" and (path not in before or after[path][0] != before[path][0])]
    assert report.pages_written == len(changed)


def test_a_new_article_leaves_the_pages_that_do_not_name_it_untouched(project):
    builder = Builder(project)
    builder.build()
    before = snapshot(project.out)
    (project.seeds / "late-news.txt").write_text("Late news\n\nFarmers in Warsaw protested about grain imports on Monday.\n", encoding="utf-8")
    builder.build()
    after = snapshot(project.out)
    assert "sources/late-news.html" in after
    people = [path for path in before if path.startswith("people/")]
    assert people and all(after[path] == before[path] for path in people)  # bytes and modification time


def test_a_page_changed_by_hand_is_rewritten_though_the_build_reuses_it(project):
    builder = Builder(project)
    builder.build()
    seeds = sorted(project.seeds.glob("*.txt"))
    other = project.out / "sources" / f"{seeds[1].stem.replace('_', '-')}.html"
    good = other.read_bytes()
    other.write_bytes(good.replace(b"<html", b"<HTML", 1))  # same size: only its bytes and time differ
    append_paragraph(seeds[0], "Volunteers filled sandbags along the riverbank on Friday.")
    builder.build()
    assert other.read_bytes() == good


def test_a_removed_source_loses_its_page_and_its_index_entry(project):
    builder = Builder(project)
    builder.build()
    victim = first_seed(project)
    slug = victim.stem.replace("_", "-")
    victim.unlink()
    report = builder.build()
    assert report.pages_removed >= 1 and report.sources == 1
    assert not (project.out / "sources" / f"{slug}.html").exists()
    assert slug not in (project.out / "sources" / "index.html").read_text()
    assert slug not in (project.out / "briefing.json").read_text()


def test_a_corrupt_cache_entry_is_a_miss_with_a_warning(project):
    build(project)
    expected = snapshot(project.out)
    entries = sorted((project.cache / "extract").rglob("*.json"))
    for entry in entries:
        entry.write_text('{"paragraphs": [{"id": ', encoding="utf-8")
    report = build(replace(project, out=project.out.parent / "again"))
    assert report.extracted == 2
    assert any("corrupt cache" in w.message for w in report.warnings)
    rebuilt = snapshot(project.out.parent / "again")
    assert {path: data for path, (data, _) in rebuilt.items()} == {path: data for path, (data, _) in expected.items()}
    assert build(replace(project, out=project.out.parent / "third")).extracted == 0  # the entries were rewritten


def test_two_processes_give_the_same_site_as_one_and_report_progress(project):
    build(project)
    progress: list[tuple[str, int, int]] = []
    parallel = replace(project, cache=None, out=project.out.parent / "parallel")
    report = build(parallel, jobs=2, progress=lambda stage, done, total: progress.append((stage, done, total)))
    assert report.extracted == 2
    assert progress[-1] == ("extract", 2, 2) and [done for _, done, _ in progress] == [1, 2]
    one, two = snapshot(project.out), snapshot(parallel.out)
    assert {path: data for path, (data, _) in two.items()} == {path: data for path, (data, _) in one.items()}


class Recorder:
    """An `Alongside` that notes what it is given."""

    def __init__(self) -> None:
        self.started = False
        self.sources: list[str] = []

    def start(self) -> None:
        self.started = True

    def extracted(self, source, extraction) -> None:
        assert self.started
        self.sources.append(source.slug)


def pool_sized_seeds(folder):
    """Enough sources for the extraction pool; each a different pair of sample paragraphs."""
    from generator.extract import POOL_MIN_SOURCES
    from generator.ingest import ingest

    samples, _ = ingest(REPO / "seeds")
    paragraphs = [p.text for s in samples for p in s.paragraphs if not p.heading]
    folder.mkdir()
    for i in range(POOL_MIN_SOURCES + 3):
        body = "\n\n".join((paragraphs[i % len(paragraphs)], paragraphs[(7 * i + 3) % len(paragraphs)]))
        (folder / f"article-{i:03d}.txt").write_text(f"Report number {i}\n\n{body}\n", encoding="utf-8")
    return folder


def spacy_says(nlp, source) -> Extraction:
    """A source's extraction as spaCy's own API gives it (doc.sents, doc.ents, token
    attributes): what nlp.analysis must make of the token tables the workers send."""
    paragraphs = []
    for p, doc in zip(source.paragraphs, nlp.pipe(p.text for p in source.paragraphs), strict=True):
        phrases, run = [], []
        for token in [*doc, None]:
            text = token.text if token is not None else ""
            if token is not None and (token.is_alpha or ("-" in text and any(c.isalpha() for c in text))) and not token.is_stop and not token.ent_type_ and len(text) > 1:
                run.append(token)
                continue
            for i in range(0, len(run), MAX_PHRASE_TOKENS):
                chunk = run[i : i + MAX_PHRASE_TOKENS]
                phrases.append((chunk[0].idx, chunk[-1].idx + len(chunk[-1].text)))
            run = []
        paragraphs.append(
            ParagraphAnalysis(
                p.id,
                tuple((s.start_char, s.end_char) for s in doc.sents),
                tuple(Span(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in KEPT_LABELS),
                tuple(phrases),
            )
        )
    return Extraction(source.slug, tuple(paragraphs))


def test_a_pool_extracts_exactly_what_spacy_says_and_hands_each_source_over_as_it_comes(tmp_path):
    from generator.extract import Extractor
    from generator.ingest import ingest
    from generator.nlp import DEFAULT_MODEL, load_model

    sources, _ = ingest(pool_sized_seeds(tmp_path / "seeds"))
    nlp = load_model(DEFAULT_MODEL)
    here = [spacy_says(nlp, source) for source in sources]
    assert sum(len(p.phrases) and len(p.sentences) > 1 for e in here for p in e.paragraphs) > 20  # a real test of both
    alongside = Recorder()
    one = Extractor(DEFAULT_MODEL, None, jobs=1).run(sources, alongside=alongside)  # a pool of one worker
    two = Extractor(DEFAULT_MODEL, None, jobs=2).run(sources)
    assert one.extracted == two.extracted == len(sources)
    assert list(one.extractions) == list(two.extractions) == [s.slug for s in sources]  # the sources' order is kept
    assert list(one.extractions.values()) == list(two.extractions.values()) == here
    assert alongside.sources == [s.slug for s in sources]


def test_the_work_done_alongside_the_model_makes_the_site_a_build_from_the_cache_makes(project, tmp_path):
    many = replace(project, seeds=pool_sized_seeds(tmp_path / "many"), cache=tmp_path / "fresh-cache")
    assert build(many).extracted == len(list(many.seeds.iterdir()))  # the model in a worker, this process alongside
    from_cache = replace(many, out=tmp_path / "from-cache")
    assert build(from_cache).extracted == 0
    assert site_bytes(many.out) == site_bytes(from_cache.out)


def test_the_command_line_starts_the_workers_early_and_only_on_a_cold_cache(project, tmp_path, monkeypatch):
    import multiprocessing

    from generator import workers
    from generator.cli import main

    many = replace(project, seeds=pool_sized_seeds(tmp_path / "many"), cache=tmp_path / "fresh-cache")
    taken = []
    real_pool = workers.pool

    def pool(jobs):
        taken.append(multiprocessing.active_children() != [])  # workers running when the build asks for them: started early
        return real_pool(jobs)

    monkeypatch.setattr(workers, "pool", pool)
    assert main(["build", *args_for(many)]) == 0
    assert taken == [True] and multiprocessing.active_children() == []
    cold = snapshot(many.out)
    # Every source is in the cache now: no guess, no workers, the same site.
    assert main(["build", *args_for(replace(many, out=tmp_path / "warm"))]) == 0
    assert taken == [True] and site_bytes(tmp_path / "warm") == site_bytes(many.out)
    # Started on a guess (no cache) that the build proves wrong (its site is current): ended, not left behind.
    assert main(["build", "--no-cache", *args_for(many)]) == 0
    assert taken == [True] and multiprocessing.active_children() == []
    assert snapshot(many.out) == cold


def test_a_build_from_the_cache_never_imports_spacy(project):
    """Importing spaCy (half a second) is for running the model; a build whose every
    extraction is in the cache resolves, links and renders without it (lemminflect,
    which imports spaCy when it can, included: see lexicon._lemmatizer)."""
    import subprocess
    import sys

    build(project)
    (project.content / "entities.yaml").write_text("entities:\n  - name: Ukraine\n    description: Edited.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.build import Project, build\n"
        f"report = build(Project(*map(Path, {[str(project.seeds), str(project.content), str(project.templates), str(project.out), str(project.cache)]!r})))\n"
        "assert report.extracted == 0 and report.pages_written > 0, report\n"
        "print('spacy' in sys.modules, 'lemminflect' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.split() == ["False", "True"]
    assert "Edited." in (project.out / "countries" / "ukraine.html").read_text(encoding="utf-8")


def test_the_model_comes_in_without_spacys_command_line_which_stays_at_hand():
    """spaCy's own import brings its command line (typer, weasel, requests), a third of
    the import on a cold build's critical path; the build's import leaves it out, and
    the model, `spacy.info` and `import spacy.cli` work all the same."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from generator.nlp import DEFAULT_MODEL, load_model\n"
        "nlp = load_model(DEFAULT_MODEL)\n"
        "print(sorted(m for m in ('spacy.cli', 'typer', 'weasel', 'requests') if m in sys.modules))\n"
        "print([e.text for e in nlp('Emmanuel Macron met Volodymyr Zelensky in Kyiv.').ents])\n"
        "import spacy\n"
        "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.download))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.splitlines() == ["[]", "['Emmanuel Macron', 'Volodymyr Zelensky', 'Kyiv']", "True", "True"]


def test_a_worker_forked_from_a_build_has_the_collector_on():
    """A build switches the cyclic collector off before it starts the workers, and a
    forked worker inherits that; a model run over thousands of articles needs it on."""
    import gc

    from generator import forked, workers

    gc.disable()
    try:
        with workers.pool(1) as pool:
            assert pool._mp_context.get_start_method() == ("fork" if forked.available() else "spawn")
            assert pool.submit(gc.isenabled).result() is True
    finally:
        gc.enable()


def test_an_error_alongside_the_model_stops_the_workers_at_once(tmp_path):
    """Ctrl-C or a failure during extraction: the workers are terminated, not left to
    finish their task at hand and the next (about a second before Ctrl-C took effect)."""
    import multiprocessing
    import signal

    from generator.extract import Extractor
    from generator.ingest import ingest
    from generator.nlp import DEFAULT_MODEL

    running = []

    class Failing(Recorder):
        def extracted(self, source, extraction) -> None:
            running.extend(multiprocessing.active_children())  # the workers, busy with the next sources
            raise RuntimeError("the work alongside failed")

    sources, _ = ingest(pool_sized_seeds(tmp_path / "seeds"))
    with pytest.raises(RuntimeError, match="alongside failed"):
        Extractor(DEFAULT_MODEL, None, jobs=1).run(sources, alongside=Failing())
    assert running and multiprocessing.active_children() == []
    # Terminated: a worker let go in the usual way ends with 0 once its task at hand is done.
    assert [process.exitcode for process in running] == [-signal.SIGTERM] * len(running)


def test_the_early_guess_counts_articles_against_cache_entries(tmp_path):
    import multiprocessing

    from generator import workers

    seeds = pool_sized_seeds(tmp_path / "seeds")
    (seeds / "notes.pdf").write_bytes(b"%PDF")  # not an article
    cache = tmp_path / "cache"
    try:
        workers.start_workers_early(seeds, cache, 2)  # no cache yet
        assert len(multiprocessing.active_children()) == 2
    finally:
        workers.stop_early_workers()
    assert multiprocessing.active_children() == []
    for i in range(4):  # enough entries that fewer than POOL_MIN_SOURCES articles can miss
        (cache / "extract" / f"{i:02x}").mkdir(parents=True)
        (cache / "extract" / f"{i:02x}" / "entry.json").write_text("{}", encoding="utf-8")
    try:
        workers.start_workers_early(seeds, cache, 1)
        assert multiprocessing.active_children() == []
    finally:
        workers.stop_early_workers()


def test_a_few_sources_run_in_this_process_with_nothing_alongside(project):
    from generator.extract import Extractor
    from generator.ingest import ingest
    from generator.nlp import DEFAULT_MODEL

    sources, _ = ingest(project.seeds)
    alongside = Recorder()
    assert Extractor(DEFAULT_MODEL, None).run(sources, alongside=alongside).extracted == len(sources)
    assert alongside.sources == [] and not alongside.started


@pytest.mark.parametrize("edit", ["source", "new source", "removed source", "description", "kind", "template"])
def test_a_rebuild_that_reuses_pages_gives_the_site_a_fresh_build_gives(project, edit):
    builder = Builder(project)
    builder.build()
    memo = builder._rendered[1]
    if edit == "source":
        append_paragraph(first_seed(project), "Volunteers filled sandbags along the riverbank on Friday.")
    elif edit == "new source":  # the sources' order changes: every entity's passages are gathered again
        (project.seeds / "a-new-article.txt").write_text("Zelensky in Kyiv\nVolodymyr Zelensky met soldiers in Kyiv on Friday.\n", encoding="utf-8")
    elif edit == "removed source":  # its share of the counts of shared paragraphs must go
        first_seed(project).unlink()
    elif edit == "description":  # an entity that other pages name: their links and groups must follow
        (project.content / "entities.yaml").write_text("entities:\n  - name: Ukraine\n    description: A country in Eastern Europe.\n", encoding="utf-8")
    elif edit == "kind":  # moves a page that source pages link to
        (project.content / "entities.yaml").write_text("entities:\n  - name: Kyiv\n    kind: organization\n", encoding="utf-8")
    else:
        page = project.templates / "entity_mentions.html"
        page.write_text(page.read_text(encoding="utf-8").replace('class="source-group"', 'class="source-group edited"'), encoding="utf-8")
    builder.build()
    fresh = replace(project, out=project.out.parent / "fresh")
    build(fresh)
    assert site_bytes(project.out) == site_bytes(fresh.out)
    if edit == "source":  # the other article's page and its groups of passages were not rendered again
        assert builder._rendered[1] is memo and memo.reused > 0


def test_a_description_edit_reuses_the_resolution_and_reaches_the_page(project, monkeypatch):
    calls = {"resolve": 0}
    real = build_module.resolve

    def counted(*args, **kwargs):
        calls["resolve"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "resolve", counted)
    entities = project.content / "entities.yaml"
    entities.write_text("entities:\n  - name: Ukraine\n    description: First words.\n", encoding="utf-8")
    builder = Builder(project)
    builder.build()
    entities.write_text("entities:\n  - name: Ukraine\n    description: Second *words*.\n", encoding="utf-8")
    report = builder.build()
    assert calls["resolve"] == 1 and report.pages_written > 0
    assert "Second <em>words</em>." in (project.out / "countries" / "ukraine.html").read_text(encoding="utf-8")
    entities.write_text("entities:\n  - name: Ukraine\n    aliases: [Ukrainia]\n", encoding="utf-8")  # a rule that resolves: again
    builder.build()
    assert calls["resolve"] == 2
    assert "Second" not in (project.out / "countries" / "ukraine.html").read_text(encoding="utf-8")


def test_an_edit_that_changes_no_passage_of_an_entity_renders_no_entity_page(project, monkeypatch):
    from generator import render

    builder = Builder(project)
    builder.build()
    rendered = []
    render_entity = render.Renderer._render_entity
    monkeypatch.setattr(render.Renderer, "_render_entity", lambda self, page, graph, path: rendered.append(path) or render_entity(self, page, graph, path))
    append_paragraph(first_seed(project), "Volunteers filled sandbags along the riverbank on Friday.")
    builder.build()
    assert rendered == []  # its entities' pages show the article by its title, date and publisher, which did not change
