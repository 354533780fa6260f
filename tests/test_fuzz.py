"""Fuzzing every file type: whatever a content, locale, clinic, layout or plan file holds,
a run ends in PDFs or in a `BrochureError` with a message (and its file where there is
one), never in another exception, and leaves no partial file behind.

Inputs are random bytes, random Unicode text, and the shipped files with a few values
replaced by random trees (text from every Unicode category, numbers at the extremes,
lists, mappings, markup, placeholders). The "ci" hypothesis profile (conftest) keeps
this bounded; ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`` runs 2000 examples
of each.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

import brochure
from brochure import paths
from brochure.batch.plan import load_plan
from brochure.errors import BrochureError
from brochure.source.clinics import load_clinic
from tests.conftest import EXAMPLE_CLINIC, KRATOM, LONG_HYPOTHESIS

LAYOUT = paths.builtin("layouts") / "clinic.yaml"
# A build takes about a second: under the "ci" profile the tests that build PDFs try
# fewer examples than the others; other profiles (HYPOTHESIS_PROFILE=long) set them all.
BUILDS = settings() if LONG_HYPOTHESIS else settings(max_examples=8)
LOCALE = paths.builtin("content") / "locales" / "en.yaml"

NASTY = st.sampled_from([
    "", " ", "<b>bold</b>", "&amp; & <", "{page}", "{pages} {date} {name}", "\u200b",
    "e\u0301", "\u00ad", "\u202e", "\ufeff", "\x1b[31m", "x" * 4000, "-1", "0", "1e308",
    "#zzzzzz", "#000000", "12mm", "0pt", "-5in", "all", "..", "../../etc", "/dev/zero",
    "logo.png", "https://example.org/", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\u0e44\u0e17\u0e22", "\U0001f600", "\ud7ff", "null", "~",
])
SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12)
           | st.floats(allow_nan=True, allow_infinity=True) | NASTY
           | st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
TREES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=6)


def _places(data: Any, at: tuple = ()) -> list[tuple]:
    """Every key path in a plain tree, the root's children first."""
    out = []
    items = (data.items() if isinstance(data, dict)
             else enumerate(data) if isinstance(data, list) else ())
    for key, value in items:
        out.append(at + (key,))
        out += _places(value, at + (key,))
    return out


def _mutated(original: dict, edits: list[tuple[int, Any, bool]]) -> Any:
    data = yaml.safe_load(yaml.safe_dump(original))  # a deep copy
    for index, value, delete in edits:
        places = _places(data)
        if not places:
            return value
        *parents, last = places[index % len(places)]
        holder = data
        for key in parents:
            holder = holder[key]
        if delete:
            del holder[last]
        else:
            holder[last] = value
    return data


def _leaves_edited(original: dict, edits: list[tuple[int, Any]]) -> Any:
    """*original* with some of its leaves replaced by values of the same kind (text for
    text, a number for a number): the shape stays valid, so these reach the renderer.
    Text is put before half of the old text."""
    data = yaml.safe_load(yaml.safe_dump(original))
    for index, value in edits:
        kind = str if isinstance(value, str) else (int, float)
        leaves = [place for place in _places(data)
                  if isinstance(_at(data, place), kind)
                  and not isinstance(_at(data, place), bool)]
        if leaves:
            *parents, last = leaves[index % len(leaves)]
            holder = _at(data, tuple(parents))
            old = holder[last]
            holder[last] = value + old[: len(old) // 2] if isinstance(value, str) else value
    return data


def _at(data: Any, place: tuple) -> Any:
    for key in place:
        data = data[key]
    return data


def files_of(original: Path) -> st.SearchStrategy[bytes]:
    """What a fuzzed copy of *original* holds: the file with values replaced by random
    trees, with text and numbers replaced by others (most often: these get furthest),
    random Unicode text, or random bytes."""
    data = yaml.safe_load(original.read_text("utf-8"))
    edits = st.lists(st.tuples(st.integers(0, 10**6), TREES, st.booleans()),
                     min_size=1, max_size=3)
    drawable = NASTY | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x17F,
                                             exclude_categories=("Cc", "Cs")), max_size=40)
    numbers = (st.integers(-5, 400) | st.floats(-10, 1000, allow_nan=False)
               | st.sampled_from([0, 0.001, 1e6, -1]))
    leaf_edits = st.lists(st.tuples(st.integers(0, 10**6), drawable | numbers),
                          min_size=1, max_size=3)

    def dumped(tree: Any) -> bytes:
        return yaml.safe_dump(tree, allow_unicode=True, width=200).encode("utf-8")

    trees = edits.map(lambda e: dumped(_mutated(data, e)))
    leaves = leaf_edits.map(lambda e: dumped(_leaves_edited(data, e)))
    return (trees | leaves | leaves | leaves
            | st.text(st.characters(exclude_categories=("Cs",)), max_size=300).map(
                lambda t: t.encode("utf-8"))
            | st.binary(max_size=300))


