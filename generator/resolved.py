"""The project resolved, without a site: ingest, extract and resolve, for the
commands that inspect extraction rather than publish it (`briefing suggest`,
`briefing check`). Nothing is rendered or written.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import load_content
from .errors import Diagnostic
from .extract import Extractor
from .gazetteer import load_gazetteer
from .ingest import ingest
from .model import Extraction, Resolution, Source
from .overrides import Overrides
from .project import Project
from .resolve import resolve


@dataclass(frozen=True)
class ResolvedProject:
    """Everything a build knows of a project before topics and rendering."""

    sources: tuple[Source, ...]
    extractions: dict[str, Extraction]
    overrides: Overrides
    resolution: Resolution
    warnings: tuple[Diagnostic, ...]


def resolve_project(project: Project, *, use_overrides: bool = True, jobs: int = 1) -> ResolvedProject:
    """Ingest, extract and resolve the project, as a build would."""
    overrides, content_warnings = load_content(project.content) if use_overrides else (Overrides(), ())
    sources, ingest_warnings = ingest(project.seeds, follow_links=project.follow_links)
    extraction = Extractor(overrides.site.model, project.cache, jobs=jobs).run(sources)
    resolution = resolve(sources, extraction.extractions, load_gazetteer(), overrides)
    warnings = tuple(ingest_warnings) + tuple(content_warnings) + extraction.warnings + resolution.warnings
    return ResolvedProject(sources, extraction.extractions, overrides, resolution, warnings)
