"""Domain errors. Library code raises these; only the CLI turns them into
messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


class BriefingError(Exception):
    """A problem the user can act on; its message says what to do."""


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """A message about a place in a user's file, shown as `file:line:col: message`
    (what is unknown is left out). An error stops the build (InputError); a warning
    is reported and the build goes on. A curated rule's `origin` is a Diagnostic
    with no message yet: where a warning about the rule will point."""

    file: str | None
    line: int | None = None
    column: int | None = None
    message: str = ""
    severity: Severity = "error"

    @classmethod
    def warning(cls, message: str, file: str | None = None, line: int | None = None, column: int | None = None) -> Diagnostic:
        """A problem the build reports but survives (a skipped file, an unknown target)."""
        return cls(file, line, column, message, "warning")

    def warn(self, message: str) -> Diagnostic:
        """A warning at this place: a curated rule's origin, say."""
        return Diagnostic.warning(message, self.file, self.line, self.column)

    def __str__(self) -> str:
        return format_location(self.file, self.line, self.column, self.message)


class InputError(BriefingError):
    """One or more mistakes in the user's files, all reported at once."""

    def __init__(self, problems: list[Diagnostic]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Pickled with its problems, not its message, so that it survives the trip
        # back from a helper process (forked.Helper) whole.
        return (type(self), (self.problems,))


class StrictFailure(BriefingError):
    """`--strict` is set and the build warned: nothing was written."""

    def __init__(self, warnings: tuple[Diagnostic, ...]):
        self.warnings = tuple(warnings)
        super().__init__(f"{len(self.warnings)} warning(s) and --strict is set; nothing was written")

    def __reduce__(self):
        return (type(self), (self.warnings,))


class ModelNotFound(BriefingError):
    """The spaCy model is not installed."""


def format_location(file: str | None, line: int | None, column: int | None, message: str) -> str:
    """`file:line:col: message`, leaving out what is unknown."""
    where = ""
    if file:
        where = file
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        where += ": "
    return where + message


def contained(article: str, work, fallback, warnings: list):
    """One article's share of an analysis stage: a failure there (a bug that its text
    found) becomes a warning naming the article, and the rest of the site is built."""
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - whatever one article's text provokes must not stop the build
        warnings.append(Diagnostic.warning(f"could not analyse this article ({type(exc).__name__}: {exc}); what it names is left out of the site. Please report this with the article", article))
        return fallback
