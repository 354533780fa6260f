"""What PDF/A asks of the rendered bytes that ReportLab does not do by itself.

In: ReportLab's PDF writer. Out: the same writer with two changes, made once on import:

- every stream's data is followed by an end-of-line marker before ``endstream``
  (ISO 19005-2 §6.1.7.1; ReportLab writes ``...data endstream`` straight after binary
  data). ``/Length`` stays the length of the data.
- `REGISTRATION`: printer's marks are stroked in a Separation colour space named ``All``
  (on every plate, as registration marks must be) whose alternate is DeviceGray, so no
  DeviceCMYK appears in a file whose output intent is sRGB. `finish.pdfa` adds the colour
  space to every page's resources.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc

REGISTRATION_NAME = "Registration"
REGISTRATION = f"/{REGISTRATION_NAME} CS 1 SCN"  # stroke colour: full tint on every plate

_original_format = pdfdoc.PDFStream.format


def _format_with_eol(self, document):  # type: ignore[no-untyped-def]
    out = _original_format(self, document)
    if out.endswith(b"endstream\n"):
        return out[:-len(b"endstream\n")] + b"\nendstream\n"
    return out


if not getattr(pdfdoc.PDFStream.format, "_brochure", False):
    _format_with_eol._brochure = True  # type: ignore[attr-defined]
    pdfdoc.PDFStream.format = _format_with_eol
