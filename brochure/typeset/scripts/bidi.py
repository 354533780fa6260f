"""Right-to-left (Arabic, Hebrew) paragraphs for ReportLab.

ReportLab lays out RTL paragraphs itself: it breaks lines on the words in logical order
and then sorts the words of each line into visual order. For that it needs one function
from the optional, C-built `rlbidi` package, which is not on PyPI:

    log2vis(text, base_direction, clean=True, positions_V_to_L=[...]) -> str

This module provides that function on top of python-bidi's pure-Python steps of the
Unicode bidi algorithm (plus the bracket-pair rule N0, which those steps lack), and, like
rlbidi (a fribidi binding), joins Arabic letters by turning them into presentation forms.
`enable_rtl()` puts it where ReportLab looks, `rtl_style()` and `rtl_paragraph()` build
what a paragraph needs.

Why presentation forms rather than HarfBuzz (`shaping=1`): in ReportLab 5.1 a paragraph
with `shaping=1` never calls log2vis; its words come out in logical order, left to right.
The bidi path only runs for single-style paragraphs with `shaping=0`.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import types
import unicodedata
from typing import TYPE_CHECKING, Any

from bidi import algorithm as _uba
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..markup import escape

if TYPE_CHECKING:
    from reportlab.platypus import Paragraph

__all__ = [
    "enable_rtl",
    "embedding_levels",
    "isolate_ltr",
    "log2vis",
    "rtl_enabled",
    "rtl_paragraph",
    "rtl_style",
    "shape_arabic",
]

# Base direction names as ReportLab and rlbidi spell them -> (fixed level, fallback level).
# A fixed level of None means "first strong character decides" (UAX #9 P2-P3).
_BASES: dict[str, tuple[int | None, int]] = {
    "RTL": (1, 1),
    "LTR": (0, 0),
    "ON": (None, 0),
    "WLTR": (None, 0),
    "WRTL": (None, 1),
}

# python-bidi's pure-Python steps predate isolates (Unicode 6.3); they would trip over
# their classes, so isolates are read as the matching embeddings.
_ISOLATE_AS_EMBEDDING = {"LRI": "LRE", "RLI": "RLE", "PDI": "PDF"}
# Invisible direction marks that `clean=True` leaves out of the visual string.
_MARKS = {"\u200e", "\u200f", "\u061c"}
_LRI, _PDI = "\u2066", "\u2069"


# --- Arabic joining ---------------------------------------------------------------

def _presentation_forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Read the presentation-form tables out of the Unicode decompositions.

    Out: {letter: {"isolated"|"final"|"initial"|"medial": form}} and, for lam + alef,
    {alef: {"isolated"|"final": ligature}}.
    """
    forms: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    # Forms-B only (the Arabic alphabet), as fonts with presentation forms cover it
    # whole; Forms-A (Persian, Urdu letters) is often partial (IBM Plex Sans Arabic
    # lacks 40 of those letters' forms) and a missing form would print as a box.
    for cp in range(0xFE70, 0xFF00):
        tag, *codes = unicodedata.decomposition(chr(cp)).split() or [""]
        if tag not in ("<isolated>", "<final>", "<initial>", "<medial>"):
            continue
        base = "".join(chr(int(code, 16)) for code in codes)
        if len(base) == 1:
            forms.setdefault(base, {}).setdefault(tag[1:-1], chr(cp))
        elif len(base) == 2 and base[0] == "\u0644" and base[1] in "\u0622\u0623\u0625\u0627":
            lam_alef.setdefault(base[1], {})[tag[1:-1]] = chr(cp)
    return forms, lam_alef


_FORMS, _LAM_ALEF = _presentation_forms()


def _joining_type(ch: str) -> str:
    """Joining type (D, R, C, T or U) as ArabicShaping.txt gives it, for the letters
    that have Forms-B presentation forms; other letters count as non-joining (U)."""
    if ch in ("\u0640", "\u200d"):  # tatweel and ZWJ join on both sides
        return "C"
    found = _FORMS.get(ch)
    if found:
        if "initial" in found or "medial" in found:
            return "D"
        return "R" if "final" in found else "U"
    category = unicodedata.category(ch)
    if category in ("Mn", "Me") or (category == "Cf" and ch != "\u200c"):
        return "T"  # marks and format characters do not break a join
    return "U"


