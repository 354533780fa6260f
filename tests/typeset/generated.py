"""Handouts the code was not written for: content of random lengths and counts, in every
language's script, built in a layout, and what the PDF shows read back.

`handouts(lang)` is a Hypothesis strategy of `Spec`s; `build` writes one as a topic (and
a clinic profile) under a temporary folder and builds it, returning an `Outcome`: the PDF
or the error, and how long it took. `Page` reads a built PDF back: text runs with their
structure element, page and trim boxes.
"""

from __future__ import annotations

import re
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from hypothesis import strategies as st
from pypdf import PdfReader

import brochure
from brochure import paths
from brochure.checks import pdfscan, structure
from brochure.errors import BrochureError

LAYOUTS = ("clinic", "general", "large-print", "trifold")
LANGUAGES = ("en", "es", "vi", "th", "ar")


@cache
def words(lang: str) -> tuple[str, ...]:
    """Words of the shipped kratom edition in *lang*: every one is in the edition's font."""
    data = yaml.safe_load((paths.builtin("content") / "kratom" / f"{lang}.yaml")
                          .read_text("utf-8"))
    found: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            found.extend(w for w in value.split() if 0 < len(w) <= 40 and "http" not in w)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("source_hashes", "url", "phone"):
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    return tuple(sorted(set(found)))


def text(lang: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words(lang)), min_size=low, max_size=high).map(" ".join)


def items(strategy: st.SearchStrategy, low: int, high: int) -> st.SearchStrategy[list]:
    return st.lists(strategy, min_size=low, max_size=high)


@dataclass
class Spec:
    lang: str
    content: dict
    clinic: dict | None
    name: str | None
    note: str | None


@st.composite
def handouts(draw: st.DrawFn, lang: str) -> Spec:
    """One handout's content: short or long texts, few or many items and table rows."""
    t = lambda low, high: draw(text(lang, low, high))  # noqa: E731 - reads as a table
    rows = draw(st.one_of(st.integers(1, 4), st.integers(1, 60)))
    content = {
        "topic": "generated",
        "language": lang,
        "title": t(1, 20),
        "review": {"status": "draft", "last_reviewed": "2026-01-15",
                   "note": "Generated test content; not health advice."},
        "key_points": draw(items(text(lang, 3, 60), 1, 8)),
        "sections": [
            {"id": f"s{i}", "heading": t(1, 14),
             "position": draw(st.sampled_from(["intro", "benefits", "side_effects",
                                               "safety", "end"])),
             "body": [t(3, 150)] + draw(st.one_of(st.just([]), st.just([{
                 "bullets": [{"term": t(1, 4), "text": t(2, 50)}
                             for _ in range(draw(st.integers(1, 8)))]}])))}
            for i in range(draw(st.integers(0, 4)))],
        "benefits": {"intro": t(3, 40), "rows": [
            {"benefit": t(1, 8), "mechanism": t(2, 40), "evidence": t(2, 60),
             "evidence_level": draw(st.sampled_from(["anecdotal", "case-reports",
                                                     "limited-studies"]))}
            for _ in range(rows)]},
        "side_effects": {
            "common": [{"name": t(1, 6), "description": t(2, 40)}
                       for _ in range(draw(st.integers(1, 10)))],
            "serious": [{"name": t(1, 6), "description": t(2, 40)}
                        for _ in range(draw(st.integers(1, 10)))]},
        "safety": {
            "emergency_signs": draw(items(text(lang, 2, 20), 1, 10)),
            "emergency_action": t(3, 50),
            "warnings": draw(items(text(lang, 3, 40), 1, 6)),
            "interactions": [{"substance": t(1, 8), "risk": t(2, 30)}
                             for _ in range(draw(st.one_of(st.integers(1, 4),
                                                           st.integers(1, 30))))],
            "avoid_if": draw(items(text(lang, 2, 20), 1, 6)),
            "help_lines": [{"name": t(1, 5), "phone": "1-800-555-0100", "note": t(2, 20)}
                           for _ in range(draw(st.integers(1, 4)))]},
        "sources": [{"title": t(2, 14), "publisher": t(1, 6), "note": t(2, 20)}
                    for _ in range(draw(st.integers(1, 8)))],
        "disclaimer": t(5, 50),
    }
    clinic = draw(st.one_of(st.none(), st.builds(lambda name, notes: {
        "name": name, "address": ["1 Example Street", "Springfield"],
        "phone": "(555) 010-0199", "website": "www.example.org", "hours": "Mon-Fri 8-17",
        "notes": notes}, text(lang, 1, 10).map(lambda s: s[:120].strip()),
        text(lang, 3, 80).map(lambda s: s[:600].strip()))))
    name = draw(st.one_of(st.none(), text(lang, 1, 3).map(lambda s: s[:100])))
    note = draw(st.one_of(st.none(), text(lang, 1, 120).map(lambda s: s[:500].strip())))
    return Spec(lang, content, clinic, name, note or None)


@dataclass
class Outcome:
    spec: Spec
    layout: str
    pdf: bytes | None = None
    error: str | None = None  # a BrochureError's message
    crash: str | None = None  # anything else: a traceback
    seconds: float = 0.0  # processor time of the build
    file: Path | None = None

    def describe(self) -> str:
        return (f"{self.layout} layout, {self.spec.lang}: "
                + yaml.safe_dump({"content": self.spec.content, "clinic": self.spec.clinic,
                                  "name": self.spec.name, "note": self.spec.note},
                                 allow_unicode=True, width=100)[:20000])


def build(spec: Spec, layout: str) -> Outcome:
    """Write *spec* as a topic under a temporary folder and build it in *layout*."""
    outcome = Outcome(spec, layout)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        file = root / "generated" / f"{spec.lang}.yaml"
        file.parent.mkdir()
        file.write_text(yaml.safe_dump(spec.content, allow_unicode=True), "utf-8")
        clinic = None
        if spec.clinic:
            clinic = root / "clinic.yaml"
            clinic.write_text(yaml.safe_dump(spec.clinic, allow_unicode=True), "utf-8")
        outcome.file = file
        start = time.process_time()
        try:
            [result] = brochure.build(file, layouts=layout, clinic=clinic, out_dir=None,
                                      prepared_for=spec.name, note=spec.note)
            outcome.pdf = result.pdf
        except BrochureError as exc:
            outcome.error = str(exc)
        except Exception:  # noqa: BLE001 - what the tests report as a crash
            outcome.crash = traceback.format_exc()
        outcome.seconds = time.process_time() - start
    return outcome


@dataclass
class Page:
    """One page of a built PDF as a reader sees it."""

    number: int
    trim: tuple[float, float, float, float]  # x0, y0, x1, y1
    runs: list[pdfscan.TextRun] = field(default_factory=list)


def pages(pdf: bytes) -> tuple[list[Page], structure.Element | None,
                               dict[structure.Key, structure.Element]]:
    import io

    reader = PdfReader(io.BytesIO(pdf))
    root, owners = structure.read(reader)
    found = pdfscan.scan(reader)
    out = []
    for number, page in enumerate(reader.pages, 1):
        box = page.trimbox
        out.append(Page(number, (float(box.left), float(box.bottom), float(box.right),
                                 float(box.top))))
    for run in found.runs:
        if run.visible and run.glyphs:
            out[run.page - 1].runs.append(run)
    return out, root, owners


PANEL_MESSAGE = re.compile(r"the (cover|flap|back|inside) panel \(.*\) does not fit.*about "
                           r"\d+ pt \(\d+ lines of body text\) must go|whole (cover|flap|"
                           r"back|inside) panel")
