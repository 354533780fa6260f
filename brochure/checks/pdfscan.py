"""PDF bytes → what each page draws: text runs (size, colour, background), fills, images,
and the text layer.

In: a PDF (a `finish.pdfread.Document`; a `pypdf.PdfReader` for any other file). Out:
a `Scan` with, per page, every text show (``Tj``,
``TJ``, ``'``, ``"``) as a `TextRun` — where it starts, its rendered size, how many glyphs
it draws, its fill colour and the colour of what lies under it — plus the images drawn,
and the page's text: each show's characters (through its font's /ToUnicode map, see
`pdftext`) with the baseline it sits on, in content-stream order, as pypdf's text
extraction reads them. A page showing a font `pdftext` cannot read has no text here
(None): `pdfcheck.page_texts` asks pypdf for it. Two differences from pypdf, both where
pypdf is wrong for a reader: text in a Form XObject sits where the form is drawn (pypdf
gives it the form's own coordinates, so the margin test misplaces it), and right-to-left
runs keep the order they are drawn in (pypdf reverses them; reading order is not
compared for right-to-left editions).

This is a small content-stream interpreter, not a renderer. It follows the graphics
state (``q``/``Q``, ``cm``, ``gs`` fill opacity, ``rg``/``g``/``k`` and ``sc``/``scn`` in
device colour spaces), the text state (``Tf``, ``Tm``, ``Td``, ``T*``, leading, spacing)
and filled paths: a rectangle (``re``) is kept exactly, any other filled path by its
bounding box. The background of a text run is the topmost filled shape drawn before it
under a point just above its baseline, a quarter of the way along it; the paper (white)
when there is none. Clipping, patterns, shadings and blend modes are not followed:
those make the colour "unknown" rather than guessed. Form XObjects are entered.

The reader gives the objects (pages, resources, fonts, decoded streams) — objects of
either kind are read by what they are (dictionaries, lists, references), so no pypdf
class is needed; the content streams themselves are split by `pdftokens`, many times
faster than pypdf's parser.
"""

from __future__ import annotations

import contextlib
import math
import re
import struct
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple

from . import pdftext
from .pagekey import page_key
from .pdftokens import operations

try:  # ReportLab's C accelerator (a dependency), for ASCII85
    from _rl_accel import asciiBase85Decode as _a85decode
except ImportError:  # pragma: no cover - pypdf decodes instead
    _a85decode = None

RGB = tuple[float, float, float]
Matrix = tuple[float, float, float, float, float, float]
WHITE: RGB = (1.0, 1.0, 1.0)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8
TextPiece = tuple[str, float]  # characters (led by a space or line break) and baseline y
_Measured = tuple[int, float, int, str | None]  # see `_Font.measure`


class TextRun(NamedTuple):  # a tuple: pages of Thai or Arabic have a run per word
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
    mcid: int | None = None  # the marked content it is drawn in (None: an artifact)
    # Advance of the spaces that end the run, which show no ink: a line that breaks at a
    # space ends with that space, for the text layer's word break, past the margin.
    trailing: float = 0.0


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
    # Per page, each show's text in stream order; None: a font's characters are unknown.
    texts: list[list[TextPiece] | None] = field(default_factory=list)


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


_MALFORMED = (ValueError, TypeError, IndexError, AttributeError)  # operands of wrong kinds


