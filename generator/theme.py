"""The default theme: Jinja2 templates and static assets that ship inside the package.

Its one copy is the repository's top-level templates/ folder. Packaging maps it
into the package as generator/default_theme/ (see pyproject.toml); in a checkout or an
editable install, the package is the repository's generator/ folder and the
theme is templates/ beside it. A project's own templates/ folder overrides the
theme file by file, as MkDocs and Hugo themes are overridden.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def theme_folder() -> Path:
    """Where the default theme is: in the package when installed, else beside it."""
    installed = _PACKAGE / "default_theme"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


def template_folders(templates: Path) -> tuple[Path, ...]:
    """The folders templates are looked up in, first match wins: the project's, then the theme."""
    theme = theme_folder()
    if templates.is_dir() and templates.resolve() == theme:
        return (theme,)
    return (templates, theme)