def _shape(text: str) -> list[str | None]:
    """Per logical character: its presentation form, or None where a lam-alef
    ligature swallowed the alef."""
    types_ = [_joining_type(ch) for ch in text]
    out: list[str | None] = list(text)

    def neighbour(i: int, step: int) -> int:
        i += step
        while 0 <= i < len(text) and types_[i] == "T":
            i += step
        return i

    for i, ch in enumerate(text):
        kind = types_[i]
        if kind not in ("D", "R") or out[i] is None:
            continue
        before, after = neighbour(i, -1), neighbour(i, 1)
        joins_before = before >= 0 and types_[before] in ("D", "C")
        joins_after = (kind == "D" and after < len(text)
                       and types_[after] in ("D", "R", "C"))
        if ch == "\u0644" and after < len(text) and text[after] in _LAM_ALEF:
            # Lam + alef must become one ligature glyph; the alef drops out.
            out[i] = _LAM_ALEF[text[after]]["final" if joins_before else "isolated"]
            out[after] = None
            continue
        if joins_before and joins_after:
            form = "medial"
        elif joins_before:
            form = "final"
        elif joins_after:
            form = "initial"
        else:
            form = "isolated"
        out[i] = _FORMS[ch].get(form, ch)
    return out


def shape_arabic(text: str) -> str:
    """Join Arabic letters the way a fribidi-based log2vis does.

    In: text in logical order. Out: the same text, still in logical order, with each
    Arabic letter replaced by its isolated/initial/medial/final presentation form
    (Forms-B: Persian and Urdu letters such as پ چ گ stay as they are, unjoined) and
    lam + alef by one ligature (so the result can be one character shorter per ligature).
    """
    return "".join(ch for ch in _shape(text) if ch is not None)


# --- Unicode bidi algorithm ---------------------------------------------------------

def _bracket_pairs() -> tuple[dict[str, str], set[str]]:
    """Opening bracket -> closing bracket, from Bidi_Mirroring_Glyph and Ps/Pe."""
    from bidi.mirror import MIRRORED

    openers = {a: b for a, b in MIRRORED.items()
               if unicodedata.category(a) == "Ps" and unicodedata.category(b) == "Pe"}
    return openers, set(openers.values())


_OPENERS, _CLOSERS = _bracket_pairs()
_CANONICAL_BRACKET = {"\u2329": "\u3008", "\u232a": "\u3009"}


def _strong(bidi_type: str) -> str | None:
    """Direction a resolved type counts as for N0 (numbers count as R)."""
    if bidi_type == "L":
        return "L"
    if bidi_type in ("R", "AL", "EN", "AN"):
        return "R"
    return None


def _resolve_paired_brackets(storage: dict[str, Any]) -> None:
    """UAX #9 rule N0, which python-bidi's pure-Python steps skip.

    Without it "(kratom) 1-800" in an Arabic line shows as "kratom) 1-800)".
    Works per level run (the old steps have no isolating run sequences).
    """
    chars = storage["chars"]
    for run in storage["runs"]:
        seq = chars[run["start"]:run["start"] + run["length"]]
        if not seq:
            continue
        embedding = "LR"[seq[0]["level"] % 2]
        stack: list[tuple[str, int]] = []
        pairs: list[tuple[int, int]] = []
        for i, item in enumerate(seq):
            if item["type"] != "ON":
                continue
            ch = _CANONICAL_BRACKET.get(item["ch"], item["ch"])
            if ch in _OPENERS:
                if len(stack) == 63:  # BD16: stop looking once the stack overflows
                    break
                stack.append((_CANONICAL_BRACKET.get(_OPENERS[ch], _OPENERS[ch]), i))
            elif ch in _CLOSERS:
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == ch:
                        pairs.append((stack[depth][1], i))
                        del stack[depth:]
                        break
        for start, end in sorted(pairs):
            inside = {_strong(item["type"]) for item in seq[start + 1:end]} - {None}
            if embedding in inside:
                direction = embedding
            elif inside:
                context = run["sor"]
                for item in reversed(seq[:start]):
                    if _strong(item["type"]):
                        context = _strong(item["type"])
                        break
                direction = context if context != embedding else embedding
            else:
                continue
            for i in (start, end):
                seq[i]["type"] = direction
                # W1 had turned marks after a bracket into ON; they follow it now.
                for item in seq[i + 1:]:
                    if item["orig"] != "NSM":
                        break
                    item["type"] = direction


