"""Layout inputs → hashable values: what the layout memories (`columns`, `linebreaks`)
key their records on.

In: ReportLab fragments (``ABag`` objects, or lists of them once laid out), lists, tuples
and plain values. Out: nested tuples of the same values with their kinds (1, 1.0 and
True are equal in Python, not in what ReportLab writes), equal exactly when the inputs
are; None for anything else unhashable, or nested too deep (the caller then remembers
nothing).
"""

from __future__ import annotations

from reportlab.lib.colors import Color

_EMPTY_LIST = (list, ())  # what `frozen` makes of an empty list
# Values a fragment's attributes usually hold, equal by value: taken as they are.
_PLAIN = frozenset({str, int, float, bool, type(None), Color})
_BAGS = ("ABag", "ParaFrag", "FragLine")


def frozen(value: object, depth: int = 0) -> object | None:
    """*value* as a hashable value (see the module), or None."""
    if depth > 4:
        return None
    if isinstance(value, list | tuple):
        items = [frozen(v, depth + 1) for v in value]
        if any(i is None for i in items):
            return None
        if type(value) is tuple:
            return tuple(items)
        return (type(value), tuple(items))  # a list is not a tuple; nor, to ReportLab,
        # one of its word-list classes another
    state = getattr(value, "__dict__", None)
    if state is not None and type(value).__name__ in _BAGS:
        if all(v.__class__ in _PLAIN or (v.__class__ is list and not v)
               for v in state.values()):  # the usual fragment: in one go
            return (type(value), tuple(sorted(
                (k, _EMPTY_LIST if v.__class__ is list else (v.__class__, v))
                for k, v in state.items())))
        items = tuple((k, frozen(v, depth + 1)) for k, v in sorted(state.items()))
        return None if any(i is None for _, i in items) else (type(value), items)
    if not hashable(value):
        return None
    if state and value.__class__ not in _PLAIN:  # a value with attributes of its own (a
        own = frozen(sorted(state.items()), depth + 1)  # str that knows its language)
        return None if own is None else (value.__class__, value, own)
    return (value.__class__, value)


def hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
