"""Round-trip editing of YAML files: change a few values, keep everything else.

In: a content or locale file. Out: the same text with some values set, new fields added
where the source edition has them, and nothing else changed — comments, key order,
quoting, blank lines and flow lists stay as they were.

PyYAML (what `yamlsource` reads with) forgets comments and layout, so writing a file
back with it would rewrite every line. ruamel.yaml's round-trip mode keeps them; the
indentation it writes with is the one that reproduces the file exactly (tried on load),
so an edit changes only the lines it must.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from ..output import write_atomic
from .yamlsource import Node, parse_yaml

# (mapping, sequence, offset) indentations tried, most common first.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0))
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line
    yaml.allow_unicode = True
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    # brochure files refuse anchors and aliases: never write one for a repeated value
    yaml.representer.ignore_aliases = lambda data: True
    return yaml


def split_path(path: str) -> list[str | int]:
    """``benefits.rows[0].benefit`` → ``["benefits", "rows", 0, "benefit"]``."""
    return [key if key else int(index) for key, index in _TOKEN.findall(path)]


class Document:
    """One YAML file open for editing."""

    def __init__(self, path: Path, data: Any, text: str | None,
                 indent: tuple[int, int, int] = _INDENTS[0]) -> None:
        self.path, self.data, self.original, self.indent = path, data, text, indent
        # What the untouched file dumps as: the file itself, unless no indentation
        # reproduced it (then an edit also normalises its layout).
        self.baseline = None if text is None else _dump(data, indent)

    @classmethod
    def load(cls, path: Path) -> Document:
        text = path.read_text("utf-8")
        for indent in _INDENTS:
            data = _yaml(indent).load(text)
            if _dump(data, indent) == text:
                return cls(path, data, text, indent)
        return cls(path, _yaml(_INDENTS[0]).load(text), text)

    @classmethod
    def new(cls, path: Path, data: CommentedMap) -> Document:
        return cls(path, data, None)

    def text(self) -> str:
        return _dump(self.data, self.indent)

    @property
    def changed(self) -> bool:
        return self.baseline is None or self.text() != self.baseline

    def save(self) -> bool:
        """Write the file (atomically) if anything changed; True if it was written."""
        if not self.changed:
            return False
        text = self.text()
        parse_yaml(text, self.path)  # what is written must read back; raises if not
        write_atomic(self.path, text.encode("utf-8"))
        return True

    # -- values ---------------------------------------------------------------------
    def get(self, path: str) -> Any:
        node = self.data
        for key in split_path(path):
            if isinstance(key, int):
                if not isinstance(node, list) or key >= len(node):
                    return None
            elif not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def set(self, path: str, value: str, source: Node | None = None,
            skeleton: Any = None) -> None:
        """Set the text at *path*, keeping the old value's quoting. Missing mappings
        and list items on the way are made from *skeleton* (a function of a source
        node and its path that gives the empty shape a translation starts from)."""
        keys = split_path(path)
        node, src = self.data, source
        for depth, key in enumerate(keys[:-1]):
            src = _child(src, key)
            node = _step(node, key, src, ".".join(map(str, keys[:depth + 1])), skeleton)
        last = keys[-1]
        old = node[last] if _has(node, last) else None
        new = _styled(value, old)
        if isinstance(last, int):
            while len(node) <= last:
                node.append(DoubleQuotedScalarString(""))
        node[last] = new

    def mapping(self, *keys: str) -> CommentedMap:
        """The mapping at *keys*, made (empty, at the end) where it is missing."""
        node = self.data
        for key in keys:
            if not isinstance(node.get(key), dict):
                node[key] = CommentedMap()
            node = node[key]
        return node


def _has(node: Any, key: str | int) -> bool:
    return key < len(node) if isinstance(key, int) else key in node


def _child(src: Node | None, key: str | int) -> Node | None:
    if src is None:
        return None
    value = src.value
    if isinstance(key, int):
        return value[key] if isinstance(value, list) and key < len(value) else None
    return value.get(key) if isinstance(value, dict) else None


def _step(node: Any, key: str | int, src: Node | None, path: str, skeleton: Any) -> Any:
    if _has(node, key) and isinstance(node[key], dict | list):
        return node[key]
    shape = skeleton(src, path) if skeleton and src is not None else CommentedMap()
    if isinstance(key, int):
        while len(node) < key:
            node.append(DoubleQuotedScalarString(""))
        if len(node) == key:
            node.append(shape)
        else:
            node[key] = shape
    else:
        node[key] = shape
    return node[key]


def _styled(value: str, old: Any) -> Any:
    if isinstance(old, SingleQuotedScalarString) and "\n" not in value:
        return SingleQuotedScalarString(value)
    if isinstance(old, str) and not isinstance(old, DoubleQuotedScalarString) \
            and _plain_ok(value):
        return value
    return DoubleQuotedScalarString(value)


def _plain_ok(value: str) -> bool:
    """Text that reads back as the same string when written without quotes."""
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.load(value) == value and value == value.strip() and "\n" not in value \
            and ": " not in value and " #" not in value
    except Exception:  # noqa: BLE001 - anything YAML cannot read plainly gets quotes
        return False


def _dump(data: Any, indent: tuple[int, int, int]) -> str:
    out = io.StringIO()
    _yaml(indent).dump(data, out)
    return out.getvalue()


def quoted(value: str) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(value)


def seq(items: list, flow: bool = False) -> CommentedSeq:
    out = CommentedSeq(items)
    if flow:
        out.fa.set_flow_style()
    return out
