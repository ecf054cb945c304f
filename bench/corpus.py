"""Generate a benchmark corpus from the sample articles by recombining their paragraphs.

Every generated source is a `.txt` article like the samples: a title line,
a date line, paragraphs of real news prose drawn from the samples, and a
`Source:` line. The same seed and size give the same files, byte for byte,
so two runs of the benchmark measure the same work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

from generator.ingest import ingest

SAMPLE_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PARAGRAPHS_PER_SOURCE = (6, 14)
"""About 400 words a source: the length of a short news report."""


def sample_pool(seeds: Path = SAMPLE_SEEDS) -> tuple[list[str], list[str]]:
    """The sample articles' titles and body paragraphs (headings left out)."""
    sources, _ = ingest(seeds)
    titles = [s.title for s in sources]
    paragraphs = [p.text for s in sources for p in s.paragraphs if not p.heading]
    if not paragraphs:
        raise SystemExit(f"no sample paragraphs found in {seeds}")
    return titles, paragraphs


def generate(out: Path, size: int, *, seed: int = 2025, seeds: Path = SAMPLE_SEEDS) -> Path:
    """Write `size` articles into `out` (emptied first) and return it."""
    titles, paragraphs = sample_pool(seeds)
    rng = random.Random(f"{seed}:{size}")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    first_day = dt.date(2025, 1, 1)
    for i in range(size):
        count = rng.randint(*PARAGRAPHS_PER_SOURCE)
        body = rng.sample(paragraphs, min(count, len(paragraphs)))
        title = f"{rng.choice(titles).rstrip('.')} (report {i + 1})"
        date = first_day + dt.timedelta(days=rng.randrange(365))
        text = "\n\n".join([title, f"date {date.isoformat()}", *body, "Source: bench.example"]) + "\n"
        (out / f"article-{i:05d}.txt").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a benchmark corpus of recombined sample paragraphs.")
    parser.add_argument("out", type=Path, help="folder to write the articles into (emptied first)")
    parser.add_argument("--size", type=int, default=100, help="number of articles (default: 100)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed: the same seed gives the same corpus")
    args = parser.parse_args()
    generate(args.out, args.size, seed=args.seed)
    print(f"wrote {args.size} articles to {args.out}/")


if __name__ == "__main__":
    main()
