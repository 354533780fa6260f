"""The counselor page in a real browser: `brochure serve` on a free loopback port, driven
by headless Chromium through Selenium, without a mouse.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); without
them the test is skipped, saying why. Screenshots of the page (desktop and phone width)
are left in the test's temporary folder, for a person to look at.
"""

from __future__ import annotations

import base64
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CLINIC, pdf_text, reader

webdriver = pytest.importorskip("selenium.webdriver",
                                reason="selenium is not installed (pip install '.[test]')")
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

STARTUP_SECONDS = 60
WAIT_SECONDS = 60  # the server warms every language in the background at start (Thai: ~6 s)
NAME = "Ana Pérez"


def _program(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file()
                                       else None)
        if found:
            return found
    return None


# What the served process printed, and the folder it was given for temporary files and
# caches (both searched for personal data).
SERVER_OUTPUT: list[str] = []
SERVER_FOLDERS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`brochure serve` on 127.0.0.1 with a free port; yields its URL."""
    scratch = tmp_path_factory.mktemp("server-tmp")
    cache = tmp_path_factory.mktemp("server-cache")
    SERVER_FOLDERS.update(tmp=scratch, cache=cache)
    SERVER_OUTPUT.clear()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(scratch),
           "BROCHURE_CACHE_DIR": str(cache)}
    process = subprocess.Popen(
        [sys.executable, "-m", "brochure.cli", "serve", "--host", "127.0.0.1", "--port", "0",
         "--clinic", str(EXAMPLE_CLINIC)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader_thread = threading.Thread(target=lambda: [(lines.put(line),
                                                      SERVER_OUTPUT.append(line))
                                                     for line in process.stdout],
                                     daemon=True)
    reader_thread.start()
    seen: list[str] = []
    url = None
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while url is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if process.poll() is not None:
                    break
                continue
            seen.append(line)
            match = re.search(r"Serving the counselor page at (http://127\.0\.0\.1:\d+/)", line)
            url = match.group(1) if match else None
        assert url, "the server did not say where it listens:\n" + "".join(seen)
        assert any("Listening on loopback" in line for line in seen + [lines.get(timeout=5)])
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        reader_thread.join(timeout=10)
        process.stdout.close()


def _open_browser(tmp_path: Path, language: str = "en",
                  javascript: bool = True) -> webdriver.Chrome:
    chromium = _program("chromium", "chromium-browser")
    driver_path = _program("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("Chromium and its driver are not installed (Debian packages chromium and "
                    "chromium-driver; .ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", f"--lang={language}",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir(exist_ok=True)
    prefs: dict[str, object] = {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(WAIT_SECONDS)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    driver = _open_browser(tmp_path)
    try:
        yield driver
    finally:
        driver.quit()


def _choose_by_keyboard(driver: webdriver.Chrome, group: str, value: str) -> None:
    """Move through a radio group with the arrow keys until *value* is chosen."""
    current = driver.find_element(By.CSS_SELECTOR, f"input[name={group}]:checked")
    current.send_keys(Keys.SPACE)  # focus the group (Space keeps the checked one)
    for _ in range(12):
        active = driver.switch_to.active_element
        if active.get_attribute("value") == value:
            return
        active.send_keys(Keys.ARROW_RIGHT)
    raise AssertionError(f"could not reach {group}={value} with the arrow keys")


def _full_page_screenshot(driver: webdriver.Chrome, path: Path) -> None:
    """The whole page, beyond the window's height (Chromium's DevTools protocol)."""
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(shot["data"]))


def _ready(driver: webdriver.Chrome, lang: str, layout: str, personalised: bool) -> bool:
    preview = driver.find_element(By.ID, "preview")
    return (preview.get_attribute("data-state") == "ready"
            and preview.get_attribute("data-language") == lang
            and preview.get_attribute("data-layout") == layout
            and preview.get_attribute("data-personalised") == str(personalised).lower())


def test_spanish_personalised_handout_without_a_mouse(server: str, browser: webdriver.Chrome,
                                                      tmp_path: Path) -> None:
    browser.get(server)
    layouts = [e.get_attribute("value")
               for e in browser.find_elements(By.CSS_SELECTOR, "input[name=layout]")]
    layout = "large-print" if "large-print" in layouts else "general"
    wait = WebDriverWait(browser, WAIT_SECONDS)
    wait.until(lambda d: d.find_element(By.ID, "preview").get_attribute("data-state")
               == "ready")

    _choose_by_keyboard(browser, "lang", "es")
    _choose_by_keyboard(browser, "layout", layout)
    name = browser.find_element(By.ID, "name")
    name.send_keys(NAME)
    wait.until(lambda d: _ready(d, "es", layout, personalised=True))

    pages = browser.find_element(By.ID, "pages")
    assert (pages.get_attribute("lang"), pages.get_attribute("dir")) == ("es", "ltr")
    pictures = pages.find_elements(By.CSS_SELECTOR, "img.page")
    assert pictures and all(img.get_attribute("naturalWidth") != "0" for img in pictures)
    status = browser.find_element(By.ID, "preview-status").text
    assert status.startswith(f"Preview ready: {len(pictures)} pages, Español")
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(tmp_path / "page-desktop.png"))
    _full_page_screenshot(browser, tmp_path / "page-desktop-full.png")

    # Tab from the name to the download button, and press it.
    name.send_keys(Keys.TAB)
    for _ in range(10):
        if browser.switch_to.active_element.get_attribute("id") == "download":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "download"
    started = time.monotonic()
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    downloads = tmp_path / "downloads"
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: [p for p in downloads.glob("*.pdf")])
    seconds = time.monotonic() - started
    [pdf_file] = downloads.glob("*.pdf")
    assert pdf_file.name == f"kratom-es-{layout}-example.pdf"
    pdf = pdf_file.read_bytes()
    assert reader(pdf).trailer["/Root"]["/Lang"] == "es"
    assert f"Preparado para {NAME}" in pdf_text(pdf)
    assert len(reader(pdf).pages) == len(pictures)
    assert seconds < 10, f"the download took {seconds:.1f} s"

    browser.set_window_size(390, 844)  # a phone's screen
    browser.save_screenshot(str(tmp_path / "page-phone.png"))
    _full_page_screenshot(browser, tmp_path / "page-phone-full.png")
    scroll, client = browser.execute_script(
        "const e = document.documentElement; return [e.scrollWidth, e.clientWidth]")
    assert scroll <= client, f"the page is {scroll} px wide on a {client} px screen"


# -- round 2: the counselor's language, no lost typing, cancelled previews, next patient ----

def _wait(driver: webdriver.Chrome, condition, seconds: float = WAIT_SECONDS):  # type: ignore[no-untyped-def]
    # A form post without JavaScript replaces the page: an element found on the old page
    # goes stale while the condition is being checked; keep waiting for the new one.
    return WebDriverWait(driver, seconds, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException)).until(condition)


def _submitted(driver: webdriver.Chrome, submit) -> None:  # type: ignore[no-untyped-def]
    """Submit (a click, a key) and wait until the browser has left the old page."""
    old = driver.find_element(By.TAG_NAME, "html")
    submit()
    _wait(driver, staleness_of(old))


def _state(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.ID, "preview").get_attribute("data-state") or ""


def test_spanish_browser_gets_the_page_in_spanish_with_every_language_name_drawn(
        server: str, tmp_path: Path) -> None:
    driver = _open_browser(tmp_path, language="es")
    try:
        driver.get(server)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
        _wait(driver, lambda d: _state(d) == "ready")
        assert driver.find_element(By.ID, "download").text == "Descargar PDF"
        assert driver.find_element(By.ID, "preview-status").text.startswith(
            "Vista previa lista:")
        assert driver.find_element(By.ID, "review-status").text.startswith("Borrador")
        # Each language name draws in the handouts' font, served with the page, so no
        # system font is needed (the browser has loaded it and it has the letters).
        loaded = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            document.fonts.ready.then(() => done(['en', 'es', 'vi', 'th', 'ar'].map(
                code => document.fonts.check('16px "handout-' + code + '"',
                    document.querySelector('#lang-' + code).dataset.label))));""")
        assert loaded == [True] * 5
        names = {e.get_attribute("lang"): e.text for e in driver.find_elements(
            By.CSS_SELECTOR, "#languages span[lang]")}
        assert names["th"] == "ไทย"
        # the page in Arabic: right to left, and what was typed is kept
        driver.find_element(By.ID, "name").send_keys(NAME)
        Select(driver.find_element(By.ID, "ui")).select_by_value("ar")
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang")
              == "ar")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
        assert driver.find_element(By.ID, "name").get_attribute("value") == NAME
    finally:
        driver.quit()


