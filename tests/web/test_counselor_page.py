"""The counselor page's second round, through Flask's test client and a real waitress
server: the page in the counselor's language, posts only from the page itself, the page
without JavaScript, superseded previews, the printing options and the review state, and
the server's limits (nothing buffered to disk, nothing logged)."""

from __future__ import annotations

import io
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web page needs the 'web' extra (flask)")
pytest.importorskip("babel", reason="the web page needs the 'web' extra (babel)")

from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from PIL import Image  # noqa: E402

from brochure import paths  # noqa: E402
from brochure.source import layouts  # noqa: E402
from brochure.web import create_app  # noqa: E402
from brochure.web.cancel import Generations, Superseded  # noqa: E402
from brochure.web.catalogue import LAYOUT_WORDS, layout_label  # noqa: E402
from brochure.web.choice import parse_choice  # noqa: E402
from brochure.web.i18n import TRANSLATIONS, catalogues  # noqa: E402
from brochure.web.server import make_server  # noqa: E402
from tests.conftest import EXAMPLE_CLINIC, pdf_text, reader  # noqa: E402
from tests.web.test_web import _ACCESS, _form_values, _problems_beside  # noqa: E402

CONTENT = paths.builtin("content")
WEB = Path(__file__).parents[2] / "brochure" / "web"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(CONTENT, [EXAMPLE_CLINIC])


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page_form(client: FlaskClient, **fields: str) -> dict[str, str]:
    """The form of a fresh page visit, as a browser would post it, then *fields*."""
    html = client.get("/").get_data(as_text=True)
    return {**_form_values(html), **fields}


# -- the page in the counselor's language ---------------------------------------------

def test_spanish_browser_gets_the_page_in_spanish(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
                      ).get_data(as_text=True)
    assert re.search(r'<html lang="es" dir="ltr">', html)
    assert ">Descargar PDF<" in html and ">Borrar para el siguiente paciente<" in html
    # the handout languages in their own names and, beside them, in Spanish
    assert '<span lang="th" dir="ltr">ไทย</span>' in html
    assert re.search(r'ไทย</span>\s*<span class="about">Tailandés</span>', html)
    assert "traducción hecha a máquina" in html  # the drafted catalogue says so


def test_arabic_switch_turns_the_page_right_to_left(client: FlaskClient) -> None:
    html = client.get("/?ui=ar", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert ">تنزيل PDF<" in html


def test_unknown_browser_language_falls_back_to_english(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"}).get_data(
        as_text=True)
    assert '<html lang="en" dir="ltr">' in html and ">Download PDF<" in html


def test_the_page_serves_a_font_for_every_page_language(client: FlaskClient) -> None:
    css = client.get("/fonts.css").get_data(as_text=True)
    for code in catalogues():
        assert f'[lang="{code}"] {{ font-family: "handout-{code}"' in css
        font = client.get(f"/fonts/{code}.ttf")
        assert font.status_code == 200 and font.data[:4] == b"\x00\x01\x00\x00"


def _page_messages() -> set[str | tuple[str, str]]:
    """Every message the page's templates and modules use, as Babel extracts them."""
    mapping = [("**.py", "python"), ("templates/**.html", "jinja2")]
    return {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), mapping, keywords={"_": None, "N_": None, "gettext": None,
                                     "ngettext": (1, 2)})}