class _Font:
    """What the scanner needs of a font: its name, bytes per glyph, glyph widths and how
    to read its codes as text."""

    def __init__(self, font: object) -> None:
        font = font if isinstance(font, dict) else None  # a broken reference too
        self.name = "?"
        self.two_byte = False
        self.widths: dict[int, float] = {}
        self.default_width = 500.0
        self.decoder = pdftext.decoder(font)
        self.measured: dict[bytes, _Measured] = {}
        self.space_width = 250.0
        if font is None:
            return
        base = str(font.get("/BaseFont", "?"))
        self.name = base.split("+", 1)[-1].lstrip("/")
        try:
            self._widths(font)
        except (*_MALFORMED, KeyError):
            pass  # a broken font dictionary: default widths
        self.space_width = self._space_width()

    @classmethod
    def simple(cls, name: str, widths: dict[int, float], decoder: pdftext.Decoder | None
               ) -> _Font:
        """A one-byte font read from its dictionary's bytes (see `_simple_font`)."""
        font = cls(None)
        font.name, font.widths, font.decoder = name, widths, decoder
        font.space_width = font._space_width()
        return font

    def _widths(self, font: dict) -> None:
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
            nxt = w[i + 1].get_object() if is_reference(w[i + 1]) else w[i + 1]
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

    def _space_width(self) -> float:
        """Width of the space glyph in thousandths of the font size (a quarter of the size
        when the font has none), to tell a word gap in the text layer."""
        spaces = self.decoder.codes_for(" ") if self.decoder and self.decoder.table else []
        code = spaces[0] if spaces else 32
        return self.widths.get(code) or 250.0

    def codes(self, data: bytes) -> Sequence[int]:
        if self.two_byte:
            pairs = len(data) // 2
            return struct.unpack(f">{pairs}H", data[:pairs * 2])
        return data  # one byte a code: the bytes are the codes

    def advance(self, codes: Sequence[int]) -> float:
        """Sum of glyph widths in thousandths of the font size."""
        return sum(map(self.widths.get, codes, repeat(self.default_width)))

    def measure(self, data: bytes) -> _Measured:
        """What a string shows: glyphs, their widths, spaces (for word spacing) and its
        text (None if a code's characters are unknown); worked out once per string, as
        words recur (Thai and Arabic pages have a show per word)."""
        measured = self.measured.get(data)
        if measured is None:
            codes = self.codes(data)
            measured = self.measured[data] = (
                len(codes), self.advance(codes), 0 if self.two_byte else data.count(32),
                self.decoder.decode(data) if self.decoder is not None else None)
        return measured


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
        new = _State.__new__(_State)  # without __init__: ``q`` is frequent
        new.__dict__.update(self.__dict__)
        return new


