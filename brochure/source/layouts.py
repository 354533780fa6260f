"""Layout files → `Layout`.

In: the name of a layout and the folders to look in (``layouts/`` of the project, then
the built-in ones). A layout is YAML that may name a ``base`` layout to extend: mappings
are merged key by key, anything else is replaced. Out: a validated `Layout`. Unknown
names list the layouts that exist; inheritance cycles are refused.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import paths
from ..errors import LayoutError, Problem
from .schema import (
    MISSING,
    Bool,
    Choice,
    Color,
    Context,
    Dimension,
    Field,
    ListOf,
    MapOf,
    Number,
    Record,
    Str,
    describe,
)
from .yamlsource import Node, load_yaml, not_a_file

BLOCKS = ("title", "key_points", "intro", "benefits", "side_effects", "safety", "end",
          "sources", "contact", "notes", "contact_and_notes", "disclaimer", "qr",
          "help_lines", "how_to_use")
# avoid_if is the older name of precautions (every precaution level, in the content's order)
SAFETY_PARTS = ("emergency", "warnings", "interactions", "avoid_if", "precautions",
                "help_lines")
BENEFIT_COLUMNS = ("benefit", "mechanism", "evidence")
COLOR_NAMES = ("text", "muted", "accent", "heading", "rule", "table_header_bg",
               "table_header_text", "table_stripe", "urgent_bg", "urgent_text",
               "urgent_border", "box_bg", "draft")
PAPERS = ("letter", "a4")
ARRANGEMENTS = ("parallel", "sequential")
KEEPABLE = tuple(dict.fromkeys(BLOCKS + SAFETY_PARTS))  # what keep_together may name
PAGE_CEILING = 100  # no layout may ask for more pages; a build stops counting here
# The smallest text frame a layout may leave inside its margins (a tri-fold: inside each
# panel), and how many lines and characters of body text it must hold at least.
MIN_FRAME = 72.0  # points, both ways
MIN_FRAME_LINES = 8
MIN_FRAME_EMS = 8
PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}

# Reading-level formulas a layout may set targets for (see brochure.checks.readability):
# grade levels are maximums, ease scores minimums.
READABILITY_FORMULAS = ("flesch_kincaid", "smog", "fernandez_huerta", "szigriszt_pazos")


@dataclass(frozen=True)
class Layout:
    name: str
    file: Path
    description: str
    wording: str  # "plain" or "clinical"
    paper: str
    margins: dict[str, float]  # points
    type: dict[str, float]  # sizes in points; "leading" is a multiple of the size
    colors: dict[str, str]
    order: tuple[str, ...]
    benefit_columns: tuple[str, ...]
    benefit_widths: tuple[float, ...]
    side_effects: str  # "side-by-side" or "stacked"
    safety_order: tuple[str, ...]
    running_header: bool
    notes_lines: int
    list_columns: int
    space: float
    two_columns: tuple[str, ...]
    max_pages: int | None  # hard budget: more pages is an error
    min_body_size: float
    min_contrast: float
    fonts: dict[str, str]  # script → font family, overriding the font table
    format: str = "pages"  # "pages" (flowing pages) or "trifold" (one folded sheet)
    panels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # trifold: panel → parts
    fold_in_inset: float = 0.0  # trifold: how much narrower the fold-in panel is
    slug: float = 0.0  # room outside the trim for marks, always added
    band: tuple[str, float] | None = None  # (colour name, height): a band across the top
    footer: bool = True  # the running footer with "page N of M"
    shrink_to_fit: float = 1.0  # smallest scale of type and space tried to meet max_pages
    # language → formula → target, checked on every build (brochure.checks)
    readability: dict[str, dict[str, float]] = field(default_factory=dict)
    min_text_size: float | None = None  # smallest size any text may have
    target_pages: int | None = None  # soft budget: more pages is a warning
    keep_together: tuple[str, ...] = ()  # parts never split across frames
    # Bilingual editions (two languages in one handout). On a layout as loaded:
    # `bilingual` is the same layout with its `bilingual.changes` applied, or None with
    # `bilingual_refusal` saying why it makes none. On that bilingual layout:
    # `arrangement` ("parallel" or "sequential") and `gutter` (between the columns).
    bilingual: Layout | None = field(default=None, compare=False, repr=False)
    bilingual_refusal: str = ""
    arrangement: str | None = None
    gutter: float = 0.0
    # where each field was written (file, line), for messages about the layout's values
    where: dict[str, tuple[Path, int | None]] = field(default_factory=dict, compare=False)

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts this layout prints (a tri-fold: those its panels name)."""
        if self.panels:
            return tuple(name for names in self.panels.values() for name in names)
        return self.order

    @property
    def reading_order(self) -> tuple[str, ...]:
        """The parts in the order a reader (and a screen reader) takes them: the layout's
        ``order``, whatever panel a tri-fold places each in; parts the order does not
        name follow, in panel order."""
        printed = self.parts
        return (tuple(p for p in self.order if p in printed)
                + tuple(p for p in printed if p not in self.order))

    @property
    def page_budget(self) -> int:
        """The pages an edition should fit: the soft target, else the hard limit."""
        return self.target_pages or self.max_pages or PAGE_CEILING

    @property
    def page_ceiling(self) -> int:
        """Where rendering stops: the hard limit, else `PAGE_CEILING`."""
        return self.max_pages or PAGE_CEILING

    def at(self, key: str) -> str:
        """``file:line`` of a field, for messages."""
        file, line = self.where.get(key, (self.file, None))
        return f"{file}:{line}" if line else str(file)


