"""Writing a composed letter: an editable Word document (python-docx), a standalone HTML page, data: links.

Both keep every character (Welsh ŵ and ŷ included: the text is Unicode throughout, and Word's and browsers'
fonts carry them) and mark each part with its language, so spelling checkers and screen readers use the
right one. HTML escapes every piece of text, the setting's details included.
"""
from __future__ import annotations

import base64
import datetime as dt
from html import escape
from io import BytesIO

from .compose import Block, Letter, Run

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_MIME = "text/html;charset=utf-8"
LANG_TAGS = {"en": "en-GB", "cy": "cy-GB"}


def file_name(letter: Letter, extension: str) -> str:
    """The download's file name, e.g. "llythyr-i-rieni-a-gofalwyr-2026-11-28.docx"."""
    return f"{letter.file_stem}.{extension}"


def data_link(content: bytes, mime: str) -> str:
    """A data: URL the page can save without asking the file server (the file is made in the kernel)."""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


# --- HTML ---

def _esc(text: str) -> str:
    return escape(text, quote=True)


def _run_html(run: Run, new_tab: bool = False) -> str:
    html = _esc(run.text)
    if run.href:
        # In the page's preview a link opens a new tab, so the learner's choices are not lost.
        target = ' rel="noopener" target="_blank"' if new_tab and run.href.startswith("https://") else ""
        html = f'<a href="{_esc(run.href)}"{target}>{html}</a>'
    if run.strong:
        html = f"<strong>{html}</strong>"
    if run.placeholder:
        html = f'<mark class="fmse-placeholder">{html}</mark>'
    return html


def part_html(blocks: tuple[Block, ...], lang: str, level: int, new_tab: bool = False) -> str:
    """One language's letter as an <article>; `level` is the title's heading level (sections one below)."""
    def _runs_html(block: Block) -> str:
        return "".join(_run_html(r, new_tab) for r in block.runs)

    out = [f'<article class="fmse-letter" lang="{lang}">']
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("bullet", "signature"):
            group = []
            while i < len(blocks) and blocks[i].kind == block.kind:
                group.append(blocks[i])
                i += 1
            if block.kind == "bullet":
                out.append("<ul>" + "".join(f"<li>{_runs_html(b)}</li>" for b in group) + "</ul>")
            else:
                out.append('<p class="fmse-letter-signature">' + "<br>".join(_runs_html(b) for b in group) + "</p>")
            continue
        if block.kind == "title":
            out.append(f'<h{level} class="fmse-letter-title">{_runs_html(block)}</h{level}>')
        elif block.kind == "heading":
            out.append(f"<h{level + 1}>{_runs_html(block)}</h{level + 1}>")
        elif block.kind == "note":
            out.append(f'<p class="fmse-letter-note"><small>{_runs_html(block)}</small></p>')
        elif block.kind in ("sender", "date"):
            out.append(f'<p class="fmse-letter-{block.kind}">{_runs_html(block)}</p>')
        else:
            out.append(f"<p>{_runs_html(block)}</p>")
        i += 1
    out.append("</article>")
    return "".join(out)


def body_html(letter: Letter, level: int = 1, new_tab: bool = False) -> str:
    """The letter's parts (Welsh first when both), as shown in the page's preview and in the HTML file."""
    return '<hr class="fmse-letter-between">'.join(part_html(p.blocks, p.lang, level, new_tab)
                                                   for p in letter.parts)


LETTER_CSS = """
body { font-family: Arial, "Helvetica Neue", sans-serif; font-size: 1.05rem; line-height: 1.5; color: #111;
       background: #fff; max-width: 42em; margin: 2em auto; padding: 0 1em; }
.fmse-letter-sender, .fmse-letter-date { text-align: right; margin: 0; }
.fmse-letter-note { margin-top: 2em; color: #333; }
.fmse-letter-between { margin: 3em 0; }
mark.fmse-placeholder { background: #fff3b0; color: #111; }
a { color: #0b4f9c; }
@media print { @page { size: A4; margin: 2.54cm; }
               .fmse-letter-between { break-after: page; border: 0; } a { color: inherit; } }
"""


def to_html(letter: Letter) -> str:
    """A standalone HTML page of the letter (no scripts, nothing loaded from elsewhere)."""
    return (f'<!DOCTYPE html>\n<html lang="{letter.lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_esc(letter.title)}</title>\n<style>{LETTER_CSS}</style>\n</head>\n<body>\n"
            f"{body_html(letter, level=1)}\n</body>\n</html>\n")


# --- Word (.docx) ---

def _set_lang(rpr, lang: str) -> None:
    """Mark text as Welsh or English for Word's spelling checker (w:lang comes last in w:rPr)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), LANG_TAGS[lang])
    rpr.append(element)


def _add_run(paragraph, run: Run, lang: str) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if run.href and run.href.startswith(("https://", "mailto:")):
        r_id = paragraph.part.relate_to(run.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "0B4F9C")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        rpr.extend([color, underline])
        _set_lang(rpr, lang)
        text = OxmlElement("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = run.text
        r.extend([rpr, text])
        link.append(r)
        paragraph._p.append(link)
        return
    added = paragraph.add_run(run.text)
    if run.strong:
        added.bold = True
    if run.placeholder:
        added.font.highlight_color = WD_COLOR_INDEX.YELLOW
    _set_lang(added._r.get_or_add_rPr(), lang)


def to_docx(letter: Letter) -> bytes:
    """An editable Word document of the letter: headings, bullets and links as Word styles, one part per page."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    for section in doc.sections:  # python-docx's template is US Letter: schools in Wales print on A4
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2.54)  # Word's UK "Normal" margins
        section.top_margin = section.bottom_margin = Cm(2.54)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    _set_lang(normal.element.get_or_add_rPr(), letter.lang)
    core = doc.core_properties
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    core.title, core.language = letter.title, LANG_TAGS[letter.lang]
    core.author = core.last_modified_by = core.comments = core.subject = core.keywords = core.category = ""
    core.created = core.modified = now
    core.revision = 1
    for index, part in enumerate(letter.parts):
        if index:
            doc.add_page_break()
        for block in part.blocks:
            paragraph = _docx_paragraph(doc, block)
            if block.kind in ("sender", "date"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.kind in ("sender", "signature"):
                paragraph.paragraph_format.space_after = Pt(0)
            for run in block.runs:
                _add_run(paragraph, run, part.lang)
            if block.kind == "note":
                for r in paragraph.runs:
                    r.font.size = Pt(9)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_paragraph(doc, block: Block):
    if block.kind == "title":
        return doc.add_heading(level=1)
    if block.kind == "heading":
        return doc.add_heading(level=2)
    if block.kind == "bullet":
        return doc.add_paragraph(style="List Bullet")
    return doc.add_paragraph()
