"""How the cost of every stage after extraction grows with the corpus:

    .venv/bin/python bench/growth.py --sizes 1000,10000,100000

For each size, a generated corpus (bench/corpus.py: the sample articles'
paragraphs recombined) has its extraction cache filled first, without running
the model on the corpus: a generated article is made of sample paragraphs, and
the model's result for a paragraph depends on its text alone, so each distinct
paragraph text goes through the model once (with the build's own pipeline,
`nlp.parse` and `nlp.analysis`) and every article's cache entry is assembled
from those results, the same entries a cold build would have written (see
`fill_cache`). Then, in a fresh process per size, one build from that cache runs
with each stage wrapped in a timer: ingest, reading the cache, resolve, topics,
overlaps, quotes, link, and within rendering and writing the search index, the
data export and the disk writes (rendering is what remains). Pages render in
the main process alone (no forked helpers), so that each stage's time is its
own. Each stage's peak memory is the process's peak resident size while it ran
(the kernel's high-water mark, reset as each stage begins: /proc/self/clear_refs).

The growth exponent of a stage between two sizes is log(t2/t1) / log(n2/n1):
1 is linear, 2 quadratic. Up to --watch-max articles it then times, in a running
`briefing watch`, an edited article to its pages on disk (see run.WatchSession),
and the peak memory of a whole `briefing build` from the cache (its process tree,
PSS). Results go to bench/results/growth.md and a JSON file.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import measure
from corpus import sample_pool
from run import GIB, PYTHON, RESULTS, ROOT, Corpus, WatchSession, generated_corpus, load_average, log, machine, with_paragraph

STAGES = ("ingest", "read cache", "resolve", "topics", "overlaps", "quotes", "link", "render", "search index", "export", "write")


# --- filling the cache ------------------------------------------------------------------------


def fill_cache(corpus: Corpus) -> int:
    """Write every article's cache entry from each distinct paragraph's model result
    (each distinct text run once through the model); the number of texts run."""
    from generator import nlp
    from generator.extract import Extractor
    from generator.model import Extraction, ParagraphAnalysis

    extractor = Extractor(nlp.DEFAULT_MODEL, corpus.cache)
    texts = sorted({p.text for s in corpus.sources for p in s.paragraphs})
    model = nlp.load_model(nlp.DEFAULT_MODEL)
    by_text = {text: (analysed.sentences, analysed.spans, analysed.phrases) for parsed, text in nlp.parse(model, ((text, (text, "p")) for text in texts)) for analysed in [nlp.analysis(text, parsed)]}
    for source in corpus.sources:
        paragraphs = tuple(ParagraphAnalysis(p.id, *by_text[p.text]) for p in source.paragraphs)
        extractor.cache.put(source, Extraction(source.slug, paragraphs))
    return len(texts)


# --- one build, stage by stage (in a process of its own) -----------------------------------------


class StageMeter:
    """Seconds and peak resident bytes per stage; stages may nest (the search index
    within rendering): an outer stage's peak includes its inner stages'."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.peak: dict[str, int] = defaultdict(int)
        self._open: list[str] = []

    @contextmanager
    def stage(self, name: str):
        self._fold()
        self._open.append(name)
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.cpu[name] += time.process_time() - cpu_started
            self._fold()
            self._open.pop()

    def _fold(self) -> None:
        """Credit the high-water mark since the last reset to every open stage, then reset it."""
        high = _high_water_mark()
        for name in self._open:
            self.peak[name] = max(self.peak[name], high)
        Path("/proc/self/clear_refs").write_text("5")


def _high_water_mark() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def wrap(meter: StageMeter, module, attribute: str, stage: str) -> None:
    real = getattr(module, attribute)

    def timed(*args, **kwargs):
        with meter.stage(stage):
            return real(*args, **kwargs)

    setattr(module, attribute, timed)


