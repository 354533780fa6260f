"""Image files (clinic logos) → checked images of bounded size.

In: the path of a logo. Out: the image the handout embeds, or the reason it cannot be
used. What is read, in order, so a hostile file costs little:

1. the first bytes, for the format (PNG and JPEG are used; SVG, PDF, GIF and others are
   named and refused: brochure does not rasterise vector logos, export a PNG);
2. the file's size, refused over `MAX_BYTES` before anything else is read;
3. the header, for the pixel size, refused over `MAX_PIXELS`;
4. the whole image, decoded once at load time (``validate``, ``serve``, a build), so a
   truncated or corrupt file is a content error naming it, never a failure mid-build;
5. an image larger than the contact box needs at `PRINT_DPI` is downscaled to that
   (480 × 240 pixels), so a huge logo costs no more in any PDF than a right-sized one.
   JPEG files are decoded at a reduced scale straight away.

Decoding holds the full image once (at most 4 bytes per pixel: 64 MB at the pixel limit)
while it is downscaled: a build with a 4000 × 4000 RGBA logo peaks 110–125 MB above
one without a logo (measured); the test holds it under 200 MB.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_BYTES = 20_000_000  # a print-quality logo is well under 1 MB
MAX_PIXELS = 16_000_000  # 4000 × 4000: far beyond what a 1.6-inch logo can use
PRINT_DPI = 300
LOGO_BOX = (1.6, 0.8)  # inches: the largest a logo is printed (width, height)
LOGO_PIXELS = (round(LOGO_BOX[0] * PRINT_DPI), round(LOGO_BOX[1] * PRINT_DPI))

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"%PDF", "PDF"),
    (b"GIF8", "GIF"),
    (b"RIFF", "WebP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)


class ImageProblem(Exception):
    """Why an image cannot be used (the message completes "'logo.png' ...")."""


@dataclass(frozen=True)
class PreparedImage:
    """An image ready to embed: its own file when small enough, else a downscaled PNG."""

    path: Path
    width: int  # pixels of what is embedded
    height: int
    data: bytes | None  # None: embed the file itself

    def source(self) -> str | io.BytesIO:
        """What ReportLab's Image takes."""
        return str(self.path) if self.data is None else io.BytesIO(self.data)


def _kind(head: bytes) -> str | None:
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if b"<svg" in head.lower() or head.lstrip().startswith(b"<?xml"):
        return "SVG"
    return None


def prepare(path: Path, written: str | None = None) -> PreparedImage:
    """The image to embed for logo *path* (*written*: as the profile gives it); raise
    `ImageProblem` saying why not."""
    from .yamlsource import not_a_file

    reason = not_a_file(path, written)
    if reason:
        raise ImageProblem(reason)
    info = os.stat(path)
    return _prepared(path, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=8)  # a batch draws the same logo in every edition
def _prepared(path: Path, size: int, mtime_ns: int) -> PreparedImage:
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError as exc:
        raise ImageProblem(f"cannot be read ({exc.strerror})") from None
    kind = _kind(head)
    if kind in ("SVG", "PDF"):
        raise ImageProblem(f"is {'an' if kind == 'SVG' else 'a'} {kind} file; brochure "
                           f"prints PNG or JPEG logos only: export it as a PNG of at least "
                           f"{LOGO_PIXELS[0]} × {LOGO_PIXELS[1]} pixels")
    if kind not in ("PNG", "JPEG"):
        found = f"is a {kind} image" if kind else "is not a PNG or JPEG image"
        raise ImageProblem(f"{found}; save it as PNG or JPEG")
    if size > MAX_BYTES:
        raise ImageProblem(f"is {size:,} bytes; the limit for a logo is {MAX_BYTES:,} bytes")
    dimensions = _header_size(path, kind)
    if dimensions is None:
        raise ImageProblem(f"cannot be read as a {kind} image (its header is damaged); "
                           "export it again")
    _check_pixels(*dimensions)
    return _decoded(path, kind)


_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOFn, not DHT/JPG/DAC


def _header_size(path: Path, kind: str) -> tuple[int, int] | None:
    """(width, height) from the header alone: PNG's IHDR, or JPEG's frame header found by
    skipping from marker to marker (never reading the image data)."""
    with open(path, "rb") as handle:
        if kind == "PNG":
            head = handle.read(24)
            if len(head) < 24 or head[12:16] != b"IHDR":
                return None
            return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        handle.seek(2)
        for _ in range(1000):  # markers before the frame header: a few dozen at most
            marker = handle.read(2)
            while len(marker) == 2 and marker[1] == 0xFF:  # fill bytes
                marker = marker[1:] + handle.read(1)
            if len(marker) < 2 or marker[0] != 0xFF:
                return None
            length_bytes = handle.read(2)
            if len(length_bytes) < 2:
                return None
            length = int.from_bytes(length_bytes, "big")
            if marker[1] in _JPEG_FRAMES:
                frame = handle.read(5)
                if len(frame) < 5:
                    return None
                return int.from_bytes(frame[3:5], "big"), int.from_bytes(frame[1:3], "big")
            if length < 2:
                return None
            handle.seek(length - 2, os.SEEK_CUR)
    return None


def _decoded(path: Path, kind: str) -> PreparedImage:
    from PIL import Image, UnidentifiedImageError

    errors = (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError,
              Image.DecompressionBombError)
    try:
        with warnings.catch_warnings():
            # our pixel limit is checked below, from the header, before decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=[kind]) as image:
                width, height = image.size
                _check_pixels(width, height)
                image.verify()  # chunk checksums, for PNG
            with Image.open(path, formats=[kind]) as image:
                if kind == "JPEG":
                    image.draft("RGB", LOGO_PIXELS)  # decode at 1/2, 1/4 or 1/8 scale
                image.load()
                return _fitted(path, image, width, height)
    except Image.DecompressionBombError:
        raise ImageProblem(_too_many_pixels(None, None)) from None
    except errors as exc:
        raise ImageProblem(f"cannot be read as a {kind} image ({exc or type(exc).__name__}); "
                           "it may be cut short or damaged: export it again") from None


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ImageProblem(_too_many_pixels(width, height))


def _too_many_pixels(width: int | None, height: int | None) -> str:
    size = f"is {width:,} × {height:,} pixels" if width else "has too many pixels"
    return (f"{size}; the limit for a logo is {MAX_PIXELS:,} pixels (such as 4000 × 4000), "
            f"and {LOGO_PIXELS[0]} × {LOGO_PIXELS[1]} are printed")


def _fitted(path: Path, image, width: int, height: int) -> PreparedImage:  # type: ignore[no-untyped-def]
    """The file itself when it fits the printed size at PRINT_DPI, else a downscaled PNG."""
    from PIL import Image

    if width <= LOGO_PIXELS[0] and height <= LOGO_PIXELS[1]:
        return PreparedImage(path, width, height, None)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        alpha = image.mode in ("PA", "P") and "transparency" in image.info
        image = image.convert("RGBA" if alpha or "A" in image.mode else "RGB")
    image.thumbnail(LOGO_PIXELS, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG")
    return PreparedImage(path, image.width, image.height, out.getvalue())
