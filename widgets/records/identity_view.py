"""The landing page's "who is learning" widget: enter a name (or stay anonymous) once, with a privacy note.

After the learner chooses, `learner_id` holds their id and `link(href)` gives the links that carry it to the
other pages (Voilà), or the choice is remembered in the data folder (JupyterLab: `remember=True`).

In Voilà the browser remembers the learner too (widgets/learner_cookie.py): once chosen, the page asks the server
to set its learner cookie and puts `?learner=` in the address bar (course.js, `.fmse-remember`), and offers
"Continue as <name>" and "I'm someone else". A typed name that is already a learner's on this computer is asked
about ("is that you?"), never silently made into a second learner.
"""
from __future__ import annotations

import logging
from html import escape
from typing import Callable
from urllib.parse import urlencode

import ipywidgets as w
import traitlets

from ..i18n import translator
from ..views.guard import alert_box, guard
from . import identity as ident
from .errors import RecordsError
from .recorder import open_store
from .store import MAX_NAME, RecordStore

log = logging.getLogger(__name__)


def privacy_note(lang: str) -> str:
    tr = translator(lang)
    return tr.gettext(
        "What the course keeps: the name you give here (or none, if you stay anonymous), which exercises you "
        "completed, the answers you chose (as option codes, never anything you type), your scores and the "
        "dates. It is kept in the course's records on this computer or server and nowhere else, until you or "
        "your setting delete it. Nothing about any child is ever recorded.")


