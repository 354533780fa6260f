"""Safe YAML loading that remembers where every value came from.

In: a path to a YAML file. Out: a `Node` tree: plain Python values (dict, list, str, int,
float, bool, None, date) each paired with its line and column, so validation can say
``content/kratom/es.yaml:12:5 benefits[2].evidence: ...``.

Only PyYAML's safe constructors are used (no object construction), and anchors and
aliases are refused outright: content files never need them, and refusing them makes
"billion laughs" alias bombs impossible. Duplicate keys are reported, not silently merged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..errors import ContentError, Problem

MAX_FILE_BYTES = 2_000_000  # a handout's content is a few KB; refuse absurd inputs early


@dataclass
class Node:
    """A YAML value with its source position (1-based)."""

    value: Any  # dict[str, Node] | list[Node] | scalar
    line: int
    column: int
    file: Path | None = None
    key_lines: dict[str, tuple[int, int]] = field(default_factory=dict)

    def plain(self) -> Any:
        """The value with all position information stripped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def _refuse_anchors(loader) -> None:  # type: ignore[no-untyped-def]
    event = loader.peek_event()
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        raise yaml.MarkedYAMLError(
            problem="anchors and aliases (&name, *name) are not allowed in brochure files",
            problem_mark=event.start_mark,
        )


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        _refuse_anchors(self)
        return super().compose_node(parent, index)


_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _FastLoader(CParser, Composer, SafeConstructor, Resolver):  # type: ignore[no-redef]
        """The same loader over libyaml's parser (ten times faster than PyYAML's own):
        events come from C, nodes are composed by PyYAML's composer, so anchors are
        refused the same way. Only used on valid files: messages come from
        `_NoAliasLoader`, whose wording is clearer."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        # CParser composes in C; PyYAML's composer is used instead, to check each node.
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            _refuse_anchors(self)
            return Composer.compose_node(self, parent, index)


def load_yaml(path: Path, error_class: type[ContentError] = ContentError) -> Node:
    """Read *path* and return its node tree; raise *error_class* naming file and line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error_class(problems=[Problem(path, None, None, "", "file not found")]) from None
    except OSError as exc:
        raise error_class(
            problems=[Problem(path, None, None, "", f"cannot be read ({exc.strerror})")]
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise error_class(
            problems=[
                Problem(path, None, None, "", f"is {len(raw):,} bytes; the limit is "
                        f"{MAX_FILE_BYTES:,} bytes for one content file")
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error_class(
            problems=[Problem(path, None, None, "", f"is not UTF-8 text (byte {exc.start})")]
        ) from None
    return parse_yaml(text, path, error_class)


def parse_yaml(
    text: str, path: Path | None = None, error_class: type[ContentError] = ContentError
) -> Node:
    """Parse YAML *text*; *path* is only used in messages."""
    if _FastLoader is not None:
        fast = _FastLoader(text)
        try:
            root = fast.get_single_node()
        except yaml.YAMLError:
            pass  # parsed again below, for the message
        else:
            return _converted(root, fast, path, error_class)
        finally:
            fast.dispose()
    loader = _NoAliasLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        detail = exc.problem or "is not valid YAML"
        if exc.context and exc.problem:
            detail = f"{exc.context}, {exc.problem}"
        raise error_class(
            problems=[Problem(path, line, col, "", f"is not valid YAML: {detail}")]
        ) from None
    except yaml.YAMLError as exc:
        raise error_class(
            problems=[Problem(path, None, None, "", f"is not valid YAML: {exc}")]
        ) from None
    finally:
        loader.dispose()
    return _converted(root, loader, path, error_class)


def _converted(root: yaml.Node | None, loader, path: Path | None,  # type: ignore[no-untyped-def]
               error_class: type[ContentError]) -> Node:
    if root is None:
        return Node({}, 1, 1, path)
    problems: list[Problem] = []
    node = _convert(root, loader, path, problems)
    if problems:
        raise error_class(problems=problems)
    return node


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _convert(node: yaml.Node, loader: SafeConstructor, path: Path | None,
             problems: list[Problem]) -> Node:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        problems.append(Problem(path, line, col, "", f"the YAML tag {node.tag!r} is not allowed"))
        return Node(None, line, col, path)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        key_lines: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in out:
                problems.append(Problem(path, kline, kcol, key,
                                        f"appears twice (first at line {key_lines[key][0]})"))
                continue
            key_lines[key] = (kline, kcol)
            out[key] = _convert(value_node, loader, path, problems)
        return Node(out, line, col, path, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(n, loader, path, problems) for n in node.value], line, col, path)
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        problems.append(Problem(path, line, col, "", f"the YAML tag {node.tag!r} is not allowed"))
        return Node(None, line, col, path)
    if isinstance(value, bytes):  # !!binary has no place in a handout
        problems.append(Problem(path, line, col, "", "binary values are not allowed"))
    if isinstance(value, dt.datetime):
        value = value.date()
    return Node(value, line, col, path)