def _check_widths(value: dict, node: Node, path: str, ctx: Context) -> None:
    columns, widths = value["columns"], value["widths"]
    if len(columns) != len(widths):
        ctx.add(node, f"{path}.widths", f"has {len(widths)} widths for {len(columns)} columns")
    elif abs(sum(widths) - 1.0) > 0.01:
        ctx.add(node, f"{path}.widths", f"adds up to {sum(widths):.2f}; the widths are "
                                        "fractions of the text width and must add up to 1")


LAYOUT = Record("layout", {
    "description": Field(Str(300), "one line saying who the layout is for"),
    "base": Field(Str(60), "a layout this one extends", False),
    "wording": Field(Choice("plain", "clinical"), "which wording of the content to print"),
    "paper": Field(Choice(*PAPERS), "default paper size (--paper overrides)", False, "letter"),
    "margins": Field(MapOf(Dimension(), Choice("top", "bottom", "left", "right")),
                     "page margins, e.g. 16mm"),
    "type": Field(MapOf(Number(1, 72), Choice("body", "leading", "title", "subtitle", "h1",
                                              "h2", "table", "small")),
                  "type sizes in points; leading is a multiple of the size"),
    "colors": Field(MapOf(Color(), Choice(*COLOR_NAMES)), "colours, #rrggbb"),
    "order": Field(ListOf(Choice(*BLOCKS), 1), "the handout's parts, top to bottom"),
    "benefits": Field(Record("benefits table", {
        "columns": Field(ListOf(Choice(*BENEFIT_COLUMNS), 2), "columns of the benefits table"),
        "widths": Field(ListOf(Number(0.05, 1)), "column widths as fractions of the width"),
    }, check=_check_widths), "benefits table"),
    "side_effects": Field(Choice("side-by-side", "stacked"), "how the two side-effect "
                          "groups are set"),
    "safety": Field(ListOf(Choice(*SAFETY_PARTS), 1), "the safety parts, in order"),
    "running_header": Field(Choice("clinic", "none"), "what the running header shows",
                            False, "none"),
    "notes_lines": Field(Number(1, 40, integer=True), "ruled lines in the notes box",
                         False, 5),
    "list_columns": Field(Number(1, 2, integer=True), "set lists of short items in this "
                          "many columns", False, 1),
    "space": Field(Number(0.2, 3), "space between paragraphs and parts, as a multiple "
                   "of the usual", False, 1.0),
    "two_columns": Field(ListOf(Choice("key_points", "sections", "sources")),
                         "parts set in two columns (sections: the free text sections)",
                         False, []),
    "max_pages": Field(Number(1, PAGE_CEILING, integer=True), "hard page budget: an "
                       "edition that needs more pages is an error", False),
    "target_pages": Field(Number(1, PAGE_CEILING, integer=True), "soft page budget: "
                          "more pages is a warning (an error with --strict)", False),
    "keep_together": Field(ListOf(Choice(*KEEPABLE)), "parts never split across pages, "
                           "panels or columns (the emergency box always is)", False, []),
    "min_body_size": Field(Number(4, 72), "smallest body text size allowed, in points"),
    "min_contrast": Field(Number(1, 21), "smallest text contrast ratio allowed", False, 4.5),
    "fonts": Field(MapOf(Str(60)), "font family per script, overriding the font table",
                   False, {}),
    "format": Field(Choice("pages", "trifold"), "flowing pages, or a tri-fold sheet",
                    False, "pages"),
    "panels": Field(Record("panels", {
        "cover": Field(ListOf(Choice(*BLOCKS)), "parts on the front cover"),
        "flap": Field(ListOf(Choice(*BLOCKS)), "parts on the fold-in flap (outside left)"),
        "back": Field(ListOf(Choice(*BLOCKS)), "parts on the back panel"),
        "inside": Field(ListOf(Choice(*BLOCKS)), "parts flowing over the three inside "
                        "panels"),
    }), "tri-fold: which parts go on which panel", False),
    "fold_in_inset": Field(Dimension(), "tri-fold: how much narrower the fold-in panel "
                           "is (1/16 to 1/8 in)", False, 0.0),
    "slug": Field(Dimension(), "room outside the trim for printer's marks", False, 0.0),
    "band": Field(Record("band", {
        "color": Field(Choice(*COLOR_NAMES), "which layout colour"),
        "height": Field(Dimension(), "how tall, from the top edge"),
    }), "a colour band across the top edge, bleeding off the page", False),
    "footer": Field(Bool(), "print the running footer (title, page N of M)", False, True),
    "shrink_to_fit": Field(Number(0.5, 1), "when an edition needs more than max_pages, "
                           "shrink type and space step by step down to this scale (body "
                           "never below min_body_size)", False, 1.0),
    "min_text_size": Field(Number(4, 72), "smallest size any text may have (tables, "
                           "footnotes, page footer), in points", False, None),
    "readability": Field(MapOf(MapOf(Number(0, 210), Choice(*READABILITY_FORMULAS))),
                         "reading-level targets per language, e.g. en: {flesch_kincaid: 8}; "
                         "grade levels are maximums, fernandez_huerta and szigriszt_pazos "
                         "(ease) minimums", False, {}),
})