@pytest.mark.parametrize("code", [c for c in catalogues() if c != "en"])
def test_every_word_of_the_page_is_translated(code: str) -> None:
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    missing = [m for m in _page_messages() if not translated.get(m)]
    assert missing == []
    for message_id, string in translated.items():  # the same placeholders, every form
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = string if isinstance(string, tuple) else (string,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        assert all(set(re.findall(r"%\(\w+\)s", s)) == wanted for s in strings), message_id


def test_built_in_layouts_are_named_in_the_catalogues_words() -> None:
    words = set(LAYOUT_WORDS)
    for name in layouts.available():
        assert layout_label(name) in words
        assert layouts.load_layout(name).description in words


# -- who may post -------------------------------------------------------------------------

def test_a_post_from_another_site_is_refused(client: FlaskClient) -> None:
    fields = page_form(client, name="Ana")
    other = client.post("/preview", data=fields, headers={"Origin": "https://evil.example"})
    assert other.status_code == 403
    assert "another site" in other.get_json()["fields"]["form"][0]
    same = client.post("/preview", data=fields, headers={"Origin": "http://localhost"})
    assert same.status_code == 200


def test_a_post_without_the_pages_token_is_refused_and_keeps_the_typing(
        client: FlaskClient) -> None:
    fields = page_form(client, name="Ana Pérez", note="Call us", token="forged")
    page = client.post("/pdf", data={**fields, "as": "download"})
    assert page.status_code == 403 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    kept = _form_values(html)
    assert (kept["name"], kept["note"]) == ("Ana Pérez", "Call us")
    assert "expired" in _problems_beside(html)["form"]
    again = client.post("/pdf", data={**kept, "as": "download"})  # its fresh token works
    assert again.status_code == 200 and again.mimetype == "application/pdf"


# -- without JavaScript -------------------------------------------------------------------

def test_without_javascript_show_preview_draws_the_pages_and_keeps_the_form(
        client: FlaskClient) -> None:
    fields = page_form(client, lang="es", name="Ana Pérez", note="Llámenos")
    html = client.post("/pdf", data={**fields, "as": "preview"}).get_data(as_text=True)
    pictures = re.findall(r'<img class="page" src="data:image/jpeg;base64,', html)
    assert pictures
    assert re.search(rf"Preview ready: {len(pictures)} pages, Español, .*with the personal",
                     html)
    kept = _form_values(html)
    assert (kept["name"], kept["note"], kept["lang"]) == ("Ana Pérez", "Llámenos", "es")


def test_the_forms_first_button_previews_so_enter_never_downloads(
        client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    first = re.search(r'<button type="submit" name="as" value="(\w+)"', html)
    assert first and first.group(1) == "preview"


def test_clear_for_next_patient_drops_the_name_and_keeps_the_choices(
        client: FlaskClient) -> None:
    fields = page_form(client, lang="vi", layout="clinic", name="Ana", note="Call")
    html = client.post("/pdf", data={**fields, "as": "clear"}).get_data(as_text=True)
    kept = _form_values(html)
    assert (kept["name"], kept["note"]) == ("", "")
    assert (kept["lang"], kept["layout"]) == ("vi", "clinic")
    assert "Ana" not in html


def test_switching_the_page_language_keeps_what_was_typed(client: FlaskClient) -> None:
    fields = page_form(client, name="Ana Pérez", note="Llámenos", ui="es")
    html = client.post("/pdf", data={**fields, "as": "ui"}).get_data(as_text=True)
    assert '<html lang="es"' in html
    kept = _form_values(html)
    assert (kept["name"], kept["note"]) == ("Ana Pérez", "Llámenos")


# -- review state and printing options --------------------------------------------------

def test_review_status_and_date_are_shown_in_the_pages_language(client: FlaskClient) -> None:
    fields = page_form(client, lang="es", ui="es")
    review = client.post("/preview", data=fields).get_json()["review"]
    assert review["draft"] is True
    assert review["status"].startswith("Borrador")
    assert review["date"] == "Información comprobada el 1 de diciembre de 2026"
    assert review["note"].startswith("Borrador de traducción")  # the edition's own words
    html = client.get("/").get_data(as_text=True)
    assert "Draft: not yet checked by a qualified reviewer." in html
    assert "Information checked on December 1, 2026" in html


def _colours(png: bytes) -> int:
    """How many pixels of a page picture are not grey."""
    from PIL import ImageChops

    r, g, b = Image.open(io.BytesIO(png)).convert("RGB").split()
    spread = ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b))
    return sum(spread.histogram()[9:])


def test_grayscale_option_prints_no_colour(client: FlaskClient) -> None:
    import pypdfium2 as pdfium

    fields = page_form(client, layout="general")
    pages = {}
    for gray in ("", "on"):
        pdf = client.post("/pdf", data={**fields, "grayscale": gray, "as": "download"}).data
        document = pdfium.PdfDocument(pdf)
        out = io.BytesIO()
        document[0].render(scale=0.5).to_pil().save(out, format="PNG")
        pages[gray] = out.getvalue()
    assert _colours(pages[""]) > 100  # the general layout has colour bands
    assert _colours(pages["on"]) == 0


def test_qr_option_links_to_the_clinics_website(client: FlaskClient) -> None:
    zxing = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes the QR code")
    import pypdfium2 as pdfium

    fields = page_form(client, layout="general", qr="on")
    pdf = client.post("/pdf", data={**fields, "as": "download"}).data
    document = pdfium.PdfDocument(pdf)
    found = set()
    for page in document:
        found |= {c.text for c in zxing.read_barcodes(page.render(scale=3).to_pil())}
    assert found == {"https://www.example.org/riverside"}
    no_site = client.post("/preview", data={**fields, "clinic": "none"})
    assert no_site.status_code == 400 and set(no_site.get_json()["fields"]) == {"qr"}
    page = client.post("/pdf", data={**fields, "clinic": "none", "lang": "vi",
                                     "as": "download"}).get_data(as_text=True)
    kept = _form_values(page)
    assert (kept["qr"], kept["lang"]) == ("on", "vi") and set(_problems_beside(page)) == {"qr"}


