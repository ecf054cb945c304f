"""The build, stage by stage: ingest, extract, resolve, topics, link, render, write.

Each stage is a function of the previous stages' frozen results; this
module only calls them in order and reports what happened.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, forked, lexicon
from .content import load_content
from .export import ExportMemo, export_json
from .extract import Extractor
from .gazetteer import Gazetteer, load_gazetteer
from .ingest import SourceMemo, ingest
from .link import LinkMemo, link
from .memo import LastRun
from .errors import Diagnostic, StrictFailure
from .model import BuildReport, Entity, Extraction, Mention, Quote, Resolution, Source, SourceMentions
from .overrides import Overrides
from .project import Project
from .quotes import find_quotes
from .resolve import CandidateMemo, for_resolution, resolve, with_curated_text
from .theme import template_folders
from .topics import PhraseMemo, build_topics
from .userfiles import named_user_files
from .write import WrittenFiles, check_output_folder, output_lock, current_counts, current_files, current_warnings, is_current, write_site

if TYPE_CHECKING:
    # Imported where used: rendering's modules bring Jinja2 and numpy (a tenth of a second),
    # which a cold build imports while its workers load the model (see _Prework.start),
    # not before it starts them.
    from .render import RenderMemo


Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) during long stages."""


def fingerprint_files(folder: Path) -> str:
    """Hash of the names and contents of the user's files under `folder` (templates are small)."""
    h = hashlib.sha256()
    for rel, path in named_user_files(folder):
        h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Hash of this package's own code and data: a new Briefing (or a developer's edit) rebuilds everything."""
    package = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml", ".txt")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Analysed:
    """What resolution, topics and quotes made of the sources: kept by a Builder
    while its inputs (the sources and `content/`) stay the same."""

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
    analysis_key: tuple  # what resolution, topics and quotes depend on
    templates_key: str
    build_key: str  # everything the site depends on


@dataclass
class Memos:
    """The per-source work a Builder keeps from one build for the next, stage by
    stage (see memo.py); a stage reuses what its inputs did not change."""

    sources: SourceMemo = field(default_factory=SourceMemo)
    candidates: CandidateMemo = field(default_factory=CandidateMemo)
    phrases: PhraseMemo = field(default_factory=PhraseMemo)
    overlaps: LastRun[str, tuple] = field(default_factory=LastRun)
    quotes: LastRun[str, tuple] = field(default_factory=LastRun)
    links: LinkMemo = field(default_factory=LinkMemo)
    export: ExportMemo = field(default_factory=ExportMemo)
    written: WrittenFiles = field(default_factory=WrittenFiles)

    @classmethod
    def for_one_build(cls) -> Memos:
        """What a single build needs of the analysis memos: the work done alongside the
        model handed over within the build, everything forgotten as each stage ends."""
        return cls(
            candidates=CandidateMemo(keep=False), phrases=PhraseMemo(keep=False),
            overlaps=LastRun(keep=False), quotes=LastRun(keep=False),
        )


class Builder:
    """Builds a project, again and again: each stage's result is kept with the
    key of its inputs, so a rebuild redoes only what changed. An edit to one
    source re-runs the model on that source; an edit to `content/` re-runs
    resolution onwards but never the model; an edit to a template only
    re-renders. Within the stages that do run, each stage's memo carries over
    the per-source work whose inputs did not change (articles parsed, spans
    cleaned, phrases found, passages quoted, pages and groups of passages
    rendered), so an edit to one article costs little more than the
    corpus-wide steps. With `remember=False` (a single build: `build()` below)
    nothing is kept for a next build, which keeps memory low on large sites."""

    def __init__(
        self, project: Project, *, use_overrides: bool = True, jobs: int = 1, progress: Progress | None = None, remember: bool = True,
        strict: bool = False, dask: str | None = None,
    ):
        self.project = project
        self.strict = strict  # a warning fails the build before anything is written (StrictFailure)
        self.use_overrides = use_overrides
        self.jobs = jobs
        self.dask = dask  # where the model runs when not here: see Extractor
        self.progress = progress
        self._extractor: Extractor | None = None
        self._model_name: str | None = None
        self._analysed: tuple[object, Analysed] | None = None  # (key of its inputs, result)
        self.remember = remember
        self._rendered: tuple[str, RenderMemo] | None = None  # (fingerprint of the templates, what they rendered)
        # Per-source work kept for the next build; a single build keeps none, so that
        # what it no longer needs (the linked site, say) is freed as it goes.
        self._memos = Memos() if remember else None

    def _extractor_for(self, model_name: str) -> Extractor:
        if self._extractor is None or self._model_name != model_name:
            self._extractor = Extractor(model_name, self.project.cache, jobs=self.jobs, dask=self.dask)
            self._model_name = model_name
        return self._extractor

    def load_model(self) -> bool:
        """Load the model the last build named into this process ahead of need (spaCy's
        import and the model, about a second), for the next edited article to go straight
        through it; whether it was loaded now (not before, and there was a build to name it)."""
        return self._extractor is not None and self._extractor.load_model()

    def build(self) -> BuildReport:
        """Bring the output folder up to date. When it already holds the site of
        these exact inputs, stop early without loading anything."""
        return self._build(fill_memory=False)

    def build_in_full(self) -> BuildReport:
        """A build that runs every stage even when the output folder is already
        current, so that the builder holds them all and the next build after an
        edit redoes only what the edit touched: how `briefing watch` starts."""
        return self._build(fill_memory=True)

    def _build(self, fill_memory: bool) -> BuildReport:
        started = time.perf_counter()
        check_output_folder(self.project.out, self.project.inputs(), Path.cwd(), self.project.force_out)
        with output_lock(self.project.out):
            return self._build_locked(fill_memory, started)

    def _build_locked(self, fill_memory: bool, started: float) -> BuildReport:
        inputs = self._read_inputs()
        in_memory = self._analysed is not None and self._analysed[0] == inputs.analysis_key
        if (in_memory or not fill_memory) and is_current(self.project.out, inputs.build_key):
            # Nothing changed since the build that wrote this site: skip the model, resolution and rendering,
            # but tell its warnings again, which that build remembered.
            warnings = tuple(dict.fromkeys(inputs.warnings + current_warnings(self.project.out)))
            if self.strict and warnings:
                raise StrictFailure(warnings)
            return BuildReport(
                sources=len(inputs.sources), entities=current_counts(self.project.out), pages_written=0,
                pages_unchanged=len(current_files(self.project.out)), pages_removed=0, extracted=0, cached=len(inputs.sources),
                seconds=time.perf_counter() - started, words=inputs.words,
                warnings=warnings,
                search_index_bytes=_file_size(self.project.out / "search-index.js"),
            )
        # From here on the build allocates millions of small objects that stay
        # reachable until it ends, and makes next to no reference cycles: the cyclic
        # collector would traverse them again and again for nothing (a third of a
        # rebuild's time at 1,000 sources, half a cold build's at 10,000). So it is
        # off until the files are written; the memos, which live as long as the
        # builder, are frozen out of its sight. (A model that runs in this process
        # does so on a few sources only: see Extractor.)
        gc.freeze()
        gc.disable()
        try:
            return self._run_stages(inputs, in_memory, started)
        finally:
            if self.remember:
                # What this build keeps for the next is frozen too: else the collector, on again, would walk it
                # all during the next build's first steps. Its cyclic garbage waits for an idle moment
                # (see watch.WatchSession.collect_garbage).
                gc.freeze()
            else:
                # Nothing is kept for a next build: what the stages made is freed now, by reference counting
                # (their locals went as _run_stages returned), so that the collector, on again, does not walk
                # it all once more at its first chance (a quarter of a second at 1,000 sources).
                self._analysed = self._rendered = self._extractor = None
            gc.enable()

    def _read_inputs(self) -> _Inputs:
        project = self.project
        overrides, content_warnings = load_content(project.content) if self.use_overrides else (Overrides(), ())
        sources, ingest_warnings = ingest(project.seeds, self._memos.sources if self._memos else None, project.follow_links)
        extractor = self._extractor_for(overrides.site.model)
        # What resolution, topics and quotes read: the articles, the model's results, and
        # of content/ only the rules that resolve (a description, say, is laid on after).
        analysis_key = (
            tuple((s.slug, s.content_hash, s.title, s.date, s.publisher, s.url, s.file, s.author, s.credits, s.summary_only, s.line) for s in sources),
            extractor.cache.key_salt, for_resolution(overrides),
        )
        templates_key = "".join(fingerprint_files(folder) for folder in template_folders(project.templates))
        build_key = hashlib.sha256(
            repr((code_fingerprint(), analysis_key, overrides, templates_key, self.use_overrides)).encode()
        ).hexdigest()
        return _Inputs(
            sources, sum(s.words for s in sources), tuple(ingest_warnings) + tuple(content_warnings), overrides,
            analysis_key, templates_key, build_key,
        )

    def _run_stages(self, inputs: _Inputs, in_memory: bool, started: float) -> BuildReport:
        """Extract, analyse, render and write, reusing what this builder kept."""
        project, memos, sources, overrides = self.project, self._memos, inputs.sources, inputs.overrides
        analysis_memos = memos if memos is not None else Memos.for_one_build()

        def prepare_rendering() -> None:
            self._render_memo(inputs.templates_key).prepare(project.templates, overrides.site, overrides.pages)

        extraction = self._extractor_for(overrides.site.model).run(
            sources, progress=(lambda done, total: self.progress("extract", done, total)) if self.progress else None,
            alongside=_Prework(analysis_memos, prepare_rendering),
        )
        if not in_memory:
            self._analysed = (inputs.analysis_key, analyse_sources(sources, extraction.extractions, overrides, analysis_memos))
        analysis_memos = None  # a single build's are done with: their memory is free for rendering
        analysed = curated(self._analysed[1], overrides)
        warnings = inputs.warnings + extraction.warnings + analysed.warnings
        if self.strict and warnings:
            raise StrictFailure(warnings)
        # A single build renders in helpers besides this process, forked (see write_site), as many as
        # it ran the model in, memory allowing; a Builder renders here, into the memos it keeps.
        files, shares, kinds = render_files(
            sources, extraction.extractions, analysed, overrides, project.templates, self._render_memo(inputs.templates_key), memos,
            helpers=0 if self.remember else self.jobs,
        )
        # The warnings about the inputs are remembered with the site, for a build that finds nothing changed to tell
        # again; not the cache's, which that build will not meet (the entry is mended), and which would make the site
        # depend on the state of the cache.
        remembered = inputs.warnings + analysed.warnings
        written = write_site(files, project.out, inputs.build_key, kinds, memos.written if memos else None, shares, remembered)  # renders as it writes
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

    def _render_memo(self, templates_key: str) -> RenderMemo:
        """What this builder rendered with these templates; a new memo when they changed."""
        if self._rendered is None or self._rendered[0] != templates_key:
            from .render import RenderMemo

            self._rendered = (templates_key, RenderMemo(keep=self.remember))
        return self._rendered[1]


class _Prework:
    """The per-source share of the analysis, done in this process while the model
    runs in worker processes (see Extractor.run): the word lists and the
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
        # Loaded once for the life of the process (both are cached): out of the collector's
        # sight, like what the build froze as it began, or it would walk them once more when
        # it is back on (a tenth of a second).
        gc.freeze()

    def extracted(self, source: Source, extraction: Extraction) -> None:
        self.memos.candidates.prepare(source, extraction, self.gazetteer)
        self.memos.phrases.occurrences(source, extraction)