BILINGUAL = Record("bilingual", {
    "arrangement": Field(Choice(*ARRANGEMENTS), "parallel: each part side by side, the "
                         "patient's language in the reading-start column; sequential: the "
                         "whole handout in one language, then in the other, each from a new "
                         "page (--arrangement chooses the other)", False),
    "refuse": Field(Str(400), "why this layout makes no bilingual editions (instead of an "
                    "arrangement)", False),
    "gutter": Field(Dimension(), "parallel: the room between the two languages' columns",
                    False, 18.0),
    # "changes" (layout settings for bilingual editions, merged over the layout as a
    # base layout is) is read with the whole layout schema, not here.
})
LAYOUT.fields["bilingual"] = Field(BILINGUAL, "how this layout sets a handout in two "
                                   "languages (--lang es+en), with 'changes:' to its "
                                   "settings for such editions", False)

REQUIRED_TYPE = ("body", "leading", "title", "subtitle", "h1", "h2", "table", "small")


def search_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Layout folders, nearest first: the given ones, ./layouts, then the built-in ones."""
    dirs = list(extra or [])
    local = Path.cwd() / "layouts"
    if local.is_dir():
        dirs.append(local)
    dirs.append(paths.builtin("layouts"))
    seen: list[Path] = []
    for d in dirs:
        if d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def available(dirs: list[Path] | None = None) -> dict[str, Path]:
    """Every layout name that can be used, with the file it comes from."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs if dirs is not None else search_dirs()):
        for file in sorted(folder.glob("*.yaml")):
            if not file.name.startswith("."):  # hidden files are never layouts
                found[file.stem] = file
    return dict(sorted(found.items()))


