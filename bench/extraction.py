"""Time the model alone on a corpus, for comparison with a whole build.

Modes:
  pipe     bare `nlp.pipe` with the model loaded exactly as the build loads it
           (`generator.nlp.load_model`: the same excluded components, the
           same sentencizer), on the same paragraph texts, one process; spaCy
           itself is imported as spaCy ships, `import spacy`, command line and
           all (the build leaves that out: see generator.nlp.import_spacy);
  full     `nlp.pipe` with the model's full default pipeline, for context;
  extract  the build's own extraction stage (`Extractor`, no cache) with
           `--jobs N` processes: the model plus turning each Doc into the
           small records the build keeps;
  dask     the same stage on a Dask LocalCluster of `--jobs N` worker
           processes (`briefing build --dask local`), the cluster's start
           included.

`pipe` and `full` with `--jobs N` run spaCy's own `nlp.pipe(n_process=N)`.

The texts come from a folder of articles (read as the build reads them) or,
for `pipe` and `full`, from a JSON list of paragraph texts (`--texts`), so
that the command does nothing but import spaCy, load the model and run it:
bench/run.py times it from start to exit, as it times `briefing build`.
Prints one JSON object, whose `seconds` are the time inside the process from
before spaCy is imported to the last Doc, then ends at once, without the
interpreter's teardown (freeing the model object by object, a tenth of a
second or more), which the build's own processes skip as well.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from generator import nlp as nlp_door

BATCH_SIZE = 64
"""What the build's extraction uses for any corpus of more than 64 paragraphs per process."""


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the model alone on a folder of articles or a list of texts; prints JSON.")
    parser.add_argument("seeds", type=Path, nargs="?", help="folder of articles (or give --texts)")
    parser.add_argument("--texts", type=Path, help="JSON list of paragraph texts to run instead of a folder's, for --mode pipe or full")
    parser.add_argument("--mode", choices=("pipe", "full", "extract", "dask"), default="pipe", help="what to time (see the module docstring)")
    parser.add_argument("--jobs", type=int, default=1, help="processes: the pool's, the cluster's workers, or nlp.pipe's n_process (default: 1)")
    parser.add_argument("--model", default=nlp_door.DEFAULT_MODEL, help="model name, as in content/site.yaml")
    args = parser.parse_args()
    if (args.seeds is None) == (args.texts is None) or (args.texts and args.mode in ("extract", "dask")):
        parser.error("give a folder of articles, or --texts for --mode pipe or full")

    if args.texts:
        texts = json.loads(args.texts.read_text(encoding="utf-8"))
    else:
        from generator.ingest import ingest

        sources, _ = ingest(args.seeds)
        texts = [p.text for s in sources for p in s.paragraphs]
    words = sum(len(text.split()) for text in texts)
    started = time.perf_counter()
    tokens = 0
    if args.mode in ("extract", "dask"):
        from generator.extract import Extractor

        result = Extractor(args.model, None, jobs=args.jobs, dask="local" if args.mode == "dask" else None).run(sources)
        assert result.extracted == len(sources)
    else:
        import spacy

        if args.mode == "pipe":
            nlp = nlp_door.load_model(args.model)
        else:
            nlp = spacy.load(nlp_door.resolve_model(args.model)[0])
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=args.jobs):
            tokens += len(doc)
    seconds = time.perf_counter() - started
    print(json.dumps({"mode": args.mode, "jobs": args.jobs, "seconds": seconds, "words": words, "tokens": tokens, "paragraphs": len(texts)}))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
