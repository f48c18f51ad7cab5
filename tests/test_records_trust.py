"""Certificates and exports are trusted only under a known public key (issue 13, items 2 and 3).

A staff laptop and the safeguarding lead's computer are two data folders. The lead trusts the laptop's public
key; an export edited and re-signed with a freshly made key, an export edited without re-signing, and an unsigned
one are each named and left out; a made-up certificate never shows as verified in verify, the report or the
Staff training tab.

Each test runs on both backends (`records_backend`) for the lead's records: the laptop keeps its own file, the
lead's records are the data folder's file or a shared PostgreSQL database (FMSE_RECORDS_URL).
"""
from __future__ import annotations

import csv
import io
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fmse_widgets.cli import main
from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import certificate as cert
from fmse_widgets.records import certificate_trust, signing, trust_text
from fmse_widgets.records.exchange import signed_text
from fmse_widgets.records.progress import Requirement
from fmse_widgets.records.recorder import open_store
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.store import RecordStore
from fmse_widgets.records.training_view import StaffTraining

EXERCISE, PAGE = "context-who-is-targeted", "context"
RULE = cert.Rule((Requirement(7, PAGE, (), (EXERCISE,), True),))


@pytest.fixture
def folders(records_backend, tmp_path, monkeypatch):
    """A staff laptop whose learner has earned a certificate, and its signed export; then the lead's folder (and
    the lead's shared database, on PostgreSQL)."""
    laptop, lead = tmp_path / "laptop", tmp_path / "lead"
    shared = os.environ.get("FMSE_RECORDS_URL")
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)  # the laptop keeps its records in its own file
    monkeypatch.setenv("FMSE_DATA_DIR", str(laptop))
    with SQLiteStore(laptop / "records.sqlite3") as store:
        learner = store.add_learner("Alys Ŵ").learner_id
        store.record_event(learner, ExerciseEvent(EXERCISE, PAGE, "en", ("boys-most-cases",), 1.0, True,
                                                  "2026-05-06T09:00:00+00:00", "2026-05-06T09:05:00+00:00"))
        issued = cert.issue(store, learner, rule=RULE)
    export = tmp_path / "laptop.json"
    assert main(["records", "export", "--out", str(export)]) == 0
    if shared:
        monkeypatch.setenv("FMSE_RECORDS_URL", shared)
    monkeypatch.setenv("FMSE_DATA_DIR", str(lead))
    return {"export": export, "learner": learner, "code": issued.code, "lead": lead, "tmp": tmp_path,
            "laptop_key": json.loads(export.read_text(encoding="utf-8"))["signature"]["public_key"]}


def edited(folders, name: str, *, resign: bool, unsigned: bool = False):
    """The laptop's export with a made-up certificate for a second person added (the whole forgery)."""
    doc = json.loads(folders["export"].read_text(encoding="utf-8"))
    stranger = Ed25519PrivateKey.generate()
    forged_learner = "f" * 32
    contents = cert.canonical({"v": 1, "learner_id": forged_learner, "name": "Forged Person",
                               "completed_on": "2026-05-06", "pages": [PAGE], "setting": ""})
    public, signature = signing.sign(contents.encode(), stranger)
    doc["learners"].append({"learner_id": forged_learner, "name": "Forged Person",
                            "created_at": "2026-05-06T08:00:00+00:00"})
    doc["certificates"].append({"code": cert.code_of(signature), "learner_id": forged_learner, "contents": contents,
                                "key_id": signing.key_id(public), "issued_at": "2026-05-06T10:00:00+00:00",
                                "public_key": public, "signature": signature})
    if unsigned:
        del doc["signature"]
    elif resign:
        public, value = signing.sign(signed_text(doc), stranger)
        doc["signature"] = {"algorithm": "ed25519", "public_key": public, "key_id": signing.key_id(public),
                            "value": value}
    path = folders["tmp"] / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, cert.code_of(signature)


def lead_store(folders) -> RecordStore:
    """The lead's records: the lead's data folder's file, or the shared database FMSE_RECORDS_URL names."""
    return open_store()


