"""The `link` and `import-ror` commands; the work is in reconcile.py and ror_rdf.py."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_errors import reports_errors
from ..config import Settings


@click.command("link")
@click.option(
    "--ror",
    "dumps",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="A ROR data dump: JSON or JSON Lines, gzipped or not, schema v2 (v1 records are read too). Repeatable.",
)
@click.option(
    "--wikidata",
    "endpoint",
    is_flag=False,
    flag_value="https://query.wikidata.org/sparql",
    default=None,
    help="Check and add Wikidata links by P6782 at this SPARQL endpoint (Wikidata's own if no URL is given).",
)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds per request to the Wikidata endpoint.")
@click.option("--retries", default=3, show_default=True, help="Tries per request (timeouts, 5xx, refused connections).")
@click.pass_obj
@reports_errors
def link_command(
    settings: Settings, dumps: tuple[Path, ...], endpoint: str | None, timeout: float, retries: int
) -> None:
    """Link our organisations to ROR and Wikidata; write data/links/ and print a report."""
    from .reconcile import reconcile
    from .wikidata import WikidataClient

    client = WikidataClient(endpoint, timeout=timeout, retries=retries) if endpoint else None
    report = reconcile(settings, list(dumps), wikidata=client)
    click.echo("\n".join(report.lines()))


@click.command("import-ror")
@click.argument("dump", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("build/ror.nq.gz"),
    show_default=True,
    help="Gzipped N-Quads to write (graph https://w3id.org/partnergraph/graph/ror).",
)
@reports_errors
def import_ror_command(dump: Path, out: Path) -> None:
    """Convert a ROR dump to RDF in its own graph, streamed, and report triples per second."""
    from .ror_rdf import import_ror

    out.parent.mkdir(parents=True, exist_ok=True)
    click.echo("\n".join(import_ror(dump, out).lines()))