def _base_level(text: str, base_direction: str | None) -> int:
    key = (base_direction or "ON").upper()
    if key not in _BASES:
        raise ValueError(f"base_direction must be one of {', '.join(_BASES)}, not {key!r}")
    fixed, fallback = _BASES[key]
    if fixed is not None:
        return fixed
    for ch in text:
        found = unicodedata.bidirectional(ch)
        if found in ("R", "AL"):
            return 1
        if found == "L":
            return 0
    return fallback


def _first_strong_is_rtl(text: str, start: int) -> bool:
    """FSI: does the text after an FSI (up to its PDI) start with an RTL letter?"""
    for ch in text[start + 1:]:
        found = unicodedata.bidirectional(ch)
        if found == "PDI":
            return False
        if found in ("R", "AL", "L"):
            return found != "L"
    return False


def _resolve(text: str, base_level: int) -> list[dict[str, Any]]:
    """Run UAX #9 up to reordering; out: python-bidi's char records in visual order,
    each with "index" (logical position), "level" and "ch" (mirrored where needed)."""
    storage = _uba.get_empty_storage()
    storage["base_level"] = base_level
    storage["base_dir"] = "LR"[base_level]
    _uba.get_embedding_levels(text, storage)
    for i, item in enumerate(storage["chars"]):
        item["index"] = i
        kind = item["type"]
        if kind == "FSI":
            kind = "RLE" if _first_strong_is_rtl(text, i) else "LRE"
        kind = _ISOLATE_AS_EMBEDDING.get(kind, kind) or "L"  # unassigned -> L
        item["type"] = item["orig"] = kind
    _uba.explicit_embed_and_overrides(storage)
    _uba.resolve_weak_types(storage)
    _resolve_paired_brackets(storage)
    _uba.resolve_neutral_types(storage, False)
    _uba.resolve_implicit_levels(storage, False)
    _uba.reorder_resolved_levels(storage, False)
    _uba.apply_mirroring(storage, False)
    return storage["chars"]


def embedding_levels(text: str, base_direction: str | None = "RTL") -> list[int]:
    """Resolved bidi level of each logical character (even = LTR, odd = RTL).

    In: logical text and "RTL", "LTR" or "ON"/None (first strong letter decides).
    Out: one level per character of `text`; explicit controls (LRE, PDF, ...) get -1.
    """
    levels = [-1] * len(text)
    for item in _resolve(text, _base_level(text, base_direction)):
        levels[item["index"]] = item["level"]
    return levels


