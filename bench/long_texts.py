"""Benchmark the long texts of issue 15: one 20 MB article, and one article that is a
single 1 MB line. Each is built cold (an empty cache) in a fresh process, with its time,
its peak memory (the proportional set size of the build and its workers: see
measure.py), and the size of its largest page.

    .venv/bin/python bench/long_texts.py                 # both, into bench/results/long/
    .venv/bin/python bench/long_texts.py --megabytes 2   # a smaller long article

The articles are the sample paragraphs, recombined as bench/corpus.py does: real news
prose, so the model finds as many names per kilobyte as in a real article.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

from corpus import sample_pool
from measure import run

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "long"


def long_article(out: Path, megabytes: float, rng: random.Random) -> None:
    """A .txt article of about `megabytes` MB: one paragraph a line, each made distinct by a
    numbered sentence (cleaning keeps a repeated paragraph once, which would fold the article)."""
    _, paragraphs = sample_pool()
    lines, size = ["A very long article"], 0
    while size < megabytes * 1_000_000:
        lines.append(f"{rng.choice(paragraphs)} This is entry {len(lines)} of the record.")
        size += len(lines[-1].encode("utf-8")) + 1
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def long_line(out: Path, megabytes: float, rng: random.Random) -> None:
    """A .txt article whose body is one line of about `megabytes` MB: a scraped page that lost its line breaks."""
    _, paragraphs = sample_pool()
    parts, size = [], 0
    while size < megabytes * 1_000_000:
        parts.append(rng.choice(paragraphs))
        size += len(parts[-1].encode("utf-8")) + 1
    out.write_text("A page on one line\n" + " ".join(parts) + "\n", encoding="utf-8")


def measure(name: str, make, megabytes: float) -> dict:
    folder = RESULTS / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "seeds").mkdir(parents=True)
    make(folder / "seeds" / f"{name}.txt", megabytes, random.Random(f"{name}:{megabytes}"))
    measured = run([sys.executable, "-m", "generator", "build", "--templates", str(REPO / "templates"), "--no-cache", "-q"], cwd=folder)
    if measured.returncode != 0:
        raise SystemExit(f"{name}: the build failed:\n{measured.output}")
    pages = list((folder / "site").rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {
        "article": name,
        "megabytes": round((folder / "seeds" / f"{name}.txt").stat().st_size / 1e6, 1),
        "seconds": round(measured.seconds, 1),
        "peak_pss_gib": round(measured.peak_pss / 2**30, 2),
        "largest_page": f"{largest.relative_to(folder / 'site')} ({largest.stat().st_size / 1e6:.1f} MB)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Time and memory of a cold build of one very long article, and of one 1 MB line.")
    parser.add_argument("--megabytes", type=float, default=20, help="size of the long article (default: 20)")
    parser.add_argument("--line-megabytes", type=float, default=1, help="size of the one-line article (default: 1)")
    args = parser.parse_args()
    rows = [measure("long-article", long_article, args.megabytes), measure("long-line", long_line, args.line_megabytes)]
    print("| article | size | cold build | peak memory (PSS) | largest page |")
    print("| --- | ---: | ---: | ---: | --- |")
    for row in rows:
        print(f"| {row['article']} | {row['megabytes']} MB | {row['seconds']} s | {row['peak_pss_gib']} GiB | {row['largest_page']} |")


if __name__ == "__main__":
    main()