def test_a_name_the_fonts_cannot_print_is_shown_beside_the_name_and_kept(
        server: str, browser: webdriver.Chrome) -> None:
    browser.get(server)
    _wait(browser, lambda d: _state(d) == "ready")
    name = browser.find_element(By.ID, "name")
    name.send_keys("王小明")
    _wait(browser, lambda d: _state(d) == "error")
    problem = browser.find_element(By.ID, "name-problem")
    assert problem.is_displayed() and "U+738B" in problem.text
    assert name.get_attribute("aria-invalid") == "true"
    below = problem.rect["y"] - (name.rect["y"] + name.rect["height"])
    assert 0 <= below < 40, f"the problem is {below} px from the name field"
    assert name.get_attribute("value") == "王小明"  # the typing is kept
    assert not browser.find_element(By.ID, "download").is_enabled()
    assert not browser.find_element(By.ID, "print").is_enabled()
    name.clear()
    name.send_keys(NAME)
    _wait(browser, lambda d: _ready(d, "en", d.find_element(
        By.CSS_SELECTOR, "input[name=layout]:checked").get_attribute("value"), True))
    assert not problem.is_displayed()
    assert browser.find_element(By.ID, "download").is_enabled()


def test_enter_in_the_name_field_previews_and_never_downloads(
        server: str, browser: webdriver.Chrome, tmp_path: Path) -> None:
    browser.get(server)
    _wait(browser, lambda d: _state(d) == "ready")
    name = browser.find_element(By.ID, "name")
    name.send_keys(NAME + Keys.ENTER)
    _wait(browser, lambda d: d.find_element(By.ID, "preview").get_attribute(
        "data-personalised") == "true" and _state(d) == "ready")
    time.sleep(1)  # a download, had one started, would have begun by now
    assert list((tmp_path / "downloads").iterdir()) == []
    assert browser.current_url == server  # still the page, not a file or another page


