"""The `partnergraph` command as a user runs it: real subprocesses, exit codes 0 / 1 / 2, no tracebacks."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from partnergraph.config import Settings
from partnergraph.pipeline.release import BUILD_KEY, Release, build_key, up_to_date

from .conftest import PROJECT, edit, line_of
from .server import free_port

CLI = [sys.executable, "-m", "partnergraph.cli"]


def run(*args: str | Path, cwd: Path = PROJECT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def built_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("cli") / "build"
    return run("build", "--out", out), out


def test_build_prints_the_coverage_summary_and_publishes(
    built_out: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, out = built_out
    assert result.returncode == 0, result.stderr
    assert "organisations: 80" in result.stdout
    assert "claims per document:" in result.stdout and "001_460bee6f77a927b3:" in result.stdout
    assert "bronovo location: 000 says rotterdam (deprecated); 001 says the-hague (preferred)" in result.stdout
    assert "referenced but not evidenced" in result.stdout
    assert "Conforms: 0 violation(s)" in result.stdout
    assert (out / "current" / "dataset.nq").is_file()


def test_build_summarises_warnings_one_line_per_shape_and_says_where_the_report_is(
    built_out: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, _ = built_out
    assert (
        "Warning x6 shapes#CollaborationMembersShape: org/campus-the-hague, org/centre-for-innovation-and-entrepreneurship"
        in result.stdout
    )
    assert "  node:" not in result.stdout and "https://w3id.org/partnergraph/id/" not in result.stdout
    assert "validation-report.ttl" in result.stdout and "10 warning(s), 19 info(s)" in result.stdout


def test_a_second_build_of_the_same_inputs_reuses_the_release(
    built_out: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, out = built_out
    before = (out / "current").resolve()
    again = run("build", "--out", out)
    assert again.returncode == 0 and f"is up to date: {before.name}" in again.stdout
    assert (out / "current").resolve() == before
    forced = run("build", "--out", out, "--force", "--verbose")
    assert forced.returncode == 0 and (out / "current").resolve() != before
    assert "  node:   https://w3id.org/partnergraph/id/org/healthties" in forced.stdout  # every warning in full


def test_a_release_is_stale_once_an_input_changes(project_copy: Path, tmp_path: Path) -> None:
    settings = Settings(root=project_copy)
    current = tmp_path / "releases" / "one"
    current.mkdir(parents=True)
    (current / BUILD_KEY).write_text(build_key(settings) + "\n")
    (tmp_path / "current").symlink_to(current)
    assert up_to_date(settings, tmp_path) == current
    assert up_to_date(Settings(root=project_copy, base_iri="https://example.org/"), tmp_path) is None
    edit(project_copy / "data/registry.yaml", "Leiden University", "Leiden  University")
    assert up_to_date(settings, tmp_path) is None


def test_ctrl_c_stops_the_service_without_a_traceback(published: Release, tmp_path: Path) -> None:
    """Ctrl-C in a terminal signals the whole process group: gunicorn, its worker, the zygote, the query workers."""
    port = str(free_port())
    serving = subprocess.Popen(
        [*CLI, "serve", "--release", str(published.directory), "--port", port],
        env={**os.environ, "PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        os.killpg(serving.pid, signal.SIGINT)
        _, stderr = serving.communicate(timeout=30)
    finally:
        if serving.poll() is None:
            os.killpg(serving.pid, signal.SIGKILL)
    text = stderr.decode()
    assert "Shutting down" in text and "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert "could not start" not in text, text


def test_validate_the_built_dataset(built_out: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = built_out
    result = run("validate", out / "current" / "dataset.nq.gz")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conforms: 0 violation(s)" in result.stdout


def test_validate_reports_violations_with_node_shape_message_and_source(
    built_out: tuple[subprocess.CompletedProcess[str], Path], tmp_path: Path
) -> None:
    _, out = built_out
    broken = tmp_path / "broken.ttl"
    text = (out / "current" / "data.ttl").read_text(encoding="utf-8")
    shutil.copy(out / "current" / "provenance.nt", tmp_path / "provenance.nt")
    shutil.copy(out / "current" / "ontology.ttl", tmp_path / "ontology.ttl")
    broken.write_text(
        text
        + '\n<https://w3id.org/partnergraph/id/org/lumc> <https://w3id.org/partnergraph/ontology#rorId> "05xvt9fl7" .\n',
        encoding="utf-8",
    )
    result = run("validate", broken, tmp_path / "provenance.nt", tmp_path / "ontology.ttl")
    assert result.returncode == 1
    assert "Violation: A ROR id is 0, six Crockford base-32 characters" in result.stdout
    assert "node:   https://w3id.org/partnergraph/id/org/lumc" in result.stdout
    assert "shape:  https://w3id.org/partnergraph/shapes#OrganisationRorId" in result.stdout
    assert "source: 000_3d6a43ddcf743a48, 001_460bee6f77a927b3" in result.stdout


@pytest.mark.parametrize(
    ("name", "content", "prefix"),
    [
        (
            "bad.ttl",
            '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n',
            ":3: not valid Turtle",
        ),
        ("bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", ":2: not valid N-Triples"),
        (
            "bad.rdf",
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<x',
            ":3: not valid RDF/XML",
        ),
        ("bad.jsonld", '{\n  "@id": \n', ":3: not valid JSON-LD"),
    ],
)
def test_validate_malformed_rdf_names_file_and_line(tmp_path: Path, name: str, content: str, prefix: str) -> None:
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    result = run("validate", bad)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}{prefix}"), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "message"), [("missing.ttl", "no such file"), ("data.csv", "cannot tell the RDF format")]
)
def test_validate_unreadable_input_exits_2(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("a,b\n", encoding="utf-8")
    result = run("validate", path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_bad_statement_fails_the_build_with_file_and_line_and_keeps_the_previous_build(
    project_copy: Path, tmp_path: Path
) -> None:
    for name in ("service", "pyproject.toml"):
        (project_copy / name).symlink_to(PROJECT / name)
    statements = project_copy / "data/statements/003_83f272a62e16b429.yaml"
    edit(statements, "funders: [taskforce-sia]", "funders: [taskforce-sai]")
    result = run("build", "--out", tmp_path / "out", env={"PARTNERGRAPH_ROOT": str(project_copy), "PATH": ""})
    assert result.returncode == 2
    expected = f"error: {statements}:{line_of(statements, '- quote: City Deal Kennis Maken (CDKM) is a national')}: "
    assert result.stderr.startswith(expected) and "'taskforce-sai' is not in the registry" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "current").exists()


def test_bad_base_iri_is_a_usage_error() -> None:
    result = run("--base-iri", "w3id.org/x", "build")
    assert result.returncode == 2 and "base IRI must be an http(s) IRI ending in '/'" in result.stderr


def test_published_fixture_matches_cli(published: Release) -> None:
    assert published.coverage.organisations == 80 and published.report.conforms


@pytest.mark.parametrize("memory_max_mb", ["1000", "0"], ids=["in-memory", "on-disk"])
def test_serve_reports_a_bad_data_file_by_line_and_leaves_no_store_behind(tmp_path: Path, memory_max_mb: str) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", encoding="utf-8")
    stores = tmp_path / "stores"
    served = subprocess.run(
        [sys.executable, "-m", "partnergraph.cli", "serve", "--data", str(bad), "--port", "1"],
        env={**os.environ, "PARTNERGRAPH_STORE_CACHE": str(stores), "PARTNERGRAPH_MEMORY_STORE_MAX_MB": memory_max_mb},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 2
    assert "bad.nt:2: not valid N-Triples" in served.stderr and "Traceback" not in served.stderr
    assert not stores.exists() or list(stores.iterdir()) == []  # no half-loaded store, no "checked" marker


# a cut gzip's trailer holds any size, so the in-memory case is forced with a bound no size reaches
@pytest.mark.parametrize("memory_max_mb", ["100000000", "0"], ids=["in-memory", "on-disk"])
@pytest.mark.parametrize("content", [b"not gzip at all", gzip.compress(b"<http://a> <http://b> <http://c> .\n")[:20]])
def test_serve_reports_a_file_that_is_not_readable_gzip_without_a_traceback(
    tmp_path: Path, memory_max_mb: str, content: bytes
) -> None:
    bad = tmp_path / "bad.nt.gz"
    bad.write_bytes(content)
    served = subprocess.run(
        [sys.executable, "-m", "partnergraph.cli", "serve", "--data", str(bad), "--port", "1"],
        env={
            **os.environ,
            "PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores"),
            "PARTNERGRAPH_MEMORY_STORE_MAX_MB": memory_max_mb,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 2
    assert "bad.nt.gz: not a readable gzip file" in served.stderr
    assert "Traceback" not in served.stderr and 'File "' not in served.stderr
