"""Time resolution alone on a folder of real articles, the model's results read from the cache.

    .venv/bin/python bench/resolution.py ../shared/eval/devset/corpus --copies 10

Resolves the articles (`generator.resolve.resolve`, a fresh memo each round, so each
source is cleaned again as in a build from the cache) and prints the CPU time of the
best round, whole and of the per-source cleaning alone. `--copies N` resolves the
folder N times over as one corpus (each copy its own sources), for a corpus of real
text larger than the folder. The same command with `PYTHONPATH` pointing at another
checkout times that checkout's resolution on the same input, for a before and after
in one sitting (the machine's load moves both alike): the script uses only what
every version since the extraction cache has had.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from generator import lexicon
from generator.extract import Extractor
from generator.gazetteer import load_gazetteer
from generator.ingest import ingest
from generator.resolve import resolve

try:
    from generator.cleaning import Cleaner
except ImportError:  # a checkout from before cleaning had a module of its own
    from generator.resolve import _Cleaner as Cleaner  # type: ignore[attr-defined, no-redef]


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU time of resolution alone on a folder of articles whose extractions are cached.")
    parser.add_argument("seeds", type=Path, help="folder of articles, already built once (their extractions in --cache)")
    parser.add_argument("--cache", type=Path, default=Path(".briefing-cache"), help="the extraction cache (default: .briefing-cache)")
    parser.add_argument("--model", default="en_core_web_sm", help="the model whose cached results to read (default: en_core_web_sm)")
    parser.add_argument("--copies", type=int, default=1, help="resolve the folder this many times over as one corpus (default: 1)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the best is printed (default: 5)")
    args = parser.parse_args()

    sources, _ = ingest(args.seeds)
    extractions = Extractor(args.model, args.cache).run(sources).extractions
    corpus, by_slug = [], {}
    for copy in range(args.copies):
        for source in sources:
            slug = f"{source.slug}-{copy}"
            corpus.append(dataclasses.replace(source, slug=slug, file=f"{copy}/{source.file}"))
            by_slug[slug] = dataclasses.replace(extractions[source.slug], source_slug=slug)
    gazetteer = load_gazetteer()
    lexicon.load()
    resolve(tuple(corpus[: len(sources)]), by_slug, gazetteer)  # the word lists' and gazetteer's caches warm

    def best(run) -> float:
        times = []
        for _ in range(args.rounds):
            started = time.process_time()
            run()
            times.append(time.process_time() - started)
        return min(times)

    whole = best(lambda: resolve(tuple(corpus), by_slug, gazetteer))

    def clean() -> None:
        cleaner = Cleaner(gazetteer)
        for source in corpus:
            cleaner.source_candidates(source, by_slug[source.slug])

    cleaning = best(clean)
    print(f"{len(corpus)} articles: resolve {whole:.3f} s CPU, of which cleaning {cleaning:.3f} s ({1000 * cleaning / len(corpus):.2f} ms an article); best of {args.rounds}")


if __name__ == "__main__":
    main()
