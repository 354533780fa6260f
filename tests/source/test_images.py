"""Logos of any size and state: refused with the limit named, or printed at bounded cost."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image

import brochure
from brochure.errors import ContentError
from brochure.source import images
from brochure.source.clinics import load_clinic
from tests.conftest import KRATOM, reader, write


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(path: Path, width: int, height: int, rgba: bool = False) -> Path:
    """A real PNG of *width* × *height* (a gradient; grey, or RGBA), compressed row by row
    into several IDAT chunks, so even a 12000 × 12000 one costs little memory to make."""
    channels, colour_type = (4, 6) if rgba else (1, 0)
    packer = zlib.compressobj(6)
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type,
                                                     0, 0, 0)))
        rows = bytearray()
        for y in range(height):
            rows += b"\0" + bytes([(y * 255) // max(1, height - 1)]) * (width * channels)
            if len(rows) > 1 << 22 or y == height - 1:
                data = packer.compress(bytes(rows)) + (packer.flush() if y == height - 1
                                                       else b"")
                rows.clear()
                if data:
                    handle.write(_chunk(b"IDAT", data))
        handle.write(_chunk(b"IEND", b""))
    return path


def clinic_with(folder: Path, logo: str) -> Path:
    return write(folder, "clinic.yaml", f"name: Lakeside Clinic\nlogo: {logo}\n")


def logo_message(folder: Path, logo: str) -> str:
    clinic = clinic_with(folder, logo)
    with pytest.raises(ContentError) as err:
        load_clinic(clinic)
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.field) == (clinic, 2, "logo")
    return problem.message


def test_huge_logo_is_refused_from_its_header_with_the_pixel_limit(tmp_path: Path) -> None:
    png(tmp_path / "huge.png", 12000, 12000)
    assert logo_message(tmp_path, "huge.png") == (
        "'huge.png' is 12,000 × 12,000 pixels; the limit for a logo is 16,000,000 pixels "
        f"(such as 4000 × 4000), and 480 × 240 are printed; give a PNG or JPEG file "
        f"relative to {tmp_path}")


def test_60000_pixel_square_logo_is_refused_not_a_traceback(tmp_path: Path) -> None:
    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    (tmp_path / "wide.png").write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header))
    assert "is 60,000 × 60,000 pixels; the limit" in logo_message(tmp_path, "wide.png")


def test_oversized_logo_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with open(big, "wb") as handle:  # sparse: 2 GB on paper, nothing on disk
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(2_000_000_000)
    assert logo_message(tmp_path, "big.png").startswith(
        "'big.png' is 2,000,000,000 bytes; the limit for a logo is 20,000,000 bytes")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_truncated_logo_is_a_content_error_naming_the_profile(tmp_path: Path,
                                                               kind: str) -> None:
    name = f"logo.{kind.lower()}"
    Image.effect_noise((300, 200), 60).convert("RGB").save(tmp_path / name, kind)
    whole = (tmp_path / name).read_bytes()
    (tmp_path / name).write_bytes(whole[: len(whole) // 2])
    message = logo_message(tmp_path, name)
    assert message.startswith(f"'{name}' cannot be read as a {kind} image")


def test_garbage_after_valid_first_bytes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"garbage" * 300)
    assert "cannot be read as a JPEG image" in logo_message(tmp_path, "logo.jpg")


def test_svg_logo_is_refused_with_what_to_do(tmp_path: Path) -> None:
    write(tmp_path, "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n')
    assert logo_message(tmp_path, "logo.svg") == (
        "'logo.svg' is an SVG file; brochure prints PNG or JPEG logos only: export it as a "
        f"PNG of at least 480 × 240 pixels; give a PNG or JPEG file relative to {tmp_path}")


@pytest.mark.parametrize(("logo", "says"), [
    ("https://example.org/logo.png", "is a web address; brochure reads local files only"),
    ("/dev/null", "is a device or pipe, not a regular file"),
    (".", "is a folder, not a file"),
    ("missing.png", "does not exist"),
])
def test_logo_that_is_not_a_file_says_what_it_is(tmp_path: Path, logo: str,
                                                 says: str) -> None:
    assert logo_message(tmp_path, logo).startswith(f"{logo!r} {says}")


def test_large_logo_is_embedded_at_300_dpi_of_its_printed_size(tmp_path: Path) -> None:
    png(tmp_path / "logo.png", 3000, 1000)
    [result] = brochure.build(KRATOM / "en.yaml", layouts="clinic", out_dir=None,
                              clinic=clinic_with(tmp_path, "logo.png"))
    sizes = [(img.image.width, img.image.height)
             for page in reader(result.pdf).pages for img in page.images]
    assert sizes == [(480, 160)]


def test_build_with_a_logo_at_the_pixel_limit_stays_under_the_memory_bound(
        tmp_path: Path) -> None:
    """A 4000 × 4000 RGBA logo (the pixel limit) adds less than 200 MB to a build's peak
    memory, measured in a fresh process with getrusage (110–125 MB here; embedded at full
    size before, it added about 230 MB, and a 12000 × 12000 one 1.4–2.1 GB)."""
    bound_mb = 200
    png(tmp_path / "logo.png", 4000, 4000, rgba=True)
    plain = write(tmp_path, "plain.yaml", "name: Lakeside Clinic\n")
    script = textwrap.dedent(f"""
        import json, resource
        from pathlib import Path
        import brochure
        def build(clinic):
            brochure.build(Path({str(KRATOM / "en.yaml")!r}), layouts="clinic",
                           out_dir=None, clinic=Path(clinic))
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        before = build({str(plain)!r})
        after = build({str(clinic_with(tmp_path, "logo.png"))!r})
        print(json.dumps([before, after]))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    before, after = json.loads(out.splitlines()[-1])
    added_mb = (after - before) / 1024  # ru_maxrss is in KiB on Linux
    print(f"peak memory: {before / 1024:.0f} MB without the logo, {after / 1024:.0f} MB "
          "with it")
    assert added_mb < bound_mb, f"the logo added {added_mb:.0f} MB of peak memory"


def test_small_logo_is_embedded_as_it_is(tmp_path: Path) -> None:
    Image.new("RGB", (120, 40), (10, 60, 100)).save(tmp_path / "logo.png")
    prepared = images.prepare(tmp_path / "logo.png")
    assert (prepared.width, prepared.height, prepared.data) == (120, 40, None)


def test_counselor_page_refuses_a_damaged_logo_at_start(tmp_path: Path) -> None:
    from brochure.web.catalogue import load_catalogue

    Image.effect_noise((300, 200), 60).convert("RGB").save(tmp_path / "logo.png")
    whole = (tmp_path / "logo.png").read_bytes()
    (tmp_path / "logo.png").write_bytes(whole[: len(whole) // 2])
    clinic = clinic_with(tmp_path, "logo.png")
    with pytest.raises(ContentError) as err:
        load_catalogue(clinic_files=[clinic])
    assert str(err.value).startswith(f"{clinic}:2:7: logo: 'logo.png' cannot be read as a "
                                     "PNG image")