def test_a_second_language_makes_one_bilingual_pdf_named_for_both(
        client: FlaskClient) -> None:
    fields = page_form(client, layout="general", lang="es", also="en")
    response = client.post("/pdf", data={**fields, "as": "download"})
    assert response.status_code == 200
    assert "kratom-es+en-general" in response.headers["Content-Disposition"]
    text = " ".join(pdf_text(response.data).split())
    assert "Puntos clave" in text and "Key points" in text


@pytest.mark.parametrize(("fields", "why"), [
    ({"layout": "large-print", "lang": "es", "also": "en"}, "one language only"),
    ({"layout": "general", "lang": "es", "also": "es"}, "other than the first"),
    ({"layout": "general", "lang": "es", "also": "../en"}, "path"),
])
def test_a_second_language_the_layout_cannot_take_is_refused_beside_its_field(
        client: FlaskClient, fields: dict[str, str], why: str) -> None:
    preview = client.post("/preview", data=page_form(client, **fields))
    assert preview.status_code == 400
    problems = preview.get_json()["fields"]
    assert set(problems) == {"also"} and why in problems["also"][0]
    # without JavaScript: the page again, the choices kept, the problem beside the field
    page = client.post("/pdf", data={**page_form(client, **fields), "as": "download"}
                       ).get_data(as_text=True)
    assert set(_problems_beside(page)) == {"also"}
    assert _form_values(page)["lang"] == "es"


# -- superseded previews ------------------------------------------------------------------

def test_a_newer_preview_supersedes_an_older_one() -> None:
    generations = Generations()
    first = generations.begin("page-1", 1)
    first()  # still wanted
    generations.begin("page-2", 5)  # another page's numbers do not matter
    first()
    generations.begin("page-1", 2)
    with pytest.raises(Superseded):
        first()
    with pytest.raises(Superseded):  # an older request arriving late is dropped at once
        generations.begin("page-1", 1)


def test_a_superseded_preview_stops_drawing_its_pages(app: Flask,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import brochure.web.editions as editions

    fields = page_form(app.test_client(), layout="large-print", name="Ana")  # 9+ pages
    first_page, release = threading.Event(), threading.Event()
    older_pages: list[int] = []
    from brochure.web.pictures import PREVIEW_DPI

    real_pictures = editions.page_pictures

    def pictures(pdf: bytes, dpi: int = PREVIEW_DPI,
                 still_wanted=editions._wanted) -> tuple[bytes, ...]:  # type: ignore[no-untyped-def]
        def wanted() -> None:
            still_wanted()  # raises once a newer preview has come
            if threading.current_thread().name == "older":
                older_pages.append(1)
                first_page.set()
                release.wait(10)  # hold the older preview here while the newer one comes
        return real_pictures(pdf, dpi, wanted)

    monkeypatch.setattr(editions, "page_pictures", pictures)
    answers: dict[str, int] = {}

    def ask(seq: str) -> None:
        answers[seq] = app.test_client().post("/preview", data={**fields, "seq": seq}
                                              ).status_code

    older = threading.Thread(target=ask, args=("1",), name="older")
    older.start()
    assert first_page.wait(30)
    ask("2")
    release.set()
    older.join(30)
    assert answers == {"2": 200, "1": 409}
    assert older_pages == [1]  # the older preview drew its first page and no more


# -- the server: limits, memory only, quiet logs ---------------------------------------------

@pytest.fixture(scope="module")
def served(app: Flask) -> Iterator[tuple[str, int]]:
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)  # type: ignore[attr-defined]
    thread.start()
    try:
        yield "127.0.0.1", int(server.effective_port)  # type: ignore[attr-defined]
    finally:
        server.close()  # type: ignore[attr-defined]
        thread.join(10)


def _raw(address: tuple[str, int], request: bytes, body_chunks: list[bytes] = ()) -> bytes:
    """Send *request* then *body_chunks*, stopping as soon as the server answers."""
    with socket.create_connection(address, timeout=20) as sock:
        sock.sendall(request)
        answer = b""
        for chunk in [*body_chunks, None]:
            sock.settimeout(0.2)
            try:
                answer += sock.recv(65536)
            except TimeoutError:
                pass
            except ConnectionResetError:
                break
            if answer or chunk is None:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        sock.settimeout(20)
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
        return answer


