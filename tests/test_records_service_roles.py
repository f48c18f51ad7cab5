"""The records service (widgets/hub/service.py `Records`) on a real SQLite store, without a hub: hub users and
groups mapped to the store's roles (records.roles.scoped, the one set of rules), every method the service answers
for staff, dsp and la-lead, asked about themselves, a colleague in the same setting and someone in another
setting, and the store's settings kept in step with the hub's groups. tests/test_hub.py checks the same through
the real hub."""
from __future__ import annotations

import pytest

from fmse_widgets.hub.roles import DSP, LA_LEAD, STAFF, Asker, asker
from fmse_widgets.hub.service import Records, Refused
from fmse_widgets.records.identity import hub_learner_id
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.recording import ExerciseEvent

SETTINGS = {"bryn": ["ann", "ben", "dee"], "glan": ["cai"]}
EVENT = {"exercise_id": "q1", "page": "01-context", "lang": "cy", "choices": ["a"], "score": 1.0, "passed": True,
         "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:05Z"}


def members_of(setting):
    return SETTINGS if setting is None else SETTINGS.get(setting, [])


@pytest.fixture
def records(tmp_path):
    store = SQLiteStore(tmp_path / "records.sqlite3")
    rules = Records(store, members_of)
    for user, setting in (("ann", "bryn"), ("ben", "bryn"), ("cai", "glan")):
        who = Asker(user, setting, STAFF)
        rules.call(who, "add_learner", {"name": user})
        rules.call(who, "record_event", {"event": EVENT})
        rules.call(who, "record_completion", {"page": "01-context"})
    yield rules
    store.close()


ANN, BEN, CAI = (Asker("ann", "bryn", STAFF), Asker("ben", "bryn", STAFF), Asker("cai", "glan", STAFF))
DEE = Asker("dee", "bryn", DSP)
LEAD = Asker("lea", None, LA_LEAD)


def test_groups_give_the_role():
    assert asker("x", ["fmse-setting-bryn"]) == Asker("x", "bryn", STAFF)
    assert asker("x", ["fmse-setting-bryn", "fmse-dsp"]) == Asker("x", "bryn", DSP)
    assert asker("x", ["fmse-dsp"]).role == STAFF  # a DSP without a setting is no DSP (and refused records)
    assert asker("x", ["fmse-setting-a", "fmse-setting-b", "fmse-dsp"]) == Asker("x", None, STAFF)
    assert asker("x", ["fmse-la-lead", "fmse-dsp", "fmse-setting-a"]).role == LA_LEAD


@pytest.mark.parametrize("method", ["events", "completions", "certificates", "learner"])
def test_staff_read_only_their_own(records, method):
    assert records.call(ANN, method, {"learner_id": hub_learner_id("ann")}) is not None
    for other in ("ben", "cai"):
        with pytest.raises(Refused):
            records.call(ANN, method, {"learner_id": hub_learner_id(other)})


def test_staff_lists_hold_only_themselves(records):
    assert [x.learner_id for x in records.call(ANN, "learners", {})] == [hub_learner_id("ann")]
    assert {e.learner_id for e in records.call(ANN, "events", {})} == {hub_learner_id("ann")}
    exported = records.call(ANN, "export", {})
    assert {x["learner_id"] for x in exported["learners"]} == {hub_learner_id("ann")}
    with pytest.raises(Refused):
        records.call(ANN, "export", {"learner_ids": [hub_learner_id("ben")]})


def test_staff_write_only_as_themselves(records):
    with pytest.raises(Refused):
        records.call(ANN, "record_event", {"learner_id": hub_learner_id("ben"), "event": EVENT})
    with pytest.raises(Refused):
        records.call(ANN, "rename_learner", {"learner_id": hub_learner_id("ben"), "name": "x"})


@pytest.mark.parametrize("method", ["merge", "purge", "delete_learner", "open_workshop", "trust_key", "summary"])
def test_staff_cannot_reach_the_rest(records, method):
    with pytest.raises(Refused):
        records.call(ANN, method, {})


def test_the_dsp_sees_their_setting_and_not_another(records):
    seen = {x.learner_id for x in records.call(DEE, "learners", {})}
    assert seen == {hub_learner_id("ann"), hub_learner_id("ben"), hub_learner_id("dee")}  # the DSP is staff too
    assert records.call(DEE, "events", {"learner_id": hub_learner_id("ben")})
    with pytest.raises(Refused):
        records.call(DEE, "events", {"learner_id": hub_learner_id("cai")})
    assert set(records.call(DEE, "summary", {})) == {"bryn"}


def test_the_la_lead_gets_counts_and_no_names(records):
    records.call(DEE, "learners", {})  # the DSP's first contact puts them in their setting too
    summary = records.call(LEAD, "summary", {})
    assert summary == {"bryn": {"staff": 3, "01-context": 2}, "glan": {"staff": 1, "01-context": 1}}
    assert records.call(LEAD, "learners", {}) == []
    with pytest.raises(Refused):
        records.call(LEAD, "events", {"learner_id": hub_learner_id("ann")})


def test_an_event_from_the_service_is_the_same_event(records):
    (event,) = records.call(ANN, "events", {})
    assert ExerciseEvent(event.exercise_id, event.page, event.lang, event.choices, event.score, event.passed,
                         event.started_at, event.finished_at).choices == ("a",)


