"""Shared fixtures: the real project's build, and throw-away copies of its inputs for breaking things."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from partnergraph.config import Settings
from partnergraph.pipeline.release import Release, release
from partnergraph.pipeline.run import BuiltGraph, build_graph

from .server import Server

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


@pytest.fixture(scope="session")
def server(published: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server with the default configuration, shared by every module that does not need other limits."""
    with release_server(published, tmp_path_factory) as running:
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
