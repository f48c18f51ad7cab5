"""What several browser tests do with a course page: open it and wait until it has rendered, list and answer
its exercises with the keyboard, run axe-core on it, and list the controls a learner can operate."""
from __future__ import annotations

import json
import re
from pathlib import Path

from exercise_keys import complete
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}
SERIOUS = {"serious", "critical"}
SHOW = re.compile(r'show\("([a-z0-9-]+)"')
# Set by the course template's course.js once Voilà has finished, outputs are in the DOM and it is quiet.
RENDERED = "() => document.documentElement?.dataset.fmseReady === 'true'"

# Every control on the page that a learner can operate, with its box and accessible name. Links inside a
# sentence are exempt from the target size (WCAG 2.5.8 "inline" exception), so only links that stand on their
# own (not display:inline) are measured, unless `everything` is passed as true. Visually hidden helpers
# (.fmse-sr-only) hold no controls.
CONTROLS_JS = """(everything) => {
    const found = [];
    const selector = 'button, input:not([type=hidden]), select, textarea, a[href], [role=button], [tabindex="0"]';
    for (const el of document.querySelectorAll(selector)) {
        const style = getComputedStyle(el);
        if (!el.getClientRects().length || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
        if (!everything && el.tagName === 'A' && style.display === 'inline' && !el.closest('.fmse-exercise')) continue;
        const box = el.getBoundingClientRect();
        const where = el.closest('.fmse-exercise');
        found.push({tag: el.tagName, type: el.type || '', cls: String(el.className || ''),
                    text: (el.textContent || el.value || '').trim().slice(0, 40),
                    exercise: where ? [...document.querySelectorAll('.fmse-exercise')].indexOf(where) : -1,
                    width: box.width, height: box.height, left: box.left, right: box.right});
    }
    return found;
}"""


def exercise_ids(path: str) -> list[str]:
    """The exercises a notebook shows (its one-line `show("id", ...)` cells), in page order."""
    nb = json.loads((ROOT / "notebooks" / path).read_text(encoding="utf-8"))
    return [m for c in nb["cells"] if c["cell_type"] == "code" for m in SHOW.findall("".join(c["source"]))]


def open_page(visit, server, path: str, *, before=None, **visit_options):
    """A fresh browser context on the page, once it has rendered and shows all its exercises. `before(v)` is
    called before the page is asked for (e.g. OfflineWatch, to see every request). The page's own response (its
    status and the HTML the server sent) is kept as `v.response`."""
    v = visit(**visit_options)
    if before is not None:
        before(v)
    v.response = v.page.goto(f"{server.base}/voila/render/{path}", wait_until="domcontentloaded", timeout=60_000)
    v.page.wait_for_function(RENDERED, timeout=60_000)
    expected = len(exercise_ids(path))
    if expected:
        v.page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === {expected}",
                                 timeout=60_000)
    return v


def answer_all(page, path: str, lang: str) -> list[str]:
    """Answer every exercise on the page with the keyboard alone; returns each live region's new text."""
    tr = translator(lang)
    return [complete(page, index, load(exercise_id), lang, tr)
            for index, exercise_id in enumerate(exercise_ids(path))]


def run_axe(page) -> list[dict]:
    """axe-core over the whole document, no rule disabled: every violation with up to five of its nodes."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document);
        return result.violations.map(v => ({id: v.id, impact: v.impact, tags: v.tags, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")


def axe_failures(violations: list[dict]) -> tuple[list[dict], list[dict]]:
    """The violations that fail the course: any WCAG 2.x A/AA rule, and serious or critical best practices."""
    wcag = [x for x in violations if WCAG_TAGS & set(x["tags"])]
    serious = [x for x in violations if "best-practice" in x["tags"] and x["impact"] in SERIOUS]
    return wcag, serious


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


class OfflineWatch:
    """The course works with no internet (issue 8): on a page opened with every host but 127.0.0.1 blocked (the
    Visit does that), nothing is asked from outside, no request fails, no response is an error, the console stays
    clean, and the fonts, style sheets and scripts all come from the course server. Pass as open_page(before=)."""

    def __init__(self):
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.visit = None

    def __call__(self, v) -> None:
        self.visit = v
        v.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        v.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        v.page.on("pageerror", lambda e: v.console_errors.append(f"uncaught: {e}"))

    def check(self, info, base: str) -> None:
        """Assert the above for the page `info` (a course.pages() entry), as it is when it has just rendered."""
        v, path = self.visit, info.path
        page = v.page
        page.wait_for_load_state("load", timeout=60_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        found = page.evaluate(RESOURCES_JS)
        # It renders in its own language, with its title, and no cell failed.
        assert page.evaluate("document.documentElement.lang") == info.lang
        assert page.title() == info.title
        assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .fmse-cell-error').count() == 0
        assert page.locator("text=ExecutionError").count() == 0
        assert v.outside == [], f"{path} asked outside hosts for: {v.outside}"
        assert self.failed == [], f"{path}: requests failed: {self.failed}"
        assert self.errors == [], f"{path}: error responses: {self.errors}"
        assert v.console_errors == [], f"{path}: console errors: {v.console_errors}"
        assert all(u.startswith(base) or u.startswith(("data:", "blob:")) for u in v.requests), v.requests
        elsewhere = [u for u in found["urls"] + found["sheets"] + found["scripts"] if not is_local(u, base)]
        assert elsewhere == [], f"{path} refers to resources elsewhere: {elsewhere}"
        assert not any("fontawesome" in u.lower() or "font-awesome" in u.lower() for u in v.outside)
        assert [f for f in found["fonts"] if f["status"] == "error"] == [], found["fonts"]
        assert found["urls"], "the Resource Timing list is empty: the check above checked nothing"
