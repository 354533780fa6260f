"""Safe YAML loading that remembers where every value came from.

In: a path to a YAML file. Out: a `Node` tree: plain Python values (dict, list, str, int,
float, bool, None, date) each paired with its line and column, so validation can say
``content/kratom/es.yaml:12:5 benefits[2].evidence: ...``.

Only PyYAML's safe constructors are used (no object construction), and anchors and
aliases are refused outright: content files never need them, and refusing them makes
"billion laughs" alias bombs impossible. Explicit tags (``!!str``, ``!name``) and merge
keys (``<<``) are refused the same way, on keys as on values. Duplicate keys are
reported, not silently merged. A file over `MAX_FILE_BYTES`, a folder or a device is
refused before it is read. Where the parser knows which construct opened a problem (an
unclosed ``[``, ``{`` or quote), the message points there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..errors import ContentError, Problem
from .normalize import normalize, refusal

MAX_FILE_BYTES = 2_000_000  # a handout's content is a few KB; refuse absurd inputs early


@dataclass
class Node:
    """A YAML value with its source position (1-based)."""

    value: Any  # dict[str, Node] | list[Node] | scalar
    line: int
    column: int
    file: Path | None = None
    key_lines: dict[str, tuple[int, int]] = field(default_factory=dict)

    def find(self, keys: Iterable[str | int]) -> Node | None:
        """The node at *keys* (mapping keys and list indexes) below this one; None where
        the path leaves the tree."""
        node: Node | None = self
        for key in keys:
            if node is None:
                return None
            value = node.value
            if isinstance(key, int):
                node = value[key] if isinstance(value, list) and key < len(value) else None
            else:
                node = value.get(key) if isinstance(value, dict) else None
        return node

    def plain(self) -> Any:
        """The value with all position information stripped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def _refuse_anchors(loader) -> None:  # type: ignore[no-untyped-def]
    """Refuse anchors, aliases and explicit tags before the node is composed."""
    event = loader.peek_event()
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        raise yaml.MarkedYAMLError(
            problem="anchors and aliases (&name, *name) are not allowed in brochure files",
            problem_mark=event.start_mark,
        )
    tag = getattr(event, "tag", None)
    if tag is not None:
        raise _TagRefused(problem=f"the YAML tag {tag!r} is not allowed",
                          problem_mark=event.start_mark)


class _TagRefused(yaml.MarkedYAMLError):
    """Valid YAML that brochure refuses: an explicit tag (``!!str``, ``!name``)."""


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
    raw = read_limited(path, MAX_FILE_BYTES, "one brochure file", error_class)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error_class(
            problems=[Problem(path, None, None, "", f"is not UTF-8 text (byte {exc.start})")]
        ) from None
    return parse_yaml(text, path, error_class)


