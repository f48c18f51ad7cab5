"""The one mechanism for callback errors: shown in the page, logged, cleared once a later call succeeds."""
from __future__ import annotations

import logging

import pytest

from fmse_widgets.views.guard import alert_box, guard


def test_failure_is_shown_escaped_and_logged_then_cleared(caplog):
    box = alert_box()
    assert box.value == "" and "fmse-alert" in box._dom_classes
    calls = []

    def callback(fail: bool):
        if fail:
            raise RuntimeError("<b>locked</b>")
        calls.append("ok")
        return 7

    wrapped = guard(callback, box, lambda exc: f"Problem: {exc}", where="test")
    assert wrapped(True) is None
    assert box.value == '<p class="fmse-error">Problem: &lt;b&gt;locked&lt;/b&gt;</p>'
    assert "test: callback failed" in caplog.text and "Traceback" in caplog.text
    assert wrapped(False) == 7 and box.value == "" and calls == ["ok"]


def test_expected_errors_are_warnings_and_others_pass_through(caplog):
    box = alert_box()
    with caplog.at_level(logging.WARNING):
        guard(lambda: (_ for _ in ()).throw(KeyError("gone")), box, str, where="records",
              catch=(KeyError,), expected=(KeyError,))()
    assert caplog.records[-1].levelno == logging.WARNING and "Traceback" not in caplog.text
    with pytest.raises(ValueError):
        guard(lambda: int("x"), box, str, where="records", catch=(KeyError,))()
