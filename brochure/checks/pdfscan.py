"""PDF bytes → what each page draws: text runs (size, colour, background), fills, images.

In: a PDF (a `pypdf.PdfReader`). Out: a `Scan` with, per page, every text show (``Tj``,
``TJ``, ``'``, ``"``) as a `TextRun` — where it starts, its rendered size, how many glyphs
it draws, its fill colour and the colour of what lies under it — plus the images drawn.

This is a small content-stream interpreter, not a renderer. It follows the graphics
state (``q``/``Q``, ``cm``, ``gs`` fill opacity, ``rg``/``g``/``k`` and ``sc``/``scn`` in
device colour spaces), the text state (``Tf``, ``Tm``, ``Td``, ``T*``, leading, spacing)
and filled paths: a rectangle (``re``) is kept exactly, any other filled path by its
bounding box. The background of a text run is the topmost filled shape drawn before it
under a point just above its baseline, a quarter of the way along it; the paper (white)
when there is none. Clipping, patterns, shadings and blend modes are not followed:
those make the colour "unknown" rather than guessed. Form XObjects are entered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

RGB = tuple[float, float, float]
Matrix = tuple[float, float, float, float, float, float]
WHITE: RGB = (1.0, 1.0, 1.0)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8


@dataclass(frozen=True)
class TextRun:
    """One text-showing operation as drawn."""

    page: int  # 1-based
    x: float  # start of the baseline, in points from the page's lower left corner
    y: float
    width: float  # advance along the baseline (from the font's widths where known)
    size: float  # rendered size in points (font size × text matrix × CTM scale)
    font: str  # base font name, subset prefix removed
    glyphs: int
    color: RGB | None  # fill colour as seen (opacity applied); None if not a plain colour
    background: RGB | None  # colour under the run; None if not a plain colour
    visible: bool  # False for render mode 3 (invisible text, e.g. an OCR layer)


@dataclass(frozen=True)
class Image:
    page: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass
class Scan:
    pages: int
    runs: list[TextRun] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Fill:
    box: tuple[float, float, float, float]
    color: RGB | None


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n (apply m first, then n), PDF's row-vector convention."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _box(m: Matrix, points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    pts = [_apply(m, x, y) for x, y in points]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _cmyk(c: float, m: float, y: float, k: float) -> RGB:
    return (1 - min(1.0, c + k), 1 - min(1.0, m + k), 1 - min(1.0, y + k))


def _color(space: str, values: list[float]) -> RGB | None:
    if space == "/DeviceGray" and len(values) == 1:
        return (values[0],) * 3  # type: ignore[return-value]
    if space == "/DeviceRGB" and len(values) == 3:
        return (values[0], values[1], values[2])
    if space == "/DeviceCMYK" and len(values) == 4:
        return _cmyk(*values)
    return None


def _blend(fg: RGB | None, bg: RGB | None, alpha: float) -> RGB | None:
    if fg is None or bg is None:
        return None if alpha < 1 else fg
    if alpha >= 1:
        return fg
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True))  # type: ignore[return-value]


class _Font:
    """What the scanner needs of a font: its name, bytes per glyph and glyph widths."""

    def __init__(self, font: DictionaryObject | None) -> None:
        self.name = "?"
        self.two_byte = False
        self.widths: dict[int, float] = {}
        self.default_width = 500.0
        if font is None:
            return
        base = str(font.get("/BaseFont", "?"))
        self.name = base.split("+", 1)[-1].lstrip("/")
        if font.get("/Subtype") == "/Type0":
            self.two_byte = True
            descendant = font["/DescendantFonts"][0].get_object()
            self.default_width = float(descendant.get("/DW", 1000))
            w = descendant.get("/W")
            if w is not None:
                self._cid_widths(list(w.get_object()))
        else:
            first = int(font.get("/FirstChar", 0))
            widths = font.get("/Widths")
            if widths is not None:
                for i, width in enumerate(widths.get_object()):
                    self.widths[first + i] = float(width)

    def _cid_widths(self, w: list) -> None:
        i = 0
        while i + 1 < len(w):
            start = int(w[i])
            nxt = w[i + 1].get_object() if isinstance(w[i + 1], IndirectObject) else w[i + 1]
            if isinstance(nxt, list):
                for j, width in enumerate(nxt):
                    self.widths[start + j] = float(width)
                i += 2
            elif i + 2 < len(w):
                for cid in range(start, int(nxt) + 1):
                    self.widths[cid] = float(w[i + 2])
                i += 3
            else:
                break

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
        return list(data)

    def advance(self, codes: list[int]) -> float:
        """Sum of glyph widths in thousandths of the font size."""
        return sum(self.widths.get(code, self.default_width) for code in codes)


@dataclass
class _Path:
    """The path being built: rectangles (``re``) and the points of everything else."""

    rects: list[tuple[float, float, float, float]] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill_space: str = "/DeviceGray"
    fill: RGB | None = (0.0, 0.0, 0.0)
    fill_alpha: float = 1.0
    font: _Font | None = None
    size: float = 0.0
    leading: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    h_scale: float = 1.0
    rise: float = 0.0
    render_mode: int = 0

    def copy(self) -> _State:
        return _State(**self.__dict__)


def _bytes(operand: object) -> bytes:
    if isinstance(operand, bytes):
        return bytes(operand)
    getter = getattr(operand, "get_original_bytes", None)
    if getter is not None:
        return getter()
    return str(operand).encode("latin-1", "replace")


class _PageScanner:
    def __init__(self, reader: PdfReader, number: int, scan: Scan) -> None:
        self.reader, self.number, self.scan = reader, number, scan
        self.fills: list[_Fill] = []
        self.fonts: dict[int, _Font] = {}

    def run(self, contents: object, resources: DictionaryObject | None, ctm: Matrix,
            depth: int = 0) -> None:
        if contents is None or depth > MAX_FORM_DEPTH:
            return
        stream = contents if isinstance(contents, ContentStream) else ContentStream(
            contents, self.reader)
        state = _State(ctm=ctm)
        stack: list[_State] = []
        path = _Path()
        tm = tlm = IDENTITY
        font_dicts = _resource(resources, "/Font")
        xobjects = _resource(resources, "/XObject")
        ext_states = _resource(resources, "/ExtGState")
        color_spaces = _resource(resources, "/ColorSpace")
        for operands, op in stream.operations:
            if op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"cm":
                state.ctm = _mul(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
            elif op == b"gs":
                gs = ext_states.get(str(operands[0])) if ext_states else None
                if gs is not None and "/ca" in gs.get_object():
                    state.fill_alpha = float(gs.get_object()["/ca"])
            elif op in (b"rg", b"g", b"k"):
                space = {b"rg": "/DeviceRGB", b"g": "/DeviceGray", b"k": "/DeviceCMYK"}[op]
                state.fill_space = space
                state.fill = _color(space, [float(v) for v in operands])
            elif op == b"cs":
                state.fill_space = _space_name(str(operands[0]), color_spaces)
                state.fill = None
            elif op in (b"sc", b"scn"):
                numbers = [float(v) for v in operands if isinstance(v, int | float)]
                state.fill = (_color(state.fill_space, numbers)
                              if len(numbers) == len(operands) else None)
            elif op == b"re":
                x, y, w, h = (float(v) for v in operands)
                path.rects.append((x, y, x + w, y + h))
            elif op in (b"m", b"l"):
                path.points.append((float(operands[0]), float(operands[1])))
            elif op in (b"c", b"v", b"y"):
                values = [float(v) for v in operands]
                path.points.extend(zip(values[0::2], values[1::2], strict=True))
            elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
                self._fill(path, state)
                path = _Path()
            elif op in (b"S", b"s", b"n"):
                path = _Path()
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"Tf":
                ref = font_dicts.get(str(operands[0])) if font_dicts else None
                state.font = self._font(ref)
                state.size = float(operands[1])
            elif op == b"TL":
                state.leading = float(operands[0])
            elif op == b"Tc":
                state.char_space = float(operands[0])
            elif op == b"Tw":
                state.word_space = float(operands[0])
            elif op == b"Tz":
                state.h_scale = float(operands[0]) / 100
            elif op == b"Ts":
                state.rise = float(operands[0])
            elif op == b"Tr":
                state.render_mode = int(operands[0])
            elif op == b"Tm":
                tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op in (b"Td", b"TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == b"TD":
                    state.leading = -ty
                tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
            elif op == b"T*":
                tm = tlm = _mul((1, 0, 0, 1, 0, -state.leading), tlm)
            elif op in (b"Tj", b"'", b'"', b"TJ"):
                if op in (b"'", b'"'):
                    tm = tlm = _mul((1, 0, 0, 1, 0, -state.leading), tlm)
                    if op == b'"':
                        state.word_space, state.char_space = float(operands[0]), float(
                            operands[1])
                parts = operands[0] if op == b"TJ" else operands[-1:]
                tm = self._show(parts, state, tm)
            elif op == b"Do":
                xobject = xobjects.get(str(operands[0])) if xobjects else None
                if xobject is not None:
                    self._xobject(xobject.get_object(), state, depth)
            elif op == b"INLINE IMAGE":
                self.scan.images.append(Image(self.number, _box(state.ctm, [(0, 0), (1, 1)])))

    def _font(self, ref: object) -> _Font:
        key = id(ref.get_object()) if ref is not None else 0  # type: ignore[attr-defined]
        if key not in self.fonts:
            self.fonts[key] = _Font(ref.get_object() if ref is not None else None)  # type: ignore[attr-defined]
        return self.fonts[key]

    def _fill(self, path: _Path, state: _State) -> None:
        boxes = [_box(state.ctm, [(x0, y0), (x1, y0), (x0, y1), (x1, y1)])
                 for x0, y0, x1, y1 in path.rects]
        if len(path.points) >= 3:  # any other shape: its bounding box
            boxes.append(_box(state.ctm, path.points))
        for box in boxes:
            # A translucent fill shows what is under it, blended.
            under = self._under((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            self.fills.append(_Fill(box, _blend(state.fill, under, state.fill_alpha)))

    def _under(self, x: float, y: float) -> RGB | None:
        for fill in reversed(self.fills):
            x0, y0, x1, y1 = fill.box
            if x0 <= x <= x1 and y0 <= y <= y1:
                return fill.color
        return WHITE

    def _show(self, parts: list, state: _State, tm: Matrix) -> Matrix:
        font = state.font or _Font(None)
        start = _mul(tm, state.ctm)
        advance = 0.0
        glyphs = 0
        for part in parts:
            if isinstance(part, int | float):
                advance -= float(part) / 1000 * state.size * state.h_scale
                continue
            codes = font.codes(_bytes(part))
            glyphs += len(codes)
            spaces = sum(1 for c in codes if c == 32) if not font.two_byte else 0
            advance += (font.advance(codes) / 1000 * state.size + state.char_space * len(codes)
                        + state.word_space * spaces) * state.h_scale
        scale = math.sqrt(abs(start[0] * start[3] - start[1] * start[2]))
        x, y = _apply(start, 0, state.rise)
        if glyphs:
            end_x, end_y = _apply(start, advance, state.rise)
            width = math.hypot(end_x - x, end_y - y)
            size = state.size * scale
            # Sample a point inside the run: a quarter along it, a third of the size up.
            px, py = _apply(start, advance / 4, state.rise + state.size / 3)
            background = self._under(px, py)
            self.scan.runs.append(TextRun(
                page=self.number, x=x, y=y, width=width, size=round(size, 2),
                font=font.name, glyphs=glyphs,
                color=_blend(state.fill, background, state.fill_alpha),
                background=background, visible=state.render_mode != 3))
        return _mul((1, 0, 0, 1, advance, 0), tm)

    def _xobject(self, xobject: DictionaryObject, state: _State, depth: int) -> None:
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.scan.images.append(Image(self.number, _box(state.ctm, [(0, 0), (1, 0),
                                                                         (0, 1), (1, 1)])))
        elif subtype == "/Form":
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            resources = xobject.get("/Resources")
            self.run(xobject, resources.get_object() if resources else None,
                     _mul(matrix, state.ctm), depth + 1)  # type: ignore[arg-type]


def _resource(resources: DictionaryObject | None, key: str) -> DictionaryObject | None:
    if resources is None:
        return None
    value = resources.get_object().get(key)
    return value.get_object() if value is not None else None


def _space_name(name: str, spaces: DictionaryObject | None) -> str:
    if name in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK"):
        return name
    if spaces is not None and name in spaces:
        value = spaces[name].get_object()
        if isinstance(value, list) and value and str(value[0]) == "/ICCBased":
            n = int(value[1].get_object().get("/N", 0))
            return {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(n, name)
    return name


def scan(reader: PdfReader) -> Scan:
    """Walk every page of *reader* and return what it draws."""
    result = Scan(pages=len(reader.pages))
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        result.page_sizes.append((float(box.width), float(box.height)))
        resources = page.get("/Resources")
        scanner = _PageScanner(reader, number, result)
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        if contents is not None and not isinstance(contents, ContentStream):
            contents = page.get_contents()
        scanner.run(contents, resources.get_object() if resources else None, IDENTITY)
    return result
