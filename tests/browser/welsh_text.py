"""Is every piece of Welsh a page shows tracked? The tracked Welsh is every string that has a draft/reviewed status:
the content files' Welsh, the interface catalogue, the Welsh notebooks' prose (rendered from Markdown) and the
cases data card. A visible text node passes when it equals a tracked string (its {placeholders} filled with
anything) or a part of one; text that has no letters (numbers, dates, punctuation) passes too."""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

from fmse_widgets.content import translation

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+\.[a-z]{2,}|(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?")  # e-mail and web addresses

# Every visible text node of the page that is not inside an element in another language (lang="en").
VISIBLE_TEXT_JS = """() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const parent = node.parentElement;
        const text = (node.nodeValue || '').replace(/\\s+/g, ' ').trim();
        if (!parent || !text || parent.closest('script, style, noscript, template, [hidden]')) continue;
        const owner = parent.closest('[lang]');
        if (owner && !owner.getAttribute('lang').startsWith('cy')) continue;
        if (!parent.getClientRects().length) continue;
        const style = getComputedStyle(parent);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        found.push(text);
    }
    for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
        const owner = el.closest('[lang]');
        if (el.getClientRects().length && !(owner && !owner.getAttribute('lang').startsWith('cy'))) {
            found.push(el.placeholder.replace(/\\s+/g, ' ').trim());
        }
    }
    return [...new Set(found)].filter(t => t);
}"""


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def _markdown_text(source: str) -> list[str]:
    """The text a Markdown cell shows: rendered as the page renders it, each text run separately and whole."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    parser = _Text()
    parser.feed(markdown2html_mistune(source))
    whole = " ".join(parser.parts)
    return [whole, *parser.parts]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@lru_cache(maxsize=1)
def tracked() -> tuple[str, tuple[re.Pattern, ...]]:
    """(every tracked Welsh string without placeholders, joined; a pattern for each one with placeholders)."""
    from babel.messages.pofile import read_po

    from fmse_widgets.i18n import catalogue_path

    strings: list[str] = []
    for path in translation.yaml_files(ROOT / "data"):
        for _, text in translation._texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            strings += _markdown_text(text["cy"]) + [text["cy"]]
    with catalogue_path("cy").open("rb") as handle:
        for message in read_po(handle):
            if message.id:
                strings += [s for s in (message.string if isinstance(message.string, tuple) else (message.string,))]
    for path in sorted((ROOT / "notebooks" / "cy").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                strings += _markdown_text(translation._source(cell))
    readme = ROOT / "data" / "cases" / "README.cy.md"
    strings += _markdown_text(translation.document_body(readme.read_text(encoding="utf-8")))
    plain, patterns = [], []
    for s in (_norm(s) for s in strings if s):
        literal = PLACEHOLDER.split(s)
        if len(literal) > 1 and sum(len(LETTER.findall(x)) for x in literal) >= 3:
            body = ".+?".join(re.escape(x) for x in literal)
            patterns.append(re.compile(body))
        plain.append(" ".join(literal))  # each literal piece alone is also a part of the string
        plain.extend(literal)
    return "\x00".join(plain), tuple(patterns)


def untracked(texts: list[str]) -> list[str]:
    """The text nodes that are no tracked Welsh string or part of one."""
    corpus, patterns = tracked()
    missing = []
    for text in texts:
        # separators the page puts between pieces (a service's name and its description, a phone and a text
        # number) are the page's, not the strings'
        text = _norm(text).strip(" :;,·|()–-")
        if not LETTER.search(text) or ADDRESS.fullmatch(text) or text in corpus:
            continue
        if any(p.fullmatch(text) for p in patterns) or _composed(text, corpus, patterns):
            continue
        missing.append(text)
    return missing


EDGES = " :;,·|()–-→←“”\"'"
MIN_WORDS = 3


def _known(piece: str, corpus: str, patterns) -> bool:
    piece = piece.strip(EDGES)
    return (not LETTER.search(piece) or f"\x00{piece}\x00" in f"\x00{corpus}\x00" or
            any(p.fullmatch(piece) for p in patterns))


def _composed(text: str, corpus: str, patterns) -> bool:
    """A node the page built from several tracked strings (a label and a sentence, two sentences): it splits,
    from the left, into pieces that are each a whole tracked string or a run of at least MIN_WORDS words of one."""
    words = text.split(" ")
    i = 0
    while i < len(words):
        best = None
        for j in range(len(words), i, -1):
            piece = " ".join(words[i:j])
            if _known(piece, corpus, patterns) or (j - i >= MIN_WORDS and piece.strip(EDGES) in corpus):
                best = j
                break
        if best is None:
            return False
        i = best
    return True