def test_clear_for_next_patient_empties_the_personal_line_and_its_preview(
        server: str, browser: webdriver.Chrome) -> None:
    browser.get(server)
    browser.find_element(By.ID, "name").send_keys(NAME)
    browser.find_element(By.ID, "note").send_keys("Call us")
    _wait(browser, lambda d: d.find_element(By.ID, "preview").get_attribute(
        "data-personalised") == "true" and _state(d) == "ready")
    handles = len(browser.window_handles)
    browser.find_element(By.ID, "print").click()  # opens the PDF for printing
    _wait(browser, lambda d: len(d.window_handles) == handles + 1, 30)
    personal_first_page = browser.find_element(By.CSS_SELECTOR, "#pages img.page"
                                               ).get_attribute("src")
    # Click, then count the page pictures in the same turn of the page's event loop,
    # before any new preview can arrive: the personalised ones are gone at once.
    left = browser.execute_script("document.getElementById('clear').click();"
                                  "return document.querySelectorAll('#pages img.page').length")
    assert left == 0
    assert browser.find_element(By.ID, "name").get_attribute("value") == ""
    assert browser.find_element(By.ID, "note").get_attribute("value") == ""
    _wait(browser, lambda d: d.find_element(By.ID, "preview").get_attribute(
        "data-personalised") == "false" and _state(d) == "ready")
    assert browser.switch_to.active_element.get_attribute("id") == "name"
    assert browser.find_element(By.CSS_SELECTOR, "#pages img.page").get_attribute("src") \
        != personal_first_page


def test_without_javascript_nothing_typed_is_lost(server: str, tmp_path: Path) -> None:
    driver = _open_browser(tmp_path, javascript=False)
    try:
        driver.get(server)
        status = driver.find_element(By.ID, "preview-status").text
        assert status == "Press “Show preview” to see the pages."
        driver.find_element(By.ID, "name").send_keys("王")
        driver.find_element(By.ID, "note").send_keys("Call us")
        # refused: the form comes back
        _submitted(driver, driver.find_element(By.ID, "download").click)
        _wait(driver, lambda d: d.find_element(By.ID, "name-problem").is_displayed())
        assert "U+738B" in driver.find_element(By.ID, "name-problem").text
        assert driver.find_element(By.ID, "name").get_attribute("value") == "王"
        assert driver.find_element(By.ID, "note").get_attribute("value") == "Call us"
        name = driver.find_element(By.ID, "name")
        name.clear()
        name.send_keys(NAME)
        # Enter: the form's first button, the preview
        _submitted(driver, lambda: driver.find_element(By.ID, "name").send_keys(Keys.ENTER))
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#pages img.page"))
        assert "with the personal line" in driver.find_element(By.ID, "preview-status").text
        assert driver.find_element(By.ID, "name").get_attribute("value") == NAME
        assert list((tmp_path / "downloads").iterdir()) == []
    finally:
        driver.quit()


