"""The counselor page (`brochure.web`) through Flask's test client: every choice builds,
bad requests get a 4xx with a clear message, and personal data stays out of metadata,
disk, caches and logs."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web page needs the 'web' extra (flask)")

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from PIL import Image  # noqa: E402

from brochure import paths  # noqa: E402
from brochure.source import layouts  # noqa: E402
from brochure.source.topics import find_topics  # noqa: E402
from brochure.web import create_app  # noqa: E402
from brochure.web.app import host_name  # noqa: E402
from brochure.web.catalogue import clinic_slugs, layout_label  # noqa: E402
from brochure.web.editions import Editions  # noqa: E402
from brochure.web.server import is_loopback, url_of  # noqa: E402
from tests.conftest import EXAMPLE_CLINIC, KRATOM, pdf_text, reader  # noqa: E402

CONTENT = paths.builtin("content")
LANGUAGES = {"en": "English", "es": "Español", "vi": "Tiếng Việt", "th": "ไทย",
             "ar": "العربية"}


_PAGE: dict[str, str] = {}  # the page visit's client id and token, as the page holds them


def visit(app: Flask) -> dict[str, str]:
    """The hidden fields a page visit of *app* posts back (its client id and token)."""
    client, token = app.extensions["brochure-guard"].new_client()
    return {"client": client, "token": token}


@pytest.fixture(scope="module")
def app() -> Flask:
    app = create_app(CONTENT, [EXAMPLE_CLINIC], trusted_hosts=["localhost", "127.0.0.1"])
    _PAGE.update(visit(app))
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def form(**fields: str) -> dict[str, str]:
    """A form as the page sends it: the page's defaults, then *fields*."""
    return {**_PAGE, "topic": "kratom", "lang": "en", "layout": "general",
            "clinic": "example", "paper": "", "name": "", "note": "", **fields}


# -- the page ---------------------------------------------------------------------------