def analyse_sources(sources: tuple[Source, ...], extractions: dict[str, Extraction], overrides: Overrides, memos: Memos | None = None) -> Analysed:
    """Resolve, topics and quotes: everything between the model and the pages.
    The memos carry per-source work over: a Builder's from its last build, and
    any build's from the work done alongside the model (see _Prework)."""
    resolution = resolve(sources, extractions, load_gazetteer(), overrides, memos.candidates if memos else None)
    topics = build_topics(sources, extractions, overrides, memos.phrases if memos else None, resolution.entities)
    entities = resolution.entities + topics.entities
    by_source = without_overlaps(sources, resolution.mentions + topics.mentions, memos.overlaps if memos else None)
    quotes = find_quotes(by_source, entities, memos.quotes if memos else None)
    return Analysed(entities, by_source, topics.subthemes, quotes, resolution.warnings + topics.warnings, resolution.curated)


def curated(analysed: Analysed, overrides: Overrides) -> Analysed:
    """The analysis with the curated texts of these overrides, which may differ from
    those it was made with in descriptions, notes, roles, countries and links only."""
    return replace(analysed, entities=with_curated_text(analysed.entities, analysed.curated, overrides))


def render_files(
    sources: tuple[Source, ...], extractions: dict[str, Extraction], analysed: Analysed, overrides: Overrides, templates: Path,
    rendered: RenderMemo | None = None, memos: Memos | None = None, helpers: int = 0,
) -> tuple[Iterator[tuple[str, bytes]], list[Generator[tuple[str, bytes], None, None]], dict[str, int]]:
    """Every output file, rendered one at a time as the iterators are consumed (the
    files, then the shares of them for up to `helpers` forked helper processes,
    as many as memory allows: see render_site and forked.affordable), and the
    number of pages of each kind. The linked Site lives only in the iterators, so
    its memory is free again once the files are written. The memos, a Builder's,
    carry what did not change over from its last build."""
    from .render import render_site

    site = link(
        sources, extractions, analysed.entities, analysed.by_source, analysed.subthemes, analysed.quotes, overrides.pages,
        memos.links if memos else None,
    )
    kinds = dict(Counter(p.entity.kind for p in site.entity_pages))
    files, share_files = render_site(
        site, overrides.site, templates, lambda: export_json(sources, analysed.entities, analysed.by_source, memos.export if memos else None),
        rendered, forked.affordable(helpers),
    )
    return files, share_files, kinds


