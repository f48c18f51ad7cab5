"""Certificates: the rule (from a data file or from the notebooks), the PDF in Welsh and English with Welsh
letters in its font and its text, and verification codes that a tampered certificate fails."""
from __future__ import annotations

import io
import json
import sqlite3
import stat
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import RecordsError
from fmse_widgets.records import certificate as cert
from fmse_widgets.records import signing
from fmse_widgets.records.progress import Requirement
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.store import Certificate

WELSH_LETTERS = "âêîôûŵŷÂÊÎÔÛŴŶáéíóúẃýàèìòùẁỳäëïöüẅÿ"
NAME = "Gwenllïan Ŵyn Pŷr"
RULE = cert.Rule((Requirement(0, "zero", ("zero-a",), (), True),
                  Requirement(1, "one", ("one-a",), ("one-check",), True),
                  Requirement(2, "two", (), ("two-check-a", "two-check-b"), True),
                  Requirement(7, "final", (), ("final-check",), True),
                  Requirement(8, "extra", ("extra-a",), (), False)))


def event(exercise: str, when: str, *, passed: bool | None = True, score: float = 1.0) -> ExerciseEvent:
    return ExerciseEvent(exercise, "context", "cy", ("a",), score, passed, f"{when}T10:00:00+00:00",
                         f"{when}T10:00:00+00:00")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    with SQLiteStore(tmp_path / "data" / "records.sqlite3") as opened:
        yield opened


def earn(store, learner: str) -> None:
    store.record_event(learner, event("zero-a", "2026-04-30", passed=None))
    store.record_event(learner, event("one-a", "2026-05-01", passed=False, score=0.0))
    store.record_event(learner, event("one-check", "2026-05-01", passed=False, score=0.4))
    store.record_event(learner, event("one-check", "2026-05-02"))
    store.record_event(learner, event("two-check-a", "2026-05-02"))
    store.record_event(learner, event("two-check-b", "2026-05-03"))
    store.record_event(learner, event("final-check", "2026-05-04", passed=False, score=0.6))
    store.record_event(learner, event("final-check", "2026-05-06", score=0.9))


def test_the_font_has_every_welsh_letter():
    for bold in (False, True):
        cmap = TTFont(cert.font_path(bold)).getBestCmap()
        assert [c for c in WELSH_LETTERS if ord(c) not in cmap] == []


def test_the_rule_is_the_course_definition_of_completion():
    assert RULE.pages == ("zero", "one", "two", "final") and RULE.final_page == "final"


def notebook(path, page: str, lang: str, title: str, ids: list[str]) -> None:
    cells = [{"cell_type": "code", "id": f"c{n}", "metadata": {}, "outputs": [], "execution_count": None,
              "source": f'show("{exercise}", lang=LANG, page=PAGE)'} for n, exercise in enumerate(ids)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {
        "fmse": {"page": page, "lang": lang, "kind": "module", "title": title}}}), encoding="utf-8")


def course_notebooks(root, modules: range, final: bool = True):
    for n in modules:
        if n != 7:
            notebook(root / "en" / f"{n:02d}-m{n}.ipynb", f"m{n}", "en", f"Module {n}",
                     [f"m{n}-practice", f"m{n}-check"])
    if final:
        notebook(root / "en" / "07-final.ipynb", cert.FINAL_PAGE, "en", "Module 7", ["final-check", "final-extra"])


def fake_types(monkeypatch):
    from fmse_widgets.content import loader

    monkeypatch.setattr(loader, "load", lambda i: SimpleNamespace(
        type="knowledge-check" if i.endswith("-check") else "single-choice"))


def test_the_rule_is_read_from_the_notebooks_knowledge_checks(tmp_path, monkeypatch):
    fake_types(monkeypatch)
    course_notebooks(tmp_path / "nb", range(0, 9))
    rule = cert.derive_rule(tmp_path / "nb")
    assert rule.final_page == "check-your-learning" and rule.pages[-1] == "check-your-learning"
    found = [(r.number, r.page, r.answer, r.passes, r.required) for r in rule.requirements]
    assert found[0] == (0, "m0", ("m0-practice", "m0-check"), (), True)  # module 00: every exercise answered
    assert found[1:7] == [(n, f"m{n}", (f"m{n}-practice",), (f"m{n}-check",), True) for n in range(1, 7)]
    assert found[7] == (7, "check-your-learning", (), ("final-check",), True)  # the final check, and only it
    assert found[8] == (8, "m8", ("m8-practice", "m8-check"), (), False)      # optional


def test_the_rule_says_what_is_missing_while_the_modules_are_written(tmp_path, monkeypatch):
    fake_types(monkeypatch)
    course_notebooks(tmp_path / "a", range(0, 5))
    with pytest.raises(cert.RuleError, match="module 05 does not exist yet"):
        cert.derive_rule(tmp_path / "a")
    course_notebooks(tmp_path / "b", range(0, 7), final=False)
    with pytest.raises(cert.RuleError, match="module 07 does not exist yet"):
        cert.derive_rule(tmp_path / "b")


