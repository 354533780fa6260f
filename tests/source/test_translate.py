"""Translators' workflow: PO and XLIFF out and in, read back by the real tools."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from translate.storage import factory

import brochure
from brochure import api
from brochure.source import catalog, exchange, workflow
from brochure.source.yamlsource import load_yaml
from tests.conftest import KRATOM, pdf_text
from tests.source.test_content import line_of, replace

LANGS = ("es", "vi", "th", "ar")


def topic_with(tmp_path: Path, *langs: str) -> Path:
    """A copy of the kratom topic (English and *langs*) with its locales beside it; the
    translated locales stamped, as the migration ('brochure stamp') leaves them."""
    root = tmp_path / "content"
    for sub in ("kratom", "locales"):
        (root / sub).mkdir(parents=True)
    for name in ("en", *langs):
        shutil.copy(KRATOM / f"{name}.yaml", root / "kratom")
        shutil.copy(KRATOM.parent / "locales" / f"{name}.yaml", root / "locales")
    for name in langs:
        api.stamp(root / "locales" / f"{name}.yaml")
    return root / "kratom"


def export(topic: Path, lang: str, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{lang}.{'xlf' if fmt == 'xliff' else 'po'}"
    return api.translate_export(topic, lang, out, fmt)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.yaml"))}


def units_of(topic: Path) -> list[catalog.Unit]:
    content, _ = catalog.content_units(load_yaml(topic / "en.yaml"))
    return content + catalog.locale_units(load_yaml(topic.parent / "locales" / "en.yaml"))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
@pytest.mark.parametrize("lang", LANGS)
def test_gettext_accepts_every_exported_po(lang: str, tmp_path: Path) -> None:
    po = api.translate_export(KRATOM, lang, tmp_path / f"{lang}.po")
    run = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
def test_gettext_catches_a_placeholder_dropped_from_the_po(tmp_path: Path) -> None:
    """The placeholders are flagged as format strings, so msgfmt checks them too."""
    po_path = api.translate_export(KRATOM, "es", tmp_path / "es.po")
    po = polib.pofile(str(po_path))
    entry = po.find("locale:labels.page_of", by="msgctxt")
    entry.msgstr = "Página {page}"
    entry.flags = [f for f in entry.flags if f != "fuzzy"]  # msgfmt skips fuzzy entries
    po.save()
    run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "pages" in run.stderr


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_translate_toolkit_reads_every_unit_with_its_translation(fmt: str, tmp_path: Path
                                                                 ) -> None:
    topic = topic_with(tmp_path, "es")
    store = factory.getobject(str(export(topic, "es", fmt, tmp_path)))
    units = [u for u in store.units if not u.isheader()]
    expected = units_of(topic)
    assert [u.source for u in units] == [u.source for u in expected]
    es = workflow._sides(topic, "es")
    targets = [s.text(u) for s in es for u in s.units]
    assert [u.target for u in units] == targets
    assert not any(u.isfuzzy() for u in units)


def test_xliff_is_version_1_2(tmp_path: Path) -> None:
    from lxml import etree

    root = etree.parse(str(export(topic_with(tmp_path, "es"), "es", "xliff", tmp_path)))
    assert root.getroot().get("version") == "1.2"
    assert root.getroot().nsmap[None] == exchange.XLIFF_NAMESPACE
    files = [f.get("original") for f in root.getroot()]
    assert files == ["kratom/en.yaml", "locales/en.yaml"]


def test_each_unit_says_what_the_field_is_for(tmp_path: Path) -> None:
    po = polib.pofile(str(export(topic_with(tmp_path, "es"), "es", "po", tmp_path)))
    cell = po.find("benefits.rows[0].benefit.plain", by="msgctxt")
    assert "table cell: keep it short" in cell.comment
    assert cell.occurrences == [("kratom/en.yaml", str(line_of(KRATOM / "en.yaml",
                                                                'plain: Pain relief')))]
    phone = po.find("safety.help_lines[1].phone", by="msgctxt")
    assert "phone number: do not change it" in phone.comment
    label = po.find("locale:labels.page_of", by="msgctxt")
    assert "{page}" in label.comment and "python-brace-format" in label.flags


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_a_changed_english_string_comes_out_fuzzy(fmt: str, tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    replace(topic / "en.yaml", "hepatitis and liver failure reported",
            "hepatitis and acute liver failure reported")
    store = factory.getobject(str(export(topic, "es", fmt, tmp_path)))
    fuzzy = [u.getcontext() if fmt == "po" else u.getid().split("\x04")[1]
             for u in store.units if not u.isheader() and u.isfuzzy()]
    assert fuzzy == ["side_effects.serious[0].description.clinical"]
    if fmt == "xliff":
        [unit] = [u for u in store.units if u.isfuzzy()]
        assert 'state="needs-review-translation"' in str(unit)


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_export_then_import_without_changes_touches_no_file(fmt: str, tmp_path: Path
                                                            ) -> None:
    topic = topic_with(tmp_path, "es")
    replace(topic / "en.yaml", "hepatitis and liver failure reported",
            "hepatitis and acute liver failure reported")  # one fuzzy unit stays fuzzy
    before = snapshot(topic.parent)
    report = api.translate_import(export(topic, "es", fmt, tmp_path), topic)
    assert snapshot(topic.parent) == before
    assert report.written == [] and report.count("still fuzzy") == 1


def test_three_strings_edited_in_a_po_editor_print_in_the_next_build(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    po_path = export(topic, "es", "po", tmp_path)
    po = polib.pofile(str(po_path))
    edits = {"title": "Kratom: beneficios posibles, efectos secundarios y seguridad",
             "benefits.rows[0].benefit.plain": "Menos dolor",
             "locale:labels.key_points": "Lo más importante"}
    for context, text in edits.items():
        po.find(context, by="msgctxt").msgstr = text
    po.save()
    report = api.translate_import(po_path, topic)
    assert sorted(u for k, _, u, _ in report.lines if k == "changed") == sorted(edits)
    [result] = brochure.build(topic / "es.yaml", layouts="general", out_dir=None)
    text = pdf_text(result.pdf)
    for phrase in edits.values():
        assert phrase in text
    assert not any("stale" in w for w in result.warnings)


def test_an_import_changes_only_the_lines_of_the_strings_it_changed(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    before = (topic / "es.yaml").read_text("utf-8").splitlines()
    po_path = export(topic, "es", "po", tmp_path)
    po = polib.pofile(str(po_path))
    po.find("title", by="msgctxt").msgstr = "Kratom: lo que hay que saber"
    po.save()
    api.translate_import(po_path, topic)
    after = (topic / "es.yaml").read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [(line, 'title: "Kratom: lo que hay que saber"') for line in before
                       if line.startswith("title:")]


@pytest.mark.parametrize("context, text, why", [
    ("locale:labels.page_of", "Página {page}", "the placeholders differ from the source's "
     "(source: {page} {pages}; translation: {page}); keep them exactly as written"),
    ("safety.help_lines[1].phone", "1-800-222-1223", "the phone numbers differ from the "
     "source's (source: 1-800-222-1222; translation: 1-800-222-1223)"),
    ("key_points[1].plain", "Llame al 112 si alguien no respira.", "the numbers differ from the "
     "source's (source: 911; translation: 112)"),
])
def test_import_refuses_units_whose_placeholders_or_numbers_differ(
        context: str, text: str, why: str, tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    before = snapshot(topic.parent)
    po_path = export(topic, "es", "po", tmp_path)
    po = polib.pofile(str(po_path))
    entry = po.find(context, by="msgctxt")
    entry.msgstr = text
    po.save()
    line = polib.pofile(str(po_path)).find(context, by="msgctxt").linenum
    report = api.translate_import(po_path, topic)
    assert report.messages() == [f"{po_path}:{line}: rejected {context}: {why}"]
    assert snapshot(topic.parent) == before


def test_an_empty_unit_never_erases_a_translation(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    before = snapshot(topic.parent)
    po_path = export(topic, "es", "po", tmp_path)
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = ""
    po.save()
    report = api.translate_import(po_path, topic)
    assert report.untranslated == len(units_of(topic))
    assert snapshot(topic.parent) == before


def test_a_unit_left_fuzzy_is_reported_with_its_line_and_not_taken_in(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    po_path = export(topic, "es", "po", tmp_path)
    po = polib.pofile(str(po_path))
    entry = po.find("title", by="msgctxt")
    entry.msgstr, entry.flags = "Kratom (borrador del traductor)", ["fuzzy"]
    po.save()
    line = polib.pofile(str(po_path)).find("title", by="msgctxt").linenum
    report = api.translate_import(po_path, topic)
    assert report.messages() == [f"{po_path}:{line}: still fuzzy title: not taken in"]
    assert "borrador del traductor" not in (topic / "es.yaml").read_text("utf-8")


def test_clearing_the_fuzzy_mark_confirms_a_translation_and_restamps_it(tmp_path: Path
                                                                        ) -> None:
    topic = topic_with(tmp_path, "es")
    replace(topic / "en.yaml", "hepatitis and liver failure reported",
            "hepatitis, and liver failure reported")
    po_path = export(topic, "es", "po", tmp_path)
    po = polib.pofile(str(po_path))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    report = api.translate_import(po_path, topic)
    assert report.count("confirmed") == 1
    [result] = brochure.build(topic / "es.yaml", layouts="general", out_dir=None)
    assert not any("stale" in w for w in result.warnings)


def test_a_new_language_starts_from_a_file_with_every_source_string(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    po_path = api.translate_export(topic, "es-MX", tmp_path / "es-MX.po", new=True)
    po = polib.pofile(str(po_path))
    assert len(po) == len(units_of(topic)) and not any(e.msgstr for e in po)
    # The translator's work, here borrowed from the Spanish edition, comes back in.
    spanish = {e.msgctxt: e.msgstr for e in polib.pofile(str(export(topic, "es", "po",
                                                                     tmp_path)))}
    for entry in po:
        entry.msgstr = spanish[entry.msgctxt]
    po.save()
    report = api.translate_import(po_path, topic, day=dt.date(2026, 12, 1))
    assert report.count("added") == len(po) and report.rejected == 0
    assert (topic / "es-MX.yaml").is_file() and (topic.parent / "locales" / "es-MX.yaml").is_file()
    [result] = brochure.build(topic / "es-MX.yaml", layouts="general", out_dir=None)
    assert "Puntos clave" in pdf_text(result.pdf)
    assert "BORRADOR — sin revisar" in pdf_text(result.pdf)  # a new translation is a draft
    again = polib.pofile(str(api.translate_export(topic, "es-MX", tmp_path / "es-MX-2.po")))
    assert all(e.msgstr and "fuzzy" not in e.flags for e in again)


def test_status_counts_translated_fuzzy_and_missing(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    replace(topic / "en.yaml", "hepatitis and liver failure reported",
            "hepatitis and acute liver failure reported")
    [count] = workflow.status(topic)
    total = len(units_of(topic))
    assert (count.language, count.units, count.translated, count.fuzzy, count.missing) == (
        "es", total, total - 1, 1, 0)
    table = api.translate_status(topic)
    assert table.splitlines()[1].split()[:4] == ["kratom", "es", str(total), str(total - 1)]


# -- round trips of generated text ------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
               min_size=1, max_size=80).filter(lambda s: s.strip() == s and s)


def _unit(text: str) -> catalog.Unit:
    return catalog.Unit("title", "title", text, 7, "the handout's title", 3000)


HEADER = exchange.Header("kratom", "es", "en", "kratom/en.yaml", "locales/en.yaml",
                         dt.date(2026, 1, 1), dt.date(2026, 1, 2))


@given(source=TEXT, target=TEXT, fuzzy=st.booleans())
@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_any_text_comes_back_from_po_and_xliff_as_it_went(
        fmt: str, source: str, target: str, fuzzy: bool, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("rt")
    path = folder / ("x.xlf" if fmt == "xliff" else "x.po")
    path.write_bytes(exchange.write(fmt, HEADER, [exchange.Entry(_unit(source), target,
                                                                 fuzzy)]))
    header, [unit] = exchange.read(path)
    assert (unit.id, unit.source, unit.target, unit.fuzzy) == ("title", source, target, fuzzy)
    assert header["language"] == "es"


@given(text=TEXT)
def test_any_text_imported_into_yaml_reads_back_the_same(text: str, tmp_path_factory) -> None:
    from brochure.source import yamledit

    folder = tmp_path_factory.mktemp("yaml")
    path = folder / "es.yaml"
    path.write_text('# a comment that stays\nbenefits:\n  rows:\n    - benefit:\n'
                    '        plain: "Alivio del dolor"\n        clinical: Analgesia\n', "utf-8")
    doc = yamledit.Document.load(path)
    doc.set("benefits.rows[0].benefit.plain", text)
    doc.save()
    tree = load_yaml(path)
    node = tree.value["benefits"].value["rows"].value[0].value["benefit"].value["plain"]
    assert str(node.value) == text
    assert path.read_text("utf-8").startswith("# a comment that stays\n")


def test_a_target_edited_in_xliff_prints_in_the_next_build(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    path = export(topic, "es", "xliff", tmp_path)
    store = factory.getobject(str(path))
    [unit] = [u for u in store.units if u.getid().endswith("\x04benefits.rows[1].benefit.plain")]
    unit.target = "Mejor humor y menos nervios"
    unit.set_state_n(unit.S_TRANSLATED)
    path.write_bytes(bytes(store))
    report = api.translate_import(path, topic)
    assert [(k, u) for k, _, u, _ in report.lines] == [("changed",
                                                        "benefits.rows[1].benefit.plain")]
    assert "Mejor humor y menos nervios" in pdf_text(build_es(topic))


def build_es(topic: Path) -> bytes:
    [result] = brochure.build(topic / "es.yaml", layouts="general", out_dir=None)
    return result.pdf