def one_build(root: Path) -> dict:
    """Build the corpus at `root` from its cache, each stage timed; what the parent process reads."""
    from generator import build as build_module
    from generator import extract, forked, render, write
    from generator.build import Project, build

    meter = StageMeter()
    for attribute, stage in [
        ("ingest", "ingest"),
        ("resolve", "resolve"),
        ("build_topics", "topics"),
        ("without_overlaps", "overlaps"),
        ("find_quotes", "quotes"),
        ("link", "link"),
        ("write_site", "render"),
        ("export_json", "export"),
    ]:
        wrap(meter, build_module, attribute, stage)
    wrap(meter, extract.Extractor, "run", "read cache")
    wrap(meter, render, "search_script", "search index")
    wrap(meter, write, "write_beside", "write")
    forked.affordable = lambda wanted: 0  # every page in this process, timed
    project = Project(seeds=root / "seeds", content=root / "content", templates=root / "templates", out=root / "growth-site", cache=root / "cache")
    shutil.rmtree(project.out, ignore_errors=True)  # every page written, as in a first build
    started, cpu_started = time.perf_counter(), time.process_time()
    report = build(project, jobs=1)
    total, cpu_total = time.perf_counter() - started, time.process_time() - cpu_started
    assert report.extracted == 0, f"the model ran on {report.extracted} sources: the cache was not filled"
    seconds, cpu = dict(meter.seconds), dict(meter.cpu)
    for spent, whole in ((seconds, total), (cpu, cpu_total)):
        spent["render"] -= spent.get("search index", 0) + spent.get("export", 0) + spent.get("write", 0)  # render_site's own share
        spent["other"] = whole - sum(spent.values())  # reading the inputs, content/ and templates; the gazetteer and word lists
        spent["total"] = whole
    return {"seconds": seconds, "cpu": cpu, "peak": dict(meter.peak), "process_peak": _process_peak(), "pages": report.pages_written}


def _process_peak() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- the run ----------------------------------------------------------------------------------------


def watch_edits(corpus: Corpus, edits: int) -> dict:
    """An edited article to pages on disk in a running `briefing watch`: the first edit (which loads the model) apart."""
    session = WatchSession(corpus)
    try:
        session.wait_for(lambda: "watching " in session.output(), "start", 1800)
        _, paragraphs = sample_pool()
        seeds = sorted(corpus.seeds.glob("*.txt"))
        originals = {}

        def edit(i: int) -> float:
            seed = seeds[(i * 7919) % len(seeds)]
            originals.setdefault(seed, seed.read_text(encoding="utf-8"))
            return session.timed_save(seed, with_paragraph(seed.read_text(encoding="utf-8"), paragraphs, i))

        first = edit(0)
        times = [edit(i) for i in range(1, edits + 1)]
    finally:
        session.close()
    for seed, text in originals.items():  # the corpus as it was, for a later run
        seed.write_text(text, encoding="utf-8")
    return {"first_edit_s": first, "edit_s": times}


