"""Page pictures for the preview: PDF bytes in, one JPEG picture per page out, in memory.

Drawn with pdfium (in the server, or in the worker process that built the edition, so
several previews' pages are drawn at once). Calls into pdfium are serialised by a lock
(pdfium is not meant for several threads at once); drawing and JPEG encoding release
Python's interpreter lock.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

PREVIEW_DPI = 96  # one page pixel per CSS pixel at 100 % zoom
_PDFIUM = threading.Lock()


def page_pictures(pdf: bytes, dpi: int = PREVIEW_DPI,
                  still_wanted: Callable[[], None] | None = None) -> tuple[bytes, ...]:
    """Every page of *pdf* drawn as a JPEG picture at *dpi*, in memory; *still_wanted* is
    called before each page and stops the drawing by raising."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
    try:
        pictures = []
        for index in range(len(document)):
            if still_wanted is not None:
                still_wanted()
            with _PDFIUM:
                page = document[index]
                try:
                    # RGB byte order straight from pdfium: no conversion for PIL
                    image = page.render(scale=dpi / 72, rev_byteorder=True).to_pil()
                finally:
                    page.close()
            out = io.BytesIO()
            # JPEG: a sixth of the time PNG takes (PNG was half of a preview's cost) at
            # the same size; the page is shown at about half this size, where halved
            # colour resolution (4:2:0) cannot be seen
            image.convert("RGB").save(out, format="JPEG", quality=90, subsampling=2)
            pictures.append(out.getvalue())
        return tuple(pictures)
    finally:
        with _PDFIUM:
            document.close()
