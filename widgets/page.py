"""What a notebook calls: the content note, support signposts, attribution and exercises, in one language.

Each function takes `lang` explicitly and returns something Jupyter displays (no global language state).
"""
from __future__ import annotations

import html
import logging
import re

from IPython.display import HTML

from .content.course_text import course_text
from .content.services import Service, services
from .i18n import translator
from .languages import LANGS

log = logging.getLogger(__name__)

ACCESSIBILITY_PAGE = "accessibility"   # notebooks/en/accessibility.ipynb and its Welsh twin


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _tel(number: str) -> str:
    return "tel:" + re.sub(r"\D", "", number)


def _named(service: Service, lang: str) -> str:
    name = _esc(service.name(lang))
    if service.name_lang and service.name_lang != lang:
        return f'<span lang="{service.name_lang}">{name}</span>'
    return name


def service_line(service: Service, lang: str) -> str:
    """One service as HTML: its name, what it is for, and how to reach it (numbers and addresses from the data)."""
    tr = translator(lang)
    reach = []
    for number in service.phones:
        reach.append(tr.gettext("Phone {number}").format(
            number=f'<a href="{_tel(number)}">{_esc(number)}</a>'))
    if service.sms:
        reach.append(tr.gettext("Text {number}").format(number=_esc(service.sms)))
    if service.email:
        reach.append(f'<a href="mailto:{_esc(service.email)}">{_esc(service.email)}</a>')
    url = service.url(lang)
    if url:
        shown = re.sub(r"^https://", "", url).rstrip("/")
        reach.append(f'<a href="{_esc(url)}" rel="noopener" target="_blank">{_esc(shown)}</a>')
    contact = f'<br><span class="fmse-contact">{" · ".join(reach)}</span>' if reach else ""
    return f'<li><strong>{_named(service, lang)}</strong>: {_esc(service.purpose(lang))}{contact}</li>'


def services_list(service_ids: list[str] | tuple[str, ...], lang: str) -> str:
    found = services()
    return "<ul>" + "".join(service_line(found[s], lang) for s in service_ids) + "</ul>"


def signposts_html(lang: str, where: str = "end") -> str:
    """The signposts; `where` ("start" or "end") keeps element ids unique when a page shows them twice."""
    _check_lang(lang)
    text = course_text()
    parts = [f'<aside class="fmse-signposts" aria-labelledby="fmse-signposts-{where}">'
             f'<h2 id="fmse-signposts-{where}">{_esc(text.signposts_heading(lang))}</h2>']
    for group in text.groups:
        parts.append(f"<h3>{_esc(group.heading(lang))}</h3><p>{_esc(group.intro(lang))}</p>")
        if group.services:
            parts.append(services_list(group.services, lang))
    parts.append("</aside>")
    return "".join(parts)


def signposts(lang: str) -> HTML:
    """Where to get support: staff, children and young people, emergencies."""
    return HTML(signposts_html(lang))


def content_note(lang: str, *, compact: bool = False) -> HTML:
    """The opening note that the topic may be distressing, followed by the support signposts; `compact`: its short
    form alone (one paragraph), for a page whose signposts close it and whose first screen is needed: the
    workshop room, where the question must be on a phone's first screen."""
    _check_lang(lang)
    text = course_text()
    if compact:
        return HTML(f'<p class="fmse-content-note fmse-content-note-short" role="note">'
                    f'{_esc(text.note_short(lang))}</p>')
    return HTML(f'<section class="fmse-content-note" aria-labelledby="fmse-note-h">'
                f'<h2 id="fmse-note-h">{_esc(text.note_heading(lang))}</h2>'
                f'<p>{_esc(text.note_body(lang))}</p></section>' + signposts_html(lang, "start"))


def attribution(lang: str) -> HTML:
    """The source line for the alert's text, with a link to the alert."""
    _check_lang(lang)
    alert = services()["nca-alert"]
    url = alert.url(lang) or ""
    link_text = translator(lang).gettext("Read the alert on Hwb")
    return HTML(f'<p class="fmse-attribution">{_esc(course_text().attribution(lang))} '
                f'<a href="{_esc(url)}" rel="noopener" target="_blank">{_esc(link_text)}</a></p>')


