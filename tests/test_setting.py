"""The setting file: placeholders in each language, safe writes, clear messages for bad values or files."""
from __future__ import annotations

import pytest

from fmse_widgets.cli import main
from fmse_widgets.setting import (SettingError, load_setting, read_values, refresher_months, save_values,
                                  setting_path)


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_unset_setting_shows_placeholders_in_each_language():
    en, cy = load_setting("en"), load_setting("cy")
    assert not en.is_set and en.problem is None
    assert en.name == "[your setting's name]" and cy.name == "[enw eich lleoliad]"
    assert cy.dsp_name == "[enw'r swyddog diogelu dynodedig]"
    assert en.police_phone == "101"


def test_set_values_round_trip_with_welsh_letters():
    save_values({"name": "Ysgol Gŵyr Ŷ", "dsp_name": "Ms A. Example", "dsp_phone": "01234 567890"})
    setting = load_setting("cy")
    assert setting.is_set and setting.name == "Ysgol Gŵyr Ŷ" and setting.dsp_phone == "01234 567890"
    assert setting.deputy_name == "[enw'r dirprwy swyddog diogelu dynodedig]"
    save_values({"dsp_phone": ""})
    assert "dsp_phone" not in read_values()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("dsp_phone", "call me", "does not look like a phone number"),
    ("dsp_email", "not-an-email", "does not look like an email address"),
    ("name", "x" * 200, "at most 120 characters"),
    ("colour", "blue", "unknown field 'colour'"),
    ("refresher_months", "yearly", "must be a whole number of months from 0 \\(no refresher\\) to 120"),
    ("refresher_months", "121", "must be a whole number of months"),
])
def test_bad_values_are_refused_and_nothing_saved_is_lost(field, value, message):
    save_values({"name": "Ysgol Enghraifft"})
    with pytest.raises(SettingError, match=message):
        save_values({field: value})
    assert read_values() == {"name": "Ysgol Enghraifft"}


def test_corrupt_file_gives_a_message_and_pages_still_work():
    path = setting_path()
    path.parent.mkdir(parents=True)
    path.write_text("name: [unclosed\n", encoding="utf-8")
    setting = load_setting("en")
    assert setting.name == "[your setting's name]"
    assert str(path) in setting.problem and "fmse-course setting set" in setting.problem


def test_setting_command(capsys, data_folder):
    assert main(["setting", "set", "--name", "Ysgol Enghraifft", "--dsp-phone", "01234 567890"]) == 0
    out = capsys.readouterr().out
    assert "name: Ysgol Enghraifft" in out and "dsp_phone: 01234 567890" in out
    assert main(["setting", "set", "--dsp-email", "nope"]) == 1
    assert "does not look like an email address" in capsys.readouterr().err
    assert main(["setting", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(data_folder / "setting.yaml")


def test_the_refresher_period_defaults_to_12_months_and_is_set_by_the_command(capsys):
    assert refresher_months(load_setting("en")) == 12
    assert main(["setting", "set", "--refresher-months", "0"]) == 0
    assert "refresher_months: 0" in capsys.readouterr().out
    assert refresher_months(load_setting("cy")) == 0
    assert main(["setting", "set", "--refresher-months", "every year"]) == 1
    assert "refresher_months: 'every year' must be a whole number" in capsys.readouterr().err
    assert refresher_months(load_setting("en")) == 0  # nothing saved was lost
