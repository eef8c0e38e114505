"""Every curl example in the README works as written against a running server (only the port is changed)."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from .conftest import PROJECT
from .server import Server

EXAMPLES = [
    line for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("curl ")
]


def test_the_readme_has_curl_examples() -> None:
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("example", EXAMPLES)
def test_curl_example_works(server: Server, example: str) -> None:
    command = [*shlex.split(example.replace("127.0.0.1:5000", f"127.0.0.1:{server.port}")), "-w", "\n%{http_code}"]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status = int(result.stdout.rsplit("\n", 1)[-1])
    expected = 303 if re.search(r"-si\b", example) and "/id/" in example else 200
    expected = 204 if "-X OPTIONS" in example else expected  # a CORS preflight has no body
    assert status == expected, result.stdout[-500:]
    assert result.stdout.rsplit("\n", 1)[0].strip() or "-o " in example
