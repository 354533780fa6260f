"""A one-edition English build loads only the libraries that edition needs: no pypdf,
fontTools, bidi, PyThaiNLP, Babel or QR code module (HarfBuzz and Pillow are imported by
ReportLab itself). Not a timing: each library named here costs tens of milliseconds on
every start, so loading one by accident shows up here, not in a benchmark later."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import KRATOM

NOT_NEEDED = ("pypdf", "fontTools", "bidi", "pythainlp", "babel", "qrcode")
ROOT = Path(__file__).resolve().parent.parent


def modules_after_build(tmp_path: Path, *args: str) -> set[str]:
    code = ("import json, sys\nfrom brochure.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    env = {**os.environ, "BROCHURE_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", code, "build", *args, "-o", str(tmp_path / "out")]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)  # fills caches
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_an_english_build_loads_no_library_it_does_not_use(tmp_path: Path) -> None:
    loaded = modules_after_build(tmp_path, str(KRATOM), "--layout", "clinic",
                                 "--prepared-for", "Ana Pérez")
    assert "reportlab" in loaded  # the build ran in that process
    assert loaded.isdisjoint(NOT_NEEDED), sorted(loaded & set(NOT_NEEDED))


def test_a_thai_build_still_loads_what_thai_needs(tmp_path: Path) -> None:
    loaded = modules_after_build(tmp_path, str(KRATOM), "--lang", "th", "--layout",
                                 "general")
    assert {"pythainlp", "reportlab"} <= loaded