def ends_well(run: Callable[[Path], None], project: Path, out: Path) -> None:
    """*run* returns (and every file it wrote is a whole PDF) or raises a BrochureError
    with a message and writes nothing; anything else fails the test."""
    before = set(out.rglob("*")) if out.exists() else set()
    try:
        run(project)
    except BrochureError as exc:
        event(f"refused: {type(exc).__name__}")  # --hypothesis-show-statistics
        assert str(exc).strip(), "an error without a message"
        assert "Node(" not in str(exc) and "Traceback" not in str(exc), str(exc)
        for problem in exc.problems:
            assert problem.message.strip()
            assert problem.file is not None or problem.field, f"no file or field: {problem}"
        written = (set(out.rglob("*")) if out.exists() else set()) - before
        assert not [p for p in written if p.is_file()], f"wrote {written} and failed"
        return
    event("accepted")
    for path in out.rglob("*") if out.exists() else ():
        if path.is_file():
            assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF-"), path
            assert not path.name.startswith("."), f"partial file {path}"


def project_with(root: Path, name: str, data: bytes) -> tuple[Path, Path]:
    """*root* made a project with the kratom topic, its locale, the example clinic and the
    clinic layout, with *name* (relative) holding *data*; returns it and its out folder."""
    sources = {"content/kratom/en.yaml": KRATOM / "en.yaml", "content/locales/en.yaml": LOCALE,
               "clinic.yaml": EXAMPLE_CLINIC, "layouts/house.yaml": LAYOUT}
    for relative, source in sources.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(source.read_bytes())
    (root / name).write_bytes(data)
    return root, root / "out"


def fuzzed(name: str, data: bytes, run: Callable[[Path], None]) -> None:
    """*run* on a fresh project whose file *name* holds *data* (see `ends_well`)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        project, out = project_with(Path(folder), name, data)
        ends_well(run, project, out)


def build(project: Path) -> None:
    brochure.build(project / "content" / "kratom" / "en.yaml", layouts=str(
        project / "layouts" / "house.yaml"), clinic=project / "clinic.yaml",
        out_dir=project / "out")


@given(files_of(KRATOM / "en.yaml"))
@BUILDS
def test_any_content_file_ends_in_a_pdf_or_a_brochure_error(data: bytes) -> None:
    fuzzed("content/kratom/en.yaml", data, build)


@given(files_of(LOCALE))
@BUILDS
def test_any_locale_file_ends_in_a_pdf_or_a_brochure_error(data: bytes) -> None:
    fuzzed("content/locales/en.yaml", data, build)


@given(files_of(EXAMPLE_CLINIC))
@BUILDS
def test_any_clinic_profile_ends_in_a_pdf_or_a_brochure_error(data: bytes) -> None:
    fuzzed("clinic.yaml", data, build)


@given(files_of(LAYOUT))
@BUILDS
def test_any_layout_file_ends_in_a_pdf_or_a_brochure_error(data: bytes) -> None:
    fuzzed("layouts/house.yaml", data, build)


PLAN = Path(__file__).parent / "data" / "fuzz-plan.yaml"


@given(files_of(PLAN))
def test_any_plan_file_is_read_or_refused_and_stays_inside(data: bytes) -> None:
    def plan(project: Path) -> None:
        plan = load_plan(project / "plan.yaml")
        out = Path(os.path.realpath(plan.output))
        for spec in plan.editions:
            assert Path(os.path.realpath(spec.output)).is_relative_to(out), spec.output

    fuzzed("plan.yaml", data, plan)


IMAGE_BYTES = st.binary(max_size=400) | st.tuples(
    st.sampled_from([b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\xff\xd8\xff\xe0",
                     b"\xff\xd8\xff\xc0\x00\x11\x08", b"%PDF-1.7", b"<svg"]),
    st.binary(max_size=400)).map(lambda parts: parts[0] + parts[1])


@given(IMAGE_BYTES)
def test_any_logo_bytes_are_a_logo_or_a_content_error(data: bytes) -> None:
    def load(project: Path) -> None:
        (project / "clinic.yaml").write_text("name: C\nlogo: logo.png\n", "utf-8")
        load_clinic(project / "clinic.yaml")

    fuzzed("logo.png", data, load)
