"""Validation on load: clear messages naming row and column, and a refusal of anything like personal data."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from fmse_widgets.cases import schema as s
from fmse_widgets.cases.generate import generate, to_csv_text
from fmse_widgets.cases.validate import CaseDataError, load_cases, looks_personal
from fmse_widgets.cli import main


@pytest.fixture
def good(tmp_path):
    """A small valid file and a function that writes a modified copy of it."""
    frame = generate(30, 5)

    def write(change=None, name="cases.csv", text=None):
        copy = frame.copy()
        if change:
            result = change(copy)
            copy = copy if result is None else result
        path = tmp_path / name
        path.write_text(text if text is not None else to_csv_text(copy), encoding="utf-8")
        return path
    return write


def problems(path) -> CaseDataError:
    with pytest.raises(CaseDataError) as info:
        load_cases(path)
    return info.value


def test_a_valid_file_loads_with_types(good):
    frame = load_cases(good())
    assert len(frame) == 30
    assert list(frame["sex"].cat.categories) == list(s.SEXES)
    assert frame["paid"].dtype == bool and frame["age"].dtype == np.int8
    assert frame["month"].cat.ordered


def test_unknown_missing_and_duplicate_columns_are_named(good):
    err = problems(good(lambda f: f.rename(columns={"sex": "gender"})))
    assert "column 6 'gender' (line 1) is not a case-data column" in str(err)
    assert "line 1 (the header) has no column 'sex'" in str(err)
    text = to_csv_text(generate(3, 1)).replace("case_id,month", "case_id,case_id", 1)
    assert "column 2 'case_id' (line 1) appears twice" in str(problems(good(text=text)))


def test_a_value_that_is_not_allowed_names_its_row_and_column(good):
    def change(f):
        f.loc[3, "first_contact_platform"] = "myspace"
    err = problems(good(change))
    assert ("row 4 (line 5), column 'first_contact_platform': 'myspace' is not allowed; use one of: "
            "instagram, snapchat") in str(err)
    assert not err.personal


@pytest.mark.parametrize("column, value, message", [
    ("age", "19", "'19' is out of range: the young person's age in whole years must be 11 to 17"),
    ("age", "sixteen", "'sixteen' is not a whole number"),
    ("demand_gbp", "-5", "is out of range"),
    ("month", "2024-13", "'2024-13' is not a month written as YYYY-MM"),
    ("paid", "maybe", "'maybe' is not allowed; use one of: yes, no"),
    ("sex", "", "the value is empty"),
    ("case_id", "x7", "'x7' is not a whole number"),
])
def test_bad_values(good, column, value, message):
    def change(f):
        f[column] = f[column].astype(object)
        f.loc[9, column] = value
    err = str(problems(good(change)))
    assert f"row 10 (line 11), column '{column}'" in err and message in err, err


def test_a_display_name_gets_the_code_to_use(good):
    def change(f):
        f.loc[0, "local_authority"] = "Ynys Môn"
    assert "'Ynys Môn' is a display name: write the code 'isle-of-anglesey'" in str(problems(good(change)))


def test_cross_column_rule_and_repeated_ids(good):
    def unpaid_asked(f):
        f.loc[2, "paid"] = "no"
        f.loc[2, "asked_again"] = "yes"
    assert "row 3 (line 4), column 'asked_again': is 'yes' but 'paid' is 'no'" in str(problems(good(unpaid_asked)))

    def repeat(f):
        f.loc[5, "case_id"] = 1
    assert "row 6 (line 7), column 'case_id': case id 1 is used twice" in str(problems(good(repeat)))


def test_many_problems_are_counted_not_all_listed(good):
    def change(f):
        f["sex"] = "boy"
    err = str(problems(good(change)))
    assert "row 1 (line 2), column 'sex': 'boy' is not allowed" in err and "(and 29 more row(s))" in err


@pytest.mark.parametrize("column", ["first_name", "Surname", "email", "phone number", "username",
                                    "postcode", "date_of_birth", "notes", "school_name", "instagram_handle"])
def test_a_personal_data_column_is_refused(good, column):
    def change(f):
        f[column] = "x"
    err = problems(good(change))
    assert err.personal
    assert f"'{column}' (line 1): a column with this name would hold personal data or free text" in str(err)
    assert "refused: this looks like personal data" in str(err)


@pytest.mark.parametrize("value, what", [
    ("sam.jones@example.org", "an email address"),
    ("07700 900123", "a phone number"),
    ("+44 7700 900123", "a phone number"),
    ("@sam_jones09", "a username or handle"),
    ("Sam Jones", "a person's name"),
    ("CF10 1AA", "a postcode"),
    ("12/03/2009", "a date (perhaps a date of birth)"),
    ("he said he was scared to tell", "free text"),
    ("https://example.org/profile", "a web address"),
])
def test_a_personal_data_value_is_refused_with_row_and_column(good, value, what):
    def change(f):
        f["told_first"] = f["told_first"].astype(object)
        f.loc[6, "told_first"] = value
    err = problems(good(change))
    assert err.personal
    assert f"row 7 (line 8), column 'told_first': {value!r} looks like {what}" in str(err)


def test_a_phone_number_in_a_number_column_is_personal_data(good):
    def change(f):
        f["demand_gbp"] = f["demand_gbp"].astype(object)
        f.loc[0, "demand_gbp"] = "07700900123"
    err = problems(good(change))
    assert err.personal and "column 'demand_gbp': '07700900123' looks like a phone number" in str(err)


def test_codes_and_labels_do_not_look_personal():
    for column in s.COLUMNS:
        for value in column.values:
            assert looks_personal(value) is None, value
    assert looks_personal("2024-09") is None and looks_personal("1440") is None


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (gzip.compress(b"case_id,month\n1,2024-01\n", mtime=0), "not a CSV text file"),
    (b"\x00\x01\x02 binary", "not a CSV text file"),
    ("case_id,month".encode("utf-16"), "not a CSV text file"),
])
def test_corrupt_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert message in str(problems(path))


def test_not_utf8_names_the_line(good, tmp_path):
    text = to_csv_text(generate(5, 1))
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("utf-8").replace(b"2024-", b"2024-", 1) + "9,Caerdydd\xe9\n".encode("latin-1"))
    err = str(problems(path))
    assert "line 7 is not UTF-8 text" in err or "line 7 has 2 values" in err


def test_ragged_rows_and_a_header_without_rows(good, tmp_path):
    lines = to_csv_text(generate(5, 1)).splitlines()
    lines[3] += ",extra,values"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "line 4 has 23 values but the header names 21 columns" in str(problems(path))
    path.write_text(",".join(s.NAMES) + "\n", encoding="utf-8")
    assert "the file has a header but no rows" in str(problems(path))
    assert "there is no such file" in str(problems(tmp_path / "missing.csv"))


def test_validate_command_reports_problems(good, capsys):
    assert main(["cases", "validate", str(good())]) == 0
    assert "30 cases, all valid" in capsys.readouterr().out

    def change(f):
        f["email"] = "a@b.org"
    assert main(["cases", "validate", str(good(change, name="pd.csv"))]) == 1
    assert "refused: this looks like personal data" in capsys.readouterr().err