def find(name_or_file: str, dirs: list[Path] | None = None) -> Path:
    """The file of a layout given by name (``clinic``) or path (``my/layout.yaml``)."""
    as_path = Path(name_or_file)
    if as_path.suffix in (".yaml", ".yml"):
        if as_path.is_file():
            return as_path
        raise LayoutError(problems=[Problem(as_path, None, None, "",
                                            not_a_file(as_path) or "cannot be read")])
    known = available(dirs)
    if name_or_file in known:
        return known[name_or_file]
    raise LayoutError(f"unknown layout {name_or_file!r}; available layouts: "
                      + ", ".join(known))


def load_layout(name_or_file: str, dirs: list[Path] | None = None) -> Layout:
    """Find, merge (following ``base``) and validate a layout, and the layout it gives
    bilingual editions (`Layout.bilingual`)."""
    dirs = dirs if dirs is not None else search_dirs()
    file = find(name_or_file, dirs)
    merged, settings, changes = _bilingual_settings(_merged_tree(file, dirs, []))
    layout = _read_layout(file, merged)
    if settings is None or not settings.get("arrangement"):
        reason = (settings or {}).get("refuse") or (
            f"the {file.stem!r} layout has no bilingual settings (bilingual: in {file})")
        return replace(layout, bilingual_refusal=reason)
    two = _read_layout(file, _merge(merged, changes) if changes is not None else merged)
    two = replace(two, arrangement=settings["arrangement"], gutter=settings["gutter"])
    return replace(layout, bilingual=two)


def with_arrangement(layout: Layout, arrangement: str | None) -> Layout:
    """A bilingual layout set in *arrangement* instead of its own (None: its own)."""
    if arrangement is None or arrangement == layout.arrangement:
        return layout
    if arrangement not in ARRANGEMENTS:
        raise LayoutError(f"unknown arrangement {arrangement!r}; arrangements: "
                          + ", ".join(ARRANGEMENTS))
    return replace(layout, arrangement=arrangement)


def _bilingual_settings(merged: Node) -> tuple[Node, dict | None, Node | None]:
    """The layout tree without ``bilingual.changes``, the layout's ``bilingual`` settings
    (validated) and that ``changes`` node, which is read as layout settings merged over
    the layout, as a base layout's are."""
    node = merged.value.get("bilingual")
    if node is None:
        return merged, None, None
    changes = None
    if isinstance(node.value, dict) and "changes" in node.value:
        rest = dict(node.value)
        changes = rest.pop("changes")
        merged = Node({**merged.value, "bilingual": Node(rest, node.line, node.column,
                                                         node.file, node.key_lines)},
                      merged.line, merged.column, merged.file, merged.key_lines)
        if not isinstance(changes.value, dict):
            raise LayoutError(problems=[Problem(changes.file, changes.line, changes.column,
                                                "bilingual.changes", "must be a mapping of "
                                                "layout settings")])
    ctx = Context()
    data = BILINGUAL.read(merged.value["bilingual"], "bilingual", ctx)
    if ctx.problems:
        raise LayoutError(problems=list(ctx.problems))
    if data.get("refuse"):  # (over an arrangement it extends: a base layout's)
        return merged, {**data, "arrangement": None}, None
    return merged, data, changes