def test_first_contact_puts_the_learner_in_their_hub_setting(records):
    store = records.store
    assert {s.setting_id for s in store.education_settings()} == {"bryn", "glan"}  # made when first met
    assert store.setting_of(hub_learner_id("ann")) == "bryn" and store.setting_of(hub_learner_id("cai")) == "glan"
    records.call(Asker("eve", "glan", STAFF), "events", {})  # any first call, not only add_learner
    assert store.setting_of(hub_learner_id("eve")) == "glan"
    moved = Records(store)  # a new service process; an administrator moved ann to glan's group
    moved.call(Asker("ann", "glan", STAFF), "learners", {})
    assert store.setting_of(hub_learner_id("ann")) == "glan"
    assert hub_learner_id("ann") not in {x.learner_id for x in records.call(DEE, "learners", {})}


def test_staff_without_a_setting_group_are_refused(records):
    with pytest.raises(Refused):
        records.call(Asker("fay", None, STAFF), "add_learner", {"name": "fay"})
    assert records.store.learner(hub_learner_id("fay")) is None
    assert records.call(Asker("fay", None, STAFF), "whoami", {})["setting"] is None


def test_the_la_lead_writes_nothing(records):
    with pytest.raises(Refused):
        records.call(LEAD, "record_event", {"event": EVENT})
    assert records.call(LEAD, "events", {}) == []


@pytest.mark.parametrize("groups, reason", [
    ([], "no-setting"),
    (["fmse-dsp"], "no-setting"),
    (["fmse-setting-a", "fmse-setting-b"], "several-settings"),
    (["fmse-setting-" + "y" * 41], "setting-too-long"),
    (["fmse-setting-Ysgol_Y_Bryn"], "setting-invalid"),
])
def test_without_a_usable_setting_the_refusal_says_why_in_both_languages(records, groups, reason):
    """Not a generic refusal: the reason travels to the user's page (hub.client.ServiceError), which says it in
    the page's language; the service's own message is bilingual, Welsh first, and names the group."""
    who = asker("nia", groups)
    with pytest.raises(Refused) as refused:
        records.call(who, "record_event", {"event": EVENT})
    assert refused.value.reason == reason
    message = refused.value.message()
    assert message.index("Ni chadwyd eich ateb") < message.index("Your answer was not saved")
    if reason == "setting-too-long":
        assert "fmse-setting-" + "y" * 41 in message and "40" in message


def test_forty_characters_is_the_longest_setting_id():
    assert asker("x", ["fmse-setting-" + "y" * 40]).setting == "y" * 40
    assert asker("x", ["fmse-setting-" + "y" * 41]).setting is None


def test_an_la_lead_is_told_their_own_answers_are_not_kept(records):
    for method, args in (("add_learner", {"name": "lea"}), ("record_event", {"event": EVENT})):
        with pytest.raises(Refused) as refused:
            records.call(LEAD, method, args)
        assert refused.value.reason == "la-lead-own" and "fmse-la-lead" in refused.value.message()
    assert records.call(LEAD, "learner", {}) is None  # nothing of their own, and no error for asking


def test_the_kernel_gets_the_reason_in_its_own_language():
    from fmse_widgets.hub.client import ServiceError

    error = ServiceError("Gwrthodwyd … / Refused …", "setting-too-long", "fmse-setting-" + "y" * 41)
    assert error.kind == "setting-too-long"
    assert "at most 40 characters" in error.in_language("en").message("en")
    assert "40 nod ar y mwyaf" in error.message("cy")
    assert ServiceError("Gwrthodwyd / Refused", "something-else").kind == "failed"


def test_the_service_issues_and_signs_certificates_and_a_dsp_sees_them_verified(records):
    """A kernel cannot sign a certificate the DSP's view trusts, nor record one: the service checks the records
    and signs with the key the store holds; its trusted keys include that key, so the DSP's view verifies it."""
    from fmse_widgets.records import certificate as cert
    from fmse_widgets.records import signing

    for requirement in cert.load_rule().requirements:
        if requirement.required:
            for exercise in (*requirement.answer, *requirement.passes):
                records.call(ANN, "record_event", {"event": {**EVENT, "exercise_id": exercise,
                                                            "page": requirement.page}})
    with pytest.raises(Refused):
        records.call(ANN, "record_certificate", {"certificate": {}})
    issued = records.call(ANN, "issue_certificate", {"setting_name": "Ysgol y Bryn"})
    certificate = issued["certificate"]
    assert certificate.learner_id == hub_learner_id("ann") and issued["contents"]["setting"] == "Ysgol y Bryn"
    trusted = {k.public_key for k in records.call(DEE, "trusted_keys", {})}
    assert certificate.public_key in trusted
    assert certificate.public_key == signing.public_bytes(signing.store_private_key(records.store)).hex()
    seen = records.call(DEE, "certificates", {"learner_id": hub_learner_id("ann")})
    assert [c.code for c in seen] == [certificate.code]
    assert cert.certificate_trust(seen[0], trusted) == "verified"
    from fmse_widgets.records.errors import RecordsError

    with pytest.raises(RecordsError) as not_yet:  # ben has one answer: not earned, nothing signed or recorded
        records.call(BEN, "issue_certificate", {})
    assert not_yet.value.kind == "invalid" and "not earned yet" in not_yet.value.detail
    assert records.call(BEN, "certificates", {}) == []
    with pytest.raises(Refused) as refused:
        records.call(LEAD, "issue_certificate", {})
    assert refused.value.reason == "la-lead-own"
