"""The build, stage by stage. Each stage is a function of the earlier stages'
frozen results, in a module of its own; `Builder._run` calls them in this order:

    load content   content.load_content      content/*.yaml -> Overrides
    ingest         ingest.ingest             seeds/ -> Sources
    extract        extract.Extractor.run     the model, or its cache -> an Extraction per source
    resolve        resolve.resolve           spans -> entities and their mentions
    topics         topics.build_topics       phrases -> topics and their mentions
      (overlaps.without_overlaps settles overlapping mentions; quotes.find_quotes finds who said what)
    link           link.link                 -> the Site: pages, passages, related entities
    render         render.render_site        -> the files, one at a time (export.export_json: briefing.json)
    write          write.write_site          -> the output folder, all or nothing

Around them: a Builder keeps each stage's work from one build for the next
(`Memos`, memo.py) and skips a build whose inputs the site was written from
(fingerprint.py); the model runs in worker processes (workers.py) while this
one does the per-source work of the later stages (`WorkAlongside`); a single
build renders in forked helpers (forked.py, write.py); the garbage collector
is off while the stages run (collector.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import collector, forked, lexicon
from .content import load_content
from .errors import Diagnostic, StrictFailure
from .export import ExportMemo, export_json
from .extract import Extractor
from .fingerprint import build_key, resolution_key, templates_key
from .gazetteer import Gazetteer, load_gazetteer
from .ingest import SourceMemo, ingest
from .link import LinkMemo, link
from .memo import LastRun
from .model import BuildReport, Entity, Extraction, Quote, Source, SourceMentions
from .overlaps import without_overlaps
from .overrides import Overrides
from .project import Project
from .quotes import QuoteMemo, find_quotes
from .resolve import CandidateMemo, resolve, with_curated_text
from .topics import PhraseMemo, build_topics
from .write import WrittenFiles, check_output_folder, current_counts, current_files, current_warnings, is_current, output_lock, write_site

if TYPE_CHECKING:
    # Imported where used: rendering's modules bring Jinja2 and numpy (a tenth of a second),
    # which a cold build imports while its workers load the model (see WorkAlongside.start),
    # not before it starts them.
    from .render import RenderMemo


Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) during long stages."""


def build(project: Project, *, use_overrides: bool = True, jobs: int = 1, progress: Progress | None = None, strict: bool = False, dask: str | None = None) -> BuildReport:
    """Build the site once; with `strict`, a warning fails it before anything is written. The
    model runs on the Dask cluster at `dask` when one is named."""
    builder = Builder(project, use_overrides=use_overrides, jobs=jobs, progress=progress, strict=strict, dask=dask, memos=Memos(keep=False))
    return builder.build()