def log2vis(
    logical: str,
    base_direction: str | None = "RTL",
    *,
    clean: bool = True,
    shape: bool = True,
    positions_V_to_L: list[int] | None = None,
    positions_L_to_V: list[int] | None = None,
    embedding_levels: list[int] | None = None,
) -> str:
    """Reorder one paragraph from logical to visual order, as rlbidi.log2vis does.

    In: `logical` text; `base_direction` "RTL", "LTR", "ON"/"WLTR"/"WRTL" or None (the
    first strong letter decides). Embedding and isolate controls (LRE ... PDF, LRI ...
    PDI) never reach the result; `clean` also drops the marks LRM, RLM and ALM. `shape`
    joins Arabic letters into presentation forms (lam + alef become one ligature).
    Combining marks come before their letter, as plain reversal leaves them: Noto Sans
    Arabic draws its zero-width marks to the right of the pen, over the next glyph.
    Out: the text left to right as it is drawn. Lists passed in are filled in place:
    `positions_V_to_L[v]` is the logical index of visual character v,
    `positions_L_to_V[i]` the visual index of logical character i (-1 if dropped),
    `embedding_levels[i]` the resolved level of logical character i.
    """
    base_level = _base_level(logical, base_direction)
    records = _resolve(logical, base_level)
    shaped = _shape(logical) if shape else list(logical)
    visual: list[str] = []
    v_to_l: list[int] = []
    levels = [-1] * len(logical)
    for item in records:
        i = item["index"]
        levels[i] = item["level"]
        ch = shaped[i]
        if ch is None or (clean and logical[i] in _MARKS):
            continue
        if item["ch"] != logical[i]:  # mirrored bracket; Arabic letters never mirror
            ch = item["ch"]
        visual.append(ch)
        v_to_l.append(i)
    if positions_V_to_L is not None:
        positions_V_to_L[:] = v_to_l
    if positions_L_to_V is not None:
        l_to_v = [-1] * len(logical)
        for v, i in enumerate(v_to_l):
            l_to_v[i] = v
        positions_L_to_V[:] = l_to_v
    if embedding_levels is not None:
        embedding_levels[:] = levels
    return "".join(visual)


# --- runs kept left to right -------------------------------------------------------

# Digits joined by separators: phone numbers, ranges, dates, decimals.
_NUMBER_RUN = re.compile(r"\+?\d+(?:[-\u2010\u2011\u2013./:,]\d+)+")
# A bracketed group without nested brackets: (...), [...] or {...}.
_BRACKET_GROUP = re.compile(r"\([^()\[\]{}]*\)|\[[^()\[\]{}]*\]|\{[^()\[\]{}]*\}")


def _is_ltr_only(text: str) -> bool:
    kinds = {unicodedata.bidirectional(ch) for ch in text}
    return "L" in kinds and not kinds & {"R", "AL"}


def isolate_ltr(text: str) -> str:
    """Wrap the runs that must stay left to right in LRI ... PDI (invisible marks).

    Two kinds of run, both common in health handouts:
    - multi-part numbers (1-800-222-1222, 10-15, 2024/05/01): plain UAX #9 turns digits
      after Arabic letters into Arabic numbers and a hyphen between those takes the RTL
      direction, so 1-800-222-1222 would read 1222-222-800-1;
    - brackets around Latin text only, "(Poison Control)": ReportLab maps each visual
      word back to the logical word of its first character, and the RTL-resolved
      brackets of a multi-word group land in the wrong words ("Control) (Control").
      Isolated, the group is drawn the same but maps cleanly.
    In: logical text. Out: the same text with those runs wrapped; log2vis never puts
    the marks in its visual string, so nothing extra is drawn.
    """
    text = _BRACKET_GROUP.sub(
        lambda m: f"{_LRI}{m.group(0)}{_PDI}" if _is_ltr_only(m.group(0)) else m.group(0),
        text)
    # A number inside an isolated group gets a nested pair: harmless.
    return _NUMBER_RUN.sub(lambda m: f"{_LRI}{m.group(0)}{_PDI}", text)


# --- ReportLab glue -----------------------------------------------------------------

def _adapter_module() -> types.ModuleType:
    module = types.ModuleType(
        "rlbidi", "Stand-in for rlbidi, provided by brochure.scripts.bidi (python-bidi).")
    module.log2vis = log2vis  # type: ignore[attr-defined]
    module.__brochure_adapter__ = True  # type: ignore[attr-defined]
    return module


