"""The landing page's "who is learning" widget: enter a name (or stay anonymous) once, with a privacy note.

After the learner chooses, `learner_id` holds their id and `link(href)` gives the links that carry it to the
other pages (Voilà), or the choice is remembered in the data folder (JupyterLab: `remember=True`).
"""
from __future__ import annotations

import logging
from html import escape
from typing import Callable

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
                 store_factory: Callable[[], RecordStore] = open_store, workshop: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.errors = alert_box()  # first: the callbacks wrapped below report into it
        self.lang, self.remember, self.store_factory, self.workshop = lang, remember, store_factory, workshop
        self.tr = tr = translator(lang)
        self.add_class("fmse-identity")
        self.note = w.HTML(f'<p class="fmse-privacy-note">{escape(privacy_note(lang))}</p>')
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
        self.children = [self.note, self.form, self.status, self.change_button, self.errors]
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

    def _on_change(self, _button=None) -> None:
        self.form.layout.display = None
        self.change_button.layout.display = "none"

    def _choose(self, name: str | None) -> None:
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
        self.learner_id, self.name = learner.learner_id, learner.name or ""
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
        self.change_button.layout.display = None

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
