"""Shared fixtures: the real project's build, and throw-away copies of its inputs for breaking things."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from partnergraph.config import Settings
from partnergraph.pipeline.release import Release, release
from partnergraph.pipeline.run import BuiltGraph, build_graph

from .engines import Engine, OxigraphServer, VirtuosoServer
from .server import Server

STORES = ["embedded", "oxigraph", "virtuoso"]  # the service's suite runs on each (the `server` fixture)

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=PROJECT)


@pytest.fixture(scope="session")
def built(settings: Settings) -> BuiltGraph:
    return build_graph(settings)


@pytest.fixture(scope="session")
def published(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Release:
    return release(settings, tmp_path_factory.mktemp("build"))


@contextmanager
def release_server(published: Release, factory: pytest.TempPathFactory, **env: str) -> Iterator[Server]:
    """`partnergraph serve` on the published release, on a free 127.0.0.1 port, with PARTNERGRAPH_* overrides."""
    settings = {f"PARTNERGRAPH_{key.upper()}": value for key, value in env.items()}
    settings["PARTNERGRAPH_STORE_CACHE"] = str(factory.mktemp("stores"))
    running = Server(["--release", str(published.directory)], settings, PROJECT)
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def store_server(engine: Engine, published: Release, **env: str) -> Iterator[Server]:
    """`partnergraph serve --store-url` in front of `engine`, once `partnergraph publish` loaded the release into it."""
    settings = {f"PARTNERGRAPH_{key.upper()}": value for key, value in env.items()}
    publish = [sys.executable, "-m", "partnergraph.cli", "publish", "--release", str(published.directory)]
    publish += ["--store-url", engine.query_url, "--update-url", engine.update_url]
    done = subprocess.run(
        publish, cwd=PROJECT, capture_output=True, text=True, env={**os.environ, **engine.publish_env}
    )
    assert done.returncode == 0, done.stderr
    running = Server(["--release", str(published.directory), "--store-url", engine.query_url], settings, PROJECT)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = OxigraphServer.start(tmp_path_factory.mktemp("oxigraph"))
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = VirtuosoServer.start(tmp_path_factory.mktemp("virtuoso"))
    yield engine
    engine.stop()


@contextmanager
def serving(request: pytest.FixtureRequest, published: Release, **env: str) -> Iterator[Server]:
    """A server on the store `request.param` names: the embedded one, or a real SPARQL store's (a fixture)."""
    if request.param == "embedded":
        with release_server(published, request.getfixturevalue("tmp_path_factory"), **env) as running:
            yield running
    else:
        with store_server(request.getfixturevalue(request.param), published, **env) as running:
            yield running


@pytest.fixture(scope="session", params=STORES)
def server(request: pytest.FixtureRequest, published: Release) -> Iterator[Server]:
    """One server with the default configuration, shared by every module that does not need other limits: on the
    embedded store, and in front of each real SPARQL store the tests start."""
    with serving(request, published) as running:
        yield running


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's inputs that a test may edit."""
    for name in ("data", "ontology", "shapes"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A copy of the tiny synthetic project (tests/fixtures/mini) with the real ontology and shapes."""
    shutil.copytree(PROJECT / "tests/fixtures/mini/data", tmp_path / "data")
    for name in ("ontology", "shapes"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact passage of a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line on which `needle` first appears."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
