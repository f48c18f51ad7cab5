"""What a warm (preheated) Voilà kernel builds before its visitor arrives (issue 22).

A warm kernel stops in its page's first cell (`course_page.start_page`) until someone opens the page; every cell
after that runs while the browser waits for the HTML. `prepare(page, lang)`, called just before that wait,
does the work that does not depend on who the visitor is:

- imports what the later cells use (records, the exercise views, the header's parts);
- fills the per-process caches of course content the header reads (pages, each page's exercises, what completes a
  module, the other language's phrases);
- builds the exercise views of this page in this language, as `page.show()` would build them.

`take(exercise_id, lang, page)` (called by `show()`) hands a prebuilt view over once, only for the same exercise,
language and page, and only while its exercise file is unchanged; otherwise `show()` builds one as it always did.
Nothing here reads or writes learner records, the recorder or who is learning: an exercise view reads the recorder
when an answer is recorded (`ExerciseView.finish`), and `show()` adds the learner's earlier answer after the
request. The view's start time is set when it is taken, as if it had been built then.

Outside a warm kernel (`--warm 0`, JupyterLab, nbval) nothing is prepared and `take` returns None.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

# (exercise id, lang, page) -> (view, the exercise file's (mtime_ns, size) when the view was built)
_views: dict[tuple[str, str, str], tuple[object, tuple[Path, int, int]]] = {}
_prepared = False   # prepare() ran: this is a warm kernel, and its page's cells run once, straight after the request
_answers: dict[str, tuple[object, list]] = {}   # page -> (recorder, its answers there), see earlier_answers
# (page, lang) -> (the draft marker's HTML, the (path, mtime_ns, size) of every file it was worked out from)
_markers: dict[tuple[str, str], tuple[str, list[tuple[Path, int, int]]]] = {}


def _signature(path: Path) -> tuple[Path, int, int]:
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


def _signature_or_none(path: Path) -> tuple[Path, int, int]:
    """As _signature, and (path, -1, -1) for a file that is not there (it may be added while the kernel waits)."""
    try:
        return _signature(path)
    except FileNotFoundError:
        return path, -1, -1


def prepare(page: str, lang: str) -> None:
    """Build, before the visitor is known, what this page shows to anyone. Never raises: whatever fails here is
    done again (and fails visibly, as before) in the cell that needs it."""
    global _prepared
    _prepared = True
    try:
        _warm_imports_and_caches(lang)
    except Exception as exc:  # noqa: BLE001 - the page's own cells do this again and show any problem
        log.warning("could not prepare the header of %s (%s) before its visitor: %s", page, lang, exc)
    try:
        _prepare_marker(page, lang)
    except Exception as exc:  # noqa: BLE001 - header() works it out again
        log.warning("could not prepare the draft marker of %s (%s): %s", page, lang, exc)
    try:
        _build_views(page, lang)
    except Exception as exc:  # noqa: BLE001 - as above: show() builds the views as it always did
        log.warning("could not prebuild the exercises of %s (%s): %s", page, lang, exc)


def _warm_imports_and_caches(lang: str) -> None:
    from . import draft_marker, page  # noqa: F401 - imported for the cells after the request
    from .course import pages
    from .other_language import phrases_script
    from .records import recorder, sqlite  # noqa: F401 - start_records() and the StoreRecorder's first read
    from .records.progress import completion_rule, page_exercises
    from .records.progress_view import ProgressView  # noqa: F401
    from .views import registry  # noqa: F401

    url = recorder.records_url() or ""
    if url.startswith(("postgresql://", "postgres://")):
        from .records import postgres  # noqa: F401 - the driver, only where the records are in PostgreSQL

    pages()
    page_exercises()
    completion_rule()
    phrases_script(lang)
    page.content_note(lang)  # the course text and services the page's prose cells read
    page.attribution(lang)


def _prepare_marker(page: str, lang: str) -> None:
    """The Welsh draft marker (draft_marker.page_marker), with the files it reads: the notebook and the exercise
    files of the page."""
    if lang != "cy":
        return  # English pages have none, and page_marker says so at once
    from .course import pages
    from .draft_marker import page_marker
    from .paths import data_dir, notebooks_dir
    from .records.progress import page_exercises

    here = next((p for p in pages() if p.page == page and p.lang == lang), None)
    if here is None:
        return
    files = [notebooks_dir() / here.path] + [data_dir() / "exercises" / f"{i}.yaml"
                                             for i in page_exercises().get(page, ())]
    signatures = [_signature_or_none(f) for f in files]
    _markers[(page, lang)] = (page_marker(page, lang), signatures)


def marker(page: str, lang: str) -> str | None:
    """The draft marker prepared for this page and language, if none of its files has changed since; else None."""
    found = _markers.get((page, lang))
    if found is None:
        return None
    html, signatures = found
    try:
        if all(_signature_or_none(path) == (path, mtime, size) for path, mtime, size in signatures):
            return html
    except OSError:
        pass
    del _markers[(page, lang)]
    return None


def _build_views(page: str, lang: str) -> None:
    from .content.loader import load
    from .course import pages
    from .paths import exercises_dir, notebooks_dir
    from .records.progress import exercises_in
    from .views import registry

    here = next((p for p in pages() if p.page == page and p.lang == lang), None)
    if here is None:
        return  # start_page's header says what is wrong
    folder = exercises_dir().resolve()
    for exercise_id in exercises_in(notebooks_dir() / here.path):
        try:
            signature = _signature(folder / f"{exercise_id}.yaml")
            exercise = load(exercise_id)
            view = registry.view_for(exercise)(exercise, lang, page=page)
        except Exception as exc:  # noqa: BLE001 - show() builds it again and shows the problem in the page
            log.info("exercise %s not prebuilt: %s", exercise_id, exc)
            continue
        _views[(exercise_id, lang, page)] = (view, signature)


def take(exercise_id: str, lang: str, page: str):
    """The view prebuilt for this exercise, language and page, once; None if there is none (or its file has
    changed since: then the loader reads it again)."""
    found = _views.pop((exercise_id, lang, page), None)
    if found is None:
        return None
    view, (path, mtime, size) = found
    try:
        unchanged = _signature(path)[1:] == (mtime, size)
    except OSError:
        unchanged = False
    if not unchanged:
        from .content.loader import _load

        _load.cache_clear()  # the file changed while the kernel waited: show() loads and builds it afresh
        return None
    from .recording import utc_now

    view._started_at = utc_now()  # type: ignore[attr-defined]  # when the learner was shown it, as before
    return view


def earlier_answers(recorder, page: str) -> list:
    """The learner's answers on `page` (recorder.answers), for `show()`'s note on an exercise answered before.

    In a warm kernel the page's cells run once, one after the other, straight after the request, and the browser
    cannot answer anything before they end: the exercises of the page share one read of the records instead of
    one each. The read is done again once this kernel records an answer. Anywhere else: one read per call."""
    if not _prepared:
        return recorder.answers(page or None)
    cached = _answers.get(page)
    if cached is not None and cached[0] is recorder:
        return cached[1]
    found = recorder.answers(page or None)
    _answers[page] = (recorder, found)
    recorder.listeners.append(lambda _event: _answers.pop(page, None))
    return found


def waiting() -> list[tuple[str, str, str]]:
    """The (exercise id, lang, page) of the views prebuilt and not yet taken (for tests)."""
    return list(_views)