def test_standing_needs_every_required_module_and_a_passed_final(store):
    learner = store.add_learner(NAME).learner_id
    assert cert.standing(RULE, store.events()) == cert.Standing(("zero", "one", "two"), False, None)
    store.record_event(learner, event("zero-a", "2026-05-01"))
    store.record_event(learner, event("one-a", "2026-05-01"))
    store.record_event(learner, event("one-check", "2026-05-01", passed=False))  # answered, not passed
    store.record_event(learner, event("two-check-a", "2026-05-01"))
    store.record_event(learner, event("final-check", "2026-05-02", passed=False))
    found = cert.standing(RULE, store.events())
    assert found.missing_modules == ("one", "two") and not found.final_passed and not found.eligible
    assert cert.still_to_do(RULE, found) == ["one", "two", "final"]
    earn(store, learner)
    found = cert.standing(RULE, store.events())
    assert found.eligible and found.completed_on.isoformat() == "2026-05-06"  # module 08 is never needed


def test_issuing_needs_a_name_and_the_whole_rule(store):
    anonymous = store.add_learner().learner_id
    earn(store, anonymous)
    with pytest.raises(RecordsError, match="needs the learner's name"):
        cert.issue(store, anonymous, rule=RULE)
    learner = store.add_learner(NAME).learner_id
    store.record_event(learner, event("zero-a", "2026-05-01"))
    store.record_event(learner, event("one-a", "2026-05-01"))
    store.record_event(learner, event("one-check", "2026-05-01"))
    with pytest.raises(RecordsError, match="still to do: two, final"):
        cert.issue(store, learner, rule=RULE)


def test_the_signing_key_is_made_once_whole_and_readable_by_its_owner_only(store, tmp_path):
    public = signing.own_public_key(create=True)
    path = signing.signing_key_path()
    assert path == tmp_path / "data" / "signing.key" and len(public) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []  # no temporary left
    path.chmod(0o644)
    assert signing.own_public_key() == public and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not cert.key_path().exists()  # new certificates need no HMAC key


def test_a_certificate_has_a_stable_code_and_verifies(store):
    learner = store.add_learner(NAME).learner_id
    earn(store, learner)
    issued = cert.issue(store, learner, rule=RULE, setting_name="Ysgol Gŵyr")
    again = cert.issue(store, learner, rule=RULE, setting_name="Ysgol Gŵyr")
    assert again.code == issued.code and len(store.certificates()) == 1
    assert issued.contents == {"v": 1, "learner_id": learner, "name": NAME, "completed_on": "2026-05-06",
                               "pages": ["zero", "one", "two", "final"], "setting": "Ysgol Gŵyr"}
    assert issued.certificate.public_key == signing.own_public_key() and issued.certificate.signature
    spaced = cert.format_code(issued.code).lower()
    assert cert.verify(store, spaced).status == "genuine"
    assert cert.verify(store, spaced, name=f"  {NAME.upper()} ").status == "genuine"


def test_a_tampered_certificate_fails_verification(store, tmp_path):
    learner = store.add_learner(NAME).learner_id
    earn(store, learner)
    issued = cert.issue(store, learner, rule=RULE)
    code = issued.code
    # The name printed on it was changed:
    assert cert.verify(store, code, name="Someone Else").status == "name-differs"
    # One character of the code was changed:
    other = ("B" if code[0] != "B" else "C") + code[1:]
    assert cert.verify(store, other).status == "unknown"
    assert cert.verify(store, "not a code").status == "malformed"
    # The record behind the code was edited in the database:
    forged = cert.canonical({**issued.contents, "name": "Someone Else"})
    db = sqlite3.connect(store.path)
    db.execute("UPDATE certificates SET contents = ? WHERE code = ?", (forged, code))
    db.commit()
    assert cert.verify(store, code).status == "altered"
    # A certificate made up and signed with another key, naming that key: signed correctly, but not trusted here
    stranger = Ed25519PrivateKey.generate()
    public, signature = signing.sign(forged.encode(), stranger)
    made_up = cert.code_of(signature)
    db.execute("INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?)",
               (made_up, learner, forged, signing.key_id(public), "2026-05-07T00:00:00+00:00", public, signature))
    # ... and one claiming this computer's key, with the stranger's signature:
    own = signing.own_public_key()
    public2, signature2 = signing.sign(cert.canonical({**issued.contents, "name": "Third"}).encode(), stranger)
    db.execute("INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?)",
               (cert.code_of(signature2), learner, cert.canonical({**issued.contents, "name": "Third"}),
                signing.key_id(own), "2026-05-07T00:00:00+00:00", own, signature2))
    db.commit()
    db.close()
    found = cert.verify(store, made_up)
    assert found.status == "untrusted" and found.public_key == public
    assert cert.verify(store, cert.code_of(signature2)).status == "altered"
    # Trusting the stranger's key (only ever after checking it with its owner) makes theirs verify:
    store.trust_key(public, "a laptop")
    assert cert.verify(store, made_up).status == "genuine"
    assert cert.certificate_trust(store.certificate(made_up), {own}) == "untrusted"


