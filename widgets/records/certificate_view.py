"""The certificate on the page: what is still to do, or a button that makes the PDF in Welsh, English or both.

Making it takes a few seconds (three PDFs): while it works the status says so in the page's language and the
button is disabled, a click that arrives meanwhile (queued in the kernel) does nothing, and then the status says
it is ready, above the downloads (issue 14)."""
from __future__ import annotations

import base64
import logging
from html import escape
from typing import Callable

import ipywidgets as w

from ..i18n import translator
from ..languages import WELSH_FIRST
from ..views.guard import alert_box, guard
from . import certificate as cert
from .errors import RecordsError
from .recorder import open_store
from .store import RecordStore

log = logging.getLogger(__name__)


class CertificateView(w.VBox):
    """For one learner. `refresh()` re-reads their records; with `recorder`, it refreshes after each answer."""

    def __init__(self, lang: str, learner_id: str | None, *, store_factory: Callable[[], RecordStore] = open_store,
                 rule: cert.Rule | None = None, recorder=None, **kwargs):
        super().__init__(**kwargs)
        self.errors = alert_box()  # first: the callbacks wrapped below report into it
        self.lang, self.learner_id, self.store_factory, self.rule = lang, learner_id, store_factory, rule
        self.tr = tr = translator(lang)
        self.add_class("fmse-certificate")
        self.status = w.HTML("")
        self.status.add_class("fmse-live")
        self.make_button = w.Button(description=tr.gettext("Make my certificate"), button_style="primary")
        self.make_button.on_click(self._guard(self.make))
        self.downloads = w.HTML("")
        self.downloads.add_class("fmse-certificate-downloads")
        self._state = "idle"  # "working" while the PDFs are made, "ready" once they are shown
        self.children = [self.status, self.make_button, self.downloads, self.errors]
        if recorder is not None:
            recorder.listeners.append(lambda _event: self._guard(self.refresh)())
        self._guard(self.refresh)()

    def _guard(self, callback):
        return guard(callback, self.errors, lambda exc: exc.message(self.lang), where="certificate",
                     catch=(RecordsError,), expected=(RecordsError,))

    def _say(self, text: str, can_make: bool = False) -> None:
        self.status.value = f"<p>{escape(text)}</p>"
        self.make_button.layout.display = None if can_make else "none"

    def refresh(self, *_args) -> None:
        tr = self.tr
        if self._state == "working":
            return  # the PDFs being made say what they say; an answer recorded meanwhile changes nothing here
        self._state = "idle"
        self.make_button.disabled = False
        self.downloads.value = ""
        if not self.learner_id:
            return self._say(tr.gettext("Add your name on the start page to get a certificate."))
        try:
            rule = self.rule or cert.load_rule()
        except cert.RuleError as exc:
            log.warning("certificate rule: %s", exc)
            return self._say(tr.gettext("Certificates are not available in this copy of the course yet."))
        store = self.store_factory()
        try:
            learner = store.learner(self.learner_id)
            found = cert.standing(rule, store.events(learner_id=self.learner_id))
        finally:
            store.close()
        if found.eligible and learner is not None and learner.name:
            return self._say(tr.gettext("You have earned your certificate."), can_make=True)
        if not found.eligible:
            titles = cert.page_titles(self.lang)
            todo = ", ".join(titles.get(page, page) for page in cert.still_to_do(rule, found))
            return self._say(tr.gettext("Still to do for your certificate: {pages}").format(pages=todo))
        return self._say(tr.gettext("You have earned your certificate: add your name on the start page to get "
                                    "it."))

    def make(self, *_args) -> None:
        if self._state != "idle":
            return  # a second click, queued while the first was being made: the certificate is there already
        tr = self.tr
        self._state = "working"
        self.make_button.disabled = True
        working = tr.gettext("Making your certificate: this takes a few seconds…")
        self.status.value = f'<p class="fmse-working">{escape(working)}</p>'
        try:
            self._make()
        except BaseException:
            self._state = "idle"
            self.make_button.disabled = False
            self.status.value = ""
            raise
        self._state = "ready"
        self.make_button.layout.display = "none"
        ready = tr.gettext("Your certificate is ready: download it below.")
        self.status.value = f'<p class="fmse-ready"><strong>{escape(ready)}</strong></p>'

    def _make(self) -> None:
        from ..setting import load_setting

        setting = load_setting(self.lang)
        store = self.store_factory()
        try:
            setting_name = setting.name if setting.is_set else None
            if hasattr(store, "issue_certificate"):  # on a hub: the records service checks and signs it
                issued = store.issue_certificate(setting_name)
            else:
                issued = cert.issue(store, self.learner_id or "", rule=self.rule, setting_name=setting_name)
        finally:
            store.close()
        tr = self.tr
        links = []
        for langs, label in ((("cy",), tr.gettext("Certificate in Welsh (PDF)")),
                             (("en",), tr.gettext("Certificate in English (PDF)")),
                             (WELSH_FIRST, tr.gettext("Certificate in Welsh and English (PDF)"))):
            data = base64.b64encode(cert.render_pdf(issued.contents, issued.code, langs)).decode("ascii")
            links.append(f'<li><a class="fmse-download" download="{cert.file_name(issued.contents, langs)}" '
                         f'href="data:application/pdf;base64,{data}">{escape(label)}</a></li>')
        code = tr.gettext("Verification code: {code}").format(code=cert.format_code(issued.code))
        self.downloads.value = f'<ul class="fmse-downloads">{"".join(links)}</ul><p>{escape(code)}</p>'
