"""The matcher behind the every-Welsh-string browser test (tests/browser/welsh_text.py), without a browser."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))

from welsh_text import untracked  # noqa: E402

from fmse_widgets.bilingual import welsh  # noqa: E402
from fmse_widgets.check import SAY  # noqa: E402
from fmse_widgets.page_text import STRINGS  # noqa: E402


def test_tracked_welsh_passes_and_a_planted_sentence_does_not():
    planted = "Dyma frawddeg Gymraeg newydd nad yw neb wedi'i thracio."
    filled = welsh("check", SAY["port_busy"]).format(port=8866)        # a placeholder filled in
    part = welsh("page template", STRINGS["page_error"]).split(". ")[0]  # part of a catalogue string
    assert untracked([filled, part, "Cyd-destun", "12/06/2026", "meic.cymru", planted]) == [planted]


def test_a_node_composed_of_tracked_strings_passes_but_made_up_words_do_not():
    composed = welsh("page template", STRINGS["page_error"]) + " " + welsh("check", SAY["all_well"])
    made_up = "Mae gan y plant hyn ddim byd i ddweud wrth y staff o gwbl heddiw."
    assert untracked([composed, made_up]) == [made_up]