@dataclass(frozen=True)
class Analysis:
    """Everything a build knows before it renders: for commands that inspect
    extraction rather than publish it (`briefing suggest`)."""

    sources: tuple[Source, ...]
    extractions: dict[str, Extraction]
    overrides: Overrides
    resolution: Resolution
    warnings: tuple[Diagnostic, ...]


def analyse(project: Project, *, use_overrides: bool = True, jobs: int = 1) -> Analysis:
    """Ingest, extract and resolve, without rendering or writing anything."""
    overrides, content_warnings = load_content(project.content) if use_overrides else (Overrides(), ())
    sources, ingest_warnings = ingest(project.seeds, follow_links=project.follow_links)
    extraction = Extractor(overrides.site.model, project.cache, jobs=jobs).run(sources)
    resolution = resolve(sources, extraction.extractions, load_gazetteer(), overrides)
    warnings = tuple(ingest_warnings) + tuple(content_warnings) + extraction.warnings + resolution.warnings
    return Analysis(sources, extraction.extractions, overrides, resolution, warnings)


def build(
    project: Project, *, use_overrides: bool = True, jobs: int = 1, progress: Progress | None = None, strict: bool = False, dask: str | None = None
) -> BuildReport:
    """Build the site once; with `strict`, a warning fails it before anything is written. The
    model runs on the Dask cluster at `dask` when one is named."""
    return Builder(project, use_overrides=use_overrides, jobs=jobs, progress=progress, remember=False, strict=strict, dask=dask).build()


