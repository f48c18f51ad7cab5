"""Is every piece of Welsh a page shows tracked? The tracked Welsh is every string that has a draft/reviewed status:
the content files' Welsh, the interface catalogue, the Welsh notebooks' prose (rendered from Markdown) and the
cases data card. A visible text node passes when it equals a tracked string (its {placeholders} filled with
anything) or a part of one; text that has no letters (numbers, dates, punctuation) passes too. A node the page
composed from several tracked strings passes when it splits into them (_composed), and a node cut from a string
with placeholders at an element boundary ("Neges 1, gan" + <b>name</b>) passes when its filled-in parts are
themselves tracked or have no letters. Invented user names are data: read from the content files' `handle`
keys (the chat exercises), they count as tracked."""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from fmse_widgets import yaml_text
from fmse_widgets.content import translation

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.|]*\}")  # {n}, {setting.dsp_name}, {meic.phone}
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
FILE_NAME = re.compile(r".+\.(?:html?|docx?|pdf|csv|ipynb|txt|md|py)")  # shaped like a web address, but a file
TRIM = " :;,·|()–-"  # separators the page puts around pieces
ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+\.[a-z]{2,}|(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?")  # e-mail and web addresses

# Every visible text node of the page that is not inside an element in another language (lang="en") or in code
# (pre, code, kbd: commands and Python are not Welsh prose, as the spelling test treats them) or the learner's
# own words echoed back (.fmse-your-words, the language coach).
# Pages whose Welsh is not all tracked yet, with why (none today). Every Welsh page (and the landing page) is
# checked: composed text nodes ("Pam: " + why, "Nesaf: " + a page title), strings cut at an element boundary
# ("Neges 1, gan" + <b>name</b>) and the chat exercises' invented user names are traced by the matcher
# (tests/test_welsh_text_matcher.py).
NOT_YET: dict[str, str] = {}


def tracks_welsh(info) -> bool:
    """Whether a page's Welsh is checked: every Welsh page, and the landing page (both languages)."""
    return (info.lang == "cy" or info.kind == "landing") and info.path not in NOT_YET


VISIBLE_TEXT_JS = """() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const parent = node.parentElement;
        const text = (node.nodeValue || '').replace(/\\s+/g, ' ').trim();
        if (!parent || !text || parent.closest('script, style, noscript, template, [hidden], pre, code, kbd, .fmse-your-words')) continue;
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


DATA_KEYS = ("handle",)  # content keys whose values the page shows as they are, in both languages (invented names)


def _data_values(node) -> list[str]:
    """The values of DATA_KEYS anywhere in a content file (the invented user names a chat shows)."""
    if isinstance(node, dict):
        found = [str(v) for k, v in node.items() if k in DATA_KEYS and isinstance(v, (str, int))]
        return found + [x for v in node.values() for x in _data_values(v)]
    if isinstance(node, list):
        return [x for v in node for x in _data_values(v)]
    return []


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _cut_patterns(literal: list[str]) -> list[re.Pattern]:
    """Patterns for the runs of a placeholder string that an element boundary can cut out: from one literal piece
    to a later one (outer ends trimmed as the node is), each placeholder between them a group whose fill must be
    tracked itself or have no letters (see _cut)."""
    found = []
    for i in range(len(literal)):
        for j in range(i + 1, len(literal)):
            if (i, j) == (0, len(literal) - 1):
                continue  # the whole string: already a pattern
            pieces = list(literal[i:j + 1])
            pieces[0], pieces[-1] = pieces[0].lstrip(TRIM), pieces[-1].rstrip(TRIM)
            if sum(len(LETTER.findall(x)) for x in pieces) >= 3:
                found.append(re.compile("(.+?)".join(re.escape(x) for x in pieces)))
    return found


@lru_cache(maxsize=1)
def tracked() -> tuple[str, tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    """(every tracked Welsh string without placeholders, joined; a pattern for each one with placeholders; the
    patterns for the runs of those an element boundary can cut out)."""
    from babel.messages.pofile import read_po

    from fmse_widgets.i18n import catalogue_path

    strings: list[str] = []
    for path in translation.yaml_files(ROOT / "data"):
        loaded = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        for _, text in translation._texts(loaded):
            strings += _markdown_text(text["cy"]) + [text["cy"]]
        strings += _data_values(loaded)
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
    plain, patterns, cuts = [], [], []
    for s in (_norm(s) for s in strings if s):
        literal = PLACEHOLDER.split(s)
        if len(literal) > 1 and sum(len(LETTER.findall(x)) for x in literal) >= 3:
            ends = [literal[0].lstrip(TRIM), *literal[1:-1], literal[-1].rstrip(TRIM)] if len(literal) > 1 else literal
            body = ".+?".join(re.escape(x) for x in ends)
            patterns.append(re.compile(body))
            cuts.extend(_cut_patterns(literal))
        plain.append(" ".join(literal))  # each literal piece alone is also a part of the string
        plain.extend(literal)
        plain.extend(x.strip(EDGES) for x in literal)
    return "\x00".join(plain), tuple(patterns), tuple(cuts)


def untracked(texts: list[str]) -> list[str]:
    """The text nodes that are no tracked Welsh string or part of one."""
    corpus, patterns, cuts = tracked()
    missing = []
    for text in texts:
        # separators the page puts between pieces (a service's name and its description, a phone and a text
        # number) are the page's, not the strings'
        text = _norm(text).strip(TRIM)
        if not LETTER.search(text) or (ADDRESS.fullmatch(text) and not FILE_NAME.fullmatch(text)) or text in corpus:
            continue
        if _known(text, corpus, patterns) or _composed(text, corpus, patterns):
            continue
        if _cut(text, corpus, patterns, cuts):
            continue
        missing.append(text)
    return missing


DATED_FILE = re.compile(r"(.+)-\d{4}-\d{2}-\d{2}\.[a-z0-9]{2,5}")
EDGES = " :;,·|()–-→←“”\"'"
MIN_WORDS = 3


def _known(piece: str, corpus: str, patterns) -> bool:
    piece = piece.strip(EDGES)
    dated = DATED_FILE.fullmatch(piece)
    if dated:  # a download's file name: a tracked name, the date and an extension
        piece = dated.group(1)
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



def _cut(text: str, corpus: str, patterns, cuts) -> bool:
    """A node cut from a placeholder string at an element boundary: a run of its literal pieces whose fills are
    each tracked (whole, composed) or have no letters, so an untracked sentence cannot ride in a placeholder."""
    for cut in cuts:
        match = cut.fullmatch(text)
        # a fill at the cut edge may itself be cut short by the element boundary: a run of a tracked string
        if match and all(_known(fill, corpus, patterns) or _composed(fill.strip(EDGES), corpus, patterns) or
                         f" {fill.strip(EDGES)} " in corpus.replace("\x00", " ")
                         for fill in match.groups()):
            return True
    return False