def _read_layout(file: Path, merged: Node) -> Layout:
    ctx = Context()
    data = LAYOUT.read(merged, "", ctx)
    problems = list(ctx.problems)
    if data is not MISSING:
        for key in REQUIRED_TYPE:
            if key not in data["type"]:
                node = merged.value["type"]
                problems.append(Problem(node.file, node.line, node.column, "type",
                                        f"is missing the size {key!r}"))
        for key in COLOR_NAMES:
            if key not in data["colors"]:
                node = merged.value["colors"]
                problems.append(Problem(node.file, node.line, node.column, "colors",
                                        f"is missing the colour {key!r}"))
        if data["format"] == "trifold" and not data["panels"]:
            problems.append(Problem(merged.file, merged.line, merged.column, "panels",
                                    "is missing: a trifold layout says which parts go on "
                                    "the cover, flap, back and inside panels"))
        for key in ("top", "bottom", "left", "right"):
            if key not in data["margins"]:
                node = merged.value["margins"]
                problems.append(Problem(node.file, node.line, node.column, "margins",
                                        f"is missing the {key!r} margin"))
        if not problems:
            problems += _range_problems(data, merged)
    if problems:
        raise LayoutError(problems=problems)
    return Layout(
        name=file.stem,
        file=file,
        description=data["description"],
        wording=data["wording"],
        paper=data["paper"],
        margins=data["margins"],
        type=data["type"],
        colors=data["colors"],
        order=tuple(data["order"]),
        benefit_columns=tuple(data["benefits"]["columns"]),
        benefit_widths=tuple(data["benefits"]["widths"]),
        side_effects=data["side_effects"],
        safety_order=tuple(data["safety"]),
        running_header=data["running_header"] == "clinic",
        notes_lines=data["notes_lines"],
        list_columns=data["list_columns"],
        space=data["space"],
        two_columns=tuple(data["two_columns"] or ()),
        max_pages=data["max_pages"],
        min_body_size=data["min_body_size"],
        min_contrast=data["min_contrast"],
        fonts=dict(data["fonts"] or {}),
        format=data["format"],
        panels={k: tuple(v) for k, v in (data["panels"] or {}).items()},
        fold_in_inset=data["fold_in_inset"] or 0.0,
        slug=data["slug"] or 0.0,
        band=(data["band"]["color"], data["band"]["height"]) if data["band"] else None,
        footer=data["footer"],
        shrink_to_fit=data["shrink_to_fit"],
        readability={lang: dict(t) for lang, t in (data["readability"] or {}).items()},
        min_text_size=data["min_text_size"],
        target_pages=data["target_pages"],
        keep_together=tuple(data["keep_together"] or ()),
        where={key: (node.file, node.line) for key, node in merged.value.items()},
    )


def _range_problems(data: dict, merged: Node) -> list[Problem]:
    """Values that are each in range but do not work together: no page budget, a soft
    target above the hard limit, margins (or type) that leave no usable text frame."""
    problems: list[Problem] = []

    def add(key: str, message: str) -> None:
        node = merged.value.get(key, merged)
        if key == "type.body":  # the type, not the margins, is what leaves no room
            node = merged.value["type"].value.get("body", merged.value["type"])
        problems.append(Problem(node.file, node.line, node.column, key, message))

    max_pages, target = data["max_pages"], data["target_pages"]
    if max_pages is None and target is None:
        add("max_pages", "is missing: a layout needs a page budget, max_pages (hard: an "
                         "error past it) or target_pages (soft: a warning)")
    elif max_pages is not None and target is not None and target > max_pages:
        hard = merged.value["max_pages"]
        add("target_pages", f"is {target}, more than max_pages ({max_pages}, at "
                            f"{hard.file}:{hard.line}); the soft target must be within "
                            "the hard limit")
    m, t = data["margins"], data["type"]
    band = data["band"]["height"] if data["band"] else 0.0
    for paper, (width, height) in PAPER_POINTS.items():
        if data["format"] == "trifold":
            width, height = height, width  # landscape, three panels across
            width = (width - (data["fold_in_inset"] or 0.0) * 2) / 3
        frame_w = width - m["left"] - m["right"]
        frame_h = height - m["top"] - m["bottom"] - band
        need_w = max(MIN_FRAME, t["body"] * MIN_FRAME_EMS)
        need_h = max(MIN_FRAME, t["body"] * t["leading"] * MIN_FRAME_LINES,
                     t["title"] * 1.15 * 2)
        where = "each panel" if data["format"] == "trifold" else "the page"
        for size, need, axis, rule in (
                (frame_w, need_w, "wide", f"8 ems of the {t['body']:g} pt body type"),
                (frame_h, need_h, "tall", f"{MIN_FRAME_LINES} lines of the {t['body']:g} "
                                          "pt body type, two lines of the title")):
            if size >= need:
                continue
            frame = (f"a text frame {size:.0f} pt {axis} in {where} on {paper} paper; it "
                     f"must be at least {need:.0f} pt ({rule}, and at least 1 in)")
            if size >= MIN_FRAME:  # the margins would do: the type is too large for them
                add("type.body", f"is {t['body']:g} pt, too large for the margins, which "
                                 f"leave {frame}")
            else:
                add("margins", f"leave {frame}")
            return problems
    return problems