def _file_size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def without_overlaps(
    sources: tuple[Source, ...], mentions: tuple[Mention, ...], memo: LastRun[str, tuple] | None = None
) -> tuple[SourceMentions, ...]:
    """Entity mentions first, then topics: where two overlap in a paragraph, the
    earlier in that order wins, so every mention kept can be linked on its source
    page. Source by source; with the `memo` of the last build, a source whose
    mentions are the very same objects (see memo.Interned) keeps its result,
    the very same SourceMentions."""
    of_source: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        of_source[m.source].append(m)
    kept: list[SourceMentions] = []
    for source in sources:
        ms = tuple(of_source.get(source.slug, ()))
        last = memo.last(source.slug) if memo is not None else None
        if last is None or last[0] is not source or last[1] != ms:
            kept_ms = _source_without_overlaps(source, ms)
            if last is not None and last[0] is source and last[2].mentions == kept_ms:
                last = (source, ms, last[2])  # the same mentions come in another order (topics re-ranked, say)
            else:
                last = (source, ms, SourceMentions.of(source, kept_ms))
        if memo is not None:
            memo.use(source.slug, last)
        kept.append(last[2])
    if memo is not None:
        memo.finish()
    return tuple(kept)


def _source_without_overlaps(source: Source, mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    kept: list[Mention] = []
    taken: dict[str, list[tuple[int, int]]] = {}  # by paragraph, the spans kept, in order: they never overlap
    for m in mentions:
        spans = taken.setdefault(m.paragraph, [])
        at = bisect_left(spans, (m.start, m.end))  # a search, not a scan: a long paragraph has thousands of mentions
        if (at > 0 and spans[at - 1][1] > m.start) or (at < len(spans) and spans[at][0] < m.end):
            continue
        spans.insert(at, (m.start, m.end))
        kept.append(m)
    position = {p.id: j for j, p in enumerate(source.paragraphs)}
    return tuple(sorted(kept, key=lambda m: (position[m.paragraph], m.start, m.entity_id)))
