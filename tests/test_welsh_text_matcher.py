"""The matcher behind the every-Welsh-string browser test (tests/browser/welsh_text.py), without a browser."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))

from welsh_text import untracked  # noqa: E402

from fmse_widgets import yaml_text
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


def test_a_placeholder_string_cut_at_an_element_boundary_passes_only_with_tracked_fills():
    from welsh_text import tracked

    corpus = tracked()[0]
    why = next(s for s in corpus.split("\x00") if len(s.split()) > 6)  # some tracked sentence
    planted = "Dyma frawddeg Gymraeg newydd nad yw neb wedi'i thracio."
    assert untracked(["Neges 1, gan", f"Pam: {why} (", "Nesaf: Cyd-destun"]) == []
    assert untracked([f"Pam: {planted} ("]) == [f"Pam: {planted}"]


def test_invented_user_names_come_from_the_content_files():
    chat = Path(__file__).resolve().parents[1] / "data" / "exercises" / "gallery-chat-spotter.yaml"
    handles = [p["handle"] for p in yaml_text.safe_load(chat.read_text(encoding="utf-8"))["participants"]]
    assert handles and untracked(handles) == []
    assert untracked(["invented_nobody_99"]) == ["invented_nobody_99"]


def test_labels_letter_placeholders_and_download_names_are_traced():
    assert untracked(["Cwestiwn 4: Cywir.", "ar 0800 1111 neu â Meic ar 080880 23456. Ein llythyr",
                      "llythyr-i-rieni-a-gofalwyr-2026-12-06.html"]) == []
    assert untracked(["ffeil-neb-yn-ei-thracio-2026-12-06.html"]) == ["ffeil-neb-yn-ei-thracio-2026-12-06.html"]
