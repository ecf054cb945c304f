"""The built sample site in a real Chromium: opened from file:// and served over http.

One browser for the session. Every test's page is watched: a console
error, an uncaught exception or a request to anywhere but the site itself
fails the test that caused it.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Pages of the sample site that the tests read; the names come from the sample articles.
PERSON = "people/volodymyr-zelensky.html"
COUNTRY = "countries/ukraine.html"
TOPIC = "topics/ceasefire.html"


def needs_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}; `bash scripts/install-test-tools` installs it")


def needs_java_and_vnu() -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed; `bash scripts/install-test-tools` installs what the HTML checker needs")
    if not VNU_JAR.exists():  # npm ci provides it wherever Java is: missing, the setup is broken
        pytest.fail(f"the Nu HTML checker is not installed at {VNU_JAR.relative_to(REPO)}; `bash scripts/install-test-tools` installs it")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


@pytest.fixture(scope="package")
def http_root(sample_site: Path) -> Iterator[str]:
    """The sample site served on 127.0.0.1 at a free port, for the browser tests. Their
    fixtures end with them (package scope): a build forks helpers only where no
    other thread runs (generator/forked.py), and the later tests should see it do so."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(sample_site)))
    thread = threading.Thread(target=server.serve_forever, name="sample-site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="package")
def browser():
    needs_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=["file", "http"])
def site_url(request, sample_site: Path, http_root: str) -> Callable[[str], str]:
    """The address of a page of the site, from disk or from the server."""
    base = sample_site.as_uri() + "/" if request.param == "file" else http_root
    return lambda path: base + path


@dataclass
class Watch:
    """What a page did that a reader would not want."""

    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    outside: list[str] = field(default_factory=list)  # requests to anywhere but the site


def _is_the_site(url: str, http_root: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "about") or url.startswith(http_root)


def open_context(browser, http_root: str, watch: Watch, **options):
    """A browser context whose every request is checked: anything but the site is recorded and refused."""
    context = browser.new_context(**options)

    def guard(route):
        if _is_the_site(route.request.url, http_root):
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.on("page", lambda page: _listen(page, watch))
    return context


def _listen(page, watch: Watch) -> None:
    page.on("console", lambda message: watch.errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser, http_root: str, watch: Watch):
    """A fresh desktop page; at the end of the test, it must have logged no error and asked nothing of another host."""
    context = open_context(browser, http_root, watch, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()
    assert watch.outside == [], f"requests left the site: {watch.outside}"
    assert watch.errors == [], f"errors in the page: {watch.errors}"
