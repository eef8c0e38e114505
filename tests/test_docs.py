"""The documentation does not name tests that do not exist."""

from __future__ import annotations

import re

from .conftest import PROJECT


def test_every_test_named_in_the_security_notes_exists() -> None:
    text = (PROJECT / "docs/security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"::(test_\w+)", text))
    defined = {
        match
        for path in (PROJECT / "tests").glob("test_*.py")
        for match in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert len(named) >= 15 and named <= defined, sorted(named - defined)
