"""Run a command and measure its wall time and the peak memory of its whole process tree.

Memory is sampled from /proc every `SAMPLE_SECONDS`: the resident set sizes
(RSS) of the process and all its descendants (extraction workers included)
are summed at each sample, and the largest sum is the peak. RSS counts
pages shared between a parent and its forked workers once per process, so
the sum errs high; the proportional set size (PSS), which shares them out,
is recorded beside it where the kernel offers it and it is asked for.

PSS is not free to measure: the kernel walks the process's page tables for
it, holding the lock the process needs to map memory, and the process waits.
A cold build of 100 articles took 0.17 s longer sampled for it than not (a
three-process build pays more than one-process bare nlp.pipe), so runs timed
for a comparison ask for RSS alone, a counter.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.5
"""Often enough for the peak of a build whose phases last seconds. At 0.1 s the sampler
(a scan of /proc and a walk of each process's page tables for its PSS) took a tenth
of a core, which a build that keeps both cores busy pays and a one-process run of
bare nlp.pipe, beside an idle core, does not."""


@dataclass(frozen=True)
class Measured:
    seconds: float
    returncode: int
    peak_rss: int  # bytes, summed over the process tree
    peak_pss: int  # bytes, summed over the process tree (0 where /proc has no smaps_rollup)
    output: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _kib_field(path: str, field: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_memory(pid: int, pss: bool = True) -> tuple[int, int]:
    """(RSS, PSS) in bytes of `pid` and all its descendants, now; PSS 0 unless asked for."""
    tree = _children()
    rss = total_pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        rss += _kib_field(f"/proc/{current}/status", "VmRSS:")
        if pss:
            total_pss += _kib_field(f"/proc/{current}/smaps_rollup", "Pss:")
        stack.extend(tree.get(current, ()))
    return rss, total_pss


def run(command: list[str], *, cwd: Path | None = None, timeout: float = 3600.0, echo: str | None = None, pss: bool = True) -> Measured:
    """Run `command` to completion, stdout and stderr captured together (and
    printed as they come, after the prefix `echo`, when one is given). With
    `pss=False` its memory is sampled as RSS only (see the top of this module)."""
    peak = [0, 0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, proportional = tree_memory(process.pid, pss)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], proportional)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    lines = []
    for line in process.stdout:
        lines.append(line)
        if echo is not None:
            print(echo + line.rstrip(), flush=True)
    process.wait()
    seconds = time.perf_counter() - started
    killer.cancel()
    done.set()
    sampler.join()
    if seconds >= timeout:
        lines.append(f"[bench] killed after {timeout:.0f}s\n")
    return Measured(seconds, process.returncode, peak[0], peak[1], "".join(lines))