def test_certificates_signed_with_the_first_hmac_key_still_verify_on_the_computer_that_made_them(store):
    learner = store.add_learner(NAME).learner_id
    key = cert.load_key(create=True)  # as the first versions of the course made it
    contents = cert.canonical({"v": 1, "learner_id": learner, "name": NAME, "completed_on": "2026-05-06",
                               "pages": ["one"], "setting": ""})
    code = cert.sign(contents, key)
    store.record_certificate(Certificate(code, learner, contents, cert.key_id(key), "2026-05-06T10:00:00+00:00"))
    assert cert.verify(store, code).status == "genuine"
    assert cert.verify(store, code, hmac_key=b"\x02" * 32).status == "other-key"  # another computer's key
    cert.key_path().rename(cert.key_path().with_name("moved.key"))
    assert cert.verify(store, code).status == "other-key"  # without the key it cannot be checked here


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_pdf_in_both_languages_puts_welsh_first_and_keeps_welsh_letters(store):
    contents = {"v": 1, "learner_id": "a" * 32, "name": NAME, "completed_on": "2026-11-20",
                "pages": ["context", "check-your-learning"], "setting": "Ysgol Gŵyr"}
    code = "ABCDEFGHIJKLMNOPQRST"
    welsh, english = pdf_text(cert.render_pdf(contents, code, ("cy", "en")))
    for text in (welsh, english):
        assert NAME in text and "ŵ" in text and "ŷ" in text and "Ysgol Gŵyr" in text
        assert cert.format_code(code) in text
    assert "Tystysgrif cwblhau" in welsh and "20 Tachwedd 2026" in welsh and "Modiwl 1: Cyd-destun" in welsh
    assert "Certificate of completion" in english and "20 November 2026" in english
    assert "Module 1: Context" in english
    # How to check it, in words and in the certificate's own language: no command line (issue 14).
    for text in (welsh, english):
        assert "fmse-course" not in text and "records verify" not in text
    flat = [" ".join(t.split()) for t in (welsh, english)]
    assert "I wirio'r dystysgrif hon, rhowch y cod dilysu" in flat[0] and "cod" in flat[0]
    assert "To check this certificate, give the verification code to the person who keeps" in flat[1]


def test_the_pdf_embeds_its_font(store):
    contents = {"v": 1, "learner_id": "a" * 32, "name": "Ŷ", "completed_on": "2026-11-20", "pages": [],
                "setting": ""}
    data = cert.render_pdf(contents, "A" * 20, ("en",))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                   for f in fonts.values()]
    assert descriptors and all("/FontFile2" in d for d in descriptors)
    assert [len(pdf_text(cert.render_pdf(contents, "A" * 20, langs))) for langs in (("cy",), ("en",))] == [1, 1]
    assert cert.file_name(contents, ("cy", "en")) == "tystysgrif-certificate-2026-11-20.pdf"


def test_the_commands_issue_and_verify_a_certificate(course_copy, tmp_path, monkeypatch, capsys):
    from fmse_widgets.cli import main

    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    with SQLiteStore(tmp_path / "data" / "records.sqlite3") as store:
        learner = store.add_learner(NAME).learner_id
        earn_course(store, learner, cert.load_rule())
    out = tmp_path / "certificate.pdf"
    assert main(["records", "certificate", "--name", NAME.lower(), "--lang", "cy", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    code = said.split("verification code ")[1].split(")")[0]
    [text] = pdf_text(out.read_bytes())
    assert "Tystysgrif cwblhau" in text and NAME in text and code in text
    assert main(["records", "verify", code]) == 0
    said = capsys.readouterr().out
    assert "GENUINE" in said and "The records show the course completed on 2026-06-02." in said
    assert main(["records", "verify", code, "--name", "Someone Else"]) == 1
    assert "NOT GENUINE" in capsys.readouterr().out
    assert main(["records", "verify", "AAAAA-AAAAA-AAAAA-AAAAA"]) == 1
    assert json.loads(store_contents(tmp_path)[0])["name"] == NAME


def earn_course(store, learner: str, rule) -> None:
    """Every requirement of the real course met: exercises answered, checks passed (module 08 left alone)."""
    for requirement in rule.requirements:
        if requirement.required:
            for exercise in requirement.answer:
                store.record_event(learner, event(exercise, "2026-06-01", passed=False, score=0.5))
            for exercise in requirement.passes:
                store.record_event(learner, event(exercise, "2026-06-02", score=0.8))


def store_contents(tmp_path) -> list[str]:
    with SQLiteStore(tmp_path / "data" / "records.sqlite3") as store:
        return [c.contents for c in store.certificates()]


def test_the_course_itself_gives_a_complete_rule_and_a_certificate_naming_its_modules(store):
    rule = cert.load_rule()  # the course's definition of completion, read from the real modules
    assert rule.final_page == "check-your-learning" and len(rule.pages) == 8  # modules 00-07
    learner = store.add_learner(NAME).learner_id
    earn_course(store, learner, rule)
    issued = cert.issue(store, learner)
    welsh, english = pdf_text(cert.render_pdf(issued.contents, issued.code))
    for lang, text in (("cy", welsh), ("en", english)):
        titles = cert.page_titles(lang)
        assert [page for page in rule.pages if titles[page] not in text] == []
