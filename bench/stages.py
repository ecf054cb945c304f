"""Where a build's time goes, stage by stage, in one long-lived Builder (as in `briefing watch`).

    .venv/bin/python bench/stages.py bench/results/work/corpus-1000

Builds the corpus once (from its cache, so run bench/run.py or a build
first), then times a rebuild after an edit to one source and one after an
edit to content/, printing the seconds each stage took. The stages are the
functions `generator.build` calls, each wrapped in a timer here; the
project's files are restored afterwards.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from corpus import sample_pool
from generator import build as build_module
from generator.build import Builder, Project

# Pages are rendered as they are written: write_site's time includes rendering (and export_json's).
STAGES = ("load_content", "ingest", "templates_key", "resolve", "build_topics", "without_overlaps", "find_quotes", "link", "export_json", "write_site")


def timed_stages() -> dict[str, float]:
    spent: dict[str, float] = defaultdict(float)
    for name in STAGES:
        real = getattr(build_module, name)

        def timed(*args, _real=real, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_name] += time.perf_counter() - started

        setattr(build_module, name, timed)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description="Time each stage of a first build, a source edit and a content edit.")
    parser.add_argument("project", type=Path, help="folder with seeds/, content/, templates/ and cache/ (a bench/run.py corpus)")
    args = parser.parse_args()
    root = args.project
    project = Project(seeds=root / "seeds", content=root / "content", templates=root / "templates", out=root / "stages-site", cache=root / "cache")
    spent = timed_stages()
    builder = Builder(project)
    seed = sorted(project.seeds.glob("*.txt"))[0]
    original = seed.read_text(encoding="utf-8")
    entities = project.content / "entities.yaml"
    _, paragraphs = sample_pool()
    lines = original.rstrip("\n").split("\n")
    edits = {
        "first build": lambda: None,
        "one source edited": lambda: seed.write_text("\n".join(lines[:-1] + [paragraphs[0], "", lines[-1]]) + "\n", encoding="utf-8"),
        "content/ edited": lambda: entities.write_text("entities:\n  - name: Bench Mark\n    description: Timed.\n", encoding="utf-8"),
    }
    rows = {}
    try:
        for label, edit in edits.items():
            edit()
            spent.clear()
            started = time.perf_counter()
            report = builder.build()
            rows[label] = dict(spent, total=time.perf_counter() - started, extract=report.extracted)
    finally:
        seed.write_text(original, encoding="utf-8")
        entities.unlink(missing_ok=True)
    columns = [*STAGES, "total"]
    print("| stage | " + " | ".join(rows) + " |")
    print("| --- |" + " ---: |" * len(rows))
    for column in columns:
        print(f"| {column if column != 'write_site' else 'render + write_site'} | " + " | ".join(f"{row.get(column, 0):.3f}" for row in rows.values()) + " |")
    print("| sources through the model | " + " | ".join(str(row["extract"]) for row in rows.values()) + " |")


if __name__ == "__main__":
    main()
