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
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

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


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`brochure serve` on 127.0.0.1 with a free port; yields its URL."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "brochure.cli", "serve", "--host", "127.0.0.1", "--port", "0",
         "--clinic", str(EXAMPLE_CLINIC)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader_thread = threading.Thread(target=lambda: [lines.put(line) for line in
                                                     process.stdout], daemon=True)
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


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    chromium = _program("chromium", "chromium-browser")
    driver_path = _program("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("Chromium and its driver are not installed (Debian packages chromium and "
                    "chromium-driver; .ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(WAIT_SECONDS)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
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
