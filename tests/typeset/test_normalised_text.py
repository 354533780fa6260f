"""What is drawn, what the structure tree says and what the glyph check looked at are the
same normalised text; hostile layouts still give a well-formed outline."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

import brochure
from brochure import api
from brochure.errors import ContentError
from brochure.source.clinics import load_clinic
from brochure.source.content import load_content
from brochure.source.layouts import load_layout
from brochure.typeset.glyphs import _strings as strings
from tests.conftest import KRATOM, reader, write
from tests.typeset.test_tagging import tree_of

DECOMPOSED_ALEF_HAMZA = "\u0627\u0654"  # NFC: U+0623 ARABIC LETTER ALEF WITH HAMZA ABOVE


def arabic_topic(tmp_path: Path, title: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(KRATOM.parent / "locales", root / "locales")
    (root / "kratom").mkdir()
    for lang in ("en", "ar"):
        shutil.copy(KRATOM / f"{lang}.yaml", root / "kratom" / f"{lang}.yaml")
    ar = root / "kratom" / "ar.yaml"
    text = ar.read_text("utf-8")
    old = text.split("\n", 8)[7]
    assert old.startswith("title: ")
    ar.write_text(text.replace(old, f'title: "{title}"', 1), "utf-8")
    return ar


def test_structure_tree_and_text_layer_carry_the_same_normalised_text(
        tmp_path: Path) -> None:
    kratom = "\u0627\u0644\u0643\u0631\u0627\u062a\u0648\u0645"
    title = DECOMPOSED_ALEF_HAMZA + "\u0644\u0645\u200b" + kratom
    ar = arabic_topic(tmp_path, title)
    [result] = brochure.build(ar, layouts="general", out_dir=None, strict=False)
    [h1] = [e for _, role, e in tree_of(result.pdf) if role == "/H1"]
    expected = unicodedata.normalize("NFC", title).replace("\u200b", "")
    assert h1["/ActualText"] == expected
    assert expected == load_content(ar).title.plain.replace("\u200b", "")
    drawn = unicodedata.normalize("NFKC", reader(result.pdf).pages[0].extract_text())
    assert "\u0623\u0644\u0645" in drawn and "\u200b" not in drawn
    assert DECOMPOSED_ALEF_HAMZA not in drawn


def test_glyph_check_walks_the_normalised_text(topic_copy: Path) -> None:
    text = topic_copy.read_text("utf-8").replace("Kratom can slow", "Cafe\u0301: kratom can "
                                                 "slow", 1)
    topic_copy.write_text(text, "utf-8")
    content = load_content(topic_copy)
    walked = [text for tree in content.trees for _, text, _ in strings(tree)]
    assert any("Caf\u00e9:" in text for text in walked)
    assert all(unicodedata.is_normalized("NFC", text) for text in walked)


def test_layout_without_a_title_still_has_a_well_formed_outline(tmp_path: Path) -> None:
    layout = write(tmp_path, "untitled.yaml", """
        base: clinic
        order: [intro, benefits, side_effects, safety, end, sources, disclaimer]
    """)
    [result] = brochure.build(KRATOM / "en.yaml", layouts=str(layout), out_dir=None)
    outline = reader(result.pdf).outline
    assert outline and not isinstance(outline[0], list)  # starts at the top level


def test_logo_damaged_after_the_profile_was_read_is_a_content_error(tmp_path: Path) -> None:
    Image.new("RGB", (900, 300), (10, 60, 100)).save(tmp_path / "logo.png")
    clinic = load_clinic(write(tmp_path, "clinic.yaml", "name: C\nlogo: logo.png\n"))
    # as under a server that keeps running: the file changes after the profile was read
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(ContentError) as err:
        api.render_loaded(load_content(KRATOM / "en.yaml"), load_layout("clinic"), clinic)
    assert str(err.value).startswith(
        f"{tmp_path / 'clinic.yaml'}: logo: '{tmp_path / 'logo.png'}' cannot be read")
