"""Plain text → text safe inside markup (ReportLab's paragraph markup, XMP's XML).

What ``xml.sax.saxutils.escape`` does, without importing it: that module pulls in
``urllib.request`` and with it the e-mail, HTTP and SSL modules, a twentieth of a
one-edition build's start-up.
"""

from __future__ import annotations

_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_WITH_QUOTES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str, quotes: bool = False) -> str:
    """*text* with ``&``, ``<`` and ``>`` (and ``"`` when *quotes*) as entities."""
    return text.translate(_WITH_QUOTES if quotes else _TABLE)
