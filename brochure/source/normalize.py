"""Text pasted from anywhere → the text a handout prints: the one place it is normalised.

In: a string read from a brochure file (content, locale, clinic, layout, plan). Out: the
same text normalised, and the characters refused with their positions. Every loader
gets this through `yamlsource`, so the model, the glyph check, the drawn text, the text
layer and the structure tree all carry the same characters.

- NFC: a letter and its combining accent (``e`` + U+0301, as macOS and some web pages
  give it) become the one precomposed letter the font draws as designed.
- U+00AD SOFT HYPHEN is kept: a hyphenation opportunity, drawn as "-" only where a line
  breaks there (lines drawn whole, such as the running footer, leave it out).
- U+200B ZERO WIDTH SPACE is kept: a line-break opportunity, never drawn.
- U+00A0 NO-BREAK SPACE is kept: a space where a line never breaks.
- U+200C/U+200D (ZWNJ/ZWJ) are kept beside letters of scripts whose shaping uses them
  (Arabic, Syriac, the Indic scripts, Myanmar, Khmer, Mongolian) and removed elsewhere,
  where they change nothing a reader sees.
- U+2028/U+2029 and U+0085 (line and paragraph separators) become line breaks, which a
  paragraph folds into a space like any other.
- Every other control or format character (bidi controls, BOM, word joiner, escape
  codes, lone surrogates) is refused: it is invisible, so nobody chose it on purpose,
  and it would draw as an empty box or corrupt the text layer.
"""

from __future__ import annotations

import unicodedata

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"
NO_BREAK_SPACE = "\u00a0"
_JOINERS = frozenset("\u200c\u200d")
_KEPT = frozenset("\t\n\r" + SOFT_HYPHEN + ZERO_WIDTH_SPACE)
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\u0085": "\n"})
_REFUSED_CATEGORIES = frozenset(("Cc", "Cf", "Cs"))
# Scripts whose shaping ZWJ/ZWNJ steer: Arabic, Syriac, Thaana, N'Ko, the Indic block
# (Devanagari to Malayalam), Sinhala, Myanmar, Khmer, Mongolian, Arabic presentation forms.
_JOINING_RANGES = ((0x0600, 0x07FF), (0x0800, 0x08FF), (0x0900, 0x0DFF),
                   (0x1000, 0x109F), (0x1780, 0x18AF), (0xA8E0, 0xA8FF),
                   (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _needs_joiners(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _JOINING_RANGES)


def normalize(text: str) -> tuple[str, list[str]]:
    """*text* normalised as the module says, and the refused characters (each once, in
    the order they first appear). The refused characters are left out of the text."""
    text = unicodedata.normalize("NFC", text.translate(_LINE_BREAKS))
    if text.isascii() and text.isprintable():
        return text, []
    out: list[str] = []
    refused: dict[str, None] = {}
    for i, char in enumerate(text):
        if char in _JOINERS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (before and _needs_joiners(before)) or (after and _needs_joiners(after)):
                out.append(char)
            continue
        if char not in _KEPT and unicodedata.category(char) in _REFUSED_CATEGORIES:
            refused.setdefault(char)
            continue
        out.append(char)
    if len(out) == len(text):
        return text, list(refused)
    # what was left out may have stood between a letter and its accent
    return unicodedata.normalize("NFC", "".join(out)), list(refused)


def refusal(char: str) -> str:
    """The message for one refused character: its code point and name, and why."""
    name = unicodedata.name(char, "") if unicodedata.category(char) != "Cs" else ""
    label = f"U+{ord(char):04X} {name}".rstrip() if name else f"U+{ord(char):04X}"
    return (f"has the invisible control character {label}, which a handout cannot print; "
            "delete it (it often comes with text pasted from another program)")


def without_break_marks(text: str) -> str:
    """*text* for a line drawn whole (running footer, outline, one-line labels): soft
    hyphens and zero-width spaces are only break opportunities, so they are left out."""
    return text.replace(SOFT_HYPHEN, "").replace(ZERO_WIDTH_SPACE, "")