SECRET = "Zyxwa Quoc"


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversize_body_is_refused_before_anything_reaches_disk(
        served: tuple[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, chunked: bool) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    body = ("name=" + SECRET.replace(" ", "+") + "&note=" + "x" * 700_000).encode()
    head = ("POST /preview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n")
    if chunked:
        pieces = [body[i:i + 65536] for i in range(0, len(body), 65536)]
        chunks = [f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in pieces] + [b"0\r\n\r\n"]
        request = (head + "Transfer-Encoding: chunked\r\n\r\n").encode()
    else:  # the headers alone are enough to be refused: the body is never sent
        chunks = []
        request = (head + f"Content-Length: {len(body)}\r\n\r\n").encode()
    with caplog.at_level(logging.DEBUG), _ACCESS.recording():
        answer = _raw(served, request, chunks)
    assert answer.split(b"\r\n")[0].split(b" ")[1] == b"413"
    assert _ACCESS.writes == [] and list(tmp_path.iterdir()) == []
    assert SECRET not in caplog.text and "Zyxwa" not in answer.decode("latin-1")


def test_eight_counselors_at_once_leave_no_queue_warning_and_no_trace(
        app: Flask, served: tuple[str, int], caplog: pytest.LogCaptureFixture) -> None:
    import urllib.parse
    import urllib.request

    fields = page_form(app.test_client(), lang="es", layout="clinic", name=SECRET)
    url = f"http://{served[0]}:{served[1]}/preview"
    statuses: list[int] = []

    def counselor(n: int) -> None:
        body = urllib.parse.urlencode({**fields, "client": f"{fields['client']}",
                                       "seq": ""}).encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=60) as r:
            statuses.append(r.status)
            assert SECRET not in r.read().decode("utf-8")

    with caplog.at_level(logging.DEBUG):
        threads = [threading.Thread(target=counselor, args=(n,)) for n in range(8)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
    assert statuses == [200] * 8, f"after {time.monotonic() - started:.1f} s"
    assert "Task queue depth" not in caplog.text
    assert SECRET not in caplog.text


def test_a_personalised_pdf_through_the_server_names_the_person_only_on_the_page(
        app: Flask, served: tuple[str, int]) -> None:
    import urllib.parse
    import urllib.request

    fields = page_form(app.test_client(), lang="en", layout="general", name=SECRET)
    body = urllib.parse.urlencode({**fields, "as": "download"}).encode()
    request = urllib.request.Request(f"http://{served[0]}:{served[1]}/pdf", data=body)
    with urllib.request.urlopen(request, timeout=60) as response:
        pdf = response.read()
        disposition = response.headers["Content-Disposition"]
    assert f"Prepared for {SECRET}" in pdf_text(pdf)
    assert SECRET not in str(reader(pdf).metadata) and "Zyxwa" not in disposition


def test_a_worker_process_builds_the_same_bytes_and_skips_a_superseded_build(
        app: Flask) -> None:
    from brochure.web.workers import Builders, build

    editions = app.extensions["brochure"]
    job = editions._job(parse_choice({"topic": "kratom", "lang": "es", "layout": "general",
                                      "name": SECRET}, editions.catalogue))
    builders = Builders(1)
    try:
        assert builders.build(job, lambda: None)[:2] == build(job)[:2]  # same bytes

        def superseded() -> None:
            raise Superseded

        with pytest.raises(Superseded):
            builders.build(job, superseded)
    finally:
        builders.close()


def _english_clinic_job(app: Flask):  # type: ignore[no-untyped-def]
    """A personalised English clinic edition, which lays out more than once (its type
    shrinks a step)."""
    editions = app.extensions["brochure"]
    return editions._job(parse_choice({"topic": "kratom", "lang": "en", "layout": "clinic",
                                       "name": SECRET}, editions.catalogue))


def test_a_build_superseded_while_a_worker_lays_it_out_stops_there(app: Flask) -> None:
    from brochure.web.workers import Builders

    job = _english_clinic_job(app)
    calls = []

    def wanted_only_at_the_start() -> None:
        calls.append(1)
        if len(calls) > 1:  # asked again while the worker lays the edition out
            raise Superseded

    builders = Builders(1)
    try:
        with pytest.raises(Superseded):  # raised in the worker, between two layouts
            builders.build(job, wanted_only_at_the_start)
        assert builders.build(job, lambda: None)[1] == 2  # the worker still builds
    finally:
        builders.close()


def test_a_build_in_this_process_stops_between_layouts_once_superseded(app: Flask) -> None:
    from brochure.web.workers import build_unchecked

    job = _english_clinic_job(app)
    layouts = []

    def superseded_after_the_first_layout() -> None:
        layouts.append(1)
        if len(layouts) > 1:
            raise Superseded

    with pytest.raises(Superseded):
        build_unchecked(job, superseded_after_the_first_layout)
    assert len(layouts) == 2
