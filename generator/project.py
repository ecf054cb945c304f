"""A project: the folders a build reads and writes.

Light to import: the command line needs the defaults before it starts
anything else (see workers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes; defaults are the folders of the current directory."""

    seeds: Path = Path("seeds")
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    cache: Path | None = Path(".briefing-cache")  # the model's results, per source (see extract.ExtractionCache)
    follow_links: bool = False  # read a link in seeds/ to a file outside the project (see ingest)
    force_out: bool = False  # build into `out` though it holds files of no build of ours (see write.check_output_folder)

    def inputs(self) -> tuple[Path, ...]:
        """The folders a build reads, which it must never write into."""
        return tuple(folder for folder in (self.seeds, self.content, self.templates, self.cache) if folder is not None)