@pytest.fixture
def slow_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """The page served from this process, its builds slowed to 0.8 s each and recorded,
    so that a typist always outpaces them."""
    import brochure.web.editions as editions
    from brochure import paths
    from brochure.web import create_app
    from brochure.web.server import make_server

    app = create_app(paths.builtin("content"), [EXAMPLE_CLINIC])
    built: list[str] = []
    real_build = editions.build_unchecked

    def slow_build(job, *args):  # type: ignore[no-untyped-def]
        built.append(job.name or "")
        time.sleep(0.8)
        return real_build(job, *args)

    monkeypatch.setattr(editions, "build_unchecked", slow_build)
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)  # type: ignore[attr-defined]
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/", built  # type: ignore[attr-defined]
    finally:
        server.close()  # type: ignore[attr-defined]
        thread.join(10)


def test_previews_superseded_while_typing_are_never_built(
        slow_server: tuple[str, list[str]], browser: webdriver.Chrome) -> None:
    url, built = slow_server
    browser.get(url)
    _wait(browser, lambda d: _state(d) == "ready")
    name = browser.find_element(By.ID, "name")
    typed = "Anabela"
    for letter in typed:  # a slow typist: every letter after the page's pause
        name.send_keys(letter)
        time.sleep(0.45)
    _wait(browser, lambda d: _state(d) == "ready" and d.find_element(
        By.ID, "preview").get_attribute("data-personalised") == "true")
    requests = int(browser.find_element(By.ID, "preview").get_attribute("data-sequence"))
    personal = [n for n in built if n]
    assert personal[-1] == typed  # the preview shown is of the whole name
    assert len(personal) < len(typed) <= requests - 1  # superseded ones were skipped
    assert all(typed.startswith(n) for n in personal)


def _files_holding(folder: Path, secret: str) -> list[Path]:
    data = secret.encode("utf-8")
    return [p for p in folder.rglob("*") if p.is_file() and data in p.read_bytes()]


def test_a_name_in_another_script_than_the_handouts_is_printed_as_typed(
        server: str, browser: webdriver.Chrome, tmp_path: Path) -> None:
    from brochure.checks import structtext

    browser.get(server)
    _wait(browser, lambda d: _state(d) == "ready")
    layout = browser.find_element(By.CSS_SELECTOR, "input[name=layout]:checked"
                                  ).get_attribute("value")
    for lang, name, label in (("en", "محمد علي", "Prepared for"),
                              ("ar", "สมชาย ใจดี", None)):
        _choose_by_keyboard(browser, "lang", lang)
        field = browser.find_element(By.ID, "name")
        field.clear()
        field.send_keys(name)
        _wait(browser, lambda d, lang=lang: _ready(d, lang, layout, personalised=True))
        assert browser.find_element(By.ID, "name-problem").is_displayed() is False
        for old in (tmp_path / "downloads").glob("*.pdf"):
            old.unlink()
        browser.find_element(By.ID, "download").click()
        _wait(browser, lambda d: list((tmp_path / "downloads").glob("*.pdf")))
        [pdf_file] = (tmp_path / "downloads").glob("*.pdf")
        texts = [structtext.normal(e.text) for e in structtext.elements(
            reader(pdf_file.read_bytes())) if e.role == "/P"]
        assert (f"{label} {name}" if label else name) in texts, texts


