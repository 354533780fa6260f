"""The small handout written by hand with ReportLab's platypus: the yardstick of engines.py.

What a developer would write without brochure: the text of benchmarks/data/small/en.yaml
inline, Atkinson Hyperlegible registered once, and the parts brochure's clinic layout
prints for it — title, draft box, "prepared for" line, key point, introduction, a 3-row
benefits table, common and serious side effects side by side, an emergency box, an
interactions table, 8 safety bullets in two columns, who should not use it, help line,
notes box, sources, about — with a running header and a "Page N of M" footer. No
validation, tagging, metadata, glyph checks or readability checks.

    python -m benchmarks.handwritten out.pdf "Ana"     # one document, as a whole process
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ACCENT = colors.HexColor("#0a3d62")
URGENT = colors.HexColor("#7a0000")

BENEFITS = [("Less pain", "Said to act on pain signals.", "A few small studies."),
            ("Better sleep", "Said to calm the body.", "What users report."),
            ("Less fever", "Said to act on body temperature.", "Laboratory studies only.")]
COMMON = [("Upset stomach", "Mild and short."),
          ("Feeling sleepy", "Do not drive if you feel sleepy.")]
SERIOUS = [("Allergic reaction", "Swelling of the face or trouble breathing needs help now."),
           ("Liver problems", "Yellow skin or eyes need a doctor right away.")]
SAFETY = ["Do not take more than the label says.", "Do not mix with alcohol.",
          "Keep it away from children.", "Tell your doctor about every medicine you take.",
          "Stop and call your doctor if you get a rash.", "Ask a doctor first if you are pregnant.",
          "Store it in a cool, dry place.", "Check the date before you take it."]


def register_fonts() -> None:
    if "Hand-R" in pdfmetrics.getRegisteredFontNames():
        return
    spec = importlib.util.find_spec("fontpkg_atkinson_hyperlegible")
    assert spec and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "files"
    pdfmetrics.registerFont(TTFont("Hand-R", str(folder / "AtkinsonHyperlegible-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Hand-B", str(folder / "AtkinsonHyperlegible-Bold.ttf")))


class NumberedCanvas(Canvas):
    """"Page N of M": pages are kept until the end so the total is known (ReportLab's recipe)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self.setFont("Hand-B", 8)
            self.setFillColor(URGENT)
            self.drawRightString(LETTER[0] - 18 * mm, LETTER[1] - 10 * mm, "DRAFT — not reviewed")
            self.setFillColor(colors.black)
            self.setFont("Hand-R", 8)
            self.drawString(18 * mm, 10 * mm, "Examplamol: benefits, side effects and safety")
            self.drawRightString(LETTER[0] - 18 * mm, 10 * mm,
                                 f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="Hand-R", fontSize=9.5, leading=12)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName="Hand-B", fontSize=18, leading=22,
                                textColor=ACCENT),
        "h1": ParagraphStyle("h1", body, fontName="Hand-B", fontSize=13, leading=16,
                             spaceBefore=8, spaceAfter=4, textColor=ACCENT),
        "cell": ParagraphStyle("cell", body, fontSize=9, leading=11),
        "head": ParagraphStyle("head", body, fontName="Hand-B", fontSize=9, leading=11,
                               textColor=colors.white),
        "urgent": ParagraphStyle("urgent", body, fontName="Hand-B", textColor=URGENT),
        "bullet": ParagraphStyle("bullet", body, leftIndent=10, bulletIndent=2),
    }


def table(rows: list[tuple[str, ...]], header: tuple[str, ...], widths: list[float],
          s: dict[str, ParagraphStyle]) -> Table:
    data = [[Paragraph(escape(h), s["head"]) for h in header]]
    data += [[Paragraph(escape(c), s["cell"]) for c in row] for row in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                           ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#5c6b77")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def boxed(flowables: list, bg: str, border: str, width: float) -> Table:
    t = Table([[flowables]], colWidths=[width])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(bg)),
                           ("BOX", (0, 0), (-1, -1), 1, colors.HexColor(border)),
                           ("LEFTPADDING", (0, 0), (-1, -1), 6)]))
    return t


