"""What the course server's log leaves out: noise a trainer would take for a problem.

jupyter_server's contents manager logs "Notebook <path> is not trusted" each time a page's notebook is read
(`ContentsManager.mark_trusted_cells`). Notebook trust decides whether JupyterLab shows a notebook's saved HTML
and JavaScript output; Voilà runs the course's notebooks whatever their trust, so under `serve` and `workshop`
the message says nothing, and it filled the log once per page view. This one message is dropped from the
server's log; every other warning stays.
"""
from __future__ import annotations

import logging

UNTRUSTED = "Notebook %s is not trusted"


class UntrustedNotebookFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != UNTRUSTED


def quiet_untrusted_notebooks(app_class) -> None:
    """Drop the message from the log of a Voilà server class (its logger is named after the class)."""
    logger = logging.getLogger(app_class.__name__)
    if not any(isinstance(f, UntrustedNotebookFilter) for f in logger.filters):
        logger.addFilter(UntrustedNotebookFilter())