def show(exercise_id: str, *, lang: str, page: str = ""):
    """The exercise `exercise_id` from data/exercises/, as a widget in `lang`."""
    _check_lang(lang)
    from .prebuild import take

    view = take(exercise_id, lang, page)  # built by a warm kernel before its visitor came (prebuild.py)
    if view is None:
        from .content.loader import load
        from .views import registry

        exercise = load(exercise_id)
        view = registry.view_for(exercise)(exercise, lang, page=page)
    note = previous_answer(exercise_id, page, lang)
    if note is not None:
        view.children = (note, *view.children)
    return view


def previous_answer(exercise_id: str, page: str, lang: str):
    """For a learner whose answers are kept (records.recorder.StoreRecorder), a note on an exercise they have
    answered before: when, and the result; they answer again below to try again (issue 14). None otherwise."""
    import ipywidgets as w

    from .prebuild import earlier_answers
    from .recording import get_recorder
    from .records.recorder import StoreRecorder

    recorder = get_recorder()
    if not isinstance(recorder, StoreRecorder):
        return None
    try:
        earlier = [e for e in earlier_answers(recorder, page) if e.exercise_id == exercise_id]
    except Exception as exc:  # noqa: BLE001 - the exercise still works; the page's progress shows the problem
        log.warning("could not read earlier answers to %s: %s", exercise_id, exc)
        return None
    if not earlier:
        return None
    last = max(earlier, key=lambda e: e.finished_at)
    return w.HTML(previous_answer_html(last, lang))


def previous_answer_html(event, lang: str) -> str:
    from datetime import datetime

    from .records.certificate import format_day

    tr = translator(lang)
    try:
        day = format_day(datetime.fromisoformat(event.finished_at).date(), lang)
    except ValueError:
        day = event.finished_at[:10]
    score = round(event.score * 100)
    if event.passed is True:
        said = tr.gettext("You answered this on {date} and passed, with {score}%.").format(date=day, score=score)
    elif event.passed is False:
        said = tr.gettext("You answered this on {date}: {score}%, not passed yet.").format(date=day, score=score)
    else:
        said = tr.gettext("You answered this on {date}.").format(date=day)
    again = tr.gettext("Your answer is kept. To try again, answer below: your new answer is kept too.")
    return (f'<div class="fmse-previous-answer" lang="{lang}"><p><strong>{_esc(said)}</strong> '
            f'{_esc(again)}</p></div>')


def nav_html(page: str, lang: str, link=lambda href: href) -> str:
    """Links at the top of a page: the course home, the same page in the other language, previous and next.

    `link` turns each address into the one to show (e.g. carrying the learner id between Voilà pages).
    """
    from .course import pages

    _check_lang(lang)
    tr = translator(lang)
    everything = pages()
    here = next((p for p in everything if p.page == page and p.lang == lang), None)
    if here is None:
        raise ValueError(f"no page '{page}' in {lang}: check PAGE and LANG in the notebook's first cell")
    up = "../" * here.path.count("/")

    def a(path: str, text: str, extra: str = "") -> str:
        return f'<a href="{_esc(link(up + path))}"{extra}>{text}</a>'

    home = tr.gettext("Course home")
    links = [a("index.ipynb", _esc(home))]
    twin = next((p for p in everything if p.page == page and p.lang != lang and p.kind != "landing"), None)
    if twin is not None:
        label = "Cymraeg" if twin.lang == "cy" else "English"
        links.append(a(twin.path, label, f' lang="{twin.lang}" hreflang="{twin.lang}"'))
    sequence = [p for p in everything if p.lang == lang and p.kind == "module"]
    previous, following = tr.gettext("Previous"), tr.gettext("Next")
    if here in sequence:
        i = sequence.index(here)
        if i > 0:
            links.append(a(sequence[i - 1].path, f"← {_esc(previous)}: {_esc(sequence[i - 1].title)}", ' rel="prev"'))
        if i + 1 < len(sequence):
            links.append(a(sequence[i + 1].path, f"{_esc(following)}: {_esc(sequence[i + 1].title)} →", ' rel="next"'))
    # Every page reaches the accessibility statement, as UK public-sector sites link it from every page.
    statement = next((p for p in everything if p.page == ACCESSIBILITY_PAGE and p.lang == lang), None)
    if statement is not None and statement is not here:
        links.append(a(statement.path, _esc(statement.title)))
    label = tr.gettext("Course pages")
    return (f'<nav class="fmse-nav" aria-label="{_esc(label)}"><ul>'
            + "".join(f"<li>{item}</li>" for item in links) + "</ul></nav>")


def nav(page: str, lang: str) -> HTML:
    """The navigation links as a displayable object (for pages without learner records)."""
    return HTML(nav_html(page, lang))
