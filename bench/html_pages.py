"""How fast saved web pages are read: articles per second of HTML extraction, beside the build's own rate.

    .venv/bin/python bench/html_pages.py                 # 1,000 pages: about 2 minutes on 2 cores
    .venv/bin/python bench/html_pages.py --size 100

The generated corpus of `bench/corpus.py` (recombined sample paragraphs, the same
files on every run) is written as web pages: each article inside the furniture a
news site wraps it in (a header and navigation, metadata in `<meta>`, Open Graph
and JSON-LD, a canonical link, share buttons, related links, a newsletter box, a
footer), about 5 KB a page. Then, each in a fresh process and timed from start
to exit:

* reading the pages as a build reads them (`generator.ingest.ingest`: trafilatura
  finds each article and its metadata), against reading the same articles as
  `.txt`, and the import of trafilatura on its own;
* the cold build of the pages into a site (empty cache, model included).

Results go to bench/results/html-pages.json and are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from corpus import generate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{title} | Bench Herald</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{description}">
<meta name="author" content="Staff Reporter {n}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Bench Herald">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{date}T08:30:00Z">
<link rel="canonical" href="https://herald.bench.example/{date}/article-{n}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": {title_json}, "datePublished": "{date}T08:30:00Z", "publisher": {{"@type": "Organization", "name": "Bench Herald"}}}}</script>
<link rel="stylesheet" href="/static/site.css">
</head><body>
<header class="masthead"><a href="/" class="logo">Bench Herald</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By Staff Reporter {n} · <time datetime="{date}">{date}</time></p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Markets rally as investors weigh new data</a></li><li><a href="/b">Weather warning issued for the weekend</a></li>
<li><a href="/c">Five things to know before the summit</a></li></ul></aside>
<div class="newsletter"><p>Sign up to our morning briefing and get the news in your inbox every day.</p><form><input type="email"><button>Sign up</button></form></div>
</main>
<footer><p>© 2025 Bench Herald. All rights reserved.</p><ul><li><a href="/privacy">Privacy</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/contact">Contact us</a></li></ul></footer>
</body></html>
"""

READ = """
import sys, time, json
started = time.perf_counter()
from pathlib import Path
from generator.ingest import ingest
if sys.argv[2] == "html":
    import trafilatura, htmldate  # noqa: F401 - imported before the clock starts, timed apart
imported = time.perf_counter()
sources, warnings = ingest(Path(sys.argv[1]))
done = time.perf_counter()
print(json.dumps({"sources": len(sources), "warnings": len(warnings), "import_s": imported - started, "read_s": done - imported}))
"""


def write_pages(txt: Path, out: Path) -> None:
    """Each generated .txt article (title, date line, paragraphs, Source line) as a web page."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for n, path in enumerate(sorted(txt.glob("*.txt"))):
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        title, date, paragraphs = blocks[0], blocks[1].removeprefix("date "), [b.strip() for b in blocks[2:-1]]
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = PAGE.format(title=html.escape(title), title_json=json.dumps(title), description=html.escape(paragraphs[0][:150]), date=date, n=n, body=body)
        (out / f"{path.stem}.html").write_text(page, encoding="utf-8")


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def read(folder: Path, kind: str) -> dict:
    seconds, out = timed([PYTHON, "-c", READ, str(folder), kind])
    return {**json.loads(out.strip().splitlines()[-1]), "command_s": seconds}


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="number of pages (default: 1000)")
    parser.add_argument("--work", type=Path, default=RESULTS / "work", help="where the corpus and the site go (default: bench/results/work)")
    parser.add_argument("--no-build", action="store_true", help="measure reading alone, not the cold build")
    args = parser.parse_args()

    load_before = _load_average()
    root = args.work / f"html-{args.size}"
    txt, pages = root / "txt", root / "seeds"
    generate(txt, args.size)
    write_pages(txt, pages)
    page_bytes = sum(p.stat().st_size for p in pages.iterdir())
    print(f"[bench] {args.size:,} pages, {page_bytes / args.size / 1024:.1f} KB a page, in {pages}", flush=True)

    html_read = read(pages, "html")
    txt_read = read(txt, "txt")
    if html_read["sources"] != args.size or html_read["warnings"]:
        raise SystemExit(f"the pages were not all read: {html_read}")
    row = {
        "size": args.size,
        "page_kb": page_bytes / args.size / 1024,
        "html": html_read,
        "txt": txt_read,
        "machine": f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores",
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    if not args.no_build:
        (root / "content").mkdir(exist_ok=True)
        for folder in (root / "cache", root / "site"):
            shutil.rmtree(folder, ignore_errors=True)
        command = [PYTHON, "-m", "generator", "build", "--seeds", str(pages), "--content", str(root / "content"), "--cache-dir", str(root / "cache"), "--out", str(root / "site"), "-q"]
        row["build_s"], _ = timed(command)

    row["load_average"] = {"before": load_before, "after": _load_average()}
    rate = args.size / html_read["read_s"]
    lines = [
        f"Measured {row['when']} with Python {row['machine']}, `bench/html_pages.py --size {args.size}` (load average {load_before} before, {row['load_average']['after']} after).",
        "",
        "| what, " + f"{args.size:,} generated articles" + " | seconds | articles/s |",
        "| --- | ---: | ---: |",
        f"| HTML extraction: reading {args.size:,} web pages (trafilatura, {row['page_kb']:.1f} KB a page) | {html_read['read_s']:.2f} s | {rate:,.0f} |",
        f"| the same articles as .txt | {txt_read['read_s']:.2f} s | {args.size / txt_read['read_s']:,.0f} |",
        f"| importing trafilatura and htmldate, once a build | {html_read['import_s'] - txt_read['import_s']:.2f} s | – |",
    ]
    if "build_s" in row:
        lines.append(f"| the cold build of the {args.size:,} web pages into a site (model included), start to exit | {row['build_s']:.1f} s | {args.size / row['build_s']:,.0f} |")
    table = "\n".join(lines)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "html-pages.json").write_text(json.dumps(row, indent=2) + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
