"""The role matrix: every public store method, called by every role with another person's and another setting's
ids, returns nothing outside that role (on both backends). A method added to the interface fails this test until
the matrix says what each role gets from it."""
from __future__ import annotations

from datetime import date

import pytest

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import RecordsError, RecordStore, open_store
from fmse_widgets.records.roles import ROLES, Asker, scoped
from fmse_widgets.records.store import Bundle, Certificate
from fmse_widgets.records.sqlite import SQLiteStore

WHEN = "2026-03-10T10:00:00+00:00"


def answer(exercise="context-who-is-targeted") -> ExerciseEvent:
    return ExerciseEvent(exercise, "context", "en", ("boys-most-cases",), 1.0, True, WHEN, WHEN)


@pytest.fixture
def world(records_backend, tmp_path):
    """Two settings with a DSP and a member of staff each, an answer, a completion and a certificate each."""
    with (open_store() if records_backend == "postgresql" else SQLiteStore(tmp_path / "r.sqlite3")) as store:
        ids = {}
        for setting in ("ysgol-a", "ysgol-b"):
            store.add_setting(setting, f"School {setting[-1].upper()}", f"Ysgol {setting[-1].upper()}")
            for role in ("staff", "dsp"):
                who = store.add_learner(f"{role} {setting}").learner_id
                store.assign_setting(setting, [who])
                store.record_event(who, answer())
                store.record_completion(who, "context", completed_at=WHEN)
                code = ("A" if setting == "ysgol-a" else "B") + ("S" if role == "staff" else "D") + "2" * 18
                store.record_certificate(Certificate(code, who, "{}", "k", WHEN))
                ids[(setting, role)] = who
        store.open_workshop("ROOM1")
        yield store, ids


def asker(role: str, ids) -> Asker:
    if role in ("staff", "dsp"):
        return Asker(role, ids[("ysgol-a", role)], "ysgol-a")
    return Asker(role)


# For each public method: how to call it with ids that are NOT the asker's (another setting's staff member, or
# another person in the same setting for staff), and what each role may get. "forbidden": refused; "nothing":
# None / [] / an empty bundle; "allowed": the call goes through (its result is then checked for other people).
OTHER = ("ysgol-b", "staff")


def calls(ids):
    other = ids[OTHER]
    colleague = ids[("ysgol-a", "dsp")]  # for staff: someone else in their own setting
    return {
        "add_learner": lambda s: s.add_learner("X", learner_id=other),
        "learner": lambda s: s.learner(other),
        "learners": lambda s: [x for x in s.learners() if x.learner_id in (other,)],
        "rename_learner": lambda s: s.rename_learner(other, "Renamed"),
        "record_event": lambda s: s.record_event(other, answer("context-what-staff-do")),
        "record_completion": lambda s: s.record_completion(other, "welcome", completed_at=WHEN),
        "record_certificate": lambda s: s.record_certificate(Certificate("C" * 20, other, "{}", "k", WHEN)),
        "events": lambda s: s.events(learner_id=other) + [e for e in s.events() if e.learner_id == other],
        "completions": lambda s: s.completions(learner_id=other) + [c for c in s.completions()
                                                                     if c.learner_id == other],
        "certificates": lambda s: s.certificates(learner_id=other),
        "certificate": lambda s: s.certificate("BS" + "2" * 18),
        "export": lambda s: s.export([other]).learners + s.export([other]).events,
        "merge": lambda s: s.merge(Bundle()),
        "purge": lambda s: s.purge(date(2020, 1, 1)),
        "delete_learner": lambda s: s.delete_learner(other),
        "open_workshop": lambda s: s.open_workshop("ROOM2"),
        "room": lambda s: s.room("ROOM1"),
        "set_room": lambda s: s.set_room("ROOM1", question=0, revealed=False),
        "join_workshop": lambda s: s.join_workshop("ROOM1", "Nick"),
        "participants": lambda s: s.participants("ROOM1"),
        "workshop_events": lambda s: s.workshop_events("ROOM1"),
        "trust_key": lambda s: s.trust_key("b" * 64),
        "untrust_key": lambda s: s.untrust_key("b" * 64),
        "trusted_keys": lambda s: s.trusted_keys(),
        "add_setting": lambda s: s.add_setting("ysgol-b", "Renamed", "Ailenwyd"),
        "education_settings": lambda s: [x for x in s.education_settings() if x.setting_id == "ysgol-b"],
        "assign_setting": lambda s: s.assign_setting("ysgol-a", [other]),
        "setting_of": lambda s: s.setting_of(other),
        "setting_learners": lambda s: s.setting_learners("ysgol-b"),
        "summary": lambda s: [row for row in s.summary() if row[0] == "ysgol-b"],
        "schema_version": lambda s: s.schema_version(),
        "close": None,   # ends the asker's use of the store: nothing to see
        "location": None,
        # staff only: a colleague in their own setting is as hidden as someone elsewhere
        "_colleague": lambda s: (s.learner(colleague), s.events(learner_id=colleague)),
    }


