"""Overlaps: where an entity's mention and a topic's overlap in a paragraph, which
one is kept. Between topics and quotes: every mention kept can be linked on its
source page, and quotes and links read each source's mentions from here.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import defaultdict

from .memo import LastRun
from .model import Mention, Source, SourceMentions


def without_overlaps(sources: tuple[Source, ...], mentions: tuple[Mention, ...], memo: LastRun[str, SourceMentions] | None = None) -> tuple[SourceMentions, ...]:
    """Entity mentions first, then topics: where two overlap in a paragraph, the
    earlier in that order wins, so every mention kept can be linked on its source
    page. Source by source; with the `memo` of the last build, a source whose
    mentions are the very same objects (see memo.Interned) keeps its result,
    the very same SourceMentions, which the later stages recognise by identity."""
    memo = memo or LastRun(keep=False)
    of_source: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        of_source[m.source].append(m)
    kept: list[SourceMentions] = []
    for source in sources:
        ms = tuple(of_source.get(source.slug, ()))
        settle = functools.partial(_settled, source, ms, memo.last(source.slug))
        kept.append(memo.reuse(source.slug, (source,), settle, equal=(ms,)))
    memo.finish()
    return tuple(kept)


def _settled(source: Source, mentions: tuple[Mention, ...], last: SourceMentions | None) -> SourceMentions:
    kept = _source_without_overlaps(source, mentions)
    if last is not None and last.source is source and last.mentions == kept:
        return last  # the same mentions come in another order (topics re-ranked, say)
    return SourceMentions.of(source, kept)


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