def test_an_export_edited_and_re_signed_with_a_fresh_key_is_refused(folders, capsys):
    assert main(["records", "trust-key", folders["laptop_key"], "--label", "Alys's laptop"]) == 0
    forged, _ = edited(folders, "re-signed.json", resign=True)
    capsys.readouterr()
    assert main(["records", "import", str(forged)]) == 1
    out = capsys.readouterr().out
    assert "LEFT OUT: signed with a key this computer does not trust" in out and "Traceback" not in out
    with lead_store(folders) as store:
        assert store.learners() == [] and store.certificates() == []
    assert main(["records", "import", str(folders["export"])]) == 0  # the genuine export goes in
    with lead_store(folders) as store:
        assert [x.name for x in store.learners()] == ["Alys Ŵ"]


@pytest.mark.parametrize("resign, unsigned, says", [
    (False, False, "LEFT OUT: the file has been changed since it was signed"),
    (False, True, "LEFT OUT: the file is not signed")])
def test_an_export_edited_without_its_signature_or_unsigned_is_refused(folders, capsys, resign, unsigned, says):
    main(["records", "trust-key", folders["laptop_key"]])
    forged, _ = edited(folders, "edited.json", resign=resign, unsigned=unsigned)
    capsys.readouterr()
    assert main(["records", "import", str(forged)]) == 1
    assert says in capsys.readouterr().out
    with lead_store(folders) as store:
        assert store.learners() == []


def test_an_untrusted_export_is_left_out_until_its_key_is_trusted(folders, records_backend, capsys):
    assert main(["records", "import", str(folders["export"])]) == 1
    out = capsys.readouterr().out
    assert signing.shown(folders["laptop_key"]) in out and "trust-key" in out
    assert main(["records", "trust-key", "not a key"]) == 1
    assert "neither a public key" in capsys.readouterr().err
    assert main(["records", "trust-key", str(folders["export"])]) == 0  # the key, read from the signed export
    assert main(["records", "import", str(folders["export"])]) == 0
    assert main(["records", "key"]) == 0
    out = capsys.readouterr().out
    assert signing.shown(folders["laptop_key"]) in out
    assert ("This computer's public key" in out) == (records_backend == "sqlite")


def test_a_made_up_certificate_is_never_shown_as_verified(folders, capsys):
    main(["records", "trust-key", folders["laptop_key"]])
    forged, forged_code = edited(folders, "forged.json", resign=True)
    assert main(["records", "import", "--accept-untrusted", str(forged)]) == 0  # told to take it anyway
    capsys.readouterr()
    assert main(["records", "import", str(folders["export"])]) == 0
    # verify: the genuine certificate is verified under the trusted laptop key; the made-up one is not
    assert main(["records", "verify", folders["code"]]) == 0
    assert "GENUINE" in capsys.readouterr().out
    assert main(["records", "verify", forged_code]) == 1
    assert "NOT VERIFIED" in capsys.readouterr().out
    # the report's certificate columns, in both languages
    for lang, yes, no in (("en", "verified", "NOT verified"), ("cy", "wedi'i dilysu", "HEB ei dilysu")):
        assert main(["records", "report", "--lang", lang]) == 0
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
        checked = {row[1]: row[-1] for row in rows[1:] if row[-2]}
        assert checked["Alys Ŵ"] == yes
        assert "Forged Person" not in checked or checked["Forged Person"].startswith(no)
    # the Staff training tab
    tab = StaffTraining("en")
    assert "<td>Issued: verified</td>" in tab.table.value
    with lead_store(folders) as store:
        forged_cert = store.certificate(forged_code)
        assert certificate_trust(forged_cert, store) == "untrusted"
        assert certificate_trust(store.certificate(folders["code"]), store) == "verified"
    assert trust_text("untrusted", "cy").startswith("HEB ei dilysu")


def test_a_certificate_from_an_untrusted_laptop_is_marked_plainly(folders, capsys):
    main(["records", "import", "--accept-untrusted", str(folders["export"])])
    capsys.readouterr()
    assert main(["records", "verify", folders["code"]]) == 1
    assert "NOT VERIFIED" in capsys.readouterr().out
    tab = StaffTraining("cy")
    assert "HEB ei dilysu" in tab.table.value