FORBIDDEN, NOTHING, ALLOWED = "forbidden", "nothing", "allowed"
# What each role gets from each call above (laptop: the person at the computer, trusted: everything allowed).
EXPECTED = {
    "staff": {**dict.fromkeys(("add_learner", "rename_learner", "record_event", "record_completion",
                               "record_certificate", "merge", "purge", "delete_learner", "trust_key", "untrust_key",
                               "add_setting", "assign_setting"), FORBIDDEN),
              **dict.fromkeys(("learner", "learners", "events", "completions", "certificates", "certificate",
                               "export", "education_settings", "setting_of", "setting_learners", "summary",
                               "_colleague"), NOTHING),
              **dict.fromkeys(("open_workshop", "room", "set_room", "join_workshop", "participants",
                               "workshop_events", "trusted_keys", "schema_version"), ALLOWED)},
}
EXPECTED["dsp"] = {**EXPECTED["staff"], "_colleague": ALLOWED}
EXPECTED["la-lead"] = {**EXPECTED["staff"],
                       **dict.fromkeys(("open_workshop", "set_room", "join_workshop"), FORBIDDEN),
                       **dict.fromkeys(("room", "participants", "workshop_events", "_colleague"), NOTHING),
                       "education_settings": ALLOWED, "summary": ALLOWED}
EXPECTED["laptop"] = dict.fromkeys(EXPECTED["staff"], ALLOWED)


def public_methods() -> set[str]:
    return {name for name in dir(RecordStore) if not name.startswith("_")} | set(RecordStore.__annotations__)


def empty(value) -> bool:
    return value is None or value == [] or value == () or value == (None, [])


def test_the_matrix_covers_every_public_method_of_the_interface(world):
    store, ids = world
    assert public_methods() - {"close", "location"} <= set(EXPECTED["staff"])
    assert public_methods() <= set(calls(ids))
    for role in ROLES:
        view = scoped(store, asker(role, ids))
        for name in public_methods():
            assert hasattr(view, name), f"{role}: no {name}"


@pytest.mark.parametrize("role", ROLES)
def test_every_method_returns_nothing_outside_the_role(world, role):
    store, ids = world
    view = scoped(store, asker(role, ids))
    for name, call in calls(ids).items():
        if call is None:
            continue
        expected = EXPECTED[role][name]
        if expected == FORBIDDEN:
            with pytest.raises(RecordsError) as caught:
                call(view)
            assert caught.value.kind == "forbidden", (role, name)
        elif expected == NOTHING:
            assert empty(call(view)), (role, name)
        else:
            call(view)
    # whatever a role was refused left the other setting's records as they were
    if role != "laptop":
        other = ids[OTHER]
        assert store.learner(other).name == "staff ysgol-b" and store.setting_of(other) == "ysgol-b"
        assert [e.exercise_id for e in store.events(learner_id=other)] == ["context-who-is-targeted"]


def test_what_each_role_does_see(world):
    store, ids = world
    me, dsp = ids[("ysgol-a", "staff")], ids[("ysgol-a", "dsp")]
    staff = scoped(store, asker("staff", ids))
    assert [x.learner_id for x in staff.learners()] == [me] and len(staff.events()) == 1
    staff.record_event(me, answer("context-what-staff-do"))
    assert {e.learner_id for e in staff.events()} == {me} and len(staff.events()) == 2
    lead_dsp = scoped(store, asker("dsp", ids))
    assert {x.learner_id for x in lead_dsp.learners()} == {me, dsp}
    assert {c.learner_id for c in lead_dsp.certificates()} == {me, dsp}
    assert lead_dsp.certificate("AS" + "2" * 18).learner_id == me
    lead = scoped(store, asker("la-lead", ids))
    summary = lead.summary()
    assert ("ysgol-a", "", 2) in summary and ("ysgol-b", "context", 2) in summary
    assert all(isinstance(n, int) for _s, _p, n in summary)  # counts only: no id or name anywhere
    assert not any(x in str(summary) for x in ids.values())
