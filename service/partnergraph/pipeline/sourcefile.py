"""YAML source files read with the line of every mapping and list, so errors can say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers its line (1-based)."""

    line: int = 0


class LineList(list[Any]):
    """A YAML sequence that remembers its line (1-based)."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    keys = [loader.construct_object(key_node) for key_node, _ in node.value]  # type: ignore[no-untyped-call]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise InputError(f"duplicate key {sorted(map(str, duplicates))[0]!r}", line=node.start_mark.line + 1)
    result = LineDict({str(key): value for key, value in loader.construct_mapping(node, deep=True).items()})
    result.line = node.start_mark.line + 1
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; any syntax error becomes an InputError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", path) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not valid UTF-8 ({error.reason} at byte {error.start})", path) from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except InputError as error:
        raise InputError(error.message, path, error.line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(f"invalid YAML: {error.problem or error.context}", path, line) from None
