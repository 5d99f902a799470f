"""The HTML reference in a real browser: headless Chromium on a loopback server.

Needs Debian's chromium and chromium-driver (.ci/run installs them). A screenshot of each
kind of page (the index, a resource page, the shared types page, an expanded union member)
is saved under test-artifacts/. Links into the vendor's documentation site are followed to
a stand-in for it: Chromium resolves platform.openai.com to a local HTTPS server (a
throwaway certificate made with openssl), and every other host to nothing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
VENDOR = "platform.openai.com"  # the flagship overlay's docs.base_url
ARTIFACTS = ROOT / "test-artifacts"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install chromium and chromium-driver (see .ci/run)")
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


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


class _Vendor(http.server.BaseHTTPRequestHandler):
    """A stand-in for the vendor's documentation site: any path, one page, remembered."""

    requested: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requested.append(self.path)
        body = b"<!doctype html><title>vendor docs</title><p>vendor docs</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int | None]:
    """The port of the vendor stand-in (HTTPS), or None without openssl to make a key."""
    if shutil.which("openssl") is None:
        yield None
        return
    folder = tmp_path_factory.mktemp("vendor")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", f"/CN={VENDOR}"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Vendor)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(
    tmp_path_factory: pytest.TempPathFactory, vendor: int | None
) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    vendor_rule = f"MAP {VENDOR} 127.0.0.1:{vendor}, " if vendor else ""
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1600",
        "--ignore-certificate-errors",  # the vendor stand-in's certificate is its own
        f"--host-resolver-rules={vendor_rule}MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def screenshot(browser: webdriver.Chrome, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / f"docs-{name}.png"))


def summary_of(details: WebElement) -> WebElement:
    return details.find_element(By.XPATH, "./summary")


def test_expand_search_and_follow_a_link(site: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{site}/beta_assistants.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Assistants"

    # A nested parameter type opens from its summary line and shows its members.
    create = browser.find_element(By.ID, "beta-assistants-create")
    tools = next(
        d
        for d in create.find_elements(By.CSS_SELECTOR, "ul.params > li > details")
        if summary_of(d).text.startswith("tools:")
    )
    assert "array of CodeInterpreterTool { type } or FileSearchTool" in summary_of(tools).text
    member = tools.find_element(By.XPATH, "./ul/li")
    assert tools.get_attribute("open") is None and not member.is_displayed()
    summary_of(tools).click()
    assert tools.get_attribute("open") is not None
    assert member.is_displayed() and "CodeInterpreterToolParam" in member.text

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
    assert target.find_element(By.TAG_NAME, "h3").text.split()[0] == name

    # The async example is a tab away from the sync one.
    sync = browser.find_element(By.CSS_SELECTOR, "#beta-assistants-create pre.sync")
    async_ = browser.find_element(By.CSS_SELECTOR, "#beta-assistants-create pre.async")
    assert sync.is_displayed() and not async_.is_displayed()
    tab = browser.find_element(By.CSS_SELECTOR, "label[for='beta-assistants-create-async']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", tab)
    tab.click()
    assert async_.is_displayed() and not sync.is_displayed()
    assert "await client.beta.assistants.create(" in async_.text
    screenshot(browser, "resource-page")


def test_a_union_member_expands_from_its_summary_line(site: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{site}/beta_threads_runs.html")
    section = browser.find_element(By.ID, "type-AssistantStreamEvent")
    summary = section.find_element(By.CSS_SELECTOR, "code.summary").text
    assert summary.startswith("AssistantStreamEvent = ") and summary.endswith(" or 22 more")
    member = section.find_element(By.ID, "type-ThreadRunQueued")
    details = member.find_element(By.XPATH, "./details")
    assert summary_of(details).text == "ThreadRunQueued object { data, event }"
    data = details.find_element(By.XPATH, "./ul/li")
    assert not data.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", details)
    summary_of(details).click()
    assert data.is_displayed() and data.text.startswith("data: Run required")
    description = details.find_element(By.CSS_SELECTOR, ".desc")
    assert description.text == "Occurs when a run moves to a queued status."
    screenshot(browser, "union-member")


def test_a_link_into_the_vendor_docs_leads_there(
    site: str, browser: webdriver.Chrome, vendor: int | None
) -> None:
    browser.get(f"{site}/beta_assistants.html")
    link = browser.find_element(By.CSS_SELECTOR, "#beta-assistants-create .desc a[href*='/docs/']")
    href = link.get_attribute("href") or ""
    assert href.startswith(f"https://{VENDOR}/docs/"), href
    if vendor is None:
        pytest.skip("openssl is not installed: no stand-in for the vendor site")
    _Vendor.requested.clear()
    browser.execute_script("arguments[0].scrollIntoView(); arguments[0].click()", link)
    assert browser.current_url == href
    assert browser.title == "vendor docs"
    assert _Vendor.requested[:1] == [href.removeprefix(f"https://{VENDOR}").split("#")[0]]


def test_every_in_page_anchor_resolves(site: str, browser: webdriver.Chrome) -> None:
    """Each page's links to itself and to the other pages land on an element that exists;
    following one into a collapsed section opens it."""
    pages = ["index.html", "beta_assistants.html", "beta_threads.html", "beta_threads_runs.html",
             "beta_threads_runs_steps.html", "beta_threads_messages.html", "types.html"]  # fmt: skip
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for page in pages:
        browser.get(f"{site}/{page}")
        ids[page] = set(
            browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
        )
        hrefs = browser.execute_script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
        )
        links += [(page, h) for h in hrefs if not h.startswith(("https://", "http://", "mailto:"))]
    assert len(links) > 300
    dead = []
    for page, href in links:
        target_page, _, anchor = href.partition("#")
        target_page = target_page or page
        if target_page not in ids or (anchor and anchor not in ids[target_page]):
            dead.append(f"{page}: {href}")
    assert not dead, dead[:10]

    # A link to a type expanded inside a collapsed list opens the list around it.
    browser.get(f"{site}/types.html")
    link = browser.find_element(
        By.CSS_SELECTOR, "a[href='beta_threads_runs.html#type-ThreadRunQueued']"
    )
    browser.execute_script("arguments[0].click()", link)
    member = browser.find_element(By.CSS_SELECTOR, "#type-ThreadRunQueued > details")
    assert member.get_attribute("open") is not None
    assert member.find_element(By.XPATH, "./ul/li").is_displayed()


def test_screenshots_of_the_index_and_the_shared_types(
    site: str, browser: webdriver.Chrome
) -> None:
    browser.get(f"{site}/index.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.endswith("Python reference")
    screenshot(browser, "index")
    browser.get(f"{site}/types.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Shared types"
    screenshot(browser, "types-page")


def test_page_reads_without_javascript(site: str) -> None:
    """Everything is in the HTML itself; the script only filters and opens."""
    import urllib.request

    with urllib.request.urlopen(f"{site}/beta_assistants.html", timeout=10) as response:
        html = response.read().decode()
    assert "<details>" in html and "List assistants" in html and 'id="type-Assistant"' in html
