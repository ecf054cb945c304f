"""Extract: run the model over sources, with an on-disk cache per source.

The cache key is the source's content hash, the model's name and version
and the extraction settings, so an edit to one source re-runs the model on
that source only, an edit to `content/` re-runs it on nothing, and a new
model version invalidates everything. A corrupt or unreadable cache entry
is a miss with a warning, never a crash.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import nlp as nlp_door
from . import workers
from .atomic import write_atomic
from .errors import Diagnostic
from .model import Extraction, Paragraph, ParagraphAnalysis, Source, Span
from .workers import POOL_MIN_SOURCES

if TYPE_CHECKING:
    from spacy.language import Language

EXTRACTION_VERSION = 1
"""Bump when what `nlp.analysis` stores changes, to invalidate old cache entries."""


def settings_fingerprint() -> str:
    return json.dumps(
        {
            "version": EXTRACTION_VERSION,
            "excluded": nlp_door.EXCLUDED_COMPONENTS,
            "labels": sorted(nlp_door.KEPT_LABELS),
            "phrase_tokens": nlp_door.MAX_PHRASE_TOKENS,
            "piece_chars": nlp_door.MAX_PIECE_CHARS,
        },
        sort_keys=True,
    )


def cache_salt(model_fingerprint: str) -> str:
    """What every cache key of this model and these settings starts from (see ExtractionCache.key)."""
    return f"{model_fingerprint}\n{settings_fingerprint()}\n"


class ExtractionCache:
    """Per-source extraction results as small JSON files under `folder/extract/`."""

    def __init__(self, folder: Path | None, model_fingerprint: str):
        self.folder = folder / "extract" if folder else None
        self.key_salt = cache_salt(model_fingerprint)
        self.warnings: list[Diagnostic] = []

    def key(self, source: Source) -> str:
        return hashlib.sha256((self.key_salt + source.content_hash).encode("utf-8")).hexdigest()

    def _path(self, source: Source) -> Path | None:
        if self.folder is None:
            return None
        key = self.key(source)
        return self.folder / key[:2] / f"{key}.json"

    def get(self, source: Source) -> Extraction | None:
        path = self._path(source)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("paragraphs"), list):
                raise ValueError("not an extraction")
            if len(data["paragraphs"]) != len(source.paragraphs):
                raise ValueError("paragraphs do not match the source")
            paragraphs = tuple(_checked(entry, paragraph) for entry, paragraph in zip(data["paragraphs"], source.paragraphs, strict=True))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.warnings.append(Diagnostic.warning(f"ignored a corrupt cache entry ({exc}); the source is extracted again", str(path)))
            return None
        return Extraction(source.slug, paragraphs)

    def put(self, source: Source, extraction: Extraction) -> None:
        path = self._path(source)
        if path is None:
            return
        data = {
            "file": source.file,
            "paragraphs": [
                {
                    "id": p.paragraph_id,
                    "sentences": p.sentences,
                    "spans": [(s.start, s.end, s.label) for s in p.spans],
                    "phrases": p.phrases,
                }
                for p in extraction.paragraphs
            ],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
        except OSError as exc:  # a read-only or full disk slows later builds down but breaks nothing
            self.warnings.append(Diagnostic.warning(f"could not write the extraction cache ({exc.strerror})", str(path)))


def _checked(entry: object, paragraph: Paragraph) -> ParagraphAnalysis:
    """A cache entry's analysis of `paragraph`, once it is known to fit the paragraph:
    anyone can write into the cache folder, and an entry that is valid JSON with
    wrong values (offsets as strings, past the text, inside a word; a label the
    model does not give) would crash a later stage or silently change the site.
    Raises ValueError or TypeError for any that does not fit."""
    if not isinstance(entry, dict) or entry.get("id") != paragraph.id:
        raise ValueError("paragraphs do not match the source")
    text = paragraph.text
    sentences = _offsets(entry["sentences"], text, "sentence")
    if any(b[0] < a[1] for a, b in pairwise(sentences)):
        raise ValueError("sentences overlap or are out of order")
    spans = []
    for item in entry["spans"]:
        if not isinstance(item, list) or len(item) != 3 or item[2] not in nlp_door.KEPT_LABELS:
            raise ValueError(f"not an entity span: {str(item)[:40]}")
        ((start, end),) = _offsets([item[:2]], text, "entity")
        if text[start:end] != text[start:end].strip() or _inside_word(text, start) or _inside_word(text, end):
            raise ValueError(f"an entity span that does not fit the paragraph: {start}-{end}")
        spans.append(Span(start, end, item[2]))
    return ParagraphAnalysis(paragraph.id, sentences, tuple(spans), _offsets(entry["phrases"], text, "phrase"))


def _offsets(items: object, text: str, what: str) -> tuple[tuple[int, int], ...]:
    """Pairs of character offsets, each a non-empty range within `text`."""
    if not isinstance(items, list):
        raise TypeError(f"{what} offsets are not a list")
    pairs = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 2 and all(type(n) is int for n in item) and 0 <= item[0] < item[1] <= len(text)):
            raise ValueError(f"{what} offsets outside the paragraph: {str(item)[:40]}")
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def _inside_word(text: str, at: int) -> bool:
    """Whether `at` falls between two letters or digits: the model's spans start and end between tokens."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