class _Fields(HTMLParser):
    """Every form control's id, name and type, every label's ``for``, and every element
    with a ``lang`` attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.langs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **a})
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        if "lang" in a:
            self.langs.append({"tag": tag, **a})


def _form_values(html: str) -> dict[str, str]:
    """What the page's form holds: text fields' values, the note, checked radios and
    boxes (as a browser would post them)."""
    parsed = _Fields()
    parsed.feed(html)
    values: dict[str, str] = {}
    for c in parsed.controls:
        name = str(c.get("name"))
        if c.get("type") in ("radio", "checkbox"):
            if "checked" in c:
                values[name] = str(c.get("value"))
        elif c["tag"] == "input":
            values[name] = str(c.get("value") or "")
    note = re.search(r'<textarea id="note"[^>]*>(.*?)</textarea>', html, re.S)
    values["note"] = unescape(note.group(1)) if note else ""
    return values


def _problems_beside(html: str) -> dict[str, str]:
    """The problems shown beside each field (the shown ones only)."""
    found = {}
    for m in re.finditer(r'<p class="field-problem" id="([a-z]+)-problem"[^>]*?(hidden)?>'
                         r'(.*?)</p>', html, re.S):
        if not m.group(2):
            found[m.group(1)] = unescape(re.sub(r"<[^>]+>", "", m.group(3))).strip()
    return found


def test_page_offers_every_choice_with_a_label(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    parsed = _Fields()
    parsed.feed(html)
    unlabelled = [c for c in parsed.controls
                  if c.get("id") not in parsed.label_for and c.get("type") != "hidden"]
    assert unlabelled == []
    names = {c["name"] for c in parsed.controls}
    assert names == {"topic", "lang", "also", "layout", "clinic", "paper", "name", "note",
                     "grayscale", "qr", "ui", "client", "token"}
    langs = [c["value"] for c in parsed.controls if c.get("name") == "lang"]
    assert sorted(langs) == sorted(LANGUAGES)
    for code, own_name in LANGUAGES.items():  # each language in its own name and script
        direction = "rtl" if code == "ar" else "ltr"
        assert f'<span lang="{code}" dir="{direction}">{own_name}</span>' in html
    offered = [c["value"] for c in parsed.controls if c.get("name") == "layout"]
    assert offered == list(layouts.available())
    assert "Riverside Community Health Center" in html
    assert 'maxlength="500"' in html and 'maxlength="100"' in html
    name_field = next(c for c in parsed.controls if c.get("name") == "name")
    assert name_field["autocomplete"] == "off"
    # the preview area follows the handout's language and direction
    assert any(e.get("id") == "pages" and e["lang"] == "en" and e["dir"] == "ltr"
               for e in parsed.langs)


def test_page_presets_from_the_address_and_follows_arabic_direction(
        client: FlaskClient) -> None:
    html = client.get("/?lang=ar&layout=clinic").get_data(as_text=True)
    assert re.search(r'id="pages"[^>]*lang="ar" dir="rtl"', html)
    assert re.search(r'id="lang-ar"[^>]*\s+checked', html)
    assert re.search(r'id="layout-clinic"[^>]*\s+checked', html)


def test_default_layout_prefers_large_print() -> None:
    from brochure.web.catalogue import load_catalogue

    catalogue = load_catalogue(CONTENT)
    expected = "large-print" if "large-print" in layouts.available() else "general"
    assert catalogue.default_layout == expected
    assert [layout_label(n) for n in ("general", "large-print", "tri-fold")] == [
        "General", "Large print", "Tri-fold"]
    assert clinic_slugs([Path("a/Example.yaml"), Path("b/example.yaml"), Path("c/x y.yml")]) \
        == ["example", "example-2", "x-y"]


def test_handout_fonts_are_served_for_the_languages_only(client: FlaskClient) -> None:
    css = client.get("/fonts.css")
    assert css.mimetype == "text/css"
    assert '[lang="th"] { font-family: "handout-th"' in css.get_data(as_text=True)
    thai = client.get("/fonts/th.ttf")
    assert thai.status_code == 200 and thai.mimetype == "font/ttf"
    assert thai.data[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    for bad in ("de", "..%2Fth", "%2Fetc%2Fpasswd"):
        assert client.get(f"/fonts/{bad}.ttf").status_code == 404


def test_content_folder_with_two_topics(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(KRATOM, content / "kratom")
    (content / "short").mkdir()
    shutil.copy(KRATOM / "en.yaml", content / "short" / "en.yaml")
    app = create_app(content)
    client, page = app.test_client(), visit(app)
    html = client.get("/?topic=short").get_data(as_text=True)
    assert 'value="short" data-languages="en"' in html
    assert re.search(r'id="lang-es"[^>]*\s+disabled', html)  # short has no Spanish
    response = client.post("/preview", data={**page, "topic": "short", "lang": "es"})
    assert response.status_code == 400
    assert response.get_json()["fields"] == {
        "lang": ["Unknown choice 'es'; choose one of: en."]}
    assert client.post("/pdf", data={**page, "topic": "short", "lang": "en"}).status_code \
        == 200


# -- every choice builds ------------------------------------------------------------------

@pytest.mark.parametrize("layout", list(layouts.available()))
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_language_and_layout_builds(client: FlaskClient, lang: str,
                                          layout: str) -> None:
    response = client.post("/pdf", data=form(lang=lang, layout=layout, **{"as": "download"}))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="kratom-{lang}-{layout}-example.pdf"')
    assert response.headers["Cache-Control"] == "no-store"
    pdf = reader(response.data)
    assert pdf.trailer["/Root"]["/Lang"] == lang
    assert len(pdf.pages) >= 1


@pytest.mark.parametrize(("clinic", "paper", "height"), [
    ("none", "", 792), ("example", "a4", 842), ("none", "letter", 792)])
def test_clinic_and_paper_choices_build(client: FlaskClient, clinic: str, paper: str,
                                        height: int) -> None:
    response = client.post("/pdf", data=form(layout="clinic", clinic=clinic, paper=paper))
    assert response.status_code == 200
    pdf = reader(response.data)
    assert round(float(pdf.pages[0].mediabox.height)) == height
    assert ("Riverside Community Health Center" in pdf_text(response.data)) == (
        clinic == "example")


def test_print_opens_inline(client: FlaskClient) -> None:
    response = client.post("/pdf", data=form(lang="es", **{"as": "print"}))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'inline; filename="kratom-es-general-example.pdf"')


def test_preview_has_a_picture_of_every_page(client: FlaskClient) -> None:
    response = client.post("/preview", data=form(lang="ar", layout="clinic"))
    assert response.status_code == 200
    data = response.get_json()
    assert {k: data[k] for k in ("topic", "language", "direction", "layout", "personalised")} \
        == {"topic": "kratom", "language": "ar", "direction": "rtl", "layout": "clinic",
            "personalised": False}
    assert data["title"].startswith("الكراتوم")
    pdf = client.post("/pdf", data=form(lang="ar", layout="clinic")).data
    assert len(data["images"]) == data["pages"] == len(reader(pdf).pages)
    prefix = "data:image/jpeg;base64,"
    assert all(src.startswith(prefix) for src in data["images"])
    image = Image.open(io.BytesIO(base64.b64decode(data["images"][0][len(prefix):])))
    assert image.size == (816, 1056)  # Letter at 96 dpi
    assert image.convert("L").getextrema()[0] < 64  # there is dark text on the page


# -- bad requests -------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"topic": "aspirin"}, "topic", "Unknown choice 'aspirin'; choose one of: "
     + ", ".join(find_topics([paths.builtin("content")])) + "."),
    ({"lang": "de"}, "lang", "Unknown choice 'de'; choose one of: en, ar, es, th, vi."),
    ({"layout": "poster"}, "layout", "Unknown choice 'poster'; choose one of: "
     + ", ".join(layouts.available()) + "."),
    ({"clinic": "other"}, "clinic", "Unknown choice 'other'; choose one of: none, example."),
    ({"paper": "a3"}, "paper", "Unknown choice 'a3'; choose one of: default, letter, a4."),
    ({"note": "x" * 501}, "note", "501 characters: at most 500 fit."),
    ({"name": "A" * 101}, "name", "101 characters: at most 100 fit."),
])
def test_a_bad_choice_is_named_beside_its_field(client: FlaskClient, fields: dict[str, str],
                                                field: str, message: str) -> None:
    preview = client.post("/preview", data=form(**fields))
    assert preview.status_code == 400
    assert preview.get_json() == {"error": message, "problems": [message],
                                  "fields": {field: [message]}}


@pytest.mark.parametrize("action", ["download", "print", "preview"])
def test_without_javascript_an_error_brings_the_form_back_as_typed(
        client: FlaskClient, action: str) -> None:
    page = client.post("/pdf", data=form(name="Ana Pérez", note="n" * 501, lang="es",
                                         layout="clinic", grayscale="on",
                                         **{"as": action}))
    assert page.status_code == 400 and page.mimetype == "text/html"
    fields = _form_values(page.get_data(as_text=True))
    assert fields["name"] == "Ana Pérez" and fields["note"] == "n" * 501
    assert (fields["lang"], fields["layout"], fields["grayscale"]) == ("es", "clinic", "on")
    assert _problems_beside(page.get_data(as_text=True)) == {
        "note": "501 characters: at most 500 fit."}


def test_every_problem_of_a_request_at_once(client: FlaskClient) -> None:
    response = client.post("/preview", data=form(lang="xx", note="n" * 600))
    assert response.get_json()["fields"] == {
        "lang": ["Unknown choice 'xx'; choose one of: en, ar, es, th, vi."],
        "note": ["600 characters: at most 500 fit."]}


def test_markup_in_a_choice_is_escaped_on_the_page(client: FlaskClient) -> None:
    attack = "<img src=x onerror=alert(1)>"
    html = client.post("/pdf", data=form(topic=attack)).get_data(as_text=True)
    assert attack not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert client.get("/?lang=" + attack).status_code == 400


def test_a_name_no_font_can_print_is_named_beside_the_name(client: FlaskClient) -> None:
    # A Vietnamese name on an English handout is set in a shipped font that has its
    # letters; a name no shipped font can draw is refused, beside the name field.
    assert client.post("/preview", data=form(lang="en", name="Nguyễn")).status_code == 200
    response = client.post("/preview", data=form(lang="en", name="王小明"))
    assert response.status_code == 400
    assert response.get_json()["fields"]["name"] == [
        "The handout's fonts cannot print '王' (U+738B), '小' (U+5C0F), '明' (U+660E): "
        "leave them out or write them another way."]  # the letters, not the name
    page = client.post("/pdf", data=form(lang="en", name="王小明", note="Call us"))
    assert page.status_code == 400
    assert _form_values(page.get_data(as_text=True))["name"] == "王小明"  # typing kept
    assert set(_problems_beside(page.get_data(as_text=True))) == {"name"}


class _FileAccess:
    """Every path opened or stat'ed while recording (an audit hook sees opens; os.stat,
    which pathlib's exists() and is_file() use, is wrapped by the fixture)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.writes: list[str] = []
        self.on = False

    def hook(self, event: str, args: tuple) -> None:
        if not self.on or event != "open" or not args:
            return
        path, mode, flags = (list(args) + [None, None])[:3]
        self.paths.append(str(path))
        writing = (isinstance(mode, str) and any(m in mode for m in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writing:
            self.writes.append(str(path))

    @contextlib.contextmanager
    def recording(self) -> Iterator[_FileAccess]:
        self.paths.clear()
        self.writes.clear()
        self.on = True
        try:
            yield self
        finally:
            self.on = False


_ACCESS = _FileAccess()
sys.addaudithook(_ACCESS.hook)  # cannot be removed; records only while asked to


@pytest.fixture
def file_access(monkeypatch: pytest.MonkeyPatch) -> _FileAccess:
    real_stat = os.stat

    def stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _ACCESS.on and not isinstance(path, int):
            _ACCESS.paths.append(os.fsdecode(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    return _ACCESS


@pytest.mark.parametrize("field", ["topic", "lang", "layout", "clinic", "paper"])
def test_a_path_in_any_field_never_reaches_the_filesystem(client: FlaskClient,
                                                          tmp_path: Path, field: str,
                                                          file_access: _FileAccess) -> None:
    # A real, valid topic and layout lie at the paths sent, so using them would work.
    planted = tmp_path / "planted"
    shutil.copytree(KRATOM, planted)
    shutil.copy(paths.builtin("layouts") / "general.yaml", tmp_path / "planted.yaml")
    values = {"topic": str(planted), "lang": "../planted/en", "layout": str(
        tmp_path / "planted.yaml"), "clinic": str(EXAMPLE_CLINIC), "paper": "..\\planted"}
    with file_access.recording():
        for endpoint in ("/preview", "/pdf"):
            response = client.post(endpoint, data=form(**{field: values[field]}))
            assert response.status_code == 400
            assert "A path is not accepted here" in response.get_data(as_text=True)
    touched = [p for p in file_access.paths if "planted" in p or p == str(EXAMPLE_CLINIC)]
    assert touched == []
    with file_access.recording():  # a good request, to show that the recording works
        client.post("/pdf", data=form())
    assert str(KRATOM / "en.yaml") in file_access.paths


def test_other_http_errors(app: Flask, client: FlaskClient) -> None:
    assert client.get("/pdf").status_code == 405
    too_big = client.post("/preview", data=form(note="x" * 20_000))
    assert too_big.status_code == 413
    assert "at most 500 characters" in too_big.get_json()["error"]
    assert client.get("/nowhere").status_code == 404
    # a request naming another host (DNS rebinding) is refused
    refused = client.get("/", headers={"Host": "attacker.example:8000"})
    assert refused.status_code == 400
    assert "answers only at its own address" in refused.get_data(as_text=True)
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert [host_name(h) for h in ("[::1]:8000", "localhost", "127.0.0.1:80", "::1")] == [
        "::1", "localhost", "127.0.0.1", "::1"]


# -- personal data ------------------------------------------------------------------------

NAME = 'Ana <b>Pérez</b> & "family"'
NOTE = "Llámenos antes de su próxima visita."


def test_personalised_pdf_has_the_name_in_its_text_not_its_metadata(
        client: FlaskClient) -> None:
    response = client.post("/pdf", data=form(lang="es", name=NAME, note=NOTE))
    assert response.status_code == 200
    assert f"Preparado para {NAME}" in pdf_text(response.data)  # markup printed literally
    assert NOTE in pdf_text(response.data)
    pdf = reader(response.data)
    catalog = pdf.trailer["/Root"]
    metadata = str(dict(pdf.metadata or {}))
    metadata += catalog["/Metadata"].get_object().get_data().decode("utf-8")
    outline = " ".join(str(item.title) for item in pdf.outline if hasattr(item, "title"))
    for secret in ("Pérez", "Ana", "Llámenos"):
        assert secret not in metadata
        assert secret not in outline
    assert "Pérez" not in response.headers["Content-Disposition"]


def test_preview_does_not_echo_personal_data(client: FlaskClient) -> None:
    response = client.post("/preview", data=form(lang="es", name=NAME, note=NOTE))
    assert response.status_code == 200
    assert response.get_json()["personalised"] is True
    body = response.get_data(as_text=True)
    assert "Pérez" not in body and "P\\u00e9rez" not in body and "Llámenos" not in body


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")}


def test_nothing_is_written_during_a_personalised_request(
        app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        file_access: _FileAccess) -> None:
    client.post("/preview", data=form(lang="es"))  # warm: fonts and caches of the library
    temp, work = tmp_path / "temp", tmp_path / "work"
    temp.mkdir()
    work.mkdir()
    (work / "keep.txt").write_text("already here\n", "utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.chdir(work)
    before = {"temp": _snapshot(temp), "work": _snapshot(work)}
    with file_access.recording():
        preview = client.post("/preview", data=form(lang="es", name=NAME, note=NOTE))
        pdf = client.post("/pdf", data=form(lang="es", name=NAME, note=NOTE))
    assert preview.status_code == pdf.status_code == 200
    assert {"temp": _snapshot(temp), "work": _snapshot(work)} == before
    assert file_access.writes == []  # nor anywhere else


def test_personalised_editions_are_not_cached(app: Flask, client: FlaskClient) -> None:
    editions: Editions = app.extensions["brochure"]
    client.post("/pdf", data=form(lang="vi", layout="clinic"))
    cached = dict(editions._cache)
    assert any(key[0][:3] == ("kratom", "vi", "clinic") for key in cached)
    client.post("/preview", data=form(lang="vi", layout="clinic", name="Zyxwa Quoc"))
    client.post("/pdf", data=form(lang="vi", layout="clinic", name="Zyxwa Quoc"))
    assert dict(editions._cache).keys() == cached.keys()
    assert all("Zyxwa" not in pdf_text(built.pdf) for built in editions._cache.values())


def test_unpersonalised_editions_come_from_the_cache(app: Flask, client: FlaskClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    first = client.post("/pdf", data=form(lang="es", layout="clinic")).data

    def no_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("built again")

    monkeypatch.setattr("brochure.web.editions.build_unchecked", no_build)
    assert client.post("/pdf", data=form(lang="es", layout="clinic")).data == first


def test_an_unexpected_error_logs_no_personal_data(app: Flask, client: FlaskClient,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    def failing(job, *args):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot lay out 'Prepared for {job.name}'")

    monkeypatch.setattr("brochure.web.editions.build_unchecked", failing)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/pdf", data=form(name="Ana Pérez"))
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert _form_values(html)["name"] == "Ana Pérez"  # the form comes back as typed,
    assert html.count("Ana") == 1  # and the message does not quote the name
    assert "Something went wrong" in _problems_beside(html)["form"]
    assert "RuntimeError while handling POST /pdf" in caplog.text
    assert "Ana" not in caplog.text


# -- serving ------------------------------------------------------------------------------

def test_loopback_and_urls() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert url_of("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert url_of("::1", 8080) == "http://[::1]:8080/"


def test_serve_command_wiring(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from brochure.cli import main

    calls = []
    monkeypatch.setattr("brochure.web.serve", lambda **kw: calls.append(kw))
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--content", str(CONTENT),
                                       "--clinic", str(EXAMPLE_CLINIC), str(EXAMPLE_CLINIC)])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert (call["host"], call["port"], call["content_dir"]) == ("127.0.0.1", 0, CONTENT)
    assert list(call["clinic_files"]) == [EXAMPLE_CLINIC, EXAMPLE_CLINIC]
    monkeypatch.undo()  # the real serve: an invalid clinic file stops it before it listens
    bad = CliRunner().invoke(main, ["serve", "--clinic", str(KRATOM / "en.yaml")])
    assert bad.exit_code == 1
    assert "error:" in bad.stderr


def test_cli_does_not_import_the_web_stack() -> None:
    code = "import sys, brochure.cli; print(sorted({'flask', 'waitress'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