class Memos:
    """The per-source work a Builder keeps from one build for the next, stage by
    stage (see memo.py); a stage reuses what its inputs did not change. A single
    build's (`keep=False`) keep nothing but the work done alongside the model,
    which resolution and topics find done and forget as each ends; it also
    renders in forked helpers (which could not hand a memo back)."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.sources = SourceMemo(keep)
        self.candidates = CandidateMemo(keep)
        self.phrases = PhraseMemo(keep)
        self.overlaps: LastRun[str, SourceMentions] = LastRun(keep)
        self.quotes = QuoteMemo(keep)
        self.links = LinkMemo(keep)
        self.export = ExportMemo(keep)
        self.written = WrittenFiles(keep)


@dataclass(frozen=True)
class Findings:
    """What resolution, topics, overlaps and quotes found in the sources: kept by a
    Builder while what they read (`fingerprint.resolution_key`) stays the same."""

    entities: tuple[Entity, ...]
    by_source: tuple[SourceMentions, ...]  # the mentions, source by source in the sources' order
    subthemes: dict[str, tuple[str, ...]]
    quotes: dict[str, tuple[Quote, ...]]
    warnings: tuple[Diagnostic, ...]
    curated: dict[str, str]  # see resolve.with_curated_text


@dataclass(frozen=True)
class _Inputs:
    """What a build reads before it decides whether there is anything to do."""

    sources: tuple[Source, ...]
    words: int
    warnings: tuple[Diagnostic, ...]  # about the articles and content/
    overrides: Overrides
    resolution_key: tuple
    templates_key: str
    build_key: str


class Builder:
    """Builds a project, again and again: each stage's result is kept with the
    key of its inputs, so a rebuild redoes only what changed. An edit to one
    source re-runs the model on that source; an edit to `content/` re-runs
    resolution onwards but never the model; an edit to a template only
    re-renders. Within the stages that do run, each stage's memo carries over
    the per-source work whose inputs did not change (articles parsed, spans
    cleaned, phrases found, passages quoted, pages and groups of passages
    rendered), so an edit to one article costs little more than the
    corpus-wide steps. With throw-away `memos` (a single build: `build()` above)
    nothing is kept for a next build, which keeps memory low on large sites."""

    def __init__(
        self,
        project: Project,
        *,
        use_overrides: bool = True,
        jobs: int = 1,
        progress: Progress | None = None,
        strict: bool = False,
        dask: str | None = None,
        memos: Memos | None = None,
    ):
        self.project = project
        self.strict = strict  # a warning fails the build before anything is written (StrictFailure)
        self.use_overrides = use_overrides
        self.jobs = jobs
        self.dask = dask  # where the model runs when not here: see Extractor
        self.progress = progress
        self.memos = memos or Memos()
        self._extractor: Extractor | None = None
        self._model_name: str | None = None
        self._found: tuple[tuple, Findings] | None = None  # (resolution key, what was found)
        self._rendered: tuple[str, RenderMemo] | None = None  # (templates key, what they rendered)

    def build(self) -> BuildReport:
        """Bring the output folder up to date. When it already holds the site of
        these exact inputs, stop early without loading anything."""
        return self._build(fill_memory=False)

    def build_in_full(self) -> BuildReport:
        """A build that runs every stage even when the output folder is already
        current, so that the builder holds them all and the next build after an
        edit redoes only what the edit touched: how `briefing watch` starts."""
        return self._build(fill_memory=True)

    def load_model(self) -> bool:
        """Load the model the last build named into this process ahead of need (spaCy's
        import and the model, about a second), for the next edited article to go straight
        through it; whether it was loaded now (not before, and there was a build to name it)."""
        return self._extractor is not None and self._extractor.load_model()

    def _build(self, fill_memory: bool) -> BuildReport:
        started = time.perf_counter()
        check_output_folder(self.project.out, self.project.inputs(), Path.cwd(), self.project.force_out)
        with output_lock(self.project.out):
            inputs = self._read_inputs()
            in_memory = self._found is not None and self._found[0] == inputs.resolution_key
            if (in_memory or not fill_memory) and is_current(self.project.out, inputs.build_key):
                return self._nothing_changed(inputs, started)
            with collector.off_during(forget=None if self.memos.keep else self._forget):
                return self._run(inputs, in_memory, started)

    def _read_inputs(self) -> _Inputs:
        """Load content, ingest, and the keys of what the site depends on."""
        project = self.project
        overrides, content_warnings = load_content(project.content) if self.use_overrides else (Overrides(), ())
        sources, ingest_warnings = ingest(project.seeds, self.memos.sources, project.follow_links)
        resolution = resolution_key(sources, self._extractor_for(overrides.site.model).cache.key_salt, overrides)
        templates = templates_key(project.templates)
        return _Inputs(
            sources,
            sum(s.words for s in sources),
            tuple(ingest_warnings) + tuple(content_warnings),
            overrides,
            resolution,
            templates,
            build_key(resolution, overrides, templates, self.use_overrides),
        )

    def _run(self, inputs: _Inputs, in_memory: bool, started: float) -> BuildReport:
        """Extract, resolve, topics, link, render and write, reusing what this builder kept."""
        project, memos, sources, overrides, progress = self.project, self.memos, inputs.sources, inputs.overrides, self.progress

        def prepare_rendering() -> None:
            self._render_memo(inputs.templates_key).prepare(project.templates, overrides.site, overrides.pages)

        extraction = self._extractor_for(overrides.site.model).run(
            sources,
            progress=(lambda done, total: progress("extract", done, total)) if progress else None,
            alongside=WorkAlongside(memos, prepare_rendering),
        )
        extractions = extraction.extractions

        kept = self._found if in_memory else None
        if kept is None:
            kept = self._found = (inputs.resolution_key, find_entities(sources, extractions, overrides, memos))
        found = with_curated_texts(kept[1], overrides)
        warnings = inputs.warnings + extraction.warnings + found.warnings
        if self.strict and warnings:
            raise StrictFailure(warnings)

        if not memos.keep:
            # A single build keeps nothing for a next one: the extractor, which keeps the model's
            # results for one, goes now; of those results, linking reads only the sentences, so the
            # spans and phrases go before it runs, and its passages reuse their memory (at 10,000
            # articles the model's results are a sixth of what the build holds), and the rest once linked.
            self._extractor, extraction = None, replace(extraction, extractions={})
            extractions = {slug: e.sentences_only() for slug, e in extractions.items()}
        site = link(sources, extractions, found.entities, found.by_source, found.subthemes, found.quotes, overrides.pages, memos.links)
        del extractions
        kinds = dict(Counter(page.entity.kind for page in site.entity_pages))

        from .render import render_site

        # A single build renders in helpers besides this process, forked (see write_site), as many as it ran
        # the model in, memory allowing; a Builder renders here, into the memos it keeps.
        files, shares = render_site(
            site,
            overrides.site,
            project.templates,
            lambda: export_json(sources, found.entities, found.by_source, memos.export),
            self._render_memo(inputs.templates_key),
            forked.affordable(0 if memos.keep else self.jobs),
        )
        del site  # the files to render hold it now, and let it go before the export, the largest file, is made

        # The warnings about the inputs are remembered with the site, for a build that finds nothing changed to tell
        # again; not the cache's, which that build will not meet (the entry is mended), and which would make the site
        # depend on the state of the cache.
        written = write_site(files, project.out, inputs.build_key, kinds, memos.written, shares, inputs.warnings + found.warnings)
        return BuildReport(
            sources=len(sources),
            entities=kinds,
            pages_written=written.written,
            pages_unchanged=written.unchanged,
            pages_removed=written.removed,
            extracted=extraction.extracted,
            cached=extraction.cached,
            seconds=time.perf_counter() - started,
            words=inputs.words,
            warnings=warnings,
            search_index_bytes=_file_size(project.out / "search-index.js"),
        )

    def _nothing_changed(self, inputs: _Inputs, started: float) -> BuildReport:
        """Nothing changed since the build that wrote this site: skip the model, resolution and rendering,
        but tell its warnings again, which that build remembered."""
        out = self.project.out
        warnings = tuple(dict.fromkeys(inputs.warnings + current_warnings(out)))
        if self.strict and warnings:
            raise StrictFailure(warnings)
        return BuildReport(
            sources=len(inputs.sources),
            entities=current_counts(out),
            pages_written=0,
            pages_unchanged=len(current_files(out)),
            pages_removed=0,
            extracted=0,
            cached=len(inputs.sources),
            seconds=time.perf_counter() - started,
            words=inputs.words,
            warnings=warnings,
            search_index_bytes=_file_size(out / "search-index.js"),
        )

    def _extractor_for(self, model_name: str) -> Extractor:
        if self._extractor is None or self._model_name != model_name:
            self._extractor = Extractor(model_name, self.project.cache, jobs=self.jobs, dask=self.dask)
            self._model_name = model_name
        return self._extractor

    def _render_memo(self, templates_key: str) -> RenderMemo:
        """What this builder rendered with these templates; a new memo when they changed."""
        if self._rendered is None or self._rendered[0] != templates_key:
            from .render import RenderMemo

            self._rendered = (templates_key, RenderMemo(keep=self.memos.keep))
        return self._rendered[1]

    def _forget(self) -> None:
        """A single build's end: what it made goes now (see collector.off_during)."""
        self._found = self._rendered = self._extractor = None


