"""The `partnergraph` command: thin wrappers that turn library errors into messages and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .cli_errors import reports_errors
from .config import Settings
from .extract.commands import evaluate_command, extract_command
from .linking.commands import import_ror_command, link_command

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_OUT = Path("build")


def release_option(verb: str) -> Callable[[F], F]:
    return click.option(
        "--release",
        "release_dir",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Release directory to {verb} (default build/current).",
    )


def extra_files_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--add",
        "extra_files",
        multiple=True,
        type=click.Path(path_type=Path),
        help=f"{what}, e.g. the ROR graph from import-ror (repeatable).",
    )


@click.group()
@click.version_option(__version__, prog_name="partnergraph")
@click.option("--base-iri", envvar="PARTNERGRAPH_BASE_IRI", help="Base IRI to mint resources under.")
@click.pass_context
def main(context: click.Context, base_iri: str | None) -> None:
    """Leiden University's partnerships as evidence-backed linked data."""
    try:
        context.obj = Settings.from_env(base_iri=base_iri)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base-iri") from None


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Directory to publish into; the build lands in OUT/current.",
)
@click.option("--force", is_flag=True, help="Build even when OUT/current was built from these very inputs and code.")
@click.option("--verbose", "-v", is_flag=True, help="Print every warning in full, not one line per shape.")
@click.option("--include-drafts", is_flag=True, help="Also build statements `extract` drafted and nobody reviewed.")
@click.pass_obj
@reports_errors
def build(settings: Settings, out: Path, force: bool, verbose: bool, include_drafts: bool) -> None:
    """Build the graph from the documents, validate it, and publish it atomically."""
    from .pipeline.release import release, up_to_date

    settings = replace(settings, include_drafts=include_drafts)
    from .pipeline.validate import format_report, summarise_report

    if not force and (current := up_to_date(settings, out)) is not None:
        click.echo(f"{out / 'current'} is up to date: {current.name} was built from these inputs with this code")
        click.echo("(`partnergraph build --force` builds it again)")
        return
    result = release(settings, out)
    click.echo("\n".join(result.coverage.lines()))
    where = f"`partnergraph validate --infos`, {result.directory / 'validation-report.ttl'}, or /validation"
    click.echo(format_report(result.report) if verbose else summarise_report(result.report, where))
    click.echo(f"published {out / 'current'} -> {result.directory}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--infos", is_flag=True, help="Also list Info results.")
@click.pass_obj
@reports_errors
def validate(settings: Settings, paths: tuple[Path, ...], infos: bool) -> None:
    """Validate the built dataset, or the RDF files given, against the shapes.

    Exit 0 when the data conforms, 1 on violations, 2 on unreadable input.
    """
    from .errors import InputError
    from .pipeline.rdfio import read_data_graph, read_graph
    from .pipeline.run import shapes_files
    from .pipeline.validate import format_report
    from .pipeline.validate import validate as run_validation

    files = list(paths) or [DEFAULT_OUT / "current" / "dataset.nq"]
    for path in files:
        if not path.exists():
            hint = " (run `partnergraph build` first)" if not paths else ""
            raise InputError(f"no such file{hint}", path)
    report = run_validation(read_data_graph(files), read_graph(shapes_files(settings)))
    click.echo(format_report(report, show_infos=infos))
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="RDF files to query instead of the built dataset (repeatable).",
)
@click.option(
    "--format",
    "results_format",
    type=click.Choice(["tsv", "csv", "json", "xml"]),
    default="tsv",
    show_default=True,
    help="Format of SELECT and ASK answers; CONSTRUCT and DESCRIBE answer in Turtle.",
)
@reports_errors
def query(sparql: str | None, query_file: Any, data_files: tuple[Path, ...], results_format: str) -> None:
    """Run a SPARQL query on the built dataset (all graphs as one) with the embedded engine."""
    from .errors import InputError
    from .store.oxigraph import OxigraphStore

    if (sparql is None) == (query_file is None):
        raise InputError("give the query as an argument or with --file, not both")
    files = list(data_files) or [DEFAULT_OUT / "current" / "dataset.nq"]
    for path in files:
        if not path.exists():
            raise InputError("no such file" + ("" if data_files else " (run `partnergraph build` first)"), path)
    store = OxigraphStore.from_files(files)
    text = sparql if sparql is not None else query_file.read()
    click.echo(store.query(text, results_format).decode("utf-8"), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Serve these RDF files instead of the built release (repeatable).",
)
@release_option("serve")
@extra_files_option("Serve these RDF files beside the release")
@click.option(
    "--store-url",
    default=None,
    help="Serve from this SPARQL 1.1 query endpoint (loaded by `partnergraph publish`) instead of the embedded "
    "store; also PARTNERGRAPH_STORE_URL.",
)
@click.pass_obj
@reports_errors
def serve(
    settings: Settings,
    host: str,
    port: int,
    data_files: tuple[Path, ...],
    release_dir: Path | None,
    extra_files: tuple[Path, ...],
    store_url: str | None,
) -> None:
    """Serve the dataset: SPARQL endpoint, dumps and linked-data pages (gunicorn; embedded pyoxigraph, or a store)."""
    from .errors import InputError
    from .server import serve as run_server
    from .web_config import ServiceConfig

    config = ServiceConfig.load(
        base_iri=settings.base_iri,
        data_files=data_files or None,
        release_dir=release_dir,
        extra_files=extra_files or None,
        store_url=store_url,
    )
    if config.store_url and (config.data_files or config.extra_files):
        raise InputError("--data and --add load files into the embedded store; with --store-url, publish them")
    if not config.store_url and not config.data_files and not (config.release_dir / "dataset.nq").is_file():
        raise InputError(
            "no built release to serve (run `partnergraph build` first, or give --data FILE)", config.release_dir
        )
    run_server(config, host, port)