def is_web_address(text: str) -> bool:
    """Whether *text* (as written, or folded by Path to ``https:/``) is a URL."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]+:/", text) is not None


def not_a_file(path: Path, written: str | None = None) -> str | None:
    """Why *path* cannot be read as a file (missing, a folder, a device, a web address),
    or None when it is a regular file. *written* is the path as a file gave it."""
    if is_web_address(written or str(path)):
        return "is a web address; brochure reads local files only: download it first"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is a device or pipe, not a regular file"
    return None


def read_limited(path: Path, limit: int, what: str,
                 error_class: type[ContentError] = ContentError) -> bytes:
    """The bytes of regular file *path*, refused (without reading it) when it is larger
    than *limit* bytes, is missing, a folder or a device; *what* names the limit."""
    def refuse(message: str) -> ContentError:
        return error_class(problems=[Problem(path, None, None, "", message)])

    reason = not_a_file(path)
    if reason:
        raise refuse(reason)
    try:
        # non-blocking, so a pipe swapped in after the check above cannot hang the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise refuse("is a device or pipe, not a regular file")
            size = info.st_size
            if size > limit:
                raise refuse(f"is {size:,} bytes; the limit is {limit:,} bytes for {what}")
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    if len(raw) > limit:  # grew while being read
        raise refuse(f"is over {limit:,} bytes; the limit is {limit:,} bytes for {what}")
    return raw


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
    try:
        loader = _NoAliasLoader(text)  # checks every character first
    except yaml.reader.ReaderError as exc:
        raise error_class(problems=[_reader_problem(exc, text, path)]) from None
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise error_class(problems=[_syntax_problem(exc, path)]) from None
    except yaml.YAMLError as exc:
        raise error_class(
            problems=[Problem(path, None, None, "", f"is not valid YAML: {exc}")]
        ) from None
    finally:
        loader.dispose()
    return _converted(root, loader, path, error_class)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, path: Path | None) -> Problem:
    """A character YAML itself refuses (a control character), at its line and column."""
    at = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    return Problem(path, line, column, "", refusal(char))


# What opened a construct the parser could not finish, by the parser's context.
_OPENERS = {"while parsing a flow sequence": ("[", "]"),
            "while parsing a flow mapping": ("{", "}"),
            "while scanning a quoted scalar": ("quote", "the same quote")}


def _syntax_problem(exc: yaml.MarkedYAMLError, path: Path | None) -> Problem:
    """A parse error as a Problem placed where the fix is: at the ``[``, ``{`` or quote
    that was never closed when the parser says so, else where it gave up."""
    problem, context = exc.problem or "", exc.context or ""
    found, opened = exc.problem_mark, exc.context_mark
    if isinstance(exc, _TagRefused) and found is not None:
        return Problem(path, found.line + 1, found.column + 1, "", problem)
    opener = _OPENERS.get(context)
    if opener and opened is not None and found is not None:
        what, closer = opener
        return Problem(path, opened.line + 1, opened.column + 1, "",
                       f"is not valid YAML: this {what} is never closed with {closer} "
                       f"(at line {found.line + 1}, column {found.column + 1}: {problem})")
    mark = found or opened
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    detail = f"{context}, {problem}" if context and problem else problem or context
    return Problem(path, line, col, "", f"is not valid YAML: {detail or 'cannot be parsed'}")


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
             problems: list[Problem], where: str = "") -> Node:
    """The Node tree of *node*; *where* is its key path (``benefits[2].evidence``), for
    messages. Text is normalised here (`normalize`), once for every file type."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        problems.append(Problem(path, line, col, "", f"the YAML tag {node.tag!r} is not allowed"))
        return Node(None, line, col, path)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        key_lines: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            key = _key(key_node, loader)
            if key is None:
                problems.append(Problem(path, kline, kcol, where, _bad_key(key_node)))
                continue
            key, refused = normalize(key)
            if refused:
                problems += [Problem(path, kline, kcol, where, f"the key {key!r} "
                                     + refusal(char)) for char in refused]
                continue
            if key in out:
                problems.append(Problem(path, kline, kcol, key,
                                        f"appears twice (first at line {key_lines[key][0]})"))
                continue
            key_lines[key] = (kline, kcol)
            out[key] = _convert(value_node, loader, path, problems,
                                f"{where}.{key}" if where else key)
        return Node(out, line, col, path, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(n, loader, path, problems, f"{where}[{i}]")
                     for i, n in enumerate(node.value)], line, col, path)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        # an implicit tag the safe constructor has no value for (``=``, a date such as
        # 2024-02-30): the text cannot be read as what it looks like
        problems.append(Problem(path, line, col, where, f"{node.value!r} cannot be read as a "
                                "value; put it in quotes to mean the text"))
        return Node(None, line, col, path)
    if isinstance(value, bytes):  # !!binary has no place in a handout
        problems.append(Problem(path, line, col, "", "binary values are not allowed"))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value, refused = normalize(value)
        problems += [Problem(path, line, col, where, refusal(char)) for char in refused]
    return Node(value, line, col, path)


_KEY_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
             "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


def _key(node: yaml.Node, loader: SafeConstructor) -> str | None:
    """A mapping key as text, or None when it is not a plain scalar (a list, a mapping,
    a merge key ``<<``, a date)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _KEY_TAGS:
        return None
    try:
        key = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return None
    return key if isinstance(key, str) else str(key)


def _bad_key(node: yaml.Node) -> str:
    if node.tag == "tag:yaml.org,2002:merge":
        return "merge keys (<<) are not allowed in brochure files; write the keys out"
    if not isinstance(node, yaml.ScalarNode):
        return "a key must be a plain word or text, not a list or a mapping"
    return f"the key {node.value!r} must be a plain word or text; put it in quotes"
