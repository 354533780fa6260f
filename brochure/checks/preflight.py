"""Pre-flight inspection of a PDF, as a print shop would do it.

In: PDF bytes (any PDF). Out: an `Inspection` with the pages, their sizes and boxes,
the fonts and whether each is embedded, the metadata, the outline and the first lines of
text, plus the `problems` that should stop a print run: a font that is not embedded, or
boxes that do not nest (TrimBox inside BleedBox inside MediaBox).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader

BOXES = ("mediabox", "cropbox", "bleedbox", "trimbox", "artbox")
POINTS_PER_MM = 72 / 25.4


@dataclass
class PageInfo:
    number: int
    boxes: dict[str, tuple[float, float, float, float]]

    @property
    def size_mm(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.boxes["trimbox"]
        return ((x1 - x0) / POINTS_PER_MM, (y1 - y0) / POINTS_PER_MM)


@dataclass
class Inspection:
    pages: list[PageInfo] = field(default_factory=list)
    fonts: dict[str, bool] = field(default_factory=dict)  # name → embedded
    metadata: dict[str, str] = field(default_factory=dict)
    outline: list[str] = field(default_factory=list)
    first_lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The inspection as text for a terminal."""
        lines = [f"pages: {len(self.pages)}"]
        for page in self.pages:
            w, h = page.size_mm
            boxes = "  ".join(f"{name[:-3]} {_fmt(box)}" for name, box in page.boxes.items())
            lines.append(f"  page {page.number}: {w:.1f} × {h:.1f} mm (trim)  {boxes}")
        lines.append("fonts:")
        for name, embedded in sorted(self.fonts.items()):
            lines.append(f"  {name}: {'embedded' if embedded else 'NOT EMBEDDED'}")
        lines.append("metadata:")
        lines += [f"  {key}: {value}" for key, value in self.metadata.items()]
        lines.append("outline:")
        lines += [f"  {title}" for title in self.outline] or ["  (none)"]
        lines.append("first lines:")
        lines += [f"  {line}" for line in self.first_lines]
        lines.append("problems:" if self.problems else "problems: none")
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


def _fmt(box: tuple[float, float, float, float]) -> str:
    return "[" + " ".join(f"{v:.1f}" for v in box) + "]"


def _box(page, name: str) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    rect = getattr(page, name)
    return (float(rect.left), float(rect.bottom), float(rect.right), float(rect.top))


def _inside(inner: tuple, outer: tuple, tolerance: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def inspect_pdf(pdf: bytes, lines: int = 5) -> Inspection:
    """Read *pdf* and report what a pre-flight check looks at."""
    reader = PdfReader(io.BytesIO(pdf))
    result = Inspection()
    for number, page in enumerate(reader.pages, 1):
        boxes = {name: _box(page, name) for name in BOXES}
        result.pages.append(PageInfo(number, boxes))
        if not _inside(boxes["bleedbox"], boxes["mediabox"]):
            result.problems.append(f"page {number}: the BleedBox is not inside the MediaBox")
        if not _inside(boxes["trimbox"], boxes["bleedbox"]):
            result.problems.append(f"page {number}: the TrimBox is not inside the BleedBox")
        for font in _page_fonts(page):
            name, embedded = font
            result.fonts[name] = result.fonts.get(name, True) and embedded
    for name, embedded in result.fonts.items():
        if not embedded:
            result.problems.append(f"the font {name} is not embedded")
    for key, value in (reader.metadata or {}).items():
        result.metadata[str(key).lstrip("/")] = str(value)
    lang = reader.trailer["/Root"].get("/Lang")
    if lang:
        result.metadata["Lang"] = str(lang)
    result.outline = [title for title, _ in _outline(reader.outline)]
    text = reader.pages[0].extract_text() if reader.pages else ""
    result.first_lines = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    return result


def _page_fonts(page) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources else None
    out = []
    for font in (fonts.get_object().values() if fonts else []):
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        if font.get("/DescendantFonts"):
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        embedded = bool(descriptor) and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        out.append((str(font.get("/BaseFont", "?")).lstrip("/"), embedded))
    return out


def _outline(items, depth: int = 0) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        if isinstance(item, list):
            out += _outline(item, depth + 1)
        else:
            out.append(("  " * depth + str(item.title), depth))
    return out
