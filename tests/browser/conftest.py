"""Real headless Chromium (Debian's), driven by Playwright, against the real course server."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not Path(path).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but there is no Chromium at {path}: install Debian's chromium or set CHROMIUM_PATH")
        pytest.skip(f"no Chromium at {path} (set CHROMIUM_PATH, or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser page with every request recorded; anything not for 127.0.0.1 is blocked and remembered."""

    def __init__(self, browser, viewport=(1280, 900)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_visit(**kwargs) -> Visit:
        v = Visit(browser, **kwargs)
        opened.append(v)
        return v

    yield open_visit
    for v in opened:
        v.close()
