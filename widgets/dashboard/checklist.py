"""Tab "Response checklist": what to do when a child discloses, with the setting's own names and numbers.

The text is data (data/text/checklist.yaml, both languages); names and numbers come from the setting file
(fmse_widgets.setting) and data/services.yaml. The same HTML is shown in the page and offered as a
stand-alone file to print.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from ..content.fields import ID_PATTERN, Fields
from ..content.loader import read_yaml
from ..content.text import HasTexts, Text
from ..i18n import translator
from ..paths import data_dir

PLACEHOLDERS = ("dsp_name", "dsp_phone", "dsp_email", "deputy_name", "deputy_phone", "deputy_email",
                "childrens_services_name", "childrens_services_phone", "police_phone")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    text: Text
    from_alert: bool
    services: tuple[str, ...]
    substeps: tuple["Step", ...]


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: Text
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Checklist(HasTexts):
    title: Text
    intro: Text
    not_set: Text
    sections: tuple[Section, ...]
    sources: Text


def _step(f: Fields) -> Step:
    services = f.data.get("services", [])
    f.read.add("services")
    if not isinstance(services, list) or not all(isinstance(x, str) and ID_PATTERN.match(x) for x in services):
        f.fail("must be a list of service ids from data/services.yaml", "services")
    source = f.string("source", required=False, choices=("alert",))
    text = f.text("text")
    for name in PLACEHOLDER.findall(text.en) + PLACEHOLDER.findall(text.cy):
        if name not in PLACEHOLDERS:
            f.fail(f"{{{name}}} is not a setting field; use one of {', '.join(PLACEHOLDERS)}", "text")
    substeps = tuple(_step(g) for g in f.items("substeps")) if "substeps" in f.data else ()
    step = Step(id=f.string("id", pattern=ID_PATTERN), text=text, from_alert=source == "alert",
                services=tuple(services), substeps=substeps)
    f.no_other_keys()
    return step


def parse_checklist(data: object, file: Path | str) -> Checklist:
    top = Fields(data, file=file, item=None, kind="checklist")
    sections = []
    for g in top.items("sections"):
        sections.append(Section(id=g.string("id", pattern=ID_PATTERN), heading=g.text("heading"),
                                steps=tuple(_step(h) for h in g.items("steps"))))
        g.no_other_keys()
    checklist = Checklist(title=top.text("title"), intro=top.text("intro"), not_set=top.text("not_set"),
                          sections=tuple(sections), sources=top.text("sources"))
    top.no_other_keys()
    return checklist


@lru_cache(maxsize=4)
def _load(path: Path) -> Checklist:
    return parse_checklist(read_yaml(path), path)


def checklist_path() -> Path:
    return (data_dir() / "text" / "checklist.yaml").resolve()


def load_checklist(path: Path | None = None) -> Checklist:
    return _load(path.resolve() if path else checklist_path())


def _fill(text: str, setting) -> str:
    """Escape the text and put the setting's values (or their bracketed placeholders) in."""
    parts = PLACEHOLDER.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f'<span class="fmse-setting-value">{escape(getattr(setting, part))}</span>')
        else:
            out.append(escape(part))
    return "".join(out)


def _services(ids: tuple[str, ...], lang: str) -> str:
    if not ids:
        return ""
    from ..page import services_list

    return services_list(ids, lang)


def _steps(steps: tuple[Step, ...], lang: str, setting) -> str:
    alert = translator(lang).gettext("the alert")
    items = []
    for step in steps:
        mark = f' <span class="fmse-source-mark">({escape(alert)})</span>' if step.from_alert else ""
        inner = _steps(step.substeps, lang, setting) if step.substeps else ""
        items.append(f'<li id="fmse-step-{step.id}">{_fill(step.text(lang), setting)}{mark}'
                     f"{_services(step.services, lang)}{inner}</li>")
    return "<ol>" + "".join(items) + "</ol>"


def checklist_html(lang: str, setting=None) -> str:
    """The whole checklist as HTML in `lang`, with the setting's names and numbers."""
    if setting is None:
        from ..setting import load_setting

        setting = load_setting(lang)
    checklist = load_checklist()
    parts = [f'<article class="fmse-checklist" lang="{lang}" aria-labelledby="fmse-checklist-h">'
             f'<h2 id="fmse-checklist-h">{escape(checklist.title(lang))}</h2>'
             f"<p>{escape(checklist.intro(lang))}</p>"]
    if setting.name and setting.is_set:
        parts.append(f'<p class="fmse-setting-name"><strong>{escape(setting.name)}</strong></p>')
    if not setting.is_set:
        parts.append(f'<p class="fmse-setting-note">{escape(checklist.not_set(lang))}</p>')
    if getattr(setting, "problem", None):
        parts.append(f'<p class="fmse-setting-note">{escape(setting.problem)}</p>')
    for section in checklist.sections:
        parts.append(f"<section><h3>{escape(section.heading(lang))}</h3>{_steps(section.steps, lang, setting)}"
                     f"</section>")
    parts.append(f'<p class="fmse-sources">{escape(checklist.sources(lang))}</p></article>')
    return "".join(parts)


PRINT_CSS = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; font-size: 12pt; line-height: 1.45;
       max-width: 44em; margin: 1.5em auto; padding: 0 1em; color: #000; background: #fff; }
h1, h2, h3 { line-height: 1.2; break-after: avoid; }
li { margin: 0.3em 0; }
ol ol { list-style-type: lower-alpha; }
a { color: #0b4f94; }
.fmse-setting-value { font-weight: 600; }
.fmse-sources { font-size: 0.9em; margin-top: 2em; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { margin: 0; max-width: none; }
  a { color: #000; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; }
  li { break-inside: avoid; }
}
"""


def printable_document(lang: str, setting=None) -> str:
    """A stand-alone HTML page of the checklist, with a print stylesheet and nothing loaded from elsewhere."""
    checklist = load_checklist()
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(checklist.title(lang))}</title><style>{PRINT_CSS}</style></head><body>"
            f"{checklist_html(lang, setting)}</body></html>\n")


def print_link(lang: str, setting=None) -> str:
    """A link that saves the printable checklist (made here, in the kernel, as a data: address)."""
    tr = translator(lang)
    encoded = base64.b64encode(printable_document(lang, setting).encode("utf-8")).decode("ascii")
    label = tr.gettext("Download the checklist to print (a web page; open it and choose Print)")
    hint = tr.gettext("Or print this page while this tab is open: the page has a print layout.")
    name = "rhestr-wirio-ymateb.html" if lang == "cy" else "response-checklist.html"
    return (f'<p class="fmse-print"><a class="fmse-download" href="data:text/html;charset=utf-8;base64,{encoded}"'
            f' download="{name}">{escape(label)}</a></p><p class="fmse-print-hint">{escape(hint)}</p>')
