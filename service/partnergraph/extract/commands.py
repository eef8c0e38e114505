"""The `extract` and `evaluate` commands; the work is in run.py and evaluate.py."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_errors import reports_errors
from ..config import Settings
from ..errors import InputError
from .run import THRESHOLD


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--accept", is_flag=True, help="Accept every candidate at or above the threshold without review.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=THRESHOLD, show_default=True)
@click.option(
    "--ror",
    "dumps",
    multiple=True,
    type=click.Path(path_type=Path),
    help="ROR dump whose names to find and to link the new organisations with (data/links/, as `link` writes it).",
)
@click.option("--publisher", help="Registry key of the organisation that published the pages (default: guessed).")
@click.pass_obj
@reports_errors
def extract_command(
    settings: Settings,
    files: tuple[Path, ...],
    accept: bool,
    threshold: float,
    dumps: tuple[Path, ...],
    publisher: str | None,
) -> None:
    """Add pages (text or HTML, English or Dutch) as documents and draft their statements for review; with --ror,
    link the organisations they add to ROR as `partnergraph link` does."""
    from .run import extract

    added: set[str] = set()
    for extracted in extract(settings, list(files), accept, threshold, dumps, publisher):
        click.echo("\n".join(extracted.lines()))
        added |= set(extracted.draft.registry["organisations"])
    if dumps and added:
        from ..linking.reconcile import reconcile

        try:
            report = reconcile(settings, list(dumps))
        except InputError as error:  # the pages are in; only their links are missing, and `link` can add them
            message = f"the pages are added, but linking them failed: {error.message}"
            raise InputError(message, error.path, error.line) from None
        click.echo("\n".join(report.outcome_lines(added)))
    if accept:
        click.echo("next: `partnergraph build`")
    else:
        click.echo("next: review the drafts (data/statements/README.md), or `partnergraph build --include-drafts`")


@click.command("evaluate")
@click.option("--ror", "dumps", multiple=True, type=click.Path(path_type=Path), help="ROR dump whose names to find.")
@click.option(
    "--pages",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Also score pages of other universities here, each beside its hand-made <page>.expected.yaml.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=THRESHOLD,
    show_default=True,
    help="Score the candidates `extract --accept` would keep at this threshold (0: every candidate).",
)
@click.option("--by-rule", is_flag=True, help="Also print how often each rule was right (confidence.py's table).")
@click.pass_obj
@reports_errors
def evaluate_command(
    settings: Settings, dumps: tuple[Path, ...], pages: Path | None, threshold: float, by_rule: bool
) -> None:
    """Leave each reviewed document out, extract it, and print precision / recall / F1 against its statements."""
    from .evaluate import evaluate, evaluate_pages, rule_lines

    click.echo(f"Leave one out, the reviewed documents (candidates at confidence {threshold} or more):")
    evaluations = [evaluate(settings, dumps, threshold)]
    click.echo("\n".join(evaluations[0].lines()))
    if pages is not None:
        click.echo(f"\nPages of other universities ({pages}), against their expected statements:")
        evaluations.append(evaluate_pages(settings, pages, dumps, threshold))
        click.echo("\n".join(evaluations[1].lines()))
    if by_rule:
        click.echo("\nEach rule's candidates (all of them, whatever their confidence), and how many were right:")
        click.echo("\n".join(rule_lines(*evaluations)))
