"""Workshop logic without a server: codes and tokens, the question list, the spread of answers, the store's
workshop tables, the room and trainer widgets (Python-side state), the gate's decisions and the kernel pools."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from html import escape
from datetime import date
from types import SimpleNamespace

import ipywidgets as w
import pytest

from fmse_widgets.content.errors import ContentError
from fmse_widgets.i18n import translator
from fmse_widgets.records import RecordsError
from fmse_widgets.records.identity import Identity
from fmse_widgets.records.recorder import StoreRecorder
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.recording import ExerciseEvent, utc_now
from fmse_widgets.workshop import room as room_logic
from fmse_widgets.workshop.participant import RoomView
from fmse_widgets.workshop.trainer import TrainerView, joined_html
from fmse_widgets.workshop.watch import running_polls
from servers import run_async

CODE = "ACD479"  # letters and digits from the join alphabet


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "records.sqlite3"
    opened = SQLiteStore(path)
    opened.open_workshop(CODE)
    yield opened
    opened.close()


def factory(store):
    return lambda: SQLiteStore(store.path)


# ---- codes and tokens ----------------------------------------------------------------------------------------

def test_join_codes_are_short_unambiguous_and_fit_the_stores_rule():
    codes = {room_logic.new_join_code() for _ in range(200)}
    assert len(codes) > 190
    for code in codes:
        assert len(code) == 6 and set(code) <= set(room_logic.JOIN_ALPHABET)
        assert room_logic.running_code({room_logic.ENV_CODE: code}) == code
    assert not set("0O1IL2Z5S8B6G") & set(room_logic.JOIN_ALPHABET)


def test_trainer_tokens_are_long_and_compared_in_constant_time():
    token = room_logic.new_trainer_token()
    assert len(token) >= 43
    assert room_logic.same_secret(token, token) and not room_logic.same_secret(token[:-1], token)
    assert not room_logic.same_secret(None, token)


def test_a_typed_code_is_read_as_the_code_whatever_its_case_and_spacing():
    assert room_logic.normalise_code(" acd-479 ") == "ACD479"
    assert room_logic.normalise_code(None) == ""
    assert room_logic.running_code({}) is None and room_logic.running_code({room_logic.ENV_CODE: "bad code"}) is None


# ---- the question list ---------------------------------------------------------------------------------------

def test_the_course_question_list_is_valid_choice_questions():
    found = room_logic.questions()
    assert len(found) >= 5
    assert {q.type for q in found} <= set(room_logic.QUESTION_TYPES)


@pytest.mark.parametrize("text, problem", [
    ("questions: context-check\n", "needs a list 'questions'"),
    ("questions: []\n", "needs a list 'questions'"),
    ("questions:\n  - No Such Id\n", "must be an exercise id"),
    ("questions:\n  - context-check\n", "is a knowledge-check exercise"),
    ("questions:\n  - signs-mutual-friends\n  - signs-mutual-friends\n", "names an exercise twice"),
    ("questions:\n  - signs-mutual-friends\ntitle: x\n", "title"),
    ("questions: [\n", "is not valid YAML"),
])
def test_a_broken_question_list_names_the_file_and_the_fix(tmp_path, text, problem):
    path = tmp_path / "workshop.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        room_logic.questions(path)
    assert problem in str(caught.value) and "workshop.yaml" in str(caught.value)


# ---- the spread ---------------------------------------------------------------------------------------------------

def event(learner: str, exercise_id: str, choices, when: str = "2026-11-28T10:00:00+00:00"):
    return SimpleNamespace(learner_id=learner, exercise_id=exercise_id, choices=tuple(choices), finished_at=when)


def test_the_spread_counts_each_persons_latest_answer_once_and_never_names():
    question = next(q for q in room_logic.questions() if q.type == "single-choice")
    first, second = question.options[0].id, question.options[1].id
    events = [event("a" * 32, question.id, [first]), event("b" * 32, question.id, [first]),
              event("a" * 32, question.id, [second]), event("c" * 32, "another-question", [first])]
    spread = room_logic.spread(question, events)
    assert spread.answered == 2
    assert spread.counts[first] == 1 and spread.counts[second] == 1
    assert spread.share(first) == 0.5
    assert set(spread.counts) == {o.id for o in question.options}


def test_a_multiple_choice_answer_counts_for_every_option_chosen():
    question = next(q for q in room_logic.questions() if q.type == "multiple-choice")
    a, b = question.options[0].id, question.options[1].id
    spread = room_logic.spread(question, [event("a" * 32, question.id, [a, b, b, "not-an-option"])])
    assert spread.counts[a] == 1 and spread.counts[b] == 1 and spread.answered == 1


# ---- the store -----------------------------------------------------------------------------------------------------

def test_participants_are_learners_with_no_name_and_their_nickname_kept_apart(store):
    ceri = store.join_workshop(CODE, "  Ceri   ŵ ")
    anon = store.join_workshop(CODE, "")
    assert ceri.nickname == "Ceri ŵ" and anon.nickname is None
    assert store.learner(ceri.learner_id).name is None
    assert [p.learner_id for p in store.participants(CODE)] == [ceri.learner_id, anon.learner_id]
    assert "Ceri" not in str(store.export().as_json())  # nicknames never leave in an export
    with pytest.raises(RecordsError, match="at most 40"):
        store.join_workshop(CODE, "x" * 41)
    with pytest.raises(RecordsError, match="no workshop"):
        store.join_workshop("ZZZZZZ", "Ceri")


def test_the_room_moves_and_reveals_and_refuses_nonsense(store):
    assert store.room(CODE).question == -1 and not store.room(CODE).revealed
    state = store.set_room(CODE, question=2, revealed=True)
    assert (state.question, state.revealed) == (2, True)
    assert store.open_workshop(CODE).question == 2  # opening again keeps the state
    with pytest.raises(RecordsError):
        store.set_room(CODE, question=-5, revealed=False)
    with pytest.raises(RecordsError, match="no workshop"):
        store.set_room("ZZZZZZ", question=0, revealed=False)
    assert store.room("ZZZZZZ") is None


def test_workshop_answers_are_read_by_code_and_kept_out_of_staff_reports(store):
    person = store.join_workshop(CODE, None)
    staff = store.add_learner("Alys")
    answer = ExerciseEvent("signs-mutual-friends", "workshop", "en", ("a",), 1.0, True, utc_now(), utc_now())
    store.record_event(person.learner_id, answer, workshop=CODE)
    store.record_event(staff.learner_id, answer)
    assert [e.learner_id for e in store.workshop_events(CODE)] == [person.learner_id]
    assert [e.learner_id for e in store.workshop_events(CODE, "other")] == []
    assert [e.learner_id for e in store.events(include_workshops=False)] == [staff.learner_id]


def test_purging_and_deleting_take_workshops_and_nicknames_with_them(store):
    person = store.join_workshop(CODE, "Ceri")
    assert store.delete_learner(person.learner_id)["learners"] == 1
    assert store.participants(CODE) == []
    store.join_workshop(CODE, "Dai")
    counts = store.purge(date(2999, 1, 1))
    assert counts["workshops"] == 1 and store.room(CODE) is None


# ---- the participant's room page ---------------------------------------------------------------------------------

def course_for(store, learner_id: str | None, lang: str = "en", workshop: str | None = CODE):
    identity = Identity(learner_id, "link", None, workshop) if learner_id else None
    recorder = StoreRecorder(learner_id, workshop=workshop, store_factory=factory(store)) if learner_id else None
    return SimpleNamespace(lang=lang, identity=identity, recorder=recorder)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_room_page_follows_the_trainer_and_records_under_the_workshop(store, lang):
    person = store.join_workshop(CODE, None)
    view = RoomView(course_for(store, person.learner_id, lang), code=CODE, store_factory=factory(store), poll=None)
    assert view.view is None and view.status.value  # waiting for the first question
    store.set_room(CODE, question=0, revealed=False)
    view.refresh()
    first = room_logic.questions()[0]
    assert view.view.exercise.id == first.id and view.answer.value == ""
    assert ("Question 1 of" if lang == "en" else "Cwestiwn 1 o") in view.status.value
    tr = translator(lang)
    assert view.view.check_button.description == tr.gettext("Send my answer")
    wrong = next(o for o in first.options if not o.correct)
    view.view.radio.value = wrong.id
    view.view._on_check()
    assert [e.exercise_id for e in store.workshop_events(CODE)] == [first.id]
    assert store.workshop_events(CODE)[0].page == room_logic.PARTICIPANT_PAGE
    # Collected without a verdict or an explanation until the trainer reveals the answer.
    sent = view.view.feedback.value
    assert tr.gettext("Your answer is in. The trainer will show the answer to the room.") in sent.replace("&#x27;", "'")
    for withheld in ("✓", "✗", escape(wrong.feedback(lang)), escape(first.why(lang))):
        assert withheld not in sent and withheld not in view.answer.value
    store.set_room(CODE, question=0, revealed=True)
    view.refresh()
    correct = next(o for o in first.options if o.correct).text(lang)
    assert escape(correct) in view.answer.value and escape(first.why(lang)) in view.answer.value
    assert "✗" in view.view.feedback.value and escape(wrong.feedback(lang)) in view.view.feedback.value
    # Hidden again by the trainer: the verdict goes with it.
    store.set_room(CODE, question=0, revealed=False)
    view.refresh()
    assert view.view.feedback.value == sent and view.answer.value == ""
    store.set_room(CODE, question=0, revealed=True)
    view.refresh()
    shown = view.view
    view.refresh()
    assert view.view is shown  # nothing redrawn when the room has not moved
    store.set_room(CODE, question=len(room_logic.questions()), revealed=False)
    view.refresh()
    assert view.view is None and view.slot.children == ()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_self_study_choice_keeps_its_feedback_at_once(lang):
    from fmse_widgets.views.choice import ChoiceView

    first = room_logic.questions()[0]
    recorded = []
    view = ChoiceView(first, lang, page="01-context", recorder=SimpleNamespace(record=recorded.append))
    assert view.check_button.description == translator(lang).gettext("Check answer")
    view.radio.value = next(o for o in first.options if o.correct).id
    view._on_check()
    assert "✓" in view.feedback.value and escape(first.why(lang)) in view.feedback.value and len(recorded) == 1


def test_the_room_page_outside_a_workshop_says_how_to_join(store):
    nobody = RoomView(course_for(store, None), code=None, store_factory=factory(store), poll=None)
    assert "No workshop is running" in nobody.status.value and nobody.poll is None
    stranger = RoomView(course_for(store, None), code=CODE, store_factory=factory(store), poll=None)
    assert "Join the workshop first" in stranger.status.value


class Opens:
    """A store factory that opens the real SQLite file and counts how often it was asked to."""

    def __init__(self, store):
        self.path, self.count = store.path, 0

    def __call__(self):
        self.count += 1
        return SQLiteStore(self.path)


def broken_store(path):
    def broken():
        raise RecordsError("locked", path=path)
    return broken


def test_the_room_poll_follows_the_room_on_one_connection_and_shows_a_store_problem(store, tmp_path):
    """The poll's own round (Poll.tick), with a real store: it moves the page, keeps one connection, shows a
    failed read in the page and recovers on the next round."""
    async def scenario():
        person = store.join_workshop(CODE, None)
        opens = Opens(store)
        view = RoomView(course_for(store, person.learner_id), code=CODE, store_factory=opens, poll=60)
        try:
            assert view.poll.running and view.view is None
            store.set_room(CODE, question=1, revealed=False)
            assert view.poll.tick()
            assert view.view.exercise.id == room_logic.questions()[1].id
            shown = view.view
            for _ in range(5):
                assert view.poll.tick()
            assert view.view is shown and opens.count == 1  # one connection, nothing redrawn
            view.store_factory = broken_store(tmp_path / "records.sqlite3")
            assert not view.poll.tick()
            assert "busy" in view.errors.value and view.poll.running  # shown, and the poll goes on
            view.store_factory = opens
            store.set_room(CODE, question=2, revealed=True)
            assert view.poll.tick()
            assert view.errors.value == "" and view.view.exercise.id == room_logic.questions()[2].id
            assert view.answer.value and opens.count == 2  # opened again once after the failure
        finally:
            view.close()
        assert not view.poll.running and view.stores._store is None

    run_async(scenario)  # a loop of its own: the browser tests leave one running in this thread


def test_the_room_poll_runs_by_itself_on_the_event_loop_and_stops_with_its_widget(store):
    async def scenario():
        person = store.join_workshop(CODE, None)
        course = course_for(store, person.learner_id)
        view = RoomView(course, code=CODE, store_factory=factory(store), poll=0.02)
        threads = []
        refresh = view.refresh
        view.poll.step = lambda: (threads.append(threading.current_thread()), refresh())
        store.set_room(CODE, question=1, revealed=False)
        for _ in range(250):
            if view.view is not None:
                break
            await asyncio.sleep(0.02)
        assert view.view is not None and view.view.exercise.id == room_logic.questions()[1].id
        assert set(threads) == {threading.current_thread()}  # on the loop's thread, as clicks are
        # A cell run again makes a new page widget: its poll stops the one before.
        again = RoomView(course, code=CODE, store_factory=factory(store), poll=0.02)
        await asyncio.sleep(0.1)
        assert not view.poll.running and again.poll.running and view.stores._store is None
        assert running_polls() == {"room": again.poll}
        rounds = len(threads)
        await asyncio.sleep(0.1)
        assert len(threads) == rounds  # the old poll does nothing more
        # Closing the widget (as ipywidgets does when its page goes) stops its poll.
        w.Widget.close(again)  # the ipywidgets close alone: the poll notices its widget has gone
        await asyncio.sleep(0.1)
        assert not again.poll.running and running_polls() == {}
        again.close()

    run_async(scenario)  # a loop of its own: the browser tests leave one running in this thread


@pytest.mark.slow  # a process of its own
@pytest.mark.upstream
def test_a_poll_started_in_a_kernel_cell_keeps_running_after_the_cell_and_a_rerun_replaces_it():
    """In a real ipykernel (as Voilà runs a page's cells): the task goes on after the cell has finished, runs on
    the kernel's main thread, and running the cell again leaves one poll running."""
    from jupyter_client.manager import start_new_kernel

    cell = ("import threading\n"
            "from fmse_widgets.workshop.watch import Poll, running_polls\n"
            "rounds = []\n"
            "poll = Poll(0.05, lambda: rounds.append(threading.current_thread() is threading.main_thread()),"
            " print, name='probe').start()\n")
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        def run(code: str) -> str:
            printed = []
            reply = client.execute_interactive(code, timeout=60, output_hook=lambda m: printed.append(
                m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(printed).strip()

        run(cell)
        time.sleep(0.6)
        first = run("first = poll; print(len(rounds), all(rounds))")
        count, on_main = first.split()
        assert int(count) >= 3 and on_main == "True", first
        run(cell)  # the cell again
        time.sleep(0.4)
        assert run("print(first.running, poll.running, list(running_polls()))") == "False True ['probe']"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


# ---- the trainer's page -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_trainer_moves_the_room_reveals_and_sees_counts(store, lang):
    view = TrainerView(lang, code=CODE, join_url="http://192.0.2.2:8866/workshop/join?code=" + CODE,
                       store_factory=factory(store), poll=None)
    assert view.previous_button.disabled and view.reveal_button.disabled and not view.next_button.disabled
    assert CODE in view.join.value and 'alt="' in view.join.value and "data:image/svg+xml" in view.join.value
    view.next()
    assert store.room(CODE).question == 0
    first = room_logic.questions()[0]
    person = store.join_workshop(CODE, "<img src=x onerror=alert(1)>")
    answer = ExerciseEvent(first.id, "workshop", lang, (first.options[1].id,), 0.0, False, utc_now(), utc_now())
    store.record_event(person.learner_id, answer, workshop=CODE)
    view.refresh()
    assert '<span class="fmse-room-count">1</span>' in view.results.value
    assert "<img src=x" not in view.joined.value and "&lt;img src=x onerror=alert(1)&gt;" in view.joined.value
    assert "fmse-room-right" not in view.results.value and escape(first.why(lang)) not in view.results.value
    view.reveal()
    assert store.room(CODE).revealed and "fmse-room-right" in view.results.value
    assert escape(first.why(lang)) in view.results.value  # the projector shows why, with the counts
    assert view.announce.value
    view.reveal()
    assert not store.room(CODE).revealed
    for _ in range(len(room_logic.questions()) + 3):
        view.next()
    assert store.room(CODE).question == len(room_logic.questions()) and view.next_button.disabled
    view.previous()
    assert store.room(CODE).question == len(room_logic.questions()) - 1


def test_the_trainer_poll_redraws_only_when_the_room_changes_and_keeps_one_connection(store, monkeypatch):
    from fmse_widgets.workshop import trainer

    qr_drawn, draws = [], []
    real_qr = trainer.qr_image
    monkeypatch.setattr(trainer, "qr_image", lambda *a: qr_drawn.append(a) or real_qr(*a))

    async def scenario():
        opens = Opens(store)
        view = TrainerView("cy", code=CODE, join_url="http://192.0.2.2:8866/workshop/join?code=" + CODE,
                           store_factory=opens, poll=60)
        real_draw = view._draw
        view._draw = lambda *a: draws.append(a) or real_draw(*a)
        try:
            for _ in range(5):
                assert view.poll.tick()
            assert draws == [] and len(qr_drawn) == 1  # nothing changed: nothing drawn, the QR code drawn once
            store.join_workshop(CODE, "Dai")
            assert view.poll.tick() and len(draws) == 1 and "Dai" in view.joined.value
            view.next()  # a button: the same connection
            assert store.room(CODE).question == 0 and len(draws) == 2
            assert view.poll.tick() and len(draws) == 2
            assert opens.count == 1 and len(qr_drawn) == 1
        finally:
            view.close()
        assert not view.poll.running and view.stores._store is None

    run_async(scenario)  # a loop of its own: the browser tests leave one running in this thread


def test_the_trainer_page_outside_a_workshop_says_how_to_start_one(store):
    view = TrainerView("cy", code=None, store_factory=factory(store), poll=None)
    assert "fmse-course workshop" in view.join.value and len(view.children) == 1


def test_the_joined_list_counts_people_without_a_nickname():
    people = [SimpleNamespace(nickname=None), SimpleNamespace(nickname="Dai"), SimpleNamespace(nickname=None)]
    html = joined_html(people, "en")
    assert "3 people have joined" in html and "Dai" in html and "2 without a nickname" in html
    assert "Mae 3 o bobl wedi ymuno" in joined_html(people, "cy")


def test_a_store_problem_on_the_trainers_page_is_shown_not_swallowed(store, tmp_path):
    view = TrainerView("en", code=CODE, join_url="", store_factory=factory(store), poll=None)

    def broken():
        raise RecordsError("read-only", path=tmp_path / "records.sqlite3")

    view.store_factory = broken
    view._guard(view.next)()
    assert "cannot be written to" in view.errors.value


# ---- the gate's decisions ----------------------------------------------------------------------------------------

@pytest.mark.upstream
def test_the_preheat_callback_is_taken_only_from_this_computer(monkeypatch):
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.static_file_handler import MultiStaticFileHandler
    from voila.voila_identity_provider import VoilaLoginHandler

    from fmse_widgets.workshop.gate import Room, handler_kinds

    kinds = handler_kinds()
    room = Room(CODE, "t" * 43, "en")
    here = SimpleNamespace(request=SimpleNamespace(remote_ip="127.0.0.1"))
    away = SimpleNamespace(request=SimpleNamespace(remote_ip="203.0.113.9"))
    assert room.decide(here, kinds[RequestInfoSocketHandler]) is None
    assert room.decide(away, kinds[RequestInfoSocketHandler]) == ("status", 403)
    assert room.decide(away, kinds[VoilaLoginHandler]) == ("status", 404)
    assert room.decide(away, kinds[MultiStaticFileHandler]) is None


def test_wrong_attempts_block_an_address_for_a_while(monkeypatch):
    from fmse_widgets.workshop import gate

    room = gate.Room(CODE, "t" * 43, "en")
    clock = [1000.0]
    monkeypatch.setattr(gate.time, "monotonic", lambda: clock[0])
    for _ in range(gate.MAX_FAILURES):
        assert not room.blocked("192.0.2.7")
        room.failed("192.0.2.7")
    assert room.blocked("192.0.2.7") and not room.blocked("192.0.2.8")
    clock[0] += gate.FAILURE_WINDOW + 1
    assert not room.blocked("192.0.2.7")


# ---- capacity -------------------------------------------------------------------------------------------------

def test_pools_are_sized_from_the_participants_for_the_room_page_only():
    from fmse_widgets.workshop.server import pool_config, pool_sizes

    assert pool_sizes(30, "cy") == {"cy/gweithdy.ipynb": 30, "en/workshop.ipynb": 6}
    assert pool_sizes(3, "en") == {"en/workshop.ipynb": 3, "cy/gweithdy.ipynb": 2}
    config = pool_config(30, "en")
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config["default"] == {"pool_size": 0}


@pytest.mark.slow  # a process of its own
@pytest.mark.parametrize("module", ["fmse_widgets.workshop.participant", "fmse_widgets.workshop.trainer"])
def test_workshop_pages_import_no_pandas(module):
    code = (f"import sys, fmse_widgets, fmse_widgets.course_page, {module}; "
            "sys.exit('pandas' in sys.modules or 'matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# ---- the gate fails closed ----------------------------------------------------------------------------------------

def _workshop_app(extra_routes=()):
    from fmse_widgets.server import use_course_template, voila_argv
    from fmse_widgets.workshop.gate import Room
    from fmse_widgets.workshop.server import WorkshopVoila

    class Planted(WorkshopVoila):
        def course_handlers(self):
            return [*super().course_handlers(), *extra_routes]

    use_course_template()
    Planted.room = Room(CODE, "t" * 43, "en", store_factory=lambda: None)
    app = Planted()
    app.initialize(argv=voila_argv(8, cull_idle=600, cull_interval=60, open_browser=False))
    app.init_settings()
    return app


@pytest.mark.upstream
def test_every_route_of_the_workshop_is_classified_by_its_class():
    from fmse_widgets.workshop.gate import handler_kinds

    app = _workshop_app()
    routes = app.init_handlers()
    kinds = handler_kinds()
    assert len(routes) == len(app.course_handlers()) + 2  # the join and trainer pages first
    assert all(spec[1] in kinds for spec in app.course_handlers())


@pytest.mark.parametrize("base", ["plain", "subclass of a public one", "renamed page handler"])
def test_a_route_the_gate_does_not_know_stops_the_workshop_from_starting(base):
    import tornado.web
    from voila.static_file_handler import MultiStaticFileHandler
    from voila.tornado.handler import TornadoVoilaHandler

    from fmse_widgets.workshop.gate import UnclassifiedRoute

    parent = {"plain": tornado.web.RequestHandler, "subclass of a public one": MultiStaticFileHandler,
              "renamed page handler": TornadoVoilaHandler}[base]
    planted = type("MultiStaticFileHandler" if base == "plain" else "UpstreamNewHandler", (parent,), {})
    app = _workshop_app([(r"/planted/(.*)", planted)])
    with pytest.raises(UnclassifiedRoute) as stopped:
        app.init_handlers()
    assert "/planted/(.*)" in str(stopped.value) and "handler_kinds()" in str(stopped.value)


def test_the_trainers_cookie_is_for_this_run_only():
    from fmse_widgets.workshop.gate import Room

    one, two = Room(CODE, "a" * 43, "en"), Room(CODE, "b" * 43, "en")
    assert one.trainer_cookie_value() != two.trainer_cookie_value()
    assert "a" * 10 not in one.trainer_cookie_value()


def test_the_workshop_log_names_no_kernel(capsys):
    import logging

    from fmse_widgets.workshop.server import hide_kernel_ids

    logger = logging.getLogger("fmse-test-kernel-log")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        hide_kernel_ids(logger)
        logger.warning("Kernel started: %s", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    finally:
        logger.removeHandler(handler)
    err = capsys.readouterr().err
    assert "Kernel started: <kernel>" in err and "0f1e2d3c" not in err