def exponent(t1: float, t2: float, n1: int, n2: int) -> float | None:
    if t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def markdown(results: dict) -> str:
    rows = results["rows"]
    pairs = list(itertools.pairwise(rows))
    out = [
        f"Measured {results['date']} on {results['machine']} with `{results['command']}` (load average {results['load_before']} before, {results['load_after']} after).",
        "",
        "Per size: wall time, CPU time of the process, peak resident memory of the process while the stage ran. "
        "Exponents from the CPU time, which other processes on the machine disturb less than the wall time.",
        "",
        "| stage | " + " | ".join(f"{r['size']:,}: wall | CPU | peak" for r in rows) + " | " + " | ".join(f"exponent {a['size']:,}→{b['size']:,}" for a, b in pairs) + " |",
        "| --- |" + " ---: | ---: | ---: |" * len(rows) + " ---: |" * len(pairs),
    ]
    for stage in [*STAGES, "other", "total"]:
        cells = []
        for r in rows:
            peak = r["process_peak"] if stage == "total" else r["peak"].get(stage)
            cells.append(f"{r['seconds'].get(stage, 0.0):.2f} s | {r['cpu'].get(stage, 0.0):.2f} s | " + (f"{peak / GIB:.2f} GiB" if peak else "–"))
        growth = []
        for a, b in pairs:
            e = exponent(a["cpu"].get(stage, 0.0), b["cpu"].get(stage, 0.0), a["size"], b["size"])
            growth.append("–" if e is None else f"{e:.2f}")
        out.append(f"| {stage} | " + " | ".join(cells) + " | " + " | ".join(growth) + " |")
    watched = [r for r in rows if r.get("edit_s")]
    if watched:
        out += ["", "| in a running `briefing watch` | " + " | ".join(f"{r['size']:,}" for r in watched) + " |", "| --- |" + " ---: |" * len(watched)]
        out.append("| edited article → pages on disk, median | " + " | ".join(f"{statistics.median(r['edit_s']):.2f} s (of {', '.join(f'{t:.2f}' for t in r['edit_s'])})" for r in watched) + " |")
        out.append("| first edit (loads the model) | " + " | ".join(f"{r['first_edit_s']:.2f} s" for r in watched) + " |")
    built = [r for r in rows if r.get("build_pss")]
    if built:
        out += ["", "| `briefing build` from the cache, whole process tree | " + " | ".join(f"{r['size']:,}" for r in built) + " |", "| --- |" + " ---: |" * len(built)]
        out.append("| time | " + " | ".join(f"{r['build_s']:.1f} s" for r in built) + " |")
        out.append("| peak memory (PSS; RSS summed) | " + " | ".join(f"{r['build_pss'] / GIB:.2f} GiB; {r['build_rss'] / GIB:.2f} GiB" for r in built) + " |")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Time every stage after extraction at growing corpus sizes, with peak memory and growth exponents.")
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes, comma-separated (default: 1000,10000,100000)")
    parser.add_argument("--watch-max", type=int, default=10000, help="time watch edits and a whole build up to this size (default: 10000; 0: none)")
    parser.add_argument("--edits", type=int, default=5, help="timed edits in the watch (default: 5)")
    parser.add_argument("--work", type=Path, default=RESULTS / "work", help="folder for corpora, caches and sites (default: bench/results/work)")
    parser.add_argument("--table", type=Path, nargs="+", metavar="JSON", help="only print the table of earlier runs' results files, their sizes merged")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: one timed build, in a process of its own
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)  # ignored by git: a fresh clone has none
    if args.one:
        print(json.dumps(one_build(args.one)))
        return 0
    if args.table:
        runs = [json.loads(path.read_text()) for path in args.table]
        merged = dict(runs[0], rows=sorted((row for run in runs for row in run["rows"]), key=lambda row: row["size"]))
        merged["command"] = " and ".join(run["command"] for run in runs)
        merged["load_after"] = " / ".join(run.get("load_after", "?") for run in runs)
        merged["load_before"] = " / ".join(run["load_before"] for run in runs)
        print(markdown(merged))
        return 0
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "command": " ".join(["bench/growth.py", *sys.argv[1:]]),
        "load_before": load_average(),
        "rows": [],
    }
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for size in sorted(int(s) for s in args.sizes.split(",")):
        corpus = generated_corpus(args.work, size)
        log(f"{size:,} articles: filling the cache")
        texts = fill_cache(corpus)
        log(f"{size:,} articles: cache filled ({texts} distinct paragraphs through the model); one build, stage by stage")
        done = subprocess.run([PYTHON, __file__, "--one", str(corpus.seeds.parent)], cwd=ROOT / "bench", capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"the timed build of {size:,} failed:\n{done.stderr[-3000:]}")
        row = {"size": size, "words": corpus.words(), **json.loads(done.stdout.strip().splitlines()[-1])}
        log(f"{size:,} articles: " + ", ".join(f"{k} {v:.2f} s ({row['cpu'][k]:.2f} s CPU)" for k, v in row["seconds"].items()))
        if size <= args.watch_max:
            whole = measure.run([PYTHON, "-m", "generator", "build", *corpus.options()], cwd=ROOT)
            row.update(build_s=whole.seconds, build_pss=whole.peak_pss, build_rss=whole.peak_rss)
            log(f"{size:,} articles: briefing build from the cache {whole.seconds:.1f} s, peak {whole.peak_pss / GIB:.2f} GiB PSS")
            if args.edits:
                row.update(watch_edits(corpus, args.edits))
                log(f"{size:,} articles: edits {row['edit_s']} (first {row['first_edit_s']:.2f} s)")
        results["rows"].append(row)
        (RESULTS / f"growth-{stamp}.json").write_text(json.dumps(results, indent=1) + "\n")
    results["load_after"] = load_average()
    (RESULTS / f"growth-{stamp}.json").write_text(json.dumps(results, indent=1) + "\n")
    table = markdown(results)
    (RESULTS / "growth.md").write_text(table)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
