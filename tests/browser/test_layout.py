"""Pages read at a distance: on a projector (1366x768), a laptop at 150% browser zoom and a 360x640 phone, in
both languages, no button label wraps, buttons are at least the body's type size, exercises keep to the text
column, no table heading or join address breaks inside a word, and a participant sees the workshop question
without scrolling on the phone.

Browser zoom at 150% on a 1280x720 window is what Chromium does with a 853x480 CSS-pixel viewport and a device
pixel ratio of 1.5: the same CSS layout (media queries included) at a larger physical size. Each page is
loaded once and measured at the three sizes through the DevTools protocol's device-metrics override, the
mechanism Chromium's own device emulation uses.
"""
from __future__ import annotations

import re

import pytest

from fmse_widgets.i18n import translator
from fmse_widgets.workshop.room import questions
from servers import CourseServer, WorkshopServer
from pagekit import RENDERED as READY

pytestmark = pytest.mark.browser

SIZES = {  # name: (CSS width, CSS height, device pixel ratio)
    "projector 1366x768": (1366, 768, 1),
    "1280x720 at 150% zoom": (853, 480, 1.5),
    "phone 360x640": (360, 640, 1),
}

# What a person at the back of the room (or on a phone) would notice, measured in the page.
MEASURE_JS = """() => {
    const visible = el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
    const lineTops = (node, start, end) => {
        const range = document.createRange();
        range.setStart(node, start); range.setEnd(node, end);
        const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
        return new Set(tops.map(t => Math.round(t / 4))).size;  // rects of one line share a top (within 4px)
    };
    const lines = el => {  // how many lines the element's text takes
        const tops = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const range = document.createRange(); range.selectNodeContents(walker.currentNode);
            for (const r of range.getClientRects()) if (r.width > 0) tops.push(r.top);
        }
        tops.sort((a, b) => a - b);
        return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 4).length;
    };
    const brokenWords = el => {  // words (runs without spaces) whose letters sit on more than one line
        const found = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            for (const m of node.data.matchAll(/[^\\s\\/:]+/g))
                if (lineTops(node, m.index, m.index + m[0].length) > 1) found.push(m[0]);
        }
        return found;
    };
    const cells = document.querySelector('#rendered_cells');
    const para = [...document.querySelectorAll('#rendered_cells .jp-RenderedHTMLCommon p')].find(visible);
    const body = parseFloat(getComputedStyle(para || cells).fontSize);
    const buttons = [...cells.querySelectorAll('button, input[type=submit], a.fmse-download')]
        .filter(visible).filter(b => b.textContent.trim());
    const column = para ? para.getBoundingClientRect() : null;
    return {
        buttons: buttons.length,
        wrapped: buttons.filter(b => lines(b) > 1).map(b => b.textContent.trim()),
        small: buttons.filter(b => parseFloat(getComputedStyle(b).fontSize) < body - 0.05)
            .map(b => `${b.textContent.trim()} (${getComputedStyle(b).fontSize} < ${body}px)`),
        outside: column ? [...document.querySelectorAll('.fmse-exercise')].filter(visible)
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.left < column.left - 1 || r.right > column.right + 1)
            .map(([el, r]) => `${el.className.match(/fmse-[a-z-]+/g).join('.')} ${Math.round(r.left)}-` +
                 `${Math.round(r.right)} (text ${Math.round(column.left)}-${Math.round(column.right)})`) : [],
        broken: [...document.querySelectorAll('.jp-RenderedHTMLCommon th, .fmse-room-join-url')]
            .filter(visible).flatMap(brokenWords),
        sideways: [document.documentElement, document.body, cells]
            .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.id || el.tagName),
    };
}"""

NOTHING_WRONG = {"wrapped": [], "small": [], "outside": [], "broken": [], "sideways": []}


_sessions: dict = {}