def bullets(items: list[str], s: dict[str, ParagraphStyle]) -> list[Paragraph]:
    return [Paragraph(escape(item), s["bullet"], bulletText="•") for item in items]


def handout(patient: str) -> bytes:
    """The small handout for one patient, as PDF bytes."""
    register_fonts()
    s = styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm,
                            title="Examplamol: benefits, side effects and safety")
    width = doc.width
    half = (width - 12) / 2
    side = Table([[table(COMMON, ("Common side effects", "What to know"),
                         [half * 0.4, half * 0.6], s),
                   table(SERIOUS, ("Rare but serious side effects", "What to know"),
                         [half * 0.4, half * 0.6], s)]], colWidths=[half + 6, half + 6])
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    safety = Table([[bullets(SAFETY[:4], s), bullets(SAFETY[4:], s)]],
                   colWidths=[width / 2, width / 2])
    story = [
        Paragraph("Examplamol: benefits, side effects and safety", s["title"]),
        Paragraph("A short handout used to compare typesetting engines", s["body"]),
        boxed([Paragraph("DRAFT — not reviewed", s["urgent"]),
               Paragraph("This edition is a draft. A qualified reviewer has not yet checked "
                         "it. Do not rely on it alone.", s["cell"])], "#fdf0ee", "#a4161a",
              width),
        Spacer(0, 4),
        boxed([Paragraph(f"Prepared for {escape(patient)}", s["urgent"])], "#f1f4f7",
              "#5c6b77", width),
        Paragraph("Key points", s["h1"]),
        *bullets(["This text exists only to be typeset. It describes no real medicine."], s),
        Paragraph("About this handout", s["h1"]),
        Paragraph("This short handout has the parts a real one has: an introduction, a table "
                  "of benefits, common and serious side effects and safety advice. It is the "
                  "same text in every engine that is measured.", s["body"]),
        Paragraph("Possible benefits", s["h1"]),
        Paragraph("The benefits the text claims, with the strength of the evidence.", s["body"]),
        table(BENEFITS, ("Possible benefit", "How it may work", "What the evidence says"),
              [width * 0.25, width * 0.4, width * 0.35], s),
        Paragraph("Side effects", s["h1"]),
        Paragraph("Side effects the text reports.", s["body"]),
        side,
        Paragraph("Safety", s["h1"]),
        KeepTogether(boxed([Paragraph("Get emergency help now if you see", s["urgent"]),
                            *bullets(["Trouble breathing", "Cannot be woken up"], s),
                            Paragraph("Call 911 right away.", s["urgent"])],
                           "#fdf0ee", "#a4161a", width)),
        Paragraph("Do not mix with", s["h1"]),
        table([("Alcohol", "You get more sleepy.")], ("Substance", "Why it is dangerous"),
              [width * 0.35, width * 0.65], s),
        Paragraph("Warnings", s["h1"]),
        safety,
        Paragraph("Who should not use it", s["h1"]),
        *bullets(["You are allergic to it."], s),
        Paragraph("Where to get help", s["h1"]),
        *bullets(["Emergency: 911 — Trouble breathing."], s),
        boxed([Paragraph("Notes", s["h1"]), Spacer(0, 60)], "#ffffff", "#5c6b77", width),
        Paragraph("Sources", s["h1"]),
        Paragraph("1. Benchmark text. brochure benchmarks. Written for the benchmark.", s["cell"]),
        Paragraph("About this handout", s["h1"]),
        Paragraph("General information only.", s["cell"]),
        Paragraph("Last reviewed: 2026-12-01", s["cell"]),
    ]
    doc.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(handout(sys.argv[2] if len(sys.argv) > 2 else "Ana"))
