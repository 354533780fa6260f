"""brochure: structured health content (YAML) → print-ready PDF patient handouts.

The pipeline, one module per step: `content` (YAML → validated model), `layouts`
(layout files → `Layout`), `fonts` and `glyphs` (fonts and coverage), `story`
(model + layout → flowables), `render` (→ PDF bytes), `finish` (pypdf steps),
`output` (atomic write). `build` runs them all; the CLI is a thin shell over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import BrochureError, ContentError, FontError, LayoutError, RenderError

if TYPE_CHECKING:
    from .api import BuildResult, build, render_edition, validate

_API = {"BuildResult", "build", "render_edition", "validate"}


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # The pipeline (ReportLab, pypdf, the checks) loads on first use, not on import:
    # commands that need none of it (a batch rerun with nothing to do, --help) start fast.
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'brochure' has no attribute {name!r}")

__all__ = [
    "BrochureError",
    "BuildResult",
    "ContentError",
    "FontError",
    "LayoutError",
    "RenderError",
    "build",
    "render_edition",
    "validate",
]
__version__ = "0.1.0"