def resize(page, width: int, height: int, scale: float) -> None:
    """Set the CSS viewport and device pixel ratio as Chromium's device emulation does, and let it lay out.

    The DevTools session stays open with its page: closing it would undo the override."""
    if page not in _sessions:
        _sessions[page] = page.context.new_cdp_session(page)
        page.on("close", lambda closed: _sessions.pop(closed, None))
    _sessions[page].send("Emulation.setDeviceMetricsOverride",
                         {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})
    page.wait_for_function("([w, s]) => innerWidth === w && devicePixelRatio === s", arg=[width, scale])
    # Lumino lays the page out again on the window's resize event; wait until the page fits the new width.
    page.wait_for_function("w => document.querySelector('#rendered_cells').getBoundingClientRect().width <= w",
                           arg=width)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def problems_at_every_size(page, shots=None, name: str = "") -> dict:
    found = {}
    for size, (width, height, scale) in SIZES.items():
        resize(page, width, height, scale)
        measured = page.evaluate(MEASURE_JS)
        wrong = {k: v for k, v in measured.items() if k in NOTHING_WRONG and v}
        if shots is not None:
            page.screenshot(path=str(shots / f"{name}-{width}x{height}@{scale}.png"))
        if wrong:
            found[size] = wrong
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    server = CourseServer(tmp_path_factory.mktemp("layout"))
    yield server
    server.stop()


# A module with exercises (and the knowledge check), the module with the certificate, the first module's
# table, the dashboard's buttons and tabs, and the landing page (both languages on one page).
PAGES = ["index.ipynb",
         "en/01-context.ipynb", "cy/01-cyd-destun.ipynb",
         "en/00-start-here.ipynb", "cy/00-dechrau-yma.ipynb",
         "en/07-check-your-learning.ipynb", "cy/07-gwirio-eich-dysgu.ipynb",
         "en/dashboard.ipynb", "cy/dangosfwrdd.ipynb"]


@pytest.mark.parametrize("path", PAGES)
def test_course_pages_read_on_a_projector_zoomed_and_on_a_phone(visit, course, path, tmp_path):
    v = visit()
    v.page.goto(f"{course.base}/voila/render/{path}")
    v.page.wait_for_function(READY, timeout=120_000)
    assert v.page.evaluate(MEASURE_JS)["buttons"] > 0, "every page measured here has buttons"
    assert problems_at_every_size(v.page, tmp_path, path.replace("/", "-")) == {}
    assert v.outside == []
    if "/01-" in path:  # module 1 says its knowledge check's prompt once, in the check itself
        prompt = {"en": "A short check of this module", "cy": "Gwiriad byr o'r modiwl hwn"}[path[:2]]
        assert v.page.inner_text("#rendered_cells").count(prompt) == 1


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    server = WorkshopServer(tmp_path_factory.mktemp("layout-workshop"), participants=2)
    server.wait_for_pools()
    yield server
    server.stop()


def join(visit, workshop, lang: str):
    v = visit(viewport=(360, 640))
    page = v.page
    page.goto(f"{workshop.base}/workshop/join?code={workshop.code}")
    page.fill("#nickname", f"phone-{lang}")
    page.check(f"input[name=lang][value={lang}]")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/voila/render/"), timeout=60_000)
    page.wait_for_function(READY, timeout=90_000)
    return v


def test_the_workshop_reads_on_the_projector_and_on_phones(visit, workshop, tmp_path):
    trainers = {}
    for lang in ("en", "cy"):
        trainers[lang] = visit(viewport=(1366, 768))
        trainers[lang].page.goto(f"{workshop.base}/workshop/trainer?token={workshop.token}&lang={lang}")
        trainers[lang].page.wait_for_function(READY, timeout=90_000)
    phones = {lang: join(visit, workshop, lang) for lang in ("en", "cy")}
    trainers["en"].page.get_by_role("button", name=translator("en").gettext("Next question")).click()
    first = questions()[0]
    for lang, v in phones.items():
        v.page.wait_for_function("t => [...document.querySelectorAll('.fmse-room .fmse-question-text')]"
                                 ".some(e => e.textContent.includes(t))", arg=first.prompt(lang)[:30],
                                 timeout=20_000)
        # On the phone, the question is on the first screen: nothing to scroll before reading it.
        box = v.page.locator(".fmse-room .fmse-question-text").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 640, (lang, box)
        v.page.screenshot(path=str(tmp_path / f"room-{lang}.png"))
        assert problems_at_every_size(v.page, tmp_path, f"room-{lang}") == {}
    for lang, v in trainers.items():
        # The join address is shown whole-word (it is the one thing the room must copy exactly).
        v.page.wait_for_function("() => document.querySelector('.fmse-room-join-url') !== null")
        assert "/workshop/join" in v.page.inner_text(".fmse-room-join-url")
        assert problems_at_every_size(v.page, tmp_path, f"trainer-{lang}") == {}
        assert v.outside == []
