"""The small handout in Typst (the `typst` package, a benchmark-only extra): engines.py's
fast reference. The same text and parts as `handwritten.py`, Atkinson Hyperlegible from
its Python package, the patient's name passed through ``sys.inputs`` so one compiler is
reused with the content varying. Typst writes a tagged PDF by default.

    python -m benchmarks.typst_handout out.pdf "Ana"    # one document, as a whole process
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from benchmarks.handwritten import BENEFITS, COMMON, SAFETY, SERIOUS


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...], columns: str) -> str:
    cells = ", ".join(f"[*{h}*]" for h in header)
    body = ", ".join(f"[{c}]" for row in rows for c in row)
    return (f"#table(columns: {columns}, fill: (x, y) => if y == 0 {{ accent }},\n"
            f"  table.header({cells}), {body})\n")


def _bullets(items: list[str]) -> str:
    return "".join(f"- {item}\n" for item in items)


SOURCE = f"""
#let accent = rgb("#0a3d62")
#let urgent = rgb("#7a0000")
#let patient = sys.inputs.at("patient", default: "Ana")
#set document(title: "Examplamol: benefits, side effects and safety")
#set page(paper: "us-letter", margin: (x: 18mm, top: 16mm, bottom: 18mm),
  header: align(right, text(8pt, weight: "bold", fill: urgent)[DRAFT — not reviewed]),
  footer: context [#text(8pt)[Examplamol: benefits, side effects and safety #h(1fr)
    Page #counter(page).display() of #counter(page).final().first()]])
#set text(font: "Atkinson Hyperlegible", size: 9.5pt, lang: "en")
#show heading: set text(fill: accent, size: 13pt)
#show table.cell.where(y: 0): set text(fill: white, weight: "bold")
#set table(stroke: 0.5pt + rgb("#5c6b77"))

#text(18pt, weight: "bold", fill: accent)[Examplamol: benefits, side effects and safety]

A short handout used to compare typesetting engines

#block(fill: rgb("#fdf0ee"), stroke: 1pt + rgb("#a4161a"), inset: 6pt, width: 100%)[
  #text(weight: "bold", fill: urgent)[DRAFT — not reviewed] \\
  This edition is a draft. A qualified reviewer has not yet checked it. Do not rely on it alone.]
#block(fill: rgb("#f1f4f7"), stroke: 1pt + rgb("#5c6b77"), inset: 6pt, width: 100%)[
  #text(weight: "bold", fill: urgent)[Prepared for #patient]]

= Key points
- This text exists only to be typeset. It describes no real medicine.

= About this handout
This short handout has the parts a real one has: an introduction, a table of benefits,
common and serious side effects and safety advice. It is the same text in every engine
that is measured.

= Possible benefits
The benefits the text claims, with the strength of the evidence.
{_table(BENEFITS, ("Possible benefit", "How it may work", "What the evidence says"),
        "(25%, 40%, 35%)")}
= Side effects
Side effects the text reports.
#grid(columns: (1fr, 1fr), gutter: 12pt,
  [{_table(COMMON, ("Common side effects", "What to know"), "(40%, 60%)")}],
  [{_table(SERIOUS, ("Rare but serious side effects", "What to know"), "(40%, 60%)")}])

= Safety
#block(fill: rgb("#fdf0ee"), stroke: 1pt + rgb("#a4161a"), inset: 6pt, width: 100%,
  breakable: false)[
  #text(weight: "bold", fill: urgent)[Get emergency help now if you see]
  - Trouble breathing
  - Cannot be woken up
  #text(weight: "bold", fill: urgent)[Call 911 right away.]]

== Do not mix with
{_table([("Alcohol", "You get more sleepy.")], ("Substance", "Why it is dangerous"), "(35%, 65%)")}
== Warnings
#columns(2)[
{_bullets(SAFETY)}]

== Who should not use it
- You are allergic to it.

== Where to get help
- Emergency: 911 — Trouble breathing.

#block(stroke: 1pt + rgb("#5c6b77"), inset: 6pt, width: 100%, height: 80pt)[== Notes]

== Sources
+ *Benchmark text.* brochure benchmarks. Written for the benchmark.

== About this handout
General information only. \\
Last reviewed: 2026-12-01
"""


def font_folder() -> str:
    spec = importlib.util.find_spec("fontpkg_atkinson_hyperlegible")
    assert spec and spec.submodule_search_locations
    return str(Path(next(iter(spec.submodule_search_locations))) / "files")


def compiler():  # type: ignore[no-untyped-def]
    """A Typst compiler holding the handout's source and its fonts, reused between documents."""
    import typst

    return typst.Compiler(SOURCE.encode(), font_paths=[font_folder()], ignore_system_fonts=True)


def handout(comp, patient: str) -> bytes:  # type: ignore[no-untyped-def]
    # The source goes with each call: a compiler made from bytes forgets them when
    # sys_inputs change (typst-py 0.15); fonts and the parsed library stay cached.
    return comp.compile(SOURCE.encode(), sys_inputs={"patient": patient}, timestamp=0)


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(handout(compiler(), sys.argv[2] if len(sys.argv) > 2 else "Ana"))
