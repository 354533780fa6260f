"""Glyph coverage: every character an edition prints must exist in its font.

In: the YAML trees of a content file, its locale and the clinic profile, and the
`FontSet` that will draw them. Out: a `Problem` per missing character, naming the
character, its code point, the field, the file and line, and the font. Runs before
rendering, so a missing glyph is an error instead of an empty box on paper.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from ..errors import Problem
from ..source.yamlsource import Node
from .fonts import FontSet, glyph_problem, missing_glyphs


def _strings(node: Node, path: str = "") -> Iterator[tuple[str, str, Node]]:
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            yield from _strings(child, f"{path}.{key}" if path else key)
    elif isinstance(node.value, list):
        for i, child in enumerate(node.value):
            yield from _strings(child, f"{path}[{i}]")
    elif isinstance(node.value, str):
        yield path, node.value, node


def coverage_problems(trees: tuple[Node, ...], fonts: FontSet) -> list[Problem]:
    """Every character in *trees* that the regular or bold font cannot draw."""
    problems = []
    for tree in trees:
        problems += _tree_problems(tree, fonts)
    return problems


# A batch checks one content file's trees against one font set for hundreds of editions.
_checked: OrderedDict[tuple[int, str, str], tuple[Node, list[Problem]]] = OrderedDict()
_CHECKED_KEPT = 64


def _tree_problems(tree: Node, fonts: FontSet) -> list[Problem]:
    key = (id(tree), fonts.regular, fonts.bold)
    kept = _checked.get(key)
    if kept is not None and kept[0] is tree:
        return kept[1]
    problems = _uncached_tree_problems(tree, fonts)
    _checked[key] = (tree, problems)  # holds the tree, so its id is not reused
    if len(_checked) > _CHECKED_KEPT:
        _checked.popitem(last=False)
    return problems


def _uncached_tree_problems(tree: Node, fonts: FontSet) -> list[Problem]:
    problems = []
    for path, text, node in _strings(tree):
        for font in (fonts.regular, fonts.bold):
            missing = missing_glyphs(text, font)
            for char in missing:
                problems.append(glyph_problem(char, font, node.file, node.line,
                                              node.column, path))
            if missing:
                break  # one report per character is enough
    return problems
