"""Printing a course page to PDF in real Chromium (print media, as the browser's Print does) and reading it back
with pypdf: what every printout needs, and the paper size. Used by test_every_page_accessibility.py (every module,
printed from the page load its other checks use), test_print.py (the response checklist) and test_a4_print.py."""
from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader

from fmse_widgets.i18n import translator

A4_MM = (210, 297)  # Letter would be (216, 279)


def page_sizes(page) -> set[tuple[float, float]]:
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(reader.pages) >= 1
    return {(round(float(p.mediabox.width) * 25.4 / 72), round(float(p.mediabox.height) * 25.4 / 72))
            for p in reader.pages}  # in whole millimetres (Chromium rounds A4's 595.28 pt to 595)


# Under print media: the text of every markdown cell and HTML output, the outside links that print their
# address, the words of whatever is meant to be hidden, and any box with a dark background that is still shown.
PRINTED_JS = """() => {
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const cells = document.getElementById('rendered_cells');
    const blocks = [...cells.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedHTML:not(.widget-html-content)')]
        .filter(shown).map(el => el.innerText);
    const links = [...cells.querySelectorAll('a[href^="http"]:not(.fmse-bare-url)')].filter(shown)
        .map(a => a.getAttribute('href'));
    const hidden = [...document.querySelectorAll('.fmse-skip-link, .fmse-nav, .fmse-page-header, button')]
        .map(el => ({text: el.innerText.trim(), shown: shown(el)}));
    const luminance = rgb => {
        const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const dark = [];
    for (const el of [document.body, ...cells.querySelectorAll('*')]) {
        const m = getComputedStyle(el).backgroundColor.match(/rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?/);
        if (!m || (m[4] !== undefined && Number(m[4]) < 0.2) || !shown(el)) continue;
        if (luminance([m[1], m[2], m[3]].map(Number)) < 0.5) dark.push(el.tagName + '.' + el.className);
    }
    return {blocks, links, hidden, dark};
}"""


def words(text: str) -> str:
    """Text with its spaces made single; ligatures the PDF uses ("ﬀ", "ﬁ") and curly apostrophes made plain."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def pdf_text(page) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return words(" ".join(p.extract_text() or "" for p in reader.pages)), len(reader.pages)


def check_printout(page, lang: str) -> tuple[str, int]:
    """Print the page; assert what every printout needs; returns the PDF's text and page count."""
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED_JS)
    text, count = pdf_text(page)
    # Everything the page says is printed: the start and end of every block of text (so nothing is clipped).
    # A long printed address wraps inside itself in the PDF's text, so each part is also looked for without spaces.
    squeezed = re.sub(r"\s", "", text)
    missing = []
    for block in printed["blocks"]:
        said = words(block).split(" ")
        for part in (" ".join(said[:6]), " ".join(said[-6:])):
            if part and part not in text and re.sub(r"\s", "", part) not in squeezed:
                missing.append(part)
    assert printed["blocks"] and missing == [], missing
    # Outside links print their address (compared without spaces: a long address wraps).
    assert [h for h in printed["links"] if re.sub(r"\s", "", h) not in squeezed] == []
    # Nothing to press on paper.
    assert [h for h in printed["hidden"] if h["shown"]] == []
    tr = translator(lang)
    prose = words(" ".join(printed["blocks"]))
    for label in (tr.gettext("Course home"), tr.gettext("Check answer"), tr.gettext("Check answers"),
                  "Skip to content" if lang == "en" else "Neidio i'r cynnwys"):
        # (a module may name a button in its prose, to tell the learner what to press)
        assert label in prose or label not in text, label
    assert printed["dark"] == [], printed["dark"]
    return text, count


def check_module_printout(page, lang: str) -> None:
    """A module prints whole, without navigation or buttons, with the support signposts on its last page, on A4."""
    text, count = check_printout(page, lang)
    # The support signposts close every module: the last page of the printout still has them.
    heading = "Ble i gael cymorth" if lang == "cy" else "Where to get support"
    assert text.rstrip().rfind(heading) > len(text) // 2
    assert count >= 2
    assert page_sizes(page) == {A4_MM}
