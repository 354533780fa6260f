"""Shared fixtures: the sample topic built once per session, and small-file helpers."""

from __future__ import annotations

import io
import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pypdf import PdfReader

import brochure
from brochure import paths

# Hypothesis: a bounded, reproducible profile for CI and everyday runs (hypothesis loads a
# profile named "ci" itself when CI is set, so it is redefined here), and a long one on
# request: BROCHURE_HYPOTHESIS=long (or HYPOTHESIS_PROFILE=long) pytest ... Tests whose
# every example builds PDFs set their own, smaller counts for each profile.
LONG_HYPOTHESIS = "long" in (os.environ.get("BROCHURE_HYPOTHESIS"),
                             os.environ.get("HYPOTHESIS_PROFILE"))
settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("long" if LONG_HYPOTHESIS else "ci")

KRATOM = paths.builtin("content") / "kratom"
EXAMPLE_CLINIC = paths.builtin("content") / "clinics" / "example.yaml"
FROZEN_KRATOM = Path(__file__).parent / "data" / "kratom-before-review-en.yaml"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, brochure.BuildResult]:
    """The English kratom editions, both layouts, without and with the example clinic."""
    out = tmp_path_factory.mktemp("built")
    results = {}
    both = ["clinic", "general"]
    for r in brochure.build(KRATOM, layouts=both, out_dir=out):
        results[r.layout] = r
    for r in brochure.build(KRATOM, layouts=both, clinic=EXAMPLE_CLINIC, out_dir=out):
        results[f"{r.layout}+clinic"] = r
    return results


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """All extracted text, pages joined, whitespace folded to single spaces."""
    text = "\n".join(page.extract_text() for page in reader(pdf).pages)
    return " ".join(text.split())


def write(folder: Path, name: str, text: str) -> Path:
    """Write dedented *text* to folder/name and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def topic_copy(tmp_path: Path) -> Path:
    """A writable kratom topic (with the locales beside it) for tests that edit a content
    file: a frozen copy (tests/data), so the edits do not depend on the shipped text."""
    root = tmp_path / "content"
    (root / "kratom").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "kratom" / "en.yaml").write_text(FROZEN_KRATOM.read_text("utf-8"), "utf-8")
    locale = paths.builtin("content") / "locales" / "en.yaml"
    (root / "locales" / "en.yaml").write_text(locale.read_text("utf-8"), "utf-8")
    return root / "kratom" / "en.yaml"
