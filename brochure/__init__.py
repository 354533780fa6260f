"""brochure: structured health content (YAML) → print-ready PDF patient handouts.

The pipeline, one module per step: `content` (YAML → validated model), `layouts`
(layout files → `Layout`), `fonts` and `glyphs` (fonts and coverage), `story`
(model + layout → flowables), `render` (→ PDF bytes), `finish` (pypdf steps),
`output` (atomic write). `build` runs them all; the CLI is a thin shell over it.
"""

from __future__ import annotations

from .api import BuildResult, build, render_edition, validate
from .errors import BrochureError, ContentError, FontError, LayoutError, RenderError

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
