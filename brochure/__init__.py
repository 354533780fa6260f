"""brochure: structured health content (YAML) → print-ready PDF patient handouts.

The pipeline, one package per stage, data flowing one way:

    source   YAML files → validated models (content, clinics, layouts)
    typeset  model + layout → PDF bytes, tagged while drawn
    finish   PDF bytes → finished PDF bytes (metadata, structure tree, print files)
    checks   PDF bytes → reports (readability, contrast, accessibility, pre-flight)
    output   bytes → a file, written atomically

`api` runs the stages for an edition (`build`, `render_edition`, `validate`); `batch`
and `web` build many editions through it, and `cli` is a thin shell over all three.
`errors`, `paths` and `output` serve every stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import BrochureError, ContentError, FontError, LayoutError, RenderError

if TYPE_CHECKING:
    from .api import BuildResult, build, render_edition, validate

_API = {"BuildResult", "build", "render_edition", "validate"}
_AUDIT = {"audit"}


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # The pipeline (ReportLab, pypdf, the checks) loads on first use, not on import:
    # commands that need none of it (a batch rerun with nothing to do, --help) start fast.
    if name in _API:
        from . import api

        return getattr(api, name)
    if name in _AUDIT:
        from .checks import accessibility

        return accessibility.audit
    raise AttributeError(f"module 'brochure' has no attribute {name!r}")

__all__ = [
    "BrochureError",
    "BuildResult",
    "ContentError",
    "FontError",
    "LayoutError",
    "RenderError",
    "audit",
    "build",
    "render_edition",
    "validate",
]
__version__ = "0.1.0"
