"""Words of the other language inside a page, so that they can be marked with their own `lang`.

A Welsh page names English-only services and organisations ("Childline", "Internet Watch Foundation") and
quotes English terms; an English page names a few Welsh things ("Cymraeg"). A screen reader reads a passage in
the voice of its `lang` attribute (WCAG 2.2, 3.1.2 Language of Parts), so each such passage needs the other
language's `lang`. Helpers that build HTML in Python (services, glossary, navigation) set it themselves; for the
prose of markdown cells and exercise text the page header hands this list to the course template's course.js,
which marks every occurrence in the rendered page (form-control labels, which are plain text, excepted).

The list is the services whose name is a proper noun in one language only (data/services.yaml, `name_lang`),
and the names, abbreviations, app names and quoted terms the termbase lists under `names` (data/termbase.yaml):
data, not a hand list in code.
"""
from __future__ import annotations

import json

from .content.services import services
from .languages import LANGS
from .termbase import termbase

def other(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    return "en" if lang == "cy" else "cy"


def phrases(lang: str) -> tuple[str, ...]:
    """Everything in the other language that a page in `lang` may contain, longest first."""
    names = {s.name(lang) for s in services().values() if s.name_lang and s.name_lang != lang}
    return tuple(sorted(names | set(termbase().names[lang]), key=lambda p: (-len(p), p)))


def phrases_script(lang: str) -> str:
    """The list as inert JSON for course.js (a <script type="application/json"> is never run)."""
    data = json.dumps({"lang": other(lang), "phrases": list(phrases(lang))}, ensure_ascii=False)
    # Script text is not HTML-decoded: only "</" (which would end the element early) needs escaping in JSON.
    data = data.replace("</", "<\\/")
    return f'<script type="application/json" class="fmse-other-language">{data}</script>'
