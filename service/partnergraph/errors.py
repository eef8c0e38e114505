"""The project's error types; only the CLI turns them into exit codes."""

from __future__ import annotations

from pathlib import Path


class PartnergraphError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 2


class InputError(PartnergraphError):
    """Malformed or inconsistent input, located by file and line where known."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            shown = _relative(Path(self.path))
            where = f"{shown}:{self.line}: " if self.line else f"{shown}: "
        return f"{where}{self.message}"


class OutputError(InputError):
    """Writing failed (a full disk, a read-only directory): says what could not be written, and where."""


def _relative(path: Path) -> Path:
    """Show a path relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


class ValidationFailed(PartnergraphError):
    """The data does not conform to the shapes; nothing was published. Carries the validation report."""

    exit_code = 1

    def __init__(self, report: object) -> None:
        super().__init__("the data does not conform to the shapes; nothing was published")
        self.report = report
