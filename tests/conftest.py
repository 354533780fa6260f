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

# Hypothesis profiles: "ci" (bounded, reproducible; the default, and what hypothesis
# itself loads when CI is set, so it is redefined here) and "long", a nightly-style run
# chosen with HYPOTHESIS_PROFILE=long.
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

KRATOM = paths.builtin("content") / "kratom"
EXAMPLE_CLINIC = paths.builtin("content") / "clinics" / "example.yaml"


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
    """A writable copy of the kratom topic (with the locales beside it)."""
    root = tmp_path / "content"
    (root / "kratom").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "kratom" / "en.yaml").write_text((KRATOM / "en.yaml").read_text("utf-8"), "utf-8")
    locale = paths.builtin("content") / "locales" / "en.yaml"
    (root / "locales" / "en.yaml").write_text(locale.read_text("utf-8"), "utf-8")
    return root / "kratom" / "en.yaml"