def _bound_names(body: list[ast.stmt]) -> set[str]:
    """Names a block of module-level statements assigns."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _rerun_rlbidi_block(textobject: types.ModuleType) -> None:
    """Run textobject's `try: import rlbidi ...` block again, now that rlbidi imports.

    The block defines the bidi helpers (or, without rlbidi, stubs). Running it in the
    live module's namespace replaces the stubs there; modules that copied a stub with
    `from ... import` (paragraph, canvas) get the new object under the same name.
    """
    tree = ast.parse(inspect.getsource(textobject))
    block = next((node for node in tree.body if isinstance(node, ast.Try)
                  and any(isinstance(s, ast.Import) and s.names[0].name == "rlbidi"
                          for s in node.body)), None)
    if block is None:
        raise RuntimeError("this ReportLab has no `import rlbidi` block in "
                           "reportlab.pdfgen.textobject; call enable_rtl() before "
                           "importing reportlab.pdfgen or reportlab.platypus")
    names = _bound_names(block.body)
    old = {name: textobject.__dict__[name] for name in names if name in textobject.__dict__}
    code = compile(ast.Module(body=block.body, type_ignores=[]), textobject.__file__, "exec")
    exec(code, textobject.__dict__)  # ReportLab's own code, in its own module
    for module in list(sys.modules.values()):
        if module is textobject or not getattr(module, "__name__", "").startswith("reportlab."):
            continue
        namespace = vars(module)
        for name, stub in old.items():
            if name in namespace and namespace[name] is stub:
                namespace[name] = textobject.__dict__[name]


def enable_rtl() -> None:
    """Make ReportLab's RTL paragraph path work, using this module's log2vis.

    ReportLab looks for `rlbidi` when `reportlab.pdfgen.textobject` is first imported.
    Before that import this only registers the stand-in module; after it (importing
    `brochure` already imports ReportLab) it also re-runs ReportLab's rlbidi block so
    paragraphs and canvases pick the helpers up. Calling it again is harmless; an
    `rlbidi` that is already imported is used as it is.
    """
    # A module object in sys.modules is what `import rlbidi` returns: no file, no path.
    sys.modules.setdefault("rlbidi", _adapter_module())
    textobject = sys.modules.get("reportlab.pdfgen.textobject")
    if textobject is not None and not getattr(textobject, "rtlSupport", False):
        _rerun_rlbidi_block(textobject)


def rtl_enabled() -> bool:
    """True if ReportLab's RTL path is live (imports reportlab.pdfgen.textobject)."""
    from reportlab.pdfgen import textobject

    return bool(textobject.rtlSupport)


def rtl_style(name: str, font_name: str, parent: ParagraphStyle | None = None,
              **attributes: Any) -> ParagraphStyle:
    """A ParagraphStyle for right-to-left text.

    In: style name, a registered TrueType font with Arabic Presentation Forms-B (Noto
    Sans Arabic and IBM Plex Sans Arabic have them all), an optional parent and any
    other ParagraphStyle attributes.
    Out: the style with wordWrap="RTL", right alignment and shaping=0 (the ReportLab
    5.1 shaping path ignores bidi); attributes passed in override these defaults.
    """
    settings: dict[str, Any] = {"wordWrap": "RTL", "alignment": TA_RIGHT, "shaping": 0}
    settings.update(attributes)
    return ParagraphStyle(name, parent=parent, fontName=font_name, **settings)


def rtl_paragraph(text: str, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
    """A Paragraph of plain right-to-left text that ReportLab will order correctly.

    In: plain text (not markup: it is escaped, and inline markup would split the
    paragraph into several fragments, which ReportLab lays out without bidi), an RTL
    style (see rtl_style) and other Paragraph arguments (bulletText, ...).
    Out: a Paragraph; numbers and bracketed Latin text are kept left to right
    (see isolate_ltr).
    Raises RuntimeError if enable_rtl() was not called, ValueError for a style
    that is not wordWrap="RTL" with shaping=0.
    """
    if style.wordWrap != "RTL" or getattr(style, "shaping", 0):
        raise ValueError("rtl_paragraph needs a style with wordWrap='RTL' and shaping=0 "
                         "(ReportLab 5.1 applies no bidi when shaping=1)")
    if not rtl_enabled():
        raise RuntimeError("RTL is off in ReportLab: call enable_rtl() first")
    from reportlab.platypus import Paragraph

    return Paragraph(escape(isolate_ltr(text)), style, **kwargs)
