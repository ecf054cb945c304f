"""Extraction on 2 processes three ways, on the same articles, in one run:

    .venv/bin/python bench/scaleout.py --size 1000 --rounds 3

* the build's extraction stage with its local pool, `--jobs 2`;
* the same stage on a Dask LocalCluster of 2 worker processes (`--dask local
  --jobs 2`), the cluster's start included, as a build pays it;
* bare spaCy, `nlp.pipe(n_process=2)`, with the model loaded as the build loads it.

Each is a command of its own (bench/extraction.py), run in turn `--rounds` times
so that a slow spell of a noisy machine falls on all three; the best of each is
kept, its time measured inside the process from before spaCy's import to the last
result. Beside it, the CPU time of the command and every process it started and
waited for (workers, the cluster's), which other work on a shared machine
disturbs far less than the wall time: what each way costs in all. Prints a
Markdown table and writes it to bench/results/scaleout.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from run import RESULTS, generated_corpus, load_average, log, machine, model_alone

MODES = {
    "--jobs 2 (local pool)": ("extract", False),
    "--dask local, 2 workers": ("dask", False),
    "bare spaCy, nlp.pipe(n_process=2)": ("pipe", True),
}


def _children_cpu() -> float:
    """User and system seconds of every process this one started and waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description="Extraction words/s: --jobs 2, --dask local with 2 workers, bare nlp.pipe(n_process=2).")
    parser.add_argument("--size", type=int, default=1000, help="generated articles (default: 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, in turn; the best is kept (default: 3)")
    parser.add_argument("--work", default=str(RESULTS / "work"), help="folder for the corpus (default: bench/results/work)")
    args = parser.parse_args()
    corpus = generated_corpus(Path(args.work), args.size)
    words = corpus.words()
    texts = corpus.paragraph_texts
    load_before = load_average()
    runs: dict[str, list[float]] = {label: [] for label in MODES}
    cpu: dict[str, list[float]] = {label: [] for label in MODES}
    for round_ in range(1, args.rounds + 1):
        for label, (mode, on_texts) in MODES.items():
            before = _children_cpu()
            seconds = model_alone(corpus, mode, jobs=2, texts=texts if on_texts else None).inside_s
            runs[label].append(seconds)
            cpu[label].append(_children_cpu() - before)
            log(f"round {round_}: {label}: {seconds:.1f} s, {words / seconds:,.0f} words/s, {cpu[label][-1]:.1f} s CPU")
    local = min(runs["--jobs 2 (local pool)"])
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {machine()} with `bench/scaleout.py --size {args.size} --rounds {args.rounds}` "
        f"({args.size:,} generated articles, {words:,} words; load average {load_before} before, {load_average()} after).",
        "",
        "| extraction on 2 processes | best time | words/s | ÷ local pool | every run | CPU time, all processes (least) | ÷ local pool |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    local_cpu = min(cpu["--jobs 2 (local pool)"])
    for label, times in runs.items():
        best = min(times)
        lines.append(
            f"| {label} | {best:.1f} s | {words / best:,.0f} | {best / local:.2f}× | {', '.join(f'{t:.1f} s' for t in times)} | {min(cpu[label]):.1f} s | {min(cpu[label]) / local_cpu:.2f}× |"
        )
    table = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scaleout.md").write_text(table)
    (RESULTS / f"scaleout-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps({"words": words, "runs": runs, "cpu": cpu}, indent=1) + "\n")
    print()
    print(table)


if __name__ == "__main__":
    main()