@main.command()
@click.option("--store-url", default=None, help="The store's SPARQL query endpoint (PARTNERGRAPH_STORE_URL).")
@click.option("--update-url", default=None, help="The store's SPARQL Update endpoint (PARTNERGRAPH_UPDATE_URL).")
@click.option(
    "--graph-store-url",
    default=None,
    help="The store's Graph Store Protocol endpoint, for faster loads (PARTNERGRAPH_GRAPH_STORE_URL).",
)
@release_option("publish")
@extra_files_option("Publish these RDF files with the release")
@click.option(
    "--grace",
    default=300.0,
    show_default=True,
    help="Seconds a retired release stays in the store, so instances finish the requests they answer from it.",
)
@click.pass_obj
@reports_errors
def publish(
    settings: Settings,
    store_url: str | None,
    update_url: str | None,
    graph_store_url: str | None,
    release_dir: Path | None,
    extra_files: tuple[Path, ...],
    grace: float,
) -> None:
    """Load the release into a SPARQL store beside the one it serves, then switch every instance to it.

    Credentials come from PARTNERGRAPH_STORE_USER and PARTNERGRAPH_STORE_PASSWORD (or the configuration file), with
    store_auth=digest for Virtuoso's authenticated endpoints; never from the command line.
    """
    from .errors import InputError
    from .store.publisher import publish as run_publish
    from .store.remote import Credentials
    from .store.store_writer import StoreTarget
    from .web_config import ServiceConfig

    config = ServiceConfig.load(
        base_iri=settings.base_iri,
        store_url=store_url,
        update_url=update_url,
        graph_store_url=graph_store_url,
        release_dir=release_dir,
        extra_files=extra_files or None,
    )
    if not config.store_url or not config.update_url:
        raise InputError("give the store's query and update endpoints: --store-url URL --update-url URL")
    if config.store_auth not in ("basic", "digest"):
        raise InputError(f"store_auth must be basic or digest, not {config.store_auth!r}")
    release = config.release_dir.resolve()
    if not (release / "dataset.nq").is_file():
        raise InputError("no built release to publish (run `partnergraph build` first)", config.release_dir)
    for path in config.extra_files:
        if not path.is_file():
            raise InputError("no such file", path)
    credentials = Credentials(config.store_user, config.store_password) if config.store_user else None
    target = StoreTarget(
        config.store_url, config.update_url, config.graph_store_url or None, credentials, config.store_auth == "digest"
    )
    try:
        result = run_publish(release, list(config.extra_files), target, grace)
    except ValueError as error:
        raise InputError(str(error)) from None
    click.echo("\n".join(result.lines()))


main.add_command(extract_command)
main.add_command(evaluate_command)
main.add_command(link_command)
main.add_command(import_ror_command)

if __name__ == "__main__":
    main()
