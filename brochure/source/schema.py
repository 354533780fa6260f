"""A small declarative schema for brochure's YAML files.

Each file type (content, locale, clinic, layout) is described by `Record`s of `Field`s:
type, whether required, default and a one-line description. `Record.read` walks a
`yamlsource.Node` tree, collects *every* problem with its line and key path, and builds
plain dataclasses. `describe` turns a schema into help text, so the documentation of a
field and its check are the same object.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from .yamlsource import Node

MISSING = object()


class Context:
    """Collects problems while one file is read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, node: Node, path: str, message: str) -> None:
        self.problems.append(Problem(node.file, node.line, node.column, path, message))


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def _shown(value: Any) -> str:
    """A value as a message quotes it: text and numbers as written, others by kind."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return repr(value)
    return _type_name(value)


class Spec:
    """How one value is checked and converted. Subclasses set `expects` for messages."""

    expects = "a value"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def wrong_type(self, node: Node, path: str, ctx: Context) -> Any:
        ctx.add(node, path, f"must be {self.expects}, not {_type_name(node.value)}")
        return MISSING


class Str(Spec):
    """Non-empty text (numbers written in YAML are accepted as their text)."""

    def __init__(self, max_len: int = 5000, pattern: str | None = None,
                 pattern_hint: str = "") -> None:
        self.max_len = max_len
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_hint = pattern_hint
        self.expects = "text"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return self.wrong_type(node, path, ctx)
        text = str(value).strip()
        if not text:
            ctx.add(node, path, "must not be empty")
            return MISSING
        if len(text) > self.max_len:
            ctx.add(node, path, f"is {len(text):,} characters long; at most "
                                f"{self.max_len:,} fit in a handout")
            return MISSING
        if self.pattern and not self.pattern.fullmatch(text):
            ctx.add(node, path, f"{text!r} is not {self.pattern_hint}")
            return MISSING
        return text


class Number(Spec):
    def __init__(self, low: float | None = None, high: float | None = None,
                 integer: bool = False) -> None:
        self.low, self.high, self.integer = low, high, integer
        self.expects = "a whole number" if integer else "a number"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.wrong_type(node, path, ctx)
        if self.integer and not isinstance(value, int):
            return self.wrong_type(node, path, ctx)
        if not math.isfinite(value):  # YAML's .nan and .inf are floats
            ctx.add(node, path, f"is {value}; it must be a finite number")
            return MISSING
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            ctx.add(node, path, f"is {value}; it must be between {self.low} and {self.high}")
            return MISSING
        return value


class Bool(Spec):
    expects = "true or false"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node.value, bool):
            return self.wrong_type(node, path, ctx)
        return node.value


class Date(Spec):
    expects = "a date written YYYY-MM-DD"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        value = node.value
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return self.wrong_type(node, path, ctx)


class Choice(Spec):
    """One of a closed set of words; the error lists them all."""

    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.expects = "one of " + ", ".join(choices)

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        value = node.value
        if isinstance(value, str) and value.strip() in self.choices:
            return value.strip()
        got = repr(value) if isinstance(value, str) else _type_name(value)
        ctx.add(node, path, f"is {got}; it must be one of: {', '.join(self.choices)}")
        return MISSING


class Dimension(Spec):
    """A length such as ``12mm``, ``0.5in``, ``1.2cm`` or ``10pt``; read as points, and
    at most *high* points (default: 20 in, larger than any paper brochure prints on)."""

    expects = "a length such as 12mm, 0.5in or 10pt"
    _units = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}

    def __init__(self, high: float = 1440.0) -> None:
        self.high = high

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        value = node.value
        points: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            points = float(value)
        elif isinstance(value, str):
            m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(pt|in|mm|cm)\s*", value)
            if m:
                points = float(m.group(1)) * self._units[m.group(2)]
        if points is None:
            ctx.add(node, path, f"is {_shown(value)}; it must be {self.expects}")
            return MISSING
        if not math.isfinite(points) or not 0 <= points <= self.high:
            ctx.add(node, path, f"is {value!r}; it must be a length from 0 to "
                                f"{self.high:g} pt ({self.high / 72:g} in)")
            return MISSING
        return points


class Color(Spec):
    expects = "a colour written #rrggbb"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        value = node.value
        if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value.strip()):
            return value.strip().lower()
        ctx.add(node, path, f"is {_shown(value)}; it must be {self.expects}")
        return MISSING


class ListOf(Spec):
    def __init__(self, item: Spec, min_items: int = 0, max_items: int = 500) -> None:
        self.item, self.min_items, self.max_items = item, min_items, max_items
        self.expects = f"a list of {item.expects}"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node.value, list):
            return self.wrong_type(node, path, ctx)
        if len(node.value) < self.min_items:
            ctx.add(node, path, f"has {len(node.value)} entries; it needs at least "
                                f"{self.min_items}")
            return MISSING
        if len(node.value) > self.max_items:
            ctx.add(node, path, f"has {len(node.value)} entries; at most {self.max_items}")
            return MISSING
        out = [self.item.read(child, f"{path}[{i}]", ctx) for i, child in enumerate(node.value)]
        return MISSING if any(v is MISSING for v in out) else out


class MapOf(Spec):
    """A mapping with free keys, each value checked by *value*."""

    def __init__(self, value: Spec, keys: Choice | None = None) -> None:
        self.value, self.keys = value, keys
        self.expects = "a mapping"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node.value, dict):
            return self.wrong_type(node, path, ctx)
        out = {}
        for key, child in node.value.items():
            if self.keys and key not in self.keys.choices:
                ctx.add(child, _join(path, key), f"is not a known key; use one of: "
                                                 f"{', '.join(self.keys.choices)}")
                continue
            out[key] = self.value.read(child, _join(path, key), ctx)
        return MISSING if any(v is MISSING for v in out.values()) else out


class OneOf(Spec):
    """The first spec whose shape fits the value reads it (e.g. text or a mapping)."""

    def __init__(self, *options: tuple[Callable[[Any], bool], Spec], expects: str) -> None:
        self.options = options
        self.expects = expects

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        for fits, spec in self.options:
            if fits(node.value):
                return spec.read(node, path, ctx)
        return self.wrong_type(node, path, ctx)


@dataclass(frozen=True)
class Field:
    spec: Spec
    doc: str
    required: bool = True
    default: Any = None


class Record(Spec):
    """A mapping with known keys, built into *factory* (usually a dataclass)."""

    def __init__(self, name: str, fields: dict[str, Field],
                 factory: Callable[..., Any] | None = None,
                 check: Callable[[Any, Node, str, Context], None] | None = None) -> None:
        self.name, self.fields, self.factory, self.check = name, fields, factory, check
        self.expects = f"a mapping ({name})"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node.value, dict):
            return self.wrong_type(node, path, ctx)
        values: dict[str, Any] = {}
        failed = False
        for key, child in node.value.items():
            if key not in self.fields:
                line, col = node.key_lines.get(key, (child.line, child.column))
                hint = difflib.get_close_matches(key, list(self.fields), n=1)
                known = f"did you mean {hint[0]!r}?" if hint else (
                    "known fields: " + ", ".join(self.fields))
                ctx.problems.append(Problem(node.file, line, col, _join(path, key),
                                            f"is not a field of {self.name}; {known}"))
                failed = True
        for key, field in self.fields.items():
            child = node.value.get(key)
            if child is None or (child.value is None and not field.required):
                if field.required:
                    ctx.add(node, path or "(top level)",
                            f"is missing the required field {key!r} ({field.doc})")
                    failed = True
                values[key] = field.default
                continue
            value = field.spec.read(child, _join(path, key), ctx)
            failed = failed or value is MISSING
            values[key] = value
        if failed:
            return MISSING
        result = self.factory(**values) if self.factory else values
        if self.check:
            before = len(ctx.problems)
            self.check(result, node, path, ctx)
            if len(ctx.problems) > before:
                return MISSING
        return result


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def describe(record: Record, indent: str = "") -> str:
    """Help text for a record: one line per field, nested records indented."""
    lines = []
    for key, field in record.fields.items():
        need = "required" if field.required else f"optional, default {field.default!r}"
        lines.append(f"{indent}{key}: {field.spec.expects} ({need}) — {field.doc}")
        inner = field.spec
        if isinstance(inner, ListOf):
            inner = inner.item
        if isinstance(inner, Record):
            lines.append(describe(inner, indent + "  "))
    return "\n".join(lines)