@dataclass(frozen=True)
class ExtractResult:
    extractions: dict[str, Extraction]  # by source slug
    extracted: int
    cached: int
    warnings: tuple[Diagnostic, ...]


Progress = Callable[[int, int], None]
"""Called with (sources done, sources to extract) as the model works."""


class Alongside(Protocol):
    """Work to do in this process while the model runs in others (see `Extractor.run`)."""

    def start(self) -> None:
        """The model is starting in other processes."""

    def extracted(self, source: Source, extraction: Extraction) -> None:
        """The model is done with `source`."""


class Extractor:
    """Extraction for a sequence of builds: keeps results in memory by cache key
    and the model loaded, so a rebuild runs the model on changed sources only
    and never loads it twice."""

    def __init__(self, model_name: str, cache_dir: Path | None, *, jobs: int = 1, dask: str | None = None):
        self.model_name = model_name
        self.jobs = jobs
        self.dask = dask  # a Dask scheduler's address (or cluster.LOCAL) to run the model on instead of here
        _, fingerprint = nlp_door.resolve_model(model_name)
        self.cache = ExtractionCache(cache_dir, fingerprint)
        self._memory: dict[str, Extraction] = {}
        self._nlp: Language | None = None

    def run(self, sources: tuple[Source, ...], progress: Progress | None = None, alongside: Alongside | None = None) -> ExtractResult:
        """Every source's extraction: from memory, the cache, or the model. When the
        model runs in worker processes, `alongside` gets this process's idle time:
        its start, then each source as it comes back."""
        self.cache.warnings = []
        found: dict[str, Extraction] = {}
        missing: list[Source] = []
        memory: dict[str, Extraction] = {}
        for source in sources:
            key = self.cache.key(source)
            hit = self._memory.get(key) or self.cache.get(source)
            if hit is None:
                missing.append(source)
            else:
                found[source.slug] = memory[key] = Extraction(source.slug, hit.paragraphs)
        if missing:
            by_slug = {s.slug: s for s in missing}
            elsewhere = self.dask is not None or len(missing) >= POOL_MIN_SOURCES
            for done, extraction in enumerate(self._extract(missing, alongside if elsewhere else None), start=1):
                source = by_slug[extraction.source_slug]
                found[source.slug] = memory[self.cache.key(source)] = extraction
                self.cache.put(source, extraction)
                if elsewhere and alongside is not None:
                    alongside.extracted(source, extraction)
                if progress:
                    progress(done, len(missing))
            found = {s.slug: found[s.slug] for s in sources}  # a cluster's come back in any order
        self._memory = memory  # only what the current sources use: memory stays bounded
        return ExtractResult(found, len(missing), len(sources) - len(missing), tuple(self.cache.warnings))

    def load_model(self) -> bool:
        """Load the model into this process, where a few sources at a time run through
        it (see _extract), unless it is loaded already; whether it was loaded now."""
        if self._nlp is not None:
            return False
        self._model()
        return True

    def _model(self) -> Language:
        if self._nlp is None:
            self._nlp = nlp_door.load_model(self.model_name)
        return self._nlp

    def _extract(self, sources: list[Source], alongside: Alongside | None = None) -> Iterator[Extraction]:
        """All sources on a Dask cluster when one is named (in the order they come
        back); else a few sources in this process (the model loaded here once for
        all builds), more in a pool of `jobs` worker processes, each with its own
        model, one worker included (in source order). Whenever the model runs
        elsewhere, this process does the build's other work (`alongside`) meanwhile."""
        if self.dask is not None:
            from . import cluster

            yield from cluster.extract(self.dask, self.jobs, self.model_name, self.cache.key_salt, sources, alongside.start if alongside is not None else None)
            return
        if len(sources) < POOL_MIN_SOURCES:
            for source, parsed in zip(sources, nlp_door.parse_sources(self._model(), sources), strict=True):
                yield _analysed(source, parsed)
            return
        chunks = [sources[i : i + POOL_CHUNK] for i in range(0, len(sources), POOL_CHUNK)]
        # Workers rather than nlp.pipe(n_process=N): spaCy's own send every Doc back to
        # this process, which measured no faster than one process; these send back only
        # each paragraph's entities and a small table of its tokens (nlp.Parsed), analysed here.
        with workers.pool(self.jobs) as pool:
            results = pool.map(functools.partial(workers.run_model, self.model_name), chunks)  # all submitted: every worker starts now
            if alongside is not None:
                alongside.start()
            for chunk, chunk_parsed in zip(chunks, results, strict=True):
                for source, paragraphs in zip(chunk, chunk_parsed, strict=True):
                    yield _analysed(source, paragraphs)


POOL_CHUNK = 16
"""Sources per task: small enough to keep every worker busy to the end, large enough to batch."""


def _analysed(source: Source, parsed: tuple[nlp_door.Parsed, ...]) -> Extraction:
    """The source's extraction from what the model made of its paragraphs (see nlp.Parsed)."""
    return Extraction(source.slug, tuple(nlp_door.analysis(p.text, each) for p, each in zip(source.paragraphs, parsed, strict=True)))
