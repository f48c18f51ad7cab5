"""Learner records: the store (SQLite by default), the recorder, identity, progress, reports and certificates.

A notebook connects a page to the records with
`IDENTITY, RECORDER = start_records()` (fmse_widgets.records.recorder), which finds who is learning
(JupyterHub user, the learner id in a Voilà page's link, or the name remembered in JupyterLab) and installs
the recorder that every exercise on the page reports to.
"""
from __future__ import annotations

from .errors import RecordsError
from .trust import certificate_trust, trust_text
from .recorder import PageRecorder, StoreRecorder, open_store, start_records
from .store import Learner, RecordStore, StoredEvent

__all__ = ["Learner", "PageRecorder", "RecordStore", "RecordsError", "StoreRecorder", "StoredEvent", "open_store",
           "certificate_trust", "start_records", "trust_text"]
