"""Layout inputs → hashable values: what the layout memories (`columns`, `linebreaks`)
key their records on.

In: ReportLab fragments (``ABag`` objects, or lists of them once laid out), lists, tuples
and plain values. Out: nested tuples of the same values, equal exactly when the inputs
are; None for anything else unhashable (the caller then remembers nothing).
"""

from __future__ import annotations


def frozen(value: object, depth: int = 0) -> object | None:
    """Fragments (ReportLab's ``ABag`` objects, or lists of them once laid out) as
    nested tuples of their attributes; None for anything else unhashable."""
    if depth > 4:
        return None
    if isinstance(value, list | tuple):
        items = [frozen(v, depth + 1) for v in value]
        if any(i is None and v is not None for i, v in zip(items, value, strict=True)):
            return None
        return tuple(items)
    state = getattr(value, "__dict__", None)
    if state is not None and type(value).__name__ in ("ABag", "ParaFrag", "FragLine"):
        items = tuple((k, frozen(v, depth + 1)) for k, v in sorted(state.items()))
        if any(i is None and state[k] is not None for k, i in items):
            return None
        return (type(value), items)
    return value if hashable(value) else None


def hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
