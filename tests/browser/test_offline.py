"""The course works with no internet (issue 8, part 2): every page, in English and in Welsh, and the landing
page, in real Chromium with every host but 127.0.0.1 blocked. Each renders in its own language (`<html lang>`)
with its title and no failed cell (the keyboard and axe checks of every page are in
test_every_page_accessibility.py). Nothing is requested from outside, no request
fails, no response is an error, the console stays clean, and the fonts, style sheets and scripts the page uses
all come from the course server itself."""
from __future__ import annotations


import pytest

from fmse_widgets.course import pages

pytestmark = pytest.mark.browser

RENDERED = "() => document.documentElement.dataset.fmseReady === 'true'"
EVERY_PAGE = [p.path for p in pages()]

# Every resource the page loaded (Resource Timing), every style sheet's rules that point at a URL, and every
# font face the page declared, with its status once the page has settled.
RESOURCES_JS = """() => {
    const urls = performance.getEntriesByType('resource').map(e => e.name);
    const sheets = [];
    for (const sheet of document.styleSheets) {
        if (sheet.href) sheets.push(sheet.href);
        let rules = [];
        try { rules = [...sheet.cssRules]; } catch (e) { sheets.push('unreadable:' + sheet.href); continue; }
        for (const rule of rules) {
            if (rule.href) sheets.push(rule.href);                       // @import
            const text = rule.cssText || '';
            for (const m of text.matchAll(/url\\(["']?([^"')]+)["']?\\)/g)) sheets.push(m[1]);
        }
    }
    const fonts = [...document.fonts].map(f => ({family: f.family, status: f.status}));
    const scripts = [...document.scripts].map(s => s.src).filter(Boolean);
    return {urls, sheets, fonts, scripts};
}"""


def is_local(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    if "://" not in url:  # relative url() in a style sheet: resolved against the sheet, which is local
        return True
    return url.startswith(base + "/") or url == base


def test_every_page_is_listed():
    langs = {p.lang for p in pages()}
    assert langs == {"en", "cy"}
    assert "index.ipynb" in EVERY_PAGE
    assert len([p for p in pages() if p.lang == "en"]) >= 10 and len([p for p in pages() if p.lang == "cy"]) >= 10


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_page_renders_in_its_language_with_every_outside_host_blocked(visit, course_server, path):
    v = visit()
    page, base = v.page, course_server.base
    failed, errors = [], []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: v.console_errors.append(f"uncaught: {e}"))
    page.goto(f"{base}/voila/render/{path}", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    page.wait_for_load_state("load", timeout=60_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    found = page.evaluate(RESOURCES_JS)

    # It renders in its own language, with its title, and no cell failed.
    info = next(p for p in pages() if p.path == path)
    assert page.evaluate("document.documentElement.lang") == info.lang
    assert page.title() == info.title
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .fmse-cell-error').count() == 0
    assert page.locator("text=ExecutionError").count() == 0
    assert v.outside == [], f"{path} asked outside hosts for: {v.outside}"
    assert failed == [], f"{path}: requests failed: {failed}"
    assert errors == [], f"{path}: error responses: {errors}"
    assert v.console_errors == [], f"{path}: console errors: {v.console_errors}"
    assert all(u.startswith(base) or u.startswith(("data:", "blob:")) for u in v.requests), v.requests
    elsewhere = [u for u in found["urls"] + found["sheets"] + found["scripts"] if not is_local(u, base)]
    assert elsewhere == [], f"{path} refers to resources elsewhere: {elsewhere}"
    assert not any("fontawesome" in u.lower() or "font-awesome" in u.lower() for u in v.outside)
    assert [f for f in found["fonts"] if f["status"] == "error"] == [], found["fonts"]
    assert found["urls"], "the Resource Timing list is empty: the check above checked nothing"