class IdentityView(w.VBox):
    """Name entry with a privacy note. Traits: `learner_id` and `name` (empty until the learner chooses)."""

    learner_id = traitlets.Unicode("").tag(sync=False)
    name = traitlets.Unicode("").tag(sync=False)

    def __init__(self, lang: str, *, identity: ident.Identity | None = None, remember: bool = False,
                 store_factory: Callable[[], RecordStore] = open_store, workshop: str | None = None,
                 continue_to: str | Callable[[str], str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.errors = alert_box()  # first: the callbacks wrapped below report into it
        self.lang, self.remember, self.store_factory, self.workshop = lang, remember, store_factory, workshop
        self.tr = tr = translator(lang)
        self.add_class("fmse-identity")
        self.note = w.HTML(f'<p class="fmse-privacy-note" lang="{lang}">{escape(privacy_note(lang))}</p>')
        self.name_box = w.Text(value="", description=tr.gettext("Your name"),
                               placeholder=tr.gettext("optional: as it should appear on a certificate"),
                               continuous_update=False, layout=w.Layout(width="auto"))
        self.save_button = w.Button(description=tr.gettext("Save my name"), button_style="primary")
        self.anonymous_button = w.Button(description=tr.gettext("Stay anonymous"))
        self.change_button = w.Button(description=tr.gettext("Change my name"))
        self.save_button.on_click(self._guard(self._on_save))
        self.anonymous_button.on_click(self._guard(self._on_anonymous))
        self.change_button.on_click(self._guard(self._on_change))
        self.form = w.VBox([self.name_box, w.HBox([self.save_button, self.anonymous_button])])
        self.status = w.HTML("")
        self.status.add_class("fmse-live")
        # The page "Continue as" opens: a path, or a function of the learner's id giving one (the landing page's
        # next unfinished module).
        self.continue_to = continue_to
        # Same name as a learner already on this computer: asked, never a silent second learner.
        self.same_question = w.HTML("")
        self.same_yes = w.Button(description="", button_style="primary")
        self.same_no = w.Button(description="")
        self.same_yes.on_click(self._guard(self._on_same_yes))
        self.same_no.on_click(self._guard(self._on_same_no))
        self.same_box = w.VBox([self.same_question, w.HBox([self.same_yes, self.same_no])])
        self.same_box.add_class("fmse-same-name")
        self.same_box.layout.display = "none"
        self._same: tuple[str, str] | None = None  # (learner id, name) asked about
        self.browser = w.HTML("")  # "Continue as", "I'm someone else", and the request to remember (Voilà)
        self.browser.add_class("fmse-browser-learner")
        self.children = [self.note, self.form, self.same_box, self.status, self.browser, self.change_button,
                         self.errors]
        if identity is not None:
            self._show_known(identity)
        else:
            self.change_button.layout.display = "none"

    def _show_known(self, identity: ident.Identity) -> None:
        store = self.store_factory()
        try:
            learner = store.learner(identity.learner_id)
        finally:
            store.close()
        if learner is None:
            self.change_button.layout.display = "none"
            return
        self.learner_id, self.name = learner.learner_id, learner.name or ""
        self.workshop = identity.workshop or self.workshop
        self.name_box.value = learner.name or ""
        self._chosen()

    def _guard(self, callback):
        return guard(callback, self.errors, lambda exc: exc.message(self.lang), where="identity",
                     catch=(RecordsError,), expected=(RecordsError,))

    def _on_save(self, _button=None) -> None:
        if not self.name_box.value.strip():
            first = self.tr.gettext("Type your name first, or choose to stay anonymous.")
            self.status.value = f"<p>{escape(first)}</p>"
            return
        if len(" ".join(self.name_box.value.split())) > MAX_NAME:
            message = self.tr.gettext("A name can have at most {n} characters.").format(n=MAX_NAME)
            self.status.value = f"<p>{escape(message)}</p>"
            return
        self._choose(self.name_box.value)

    def _on_anonymous(self, _button=None) -> None:
        self.name_box.value = ""
        self._choose(None)

    def _existing(self, name: str) -> tuple[str, str] | None:
        """The learner on this computer already called `name` (ignoring case and spacing), the newest if several."""
        from .store import clean_name

        wanted = (clean_name(name) or "").casefold()
        store = self.store_factory()
        try:
            same = [one for one in store.learners() if one.name and one.name.casefold() == wanted]
        finally:
            store.close()
        if not same:
            return None
        newest = max(same, key=lambda one: one.created_at)
        return newest.learner_id, newest.name or ""

    def _ask_same(self, learner_id: str, name: str) -> None:
        tr = self.tr
        self._same = (learner_id, name)
        question = escape(tr.gettext("There is already a learner called {name} on this computer: is that you?"))
        self.same_question.value = f'<p>{question.format(name=f"<strong>{escape(name)}</strong>")}</p>'
        self.same_yes.description = tr.gettext("Yes, continue as {name}").format(name=name)
        self.same_no.description = tr.gettext("No, I'm a different person")
        self.form.layout.display = "none"
        self.same_box.layout.display = None
        self.status.value = ""

    def _on_same_yes(self, _button=None) -> None:
        if self._same is None:
            return
        learner_id, name = self._same
        self._same = None
        self.same_box.layout.display = "none"
        store = self.store_factory()
        try:
            learner = store.learner(learner_id)
        finally:
            store.close()
        if learner is None:  # deleted meanwhile (records delete): there is only one of that name now
            self._choose(name, asked=True)
            return
        self._adopt(learner)

    def _on_same_no(self, _button=None) -> None:
        if self._same is None:
            return
        _learner_id, name = self._same
        self._same = None
        self.same_box.layout.display = "none"
        self._choose(name, asked=True)

    def _on_change(self, _button=None) -> None:
        self.form.layout.display = None
        self.change_button.layout.display = "none"

    def _choose(self, name: str | None, *, asked: bool = False) -> None:
        if name and not self.learner_id and not asked:
            existing = self._existing(name)
            if existing is not None:
                self._ask_same(*existing)
                return
        store = self.store_factory()
        try:
            if self.learner_id:
                store.rename_learner(self.learner_id, name)
                learner = store.learner(self.learner_id)
            else:
                learner = store.add_learner(name)
        finally:
            store.close()
        assert learner is not None
        self._adopt(learner)

    def _adopt(self, learner) -> None:
        self.learner_id, self.name = learner.learner_id, learner.name or ""
        self.name_box.value = learner.name or ""
        if self.remember:
            try:
                ident.save(learner.learner_id, learner.name)
            except OSError as exc:
                raise RecordsError("read-only", path=ident.saved_path()) from exc
        self._chosen()

    def _chosen(self) -> None:
        tr = self.tr
        if self.name:
            # The name is the learner's own typing: escaped before it is shown.
            said = escape(tr.gettext("You are studying as {name}.")).format(
                name=f"<strong>{escape(self.name)}</strong>")
        else:
            said = escape(tr.gettext("You are studying anonymously: your progress is kept without a name."))
        carry = (tr.gettext("Your progress is remembered on this computer.") if self.remember else
                 tr.gettext("Use the links on this page to move between pages, so your progress follows you."))
        self.status.value = f"<p>{said} {escape(carry)}</p>"
        self.form.layout.display = "none"
        self.same_box.layout.display = "none"
        self.change_button.layout.display = None
        self.browser.value = self._browser_html()

    def _browser_html(self) -> str:
        """In Voilà: "Continue as <name>" and "I'm someone else", and the request that makes the server remember
        this learner in this browser (course.js sends it, then puts the learner in the address bar)."""
        if self.remember or not self.learner_id:
            return ""
        from .. import learner_cookie

        tr = self.tr
        try:
            remember_url, forget_url = learner_cookie.grant_url(self.learner_id), learner_cookie.forget_url()
        except OSError:
            log.warning("the server's cookie secret cannot be read: this browser will not remember the learner")
            return ""
        label = (tr.gettext("Continue as {name}").format(name=self.name) if self.name
                 else tr.gettext("Continue anonymously"))
        other = tr.gettext("I'm someone else")
        query = urlencode([(ident.QUERY_KEY, self.learner_id)] +
                          ([(ident.WORKSHOP_KEY, self.workshop)] if self.workshop else []))
        where = self.continue_to(self.learner_id) if callable(self.continue_to) else self.continue_to
        go = self.link(where) if where else ""
        continue_link = (f'<a class="fmse-continue fmse-button-link" href="{escape(go)}">{escape(label)}</a> '
                         if go else "")
        return (f'<p class="fmse-browser-actions" lang="{self.lang}">{continue_link}'
                f'<a class="fmse-forget fmse-button-link" href="{escape(forget_url)}">{escape(other)}</a></p>'
                f'<span class="fmse-remember" hidden data-url="{escape(remember_url)}" '
                f'data-query="{escape(query)}"></span>')

    def show_learner(self, learner_id: str, name: str) -> None:
        """Show a learner chosen elsewhere on the page (the landing page's other language)."""
        self.learner_id, self.name = learner_id, name
        self.name_box.value = name
        if learner_id:
            self._chosen()

    def link(self, href: str) -> str:
        """`href` carrying this learner (and workshop code) to the next page; unchanged before they choose, and
        in JupyterLab, where the learner is remembered on the computer instead (a query would break the link)."""
        if self.remember:
            return href
        return ident.with_learner(href, self.learner_id or None, self.workshop)

    @property
    def query(self) -> str:
        """The query string to add to links (e.g. 'learner=…'), or '' before the learner chooses."""
        return self.link("?").lstrip("?")