def _merged_tree(file: Path, dirs: list[Path], chain: list[Path]) -> Node:
    if file.resolve() in chain:
        names = " → ".join(p.stem for p in [*chain, file.resolve()])
        raise LayoutError(problems=[Problem(file, None, None, "base",
                                            f"layouts extend each other in a cycle: {names}")])
    node = load_yaml(file, LayoutError)  # type: ignore[arg-type]
    if not isinstance(node.value, dict):
        raise LayoutError(problems=[Problem(file, node.line, node.column, "",
                                            "must be a mapping of layout settings")])
    base = node.value.get("base")
    if base is None:
        return node
    if not isinstance(base.value, str):
        raise LayoutError(problems=[Problem(file, base.line, base.column, "base",
                                            "must be the name of a layout")])
    try:
        base_file = find(base.value, dirs)
    except LayoutError as exc:
        raise LayoutError(problems=[Problem(file, base.line, base.column, "base", str(exc))]
                          ) from None
    parent = _merged_tree(base_file, dirs, [*chain, file.resolve()])
    merged = _merge(parent, node)
    merged.value.pop("base", None)
    return merged


def _merge(parent: Node, child: Node) -> Node:
    if isinstance(parent.value, dict) and isinstance(child.value, dict):
        value = dict(parent.value)
        key_lines = dict(parent.key_lines)
        for key, sub in child.value.items():
            value[key] = _merge(parent.value[key], sub) if key in parent.value else sub
            key_lines[key] = child.key_lines.get(key, (sub.line, sub.column))
        return Node(value, child.line, child.column, child.file, key_lines)
    return child


def schema_help() -> str:
    """Help text for layout files, generated from the schema."""
    return describe(LAYOUT)


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def grey_of(hex_colour: str) -> str:
    """The grey with the same relative luminance as *hex_colour*: contrast ratios, which
    depend on luminance alone, stay exactly as they were."""
    lum = _luminance(hex_colour)
    v = lum * 12.92 if lum <= 0.03928 / 12.92 else 1.055 * lum ** (1 / 2.4) - 0.055
    level = max(0, min(255, round(v * 255)))
    return f"#{level:02x}{level:02x}{level:02x}"


def grayscale(layout: Layout) -> Layout:
    """*layout* for black-and-white printers: every colour mapped to its grey."""
    return replace(layout, colors={k: grey_of(v) for k, v in layout.colors.items()})


# Editions of one layout shrunk to the same scale (a batch's clinic profiles) share one
# scaled layout, so the styles made from it (`typeset.styles`) are shared too.
_scaled: OrderedDict[tuple[int, float], tuple[Layout, Layout]] = OrderedDict()
_SCALED_KEPT = 32


def scaled(layout: Layout, scale: float) -> Layout:
    """*layout* with its type sizes and spacing multiplied by *scale*; no text goes
    below the layout's minimums (min_text_size, and min_body_size for the body)."""
    key = (id(layout), scale)
    known = _scaled.get(key)
    if known is not None and known[0] is layout:  # (it holds *layout*: the id is its own)
        with contextlib.suppress(KeyError):  # (evicted meanwhile by another thread)
            _scaled.move_to_end(key)
        return known[1]
    made = _scaled_anew(layout, scale)
    _scaled[key] = (layout, made)
    if len(_scaled) > _SCALED_KEPT:
        _scaled.popitem(last=False)
    return made


def _scaled_anew(layout: Layout, scale: float) -> Layout:
    floor = layout.min_text_size or 0.0
    sizes = {k: (v if k == "leading" else max(round(v * scale, 2), floor))
             for k, v in layout.type.items()}
    sizes["body"] = max(sizes["body"], layout.min_body_size)
    return replace(layout, type=sizes, space=round(layout.space * scale, 3))
