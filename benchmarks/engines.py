"""brochure against hand-written ReportLab and Typst on one small handout, side by side.

    python -m benchmarks.engines                 # warm and cold, 5 rounds, ratios printed
    python -m benchmarks.engines --rounds 9 --docs 40

The handout (title, draft box, intro, 3-row benefits table, common and serious side
effects, emergency box, 8 safety bullets, page footer) exists three times:
`benchmarks/data/small/en.yaml` for brochure's clinic layout, `handwritten.py` written by
hand with ReportLab's platypus (the yardstick), and `typst_handout.py` for Typst (the
``typst`` package: ``pip install typst``; skipped with a note when absent).

- warm: each engine in a process of its own renders ``--docs`` documents, each with a
  different patient line, after one first document; the figure is the median
  milliseconds per document. brochure keeps everything on: tagging, finishing and the
  checks that read the PDF back.
- warm, interleaved: the engines in one process, one document each in turn (A B C A B
  C ...), the ratio taken document by document: a machine whose speed drifts within a
  round (this one's does, by up to 1.5×) moves both sides of each ratio alike. (In one
  process the hand-written handout also goes through the one change brochure makes to
  ReportLab's writer — an end-of-line before ``endstream``, a few microseconds.)
- cold: one document as a whole process, from start to exit (``python -m brochure.cli
  build`` against ``python -m benchmarks.handwritten``), after one first run so bytecode
  exists.

Engines run in turn within a round (A B C, A B C, ...), and each ratio is taken within its
round, so a machine that speeds up or slows down between rounds moves all three alike.
The last lines list which of the heavier libraries a cold English build imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "benchmarks" / "data" / "small" / "en.yaml"
NAMES = ["Ana", "Bao", "Chloé", "Dmitri", "Esther", "Farah", "Gustavo", "Hana"]
HEAVY = ("pypdf", "fontTools", "uharfbuzz", "pythainlp", "bidi", "PIL", "babel", "qrcode",
         "yaml", "click")
# Cold runs write bytecode, as an installed package has it (pip compiles it on install):
# with PYTHONDONTWRITEBYTECODE set, every run would compile brochure's modules again.
COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _timed(docs: int, make) -> list[float]:  # type: ignore[no-untyped-def]
    make("First")  # fonts registered, caches filled: what a warm process has
    times = []
    for i in range(docs):
        start = time.perf_counter()
        pdf = make(f"{NAMES[i % len(NAMES)]} {i}")
        times.append((time.perf_counter() - start) * 1000)
        assert pdf.startswith(b"%PDF")
    return times


def interleaved(docs: int, engines: list[str]) -> dict[str, list[float]]:
    """ms per document of each engine, one document of each in turn, in this process."""
    make = {engine: MAKERS[engine]() for engine in engines}
    for engine in engines:
        make[engine]("First")
    times: dict[str, list[float]] = {engine: [] for engine in engines}
    for i in range(docs):
        for engine in engines:
            start = time.perf_counter()
            pdf = make[engine](f"{NAMES[i % len(NAMES)]} {i}")
            times[engine].append((time.perf_counter() - start) * 1000)
            assert pdf.startswith(b"%PDF")
    return times


def _brochure_maker():  # type: ignore[no-untyped-def]
    from brochure import api
    from brochure.source.content import load_content
    from brochure.source.layouts import load_layout
    from brochure.source.model import Personal
    from brochure.source.topics import content_roots

    content = load_content(SMALL, [root / "locales" for root in content_roots()])
    layout = load_layout("clinic")
    return lambda name: api.render_loaded(content, layout, personal=Personal(name, None)).pdf


def _reportlab_maker():  # type: ignore[no-untyped-def]
    from benchmarks.handwritten import handout

    return handout


def _typst_maker():  # type: ignore[no-untyped-def]
    from benchmarks.typst_handout import compiler, handout

    comp = compiler()
    return lambda name: handout(comp, name)


# Each engine's document maker: a function of the patient's name that returns PDF bytes.
MAKERS = {"brochure": _brochure_maker, "reportlab": _reportlab_maker, "typst": _typst_maker}


def run_interleaved(docs: int, engines: list[str]) -> dict[str, list[float]]:
    """`interleaved` in a fresh child process."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.engines", "--child",
                          "interleaved", "--docs", str(docs), "--engines", ",".join(engines)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_warm(engine: str, docs: int) -> float:
    """Median ms per document of *engine*, in a fresh child process."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.engines", "--child", engine,
                          "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def cold_commands(folder: Path) -> dict[str, list[str]]:
    return {
        "brochure": [sys.executable, "-m", "brochure.cli", "build", str(SMALL), "--layout",
                     "clinic", "--prepared-for", "Ana", "-o", str(folder)],
        "reportlab": [sys.executable, "-m", "benchmarks.handwritten",
                      str(folder / "hand.pdf"), "Ana"],
        "typst": [sys.executable, "-m", "benchmarks.typst_handout",
                  str(folder / "typst.pdf"), "Ana"],
    }


def run_cold(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=COLD_ENV)
    return time.perf_counter() - start


def imported_by_cold_build(folder: Path) -> list[str]:
    """Which heavier libraries one cold English brochure build loads."""
    code = ("import sys; from brochure.cli import main\n"
            "try:\n    main([" + ", ".join(repr(a) for a in cold_commands(folder)["brochure"][3:])
            + "])\nexcept SystemExit:\n    pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=COLD_ENV)
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


def has_typst() -> bool:
    import importlib.util

    return importlib.util.find_spec("typst") is not None


def report(title: str, figures: dict[str, list[float]], unit: str, scale: float,
           paired: dict[str, list[float]] | None = None) -> None:
    """A table of *figures* (per engine, one value a round) and their ratios to
    ReportLab's: within each round, or the rounds' *paired* ratios when given."""
    print(f"\n{title}")
    print(f"  {'engine':<10} {'median':>9} {'min':>9} {'max':>9}   ratio to reportlab "
          "(median of the rounds' ratios)")
    for engine, values in figures.items():
        ratios = paired[engine] if paired else [
            v / r for v, r in zip(values, figures["reportlab"], strict=True)]
        print(f"  {engine:<10} {statistics.median(values) * scale:>8.1f}{unit} "
              f"{min(values) * scale:>8.1f}{unit} {max(values) * scale:>8.1f}{unit}   "
              f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--cold-rounds", type=int, default=7)
    parser.add_argument("--child", choices=[*sorted(MAKERS), "interleaved"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--engines", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "interleaved":
        print(json.dumps(interleaved(args.docs, args.engines.split(","))))
        return
    if args.child:
        print(statistics.median(_timed(args.docs, MAKERS[args.child]())))
        return
    engines = ["reportlab", "brochure"] + (["typst"] if has_typst() else [])
    if "typst" not in engines:
        print("typst is not installed (pip install typst): its rows are left out")
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    warm: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(args.rounds):
        for engine in engines:
            warm[engine].append(run_warm(engine, args.docs))
    report(f"warm: ms per document, {args.docs} documents per round, {args.rounds} rounds",
           warm, " ms", 1)
    mixed: dict[str, list[float]] = {e: [] for e in engines}
    ratios: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(args.rounds):
        times = run_interleaved(args.docs, engines)
        for engine in engines:
            mixed[engine].append(statistics.median(times[engine]))
            ratios[engine].append(statistics.median(
                t / r for t, r in zip(times[engine], times["reportlab"], strict=True)))
    report(f"warm, interleaved in one process: ms per document, {args.docs} documents of "
           f"each per round, {args.rounds} rounds; ratios document by document", mixed,
           " ms", 1, ratios)
    with tempfile.TemporaryDirectory() as tmp:
        commands = cold_commands(Path(tmp))
        for engine in engines:
            run_cold(commands[engine])  # bytecode written, files cached
        cold: dict[str, list[float]] = {e: [] for e in engines}
        for _ in range(args.cold_rounds):
            for engine in engines:
                cold[engine].append(run_cold(commands[engine]))
        report(f"cold: one document as a whole process, ms, {args.cold_rounds} rounds", cold,
               " ms", 1000)
        print("\nlibraries a cold English build imports:",
              ", ".join(imported_by_cold_build(Path(tmp))))
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
