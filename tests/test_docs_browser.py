"""The HTML reference in a real browser: headless Chromium on a loopback server.

Needs Debian's chromium and chromium-driver (.ci/run installs them). A screenshot of the
page is saved under test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install chromium and chromium-driver (see .ci/run)")
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


@pytest.fixture(scope="module")
def site(flagship_tree: Path) -> Iterator[str]:
    """The generated HTML served on 127.0.0.1 (a random free port)."""
    handler = functools.partial(_QuietHandler, directory=str(flagship_tree / "docs" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1600",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def test_expand_search_and_follow_a_link(site: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{site}/beta_assistants.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Assistants"

    # A nested parameter type opens on click and shows its variants.
    create = browser.find_element(By.ID, "beta-assistants-create")
    tools = next(
        d
        for d in create.find_elements(By.CSS_SELECTOR, "ul.params > li > details")
        if d.find_element(By.TAG_NAME, "summary").text.startswith("tools:")
    )
    assert tools.get_attribute("open") is None
    assert not tools.find_element(By.CSS_SELECTOR, "li.variant").is_displayed()
    tools.find_element(By.TAG_NAME, "summary").click()
    assert tools.get_attribute("open") is not None
    variant = tools.find_element(By.CSS_SELECTOR, "li.variant")
    assert variant.is_displayed() and "CodeInterpreterToolParam" in variant.text

    # The search box filters the method and type list.
    search = browser.find_element(By.ID, "search")
    search.send_keys("delete")
    shown = [
        li.text for li in browser.find_elements(By.CSS_SELECTOR, "nav li") if li.is_displayed()
    ]
    assert shown == ["Delete assistant", "AssistantDeleted"]
    search.clear()
    search.send_keys(" ")
    browser.execute_script("arguments[0].dispatchEvent(new Event('input'))", search)

    # A type name links to its definition.
    link = browser.find_element(By.CSS_SELECTOR, "#beta-assistants-retrieve a.type")
    name = link.text
    link.click()
    assert browser.current_url.endswith(f"#type-{name}")
    target = browser.find_element(By.ID, f"type-{name}")
    assert target.find_element(By.TAG_NAME, "h3").text == name

    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(artifacts / "docs-beta-assistants.png"))


def test_page_reads_without_javascript(site: str) -> None:
    """Everything is in the HTML itself; the script only filters."""
    import urllib.request

    with urllib.request.urlopen(f"{site}/beta_assistants.html", timeout=10) as response:
        html = response.read().decode()
    assert "<details>" in html and "List assistants" in html and 'id="type-Assistant"' in html
