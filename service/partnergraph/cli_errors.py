"""One way for every command to fail: a PartnergraphError becomes one line on stderr and its exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from .errors import PartnergraphError, ValidationFailed

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Print a PartnergraphError as one line on stderr and exit with its code; never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationFailed as failure:
            from .pipeline.validate import format_report

            click.echo(format_report(failure.report), err=True)  # type: ignore[arg-type]
            click.echo(f"error: {failure}", err=True)
            sys.exit(failure.exit_code)
        except PartnergraphError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]
