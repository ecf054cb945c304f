"""Domain errors. Library code raises these; only the CLI turns them into
messages and exit codes."""

from __future__ import annotations


class BriefingError(Exception):
    """A problem the user can act on; its message says what to do."""


class Problem:
    """One located mistake in a user's file."""

    __slots__ = ("file", "line", "column", "message")

    def __init__(self, file: str | None, line: int | None, column: int | None, message: str):
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return format_location(self.file, self.line, self.column, self.message)

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class InputError(BriefingError):
    """One or more mistakes in the user's files, all reported at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Pickled with its problems, not its message, so that it survives the trip
        # back from a helper process (forked.Helper) whole.
        return (type(self), (self.problems,))


class StrictFailure(BriefingError):
    """`--strict` is set and the build warned: nothing was written."""

    def __init__(self, warnings: tuple):
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
    from .model import Warning_

    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - whatever one article's text provokes must not stop the build
        warnings.append(Warning_(
            f"could not analyse this article ({type(exc).__name__}: {exc}); what it names is left out of the site. "
            "Please report this with the article", article))
        return fallback