def test_print_opens_the_personalised_pdf_in_the_browser_not_as_a_download(
        server: str, browser: webdriver.Chrome) -> None:
    browser.get(server)
    browser.find_element(By.ID, "name").send_keys(NAME)
    _wait(browser, lambda d: d.find_element(By.ID, "preview").get_attribute(
        "data-personalised") == "true" and _state(d) == "ready")
    assert browser.find_element(By.ID, "print").get_attribute("formtarget") == "_blank"
    # What the print button posts (the page's own form, token and all), read back here:
    # Chromium's PDF viewer is not scriptable.
    answer = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const form = document.getElementById('choices');
        const body = new FormData(form, document.getElementById('print'));
        fetch(form.action, {method: 'POST', body: body}).then(async r => {
            const bytes = new Uint8Array(await r.arrayBuffer());
            let text = ''; bytes.forEach(b => text += String.fromCharCode(b));
            done([r.status, r.headers.get('Content-Disposition'),
                  r.headers.get('Content-Type'), btoa(text)]);
        });""")
    status, disposition, kind, data = answer
    assert (status, kind) == (200, "application/pdf")
    assert disposition.startswith("inline;")
    assert f"Prepared for {NAME}" in pdf_text(base64.b64decode(data))


def test_no_personal_data_reaches_disk_logs_or_metadata_even_in_an_oversize_body(
        server: str, browser: webdriver.Chrome, tmp_path: Path) -> None:
    secret = "Zyxwa Qorbelt"
    browser.get(server)
    browser.find_element(By.ID, "name").send_keys(secret)
    browser.find_element(By.ID, "note").send_keys("Quvrent note")
    _wait(browser, lambda d: d.find_element(By.ID, "preview").get_attribute(
        "data-personalised") == "true" and _state(d) == "ready")
    browser.find_element(By.ID, "download").click()
    _wait(browser, lambda d: list((tmp_path / "downloads").glob("*.pdf")))
    [pdf_file] = (tmp_path / "downloads").glob("*.pdf")
    pdf = reader(pdf_file.read_bytes())
    assert secret in pdf_text(pdf_file.read_bytes())  # on the page,
    metadata = str(dict(pdf.metadata or {})) + pdf.trailer["/Root"]["/Metadata"].get_object(
        ).get_data().decode("utf-8")
    assert "Zyxwa" not in metadata and "Quvrent" not in metadata  # not in the metadata
    assert secret not in pdf_file.name
    # a body far over the limit, from the page itself (same origin, its token)
    status = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const form = document.getElementById('choices');
        const body = new FormData(form);
        body.set('note', 'Quvrent ' + 'x'.repeat(700000));
        fetch(form.dataset.previewUrl, {method: 'POST', body: body})
            .then(r => done(r.status), e => done(String(e)));""")
    assert status == 413
    time.sleep(0.5)  # let the server's output arrive
    output = "".join(SERVER_OUTPUT)
    assert "Zyxwa" not in output and "Quvrent" not in output
    for folder in SERVER_FOLDERS.values():
        assert _files_holding(folder, "Zyxwa") == [] and _files_holding(folder, "Quvrent") == []


def test_a_second_language_gives_one_bilingual_handout_and_a_layout_that_cannot_says_so(
        server: str, browser: webdriver.Chrome, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(server)
    _wait(browser, lambda d: _state(d) == "ready")
    _choose_by_keyboard(browser, "layout", "general")
    _choose_by_keyboard(browser, "lang", "es")
    Select(browser.find_element(By.ID, "also")).select_by_value("en")
    _wait(browser, lambda d: _ready(d, "es", "general", personalised=False)
          and d.find_element(By.ID, "preview").get_attribute("data-also") == "en")
    status = browser.find_element(By.ID, "preview-status").text
    assert "Español + English" in status
    browser.find_element(By.ID, "download").click()
    _wait(browser, lambda d: list((tmp_path / "downloads").glob("*.pdf")))
    [pdf_file] = (tmp_path / "downloads").glob("*.pdf")
    assert pdf_file.name.startswith("kratom-es+en-general")
    text = " ".join(pdf_text(pdf_file.read_bytes()).split())
    assert "Puntos clave" in text and "Key points" in text
    # The large-print layout prints one language: said beside the second language,
    # Download waits, and the choices stay.
    _choose_by_keyboard(browser, "layout", "large-print")
    _wait(browser, lambda d: d.find_element(By.ID, "also-problem").is_displayed())
    assert "one language only" in browser.find_element(By.ID, "also-problem").text
    assert browser.find_element(By.ID, "download").get_attribute("disabled") is not None
    assert Select(browser.find_element(By.ID, "also")).first_selected_option \
        .get_attribute("value") == "en"