def find_entities(sources: tuple[Source, ...], extractions: dict[str, Extraction], overrides: Overrides, memos: Memos | None = None) -> Findings:
    """Resolve, topics, overlaps and quotes: everything between the model and the
    links. The memos carry per-source work over: a Builder's from its last build,
    and any build's from the work done alongside the model (see WorkAlongside)."""
    memos = memos or Memos(keep=False)
    resolution = resolve(sources, extractions, load_gazetteer(), overrides, memos.candidates)
    topics = build_topics(sources, extractions, overrides, memos.phrases, resolution.entities)
    entities = resolution.entities + topics.entities
    by_source = without_overlaps(sources, resolution.mentions + topics.mentions, memos.overlaps)
    unquoted: list[Diagnostic] = []  # articles whose quotations could not be read
    quotes = find_quotes(by_source, entities, memos.quotes, unquoted)
    return Findings(entities, by_source, topics.subthemes, quotes, resolution.warnings + topics.warnings + tuple(unquoted), resolution.curated)


def with_curated_texts(found: Findings, overrides: Overrides) -> Findings:
    """The findings with the curated texts of these overrides, which may differ from
    those they were made with in descriptions, notes, roles, countries and links only."""
    return replace(found, entities=with_curated_text(found.entities, found.curated, overrides))


class WorkAlongside:
    """The per-source share of the later stages, done in this process while the
    model runs in worker processes (see Extractor.run): the word lists and the
    gazetteer load and the templates compile while the workers load the model,
    then each source's spans are cleaned and its phrases found as it comes back.
    Resolution, topics and rendering find that work done."""

    def __init__(self, memos: Memos, prepare_rendering: Callable[[], None]) -> None:
        self.memos = memos
        self.prepare_rendering = prepare_rendering
        self.gazetteer: Gazetteer | None = None

    def start(self) -> None:
        self.gazetteer = load_gazetteer()
        lexicon.load()
        self.prepare_rendering()  # imports rendering's modules and compiles the templates: see the top of this module
        collector.freeze()  # loaded once for the life of the process (both are cached)

    def extracted(self, source: Source, extraction: Extraction) -> None:
        assert self.gazetteer is not None, "Extractor.run calls start first"
        self.memos.candidates.prepare(source, extraction, self.gazetteer)
        self.memos.phrases.prepare(source, extraction)


def _file_size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0