_DEVICE_SPACES = {b"rg": "/DeviceRGB", b"g": "/DeviceGray", b"k": "/DeviceCMYK"}
_FILLS = frozenset((b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"))


class _PageScanner:
    """One page: its fills so far (for what lies under text), its fonts and its text."""

    def __init__(self, number: int, scan: Scan, fonts: dict[int, tuple[object, _Font]],
                 tokens: dict[bytes, object]) -> None:
        self.number, self.scan, self.fonts, self.tokens = number, scan, fonts, tokens
        self.fills: list[_Fill] = []
        self.no_font = _Font(None)  # for text shown before any Tf
        self.text: list[TextPiece] | None = []
        self.pen: tuple[float, float, float] | None = None  # end x, y and size of last show
        self.marks: list[int | None] = []  # open marked content: its MCID, None if none

    def run(self, data: bytes, resources: dict | None, ctm: Matrix,
            depth: int = 0) -> None:
        """Interpret one content stream (the page's or a Form XObject's)."""
        stream = _Stream(self, resources, ctm, depth)
        handlers = stream.handlers
        for operands, op in operations(data, self.tokens):
            handler = handlers.get(op)
            if handler is not None:
                try:
                    handler(operands, op)
                except _MALFORMED:
                    continue  # a broken operation draws nothing this scan can follow

    def font(self, ref: object) -> _Font:
        """The scanner's reading of a font resource, made once per document."""
        if is_reference(ref):
            key = (ref.idnum, ref.generation)  # type: ignore[attr-defined]
            if key not in self.fonts:
                simple = _simple_font(ref)
                if simple is not None:
                    self.fonts[key] = (ref, simple)  # type: ignore[index]
            if key in self.fonts:
                return self.fonts[key][1]  # type: ignore[index, return-value]
        obj = ref.get_object() if ref is not None else None  # type: ignore[attr-defined]
        key = id(obj)
        if key not in self.fonts:
            self.fonts[key] = (obj, _Font(obj))  # keeps obj alive, so its id stays unique
        return self.fonts[key][1]  # type: ignore[return-value]

    def fill(self, path: _Path, state: _State) -> None:
        boxes = [_box(state.ctm, [(x0, y0), (x1, y0), (x0, y1), (x1, y1)])
                 for x0, y0, x1, y1 in path.rects]
        if len(path.points) >= 3:  # any other shape: its bounding box
            boxes.append(_box(state.ctm, path.points))
        for box in boxes:
            # A translucent fill shows what is under it, blended.
            under = self.under((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            self.fills.append(_Fill(box, _blend(state.fill, under, state.fill_alpha)))

    def under(self, x: float, y: float) -> RGB | None:
        for fill in reversed(self.fills):
            x0, y0, x1, y1 = fill.box
            if x0 <= x <= x1 and y0 <= y <= y1:
                return fill.color
        return WHITE

    def show(self, parts: list, state: _State, tm: Matrix) -> Matrix:
        """Draw a show's strings (and TJ's spacing numbers); return the moved text matrix.
        (Thai and Arabic pages have a show per word or cluster: this is the hot path.)"""
        font = state.font or self.no_font
        size, h_scale = state.size, state.h_scale
        gap = font.space_width * 0.475  # a word gap in TJ: pypdf's 95 % of half a space
        chars: list[str] | None = [] if self.text is not None else None
        advance = 0.0
        glyphs = 0
        trailing = 0.0
        for part in parts:
            if isinstance(part, bytes):
                n, width, spaces, text = font.measured.get(part) or font.measure(part)
                glyphs += n
                advance += (width * size / 1000 + state.char_space * n
                            + state.word_space * spaces) * h_scale
                ending = len(text) - len(text.rstrip(" ")) if text else 0
                trailing = ending * (font.space_width * size / 1000 + state.char_space
                                     + (0 if font.two_byte else state.word_space)) * h_scale
                if chars is not None:
                    if text is None:
                        chars = None
                    else:
                        chars.append(text)
            elif isinstance(part, int | float):
                advance -= part * size * h_scale / 1000
                if part:
                    trailing = 0.0
                if chars and -part >= gap:
                    chars.append(" ")
        a, b, c, d, e, f = tm
        if glyphs:
            start = _mul(tm, state.ctm)
            self._run(start, advance, glyphs, font, state, trailing)
            if chars is None:
                self.text = None  # a code without known characters: pypdf reads the page
            elif self.text is not None:
                self._text("".join(chars), start, advance, size, gap)
        return (a, b, c, d, e + advance * a, f + advance * b)

    def _run(self, start: Matrix, advance: float, glyphs: int, font: _Font,
             state: _State, trailing: float = 0.0) -> None:
        a, b, c, d, e, f = start
        rise, size = state.rise, state.size
        # Sample a point inside the run: a quarter along it, a third of the size up.
        up = rise + size / 3
        background = self.under(advance / 4 * a + up * c + e, advance / 4 * b + up * d + f)
        color = state.fill if state.fill_alpha >= 1 else _blend(
            state.fill, background, state.fill_alpha)
        self.scan.runs.append(TextRun(
            self.number, rise * c + e, rise * d + f, abs(advance) * math.hypot(a, b),
            round(size * math.sqrt(abs(a * d - b * c)), 2), font.name, glyphs, color,
            background, state.render_mode != 3, self.marks[-1] if self.marks else None,
            trailing * math.hypot(a, b)))

    def _text(self, text: str, start: Matrix, advance: float, font_size: float,
              gap: float) -> None:
        """Add a show's characters to the page's text, after a line break or a space
        where it starts away from where the last show ended (as pypdf's text has)."""
        a, b, c, d, e, f = start
        size = font_size * math.hypot(c, d)  # along the text's y axis
        separator = ""
        if self.pen is not None:
            x, y, last_size = self.pen
            if abs(f - y) > 0.8 * min(size, last_size):
                separator = "\n"
            elif abs(e - x) >= gap / 1000 * size:
                separator = " "
        self.text.append((separator + text, f))  # type: ignore[union-attr]
        self.pen = (e + advance * a, f + advance * b, size)

    def form(self, xobject: Any, state: _State, depth: int) -> None:
        if depth >= MAX_FORM_DEPTH:
            self.text = None  # text deeper than this is not followed
            return
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        resources = xobject.get("/Resources")
        data = _data(xobject)
        if data is None:
            self.text = None
            return
        self.run(data, resources.get_object() if resources else None,
                 _mul(matrix, state.ctm), depth + 1)  # type: ignore[arg-type]


class _Stream:
    """The interpreter of one content stream: graphics and text state, the path."""

    def __init__(self, page: _PageScanner, resources: dict | None,
                 ctm: Matrix, depth: int) -> None:
        self.page, self.depth = page, depth
        self.state = _State(ctm=ctm)
        self.stack: list[_State] = []
        self.path = _Path()
        self.tm = self.tlm = IDENTITY
        self.font_dicts = _resource(resources, "/Font")
        self.fonts: dict[object, _Font] = {}  # by resource name: Tf is frequent
        self.xobjects = _resource(resources, "/XObject")
        self.ext_states = _resource(resources, "/ExtGState")
        self.color_spaces = _resource(resources, "/ColorSpace")
        self.handlers = {
            b"q": self._save, b"Q": self._restore, b"cm": self._cm, b"gs": self._gs,
            b"rg": self._device_color, b"g": self._device_color, b"k": self._device_color,
            b"cs": self._cs, b"sc": self._sc, b"scn": self._sc, b"re": self._re,
            b"m": self._point, b"l": self._point, b"c": self._curve, b"v": self._curve,
            b"y": self._curve, b"S": self._end_path, b"s": self._end_path,
            b"n": self._end_path, b"BT": self._bt, b"Tf": self._tf, b"TL": self._text_state,
            b"Tc": self._text_state, b"Tw": self._text_state, b"Tz": self._text_state,
            b"Ts": self._text_state, b"Tr": self._text_state, b"Tm": self._tm,
            b"Td": self._td, b"TD": self._td, b"T*": self._next_line, b"Tj": self._show,
            b"'": self._show, b'"': self._show, b"TJ": self._show, b"Do": self._do,
            b"INLINE IMAGE": self._image, b"BDC": self._mark, b"BMC": self._mark,
            b"EMC": self._end_mark,
            **dict.fromkeys(_FILLS, self._fill)}

    # marked content: which structure element a run of text belongs to

    def _mark(self, operands: list, op: bytes) -> None:
        marks = self.page.marks
        props = operands[1] if op == b"BDC" and len(operands) > 1 else None
        mcid = props.get("/MCID") if isinstance(props, dict) else None
        if isinstance(mcid, int | float) and not isinstance(mcid, bool):
            marks.append(int(mcid))
        elif operands and operands[0] == "/Artifact":
            marks.append(None)
        else:  # e.g. a Span carrying ActualText: inside the element around it
            marks.append(marks[-1] if marks else None)

    def _end_mark(self, operands: list, op: bytes) -> None:
        if self.page.marks:
            self.page.marks.pop()

    # graphics state and paths

    def _save(self, operands: list, op: bytes) -> None:
        self.stack.append(self.state.copy())

    def _restore(self, operands: list, op: bytes) -> None:
        if self.stack:
            self.state = self.stack.pop()

    def _cm(self, operands: list, op: bytes) -> None:
        self.state.ctm = _mul(tuple(map(float, operands)), self.state.ctm)  # type: ignore[arg-type]

    def _gs(self, operands: list, op: bytes) -> None:
        gs = self.ext_states.get(str(operands[0])) if self.ext_states else None
        if gs is not None and "/ca" in gs.get_object():
            self.state.fill_alpha = float(gs.get_object()["/ca"])

    def _device_color(self, operands: list, op: bytes) -> None:
        space = _DEVICE_SPACES[op]
        self.state.fill_space = space
        self.state.fill = _color(space, list(map(float, operands)))

    def _cs(self, operands: list, op: bytes) -> None:
        self.state.fill_space = _space_name(str(operands[0]), self.color_spaces)
        self.state.fill = None

    def _sc(self, operands: list, op: bytes) -> None:
        numbers = [float(v) for v in operands if isinstance(v, int | float)]
        self.state.fill = (_color(self.state.fill_space, numbers)
                           if len(numbers) == len(operands) else None)

    def _re(self, operands: list, op: bytes) -> None:
        x, y, w, h = map(float, operands)
        self.path.rects.append((x, y, x + w, y + h))

    def _point(self, operands: list, op: bytes) -> None:
        self.path.points.append((float(operands[0]), float(operands[1])))

    def _curve(self, operands: list, op: bytes) -> None:
        values = list(map(float, operands))
        self.path.points.extend(zip(values[0::2], values[1::2], strict=True))

    def _fill(self, operands: list, op: bytes) -> None:
        self.page.fill(self.path, self.state)
        self.path = _Path()

    def _end_path(self, operands: list, op: bytes) -> None:
        self.path = _Path()

    # text state and positioning

    def _bt(self, operands: list, op: bytes) -> None:
        self.tm = self.tlm = IDENTITY

    def _tf(self, operands: list, op: bytes) -> None:
        name = operands[0]
        font = self.fonts.get(name)
        if font is None:
            ref = self.font_dicts.get(str(name)) if self.font_dicts else None
            font = self.fonts[name] = self.page.font(ref)
        self.state.font = font
        self.state.size = float(operands[1])

    def _text_state(self, operands: list, op: bytes) -> None:
        value = float(operands[0])
        state = self.state
        if op == b"TL":
            state.leading = value
        elif op == b"Tc":
            state.char_space = value
        elif op == b"Tw":
            state.word_space = value
        elif op == b"Tz":
            state.h_scale = value / 100
        elif op == b"Ts":
            state.rise = value
        else:
            state.render_mode = int(value)

    def _tm(self, operands: list, op: bytes) -> None:
        self.tm = self.tlm = tuple(map(float, operands))  # type: ignore[assignment]

    def _td(self, operands: list, op: bytes) -> None:
        tx, ty = float(operands[0]), float(operands[1])
        if op == b"TD":
            self.state.leading = -ty
        self.tm = self.tlm = _mul((1, 0, 0, 1, tx, ty), self.tlm)

    def _next_line(self, operands: list, op: bytes) -> None:
        self.tm = self.tlm = _mul((1, 0, 0, 1, 0, -self.state.leading), self.tlm)

    def _show(self, operands: list, op: bytes) -> None:
        if op in (b"'", b'"'):
            self._next_line(operands, op)
            if op == b'"':
                self.state.word_space = float(operands[0])
                self.state.char_space = float(operands[1])
        parts = operands[0] if op == b"TJ" else operands[-1:]
        self.tm = self.page.show(parts, self.state, self.tm)

    # images and forms

    def _do(self, operands: list, op: bytes) -> None:
        xobject = self.xobjects.get(str(operands[0])) if self.xobjects else None
        if xobject is None:
            return
        xobject = xobject.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(operands, op)
        elif subtype == "/Form":
            self.page.form(xobject, self.state, self.depth)

    def _image(self, operands: list, op: bytes) -> None:
        """An image (inline or an XObject) fills the unit square of the CTM."""
        unit_square = [(0, 0), (1, 0), (0, 1), (1, 1)]
        self.page.scan.images.append(Image(self.page.number, _box(self.state.ctm, unit_square)))


def is_reference(value: object) -> bool:
    """Whether *value* is an indirect reference (pypdf's or `pdfobjects`')."""
    return hasattr(value, "idnum") and hasattr(value, "generation")


def is_stream(value: object) -> bool:
    """Whether *value* is a stream object (a dictionary with data)."""
    return isinstance(value, dict) and hasattr(value, "get_data")


def _resource(resources: dict | None, key: str) -> dict | None:
    if resources is None:
        return None
    value = resources.get_object().get(key)
    return value.get_object() if value is not None else None


def _space_name(name: str, spaces: dict | None) -> str:
    if name in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK"):
        return name
    if spaces is not None and name in spaces:
        value = spaces[name].get_object()
        if isinstance(value, list) and value and str(value[0]) == "/ICCBased":
            n = int(value[1].get_object().get("/N", 0))
            return {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(n, name)
    return name


def _data(contents: object) -> bytes | None:
    """The decoded bytes of a content stream or an array of them; None if pypdf cannot
    decode them."""
    try:
        contents = contents.get_object() if contents is not None else None  # type: ignore[attr-defined]
        if isinstance(contents, list):
            return b"\n".join(_decoded(part.get_object()) for part in contents)
        return _decoded(contents) if is_stream(contents) else b""
    except Exception:  # noqa: BLE001 - any broken stream: what it draws is unknown
        return None


def _decoded(stream: Any) -> bytes:
    """A stream's data, decoded. ReportLab writes content streams as ASCII85 over Flate;
    pypdf's ASCII85 decoder is pure Python (a third of the scan), so that pair is decoded
    here in C when the accelerator is there, and checked by zlib's own checksum."""
    raw = getattr(stream, "_data", None)
    if (_a85decode is not None and isinstance(raw, bytes) and not stream.get("/DecodeParms")
            and stream.get("/Filter") == ["/ASCII85Decode", "/FlateDecode"]
            and raw.rstrip().endswith(b"~>") and not raw.lstrip().startswith(b"<~")):
        try:
            return zlib.decompress(_a85decode(raw))
        except (ValueError, zlib.error):
            pass  # let pypdf read it, as leniently as it can
    return stream.get_data()


# A one-byte font dictionary as ReportLab (and many others) write it: no nested
# dictionary, widths inline, a ToUnicode map. pypdf reads its hundreds of widths number
# by number in Python, a third of the scan; these patterns read them in one go.
_OBJECT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\s*<<((?:(?!<<|>>).)*)>>\s*$", re.DOTALL)
_SUBTYPE = re.compile(rb"/Subtype\s*/(\w+)")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()%]+)")
_FIRST_CHAR = re.compile(rb"/FirstChar\s+(\d+)")
_WIDTHS = re.compile(rb"/Widths\s*\[([\d.\s+-]*)\]")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+(\d+)\s+R")


def _object_bytes(ref: Any) -> bytes | None:
    """The bytes of the object *ref* points at, up to its ``endobj``; None if unknown."""
    reader = ref.pdf
    raw = getattr(reader, "raw", None)
    if raw is not None:  # a `pdfread.Document`
        return raw(ref.idnum)
    offset = getattr(reader, "xref", {}).get(ref.generation, {}).get(ref.idnum)
    buffer = getattr(getattr(reader, "stream", None), "getbuffer", None)
    if offset is None or buffer is None:
        return None
    data = buffer()
    end = bytes(data[offset:offset + 16384]).find(b"endobj")
    return bytes(data[offset:offset + end]) if end > 0 else None


def _simple_font(ref: Any) -> _Font | None:
    """The font *ref* points at, read from its bytes when it is a simple font dictionary
    of the usual shape (else None: the reader reads it). Its text comes from its
    ToUnicode map, as `pdftext.decoder` reads it."""
    reader = ref.pdf
    data = _object_bytes(ref)
    found = _OBJECT.match(data) if data is not None else None
    if found is None or (int(found[1]), int(found[2])) != (ref.idnum, ref.generation):
        return None
    body = found[3]
    subtype, base = _SUBTYPE.search(body), _BASE_FONT.search(body)
    first, widths = _FIRST_CHAR.search(body), _WIDTHS.search(body)
    to_unicode = _TO_UNICODE.search(body)
    if not (subtype and base and first and widths and to_unicode) or b"#" in base[1] or \
            "/" + subtype[1].decode() not in pdftext.SIMPLE_FONTS:
        return None  # (a name with #-escapes: pypdf decodes it)
    try:
        values = [float(v) for v in widths[1].split()]
    except ValueError:
        return None
    decoder = pdftext.decoder({
        "/Subtype": "/" + subtype[1].decode(),
        "/ToUnicode": type(ref)(int(to_unicode[1]), int(to_unicode[2]), reader)})
    start = int(first[1])
    name = base[1].decode("latin-1").split("+", 1)[-1]
    return _Font.simple(name, {start + i: w for i, w in enumerate(values)}, decoder)


_TOKENS: dict[bytes, object] = {}
MAX_SHARED_TOKENS = 200_000  # about 20 MB of the commonest words and numbers


def _shared_tokens() -> dict[bytes, object]:
    """Tokens read so far (their values are immutable), shared by the documents of one
    process: the editions of a batch or a warm server repeat most of each other's words,
    numbers and operators. Past `MAX_SHARED_TOKENS` a new table starts (replaced, not
    emptied: a scan running in another thread keeps the table it has)."""
    global _TOKENS
    if len(_TOKENS) > MAX_SHARED_TOKENS:
        _TOKENS = {}
    return _TOKENS


# What a page drew (its runs, images and text), by the digest of its bytes and resources
# (`pagekey`): the editions of one content repeat most of each other's pages.
_PAGES: OrderedDict[bytes, tuple[tuple[TextRun, ...], tuple[Image, ...],
                                 tuple[TextPiece, ...] | None]] = OrderedDict()
MAX_PAGES_KEPT = 64  # pages (their runs and text: ~50 kB each)


def scan(reader: Any) -> Scan:
    """Walk every page of *reader* and return what it draws."""
    result = Scan(pages=len(reader.pages))
    # Shared by the pages: they use the same fonts and repeat tokens (words, operators).
    fonts: dict[int, tuple[object, _Font]] = {}
    digests: dict[tuple[int, int], bytes] = {}
    tokens = _shared_tokens()
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        size = (float(box.width), float(box.height))
        result.page_sizes.append(size)
        resources = page.get("/Resources")
        resources = resources.get_object() if resources else None
        data = _data(page.get("/Contents"))
        key = page_key(number, size, data, resources, digests) if data is not None else None
        known = _PAGES.get(key) if key is not None else None
        if known is not None:
            with contextlib.suppress(KeyError):  # (evicted meanwhile by another thread)
                _PAGES.move_to_end(key)  # type: ignore[arg-type]
            runs, images, text = known
            result.runs.extend(runs)
            result.images.extend(images)
            result.texts.append(list(text) if text is not None else None)
            continue
        scanner = _PageScanner(number, result, fonts, tokens)
        runs_before, images_before = len(result.runs), len(result.images)
        if data is None:
            scanner.text = None
        else:
            scanner.run(data, resources, IDENTITY)
        result.texts.append(scanner.text)
        if key is not None:
            _PAGES[key] = (tuple(result.runs[runs_before:]),
                           tuple(result.images[images_before:]),
                           tuple(scanner.text) if scanner.text is not None else None)
            if len(_PAGES) > MAX_PAGES_KEPT:
                _PAGES.popitem(last=False)
    return result
