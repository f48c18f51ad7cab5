"""Identity without accounts: JupyterHub user, the learner id in Voilà links, the remembered JupyterLab learner,
and the landing page's name widget (privacy note, escaping, anonymity)."""
from __future__ import annotations

import stat

import pytest

from fmse_widgets.recording import ExerciseEvent, get_recorder, set_recorder, utc_now
from fmse_widgets.records import PageRecorder, RecordsError, StoreRecorder, open_store, start_records
from fmse_widgets.records import identity as ident
from fmse_widgets.records.identity_view import IdentityView

VOILA = {"SERVER_SOFTWARE": "voila/0.5.13"}


@pytest.fixture(autouse=True)
def data_folder(records_backend, tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    previous = get_recorder()
    yield tmp_path / "data"
    set_recorder(previous)


def known_learner(name: str | None = "Dafydd ap Gwilym") -> str:
    with open_store() as store:
        return store.add_learner(name).learner_id


def test_a_hub_user_always_gets_the_same_learner_id():
    first, again = ident.hub_learner_id("a.jones"), ident.hub_learner_id("a.jones")
    assert first == again and len(first) == 32 and first != ident.hub_learner_id("b.jones")
    found = ident.resolve({"JUPYTERHUB_USER": "a.jones", **VOILA, "QUERY_STRING": f"learner={'e' * 32}"},
                          known=lambda i: True)
    assert found == ident.Identity(first, "jupyterhub", "a.jones", None)  # the hub wins over a link


@pytest.mark.parametrize(("query", "expected"), [
    ("learner={id}", "{id}"),
    ("lang=cy&learner={id}&x=1", "{id}"),
    ("learner={upper}", None),              # ids are lowercase hex only
    ("learner={id}&learner={id}", None),    # exactly one
    ("learner={id}x", None),
    ("learner=../../etc/passwd", None),
    ("learner=%3Cscript%3E", None),
    ("learner=" + "f" * 32, None),          # well formed but not a learner the store knows
    ("", None),
])
def test_the_learner_in_a_voila_link_is_accepted_only_if_valid_and_known(query, expected):
    learner = known_learner()
    query = query.format(id=learner, upper=learner.upper())
    with open_store() as store:
        found = ident.resolve({**VOILA, "QUERY_STRING": query}, known=lambda i: store.learner(i) is not None)
    assert (found.learner_id if found else None) == (expected.format(id=learner) if expected else None)
    if found:
        assert found.source == "link"


def test_a_workshop_code_in_the_link_is_read_strictly():
    learner = known_learner()
    assert ident.from_query(f"learner={learner}&workshop=CARDIFF1", lambda i: True) == (learner, "CARDIFF1")
    assert ident.from_query("workshop=cardiff1", lambda i: True) == (None, None)
    assert ident.from_query("workshop=A<B>", lambda i: True) == (None, None)


def test_links_carry_the_learner_and_keep_everything_else():
    learner = "a" * 32
    assert ident.with_learner("cy/01-cyd-destun.ipynb", learner) == f"cy/01-cyd-destun.ipynb?learner={learner}"
    assert (ident.with_learner(f"en/01-context.ipynb?learner={'b' * 32}&x=1#top", learner, "WS01")
            == f"en/01-context.ipynb?x=1&learner={learner}&workshop=WS01#top")
    assert ident.with_learner("en/01-context.ipynb?x=1", None) == "en/01-context.ipynb?x=1"
    with pytest.raises(ValueError):
        ident.with_learner("en/01-context.ipynb", "javascript:alert(1)")


def test_the_remembered_learner_file_is_private_and_survives_damage(data_folder):
    learner = "c" * 32
    path = ident.save(learner, "Non Ŷ")
    assert ident.read_saved() == (learner, "Non Ŷ")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("{not json", encoding="utf-8")
    assert ident.read_saved() is None
    path.write_text('{"learner_id": "nope"}', encoding="utf-8")
    assert ident.read_saved() is None
    ident.forget()
    assert ident.read_saved() is None


def an_event(page="context") -> ExerciseEvent:
    return ExerciseEvent("context-who-is-targeted", page, "en", ("boys-most-cases",), 1.0, True, utc_now(), utc_now())


def test_start_records_in_voila_without_a_learner_keeps_answers_for_the_page_only(data_folder):
    found, recorder = start_records({**VOILA, "QUERY_STRING": ""})
    assert found is None and isinstance(recorder, PageRecorder) and get_recorder() is recorder
    recorder.record(an_event())
    assert recorder.done_exercises("context") == {"context-who-is-targeted"}
    with open_store() as store:
        assert store.events() == []


def test_start_records_in_voila_with_a_learner_records_to_the_store():
    learner = known_learner()
    found, recorder = start_records({**VOILA, "QUERY_STRING": f"learner={learner}&workshop=WS2026"})
    assert found.learner_id == learner and found.workshop == "WS2026" and isinstance(recorder, StoreRecorder)
    get_recorder().record(an_event())
    with open_store() as store:
        [stored] = store.events()
    assert stored.learner_id == learner and stored.workshop == "WS2026"


def test_start_records_under_jupyterhub_creates_the_hub_learner_once():
    for _ in range(2):
        found, recorder = start_records({"JUPYTERHUB_USER": "s.evans"})
    assert isinstance(recorder, StoreRecorder) and found.source == "jupyterhub"
    with open_store() as store:
        assert [x.name for x in store.learners()] == ["s.evans"]


def test_start_records_in_jupyterlab_uses_the_remembered_learner_even_after_a_purge(data_folder):
    assert start_records({})[0] is None
    ident.save("d" * 32, "Rhys")
    found, recorder = start_records({})
    assert found == ident.Identity("d" * 32, "saved", "Rhys") and isinstance(recorder, StoreRecorder)
    with open_store() as store:
        assert store.learner("d" * 32).name == "Rhys"


def test_start_records_never_fails_the_page_when_the_records_cannot_be_opened(records_backend, tmp_path,
                                                                             monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FMSE_DATA_DIR", str(blocker / "sub"))
    if records_backend == "postgresql":  # a database server that does not answer (nothing listens on the port)
        from servers import free_port

        monkeypatch.setenv("FMSE_RECORDS_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere")
    found, recorder = start_records({"JUPYTERHUB_USER": "x"})
    # The page opens; its learner keeps a recorder for the store, so each answer says (in the page's language)
    # that it was not saved, instead of being kept on the page only without a word.
    assert found is not None and found.source == "jupyterhub" and isinstance(recorder, StoreRecorder)
    with pytest.raises(RecordsError) as caught:
        recorder.record(ExerciseEvent("context-who-is-targeted", "context", "cy", ("boys-most-cases",), 1.0, True,
                                      "2026-01-01T09:00:00+00:00", "2026-01-01T09:01:00+00:00"))
    assert caught.value.kind == ("missing" if records_backend == "sqlite" else "unreachable")
    assert caught.value.lang == "cy"
    assert isinstance(start_records({})[1], PageRecorder)  # nobody the page knows: this page only, as before


def test_the_name_widget_saves_a_name_and_escapes_it(data_folder):
    view = IdentityView("en")
    assert "Nothing about any child is ever recorded" in view.note.value
    view.name_box.value = '<img src=x onerror="alert(1)"> Siôn'
    view.save_button.click()
    assert len(view.learner_id) == 32 and view.name == '<img src=x onerror="alert(1)"> Siôn'
    assert "<img" not in view.status.value and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Siôn" in view.status.value
    assert view.form.layout.display == "none"
    assert view.link("en/01-context.ipynb") == f"en/01-context.ipynb?learner={view.learner_id}"
    assert view.query == f"learner={view.learner_id}"
    with open_store() as store:
        assert store.learner(view.learner_id).name == view.name
    assert ident.read_saved() is None  # a Voilà page does not remember the learner on disk


def test_the_name_widget_in_welsh_stays_anonymous_and_can_add_a_name_later(data_folder):
    view = IdentityView("cy", remember=True)
    assert "Ni chofnodir dim byd am unrhyw blentyn" in view.note.value
    assert view.save_button.description == "Cadw fy enw" and view.link("x.ipynb") == "x.ipynb"
    view.save_button.click()  # nothing typed yet
    assert view.learner_id == "" and "Type your name first" not in view.status.value
    view.anonymous_button.click()
    learner = view.learner_id
    assert learner and view.name == "" and "astudio&#x27;n ddienw" in view.status.value
    assert ident.read_saved() == (learner, None)
    view.change_button.click()
    assert view.form.layout.display is None
    view.name_box.value = "Elin Wyn"
    view.save_button.click()
    assert view.learner_id == learner and ident.read_saved() == (learner, "Elin Wyn")


def test_the_name_widget_shows_a_known_learner_and_refuses_a_long_name(data_folder):
    learner = known_learner("Gwyneth")
    view = IdentityView("en", identity=ident.Identity(learner, "link"))
    assert view.learner_id == learner and "Gwyneth" in view.status.value
    view.change_button.click()
    view.name_box.value = "x" * 81
    view.save_button.click()
    assert "at most 80 characters" in view.status.value
    with open_store() as store:
        assert store.learner(learner).name == "Gwyneth"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_name_already_on_this_computer_is_asked_about_never_duplicated_silently(data_folder, lang):
    from fmse_widgets.i18n import translator

    tr = translator(lang)
    existing = known_learner("Gwyneth Lewis")
    view = IdentityView(lang)
    view.name_box.value = "  gwyneth   LEWIS "
    view.save_button.click()
    assert view.learner_id == ""  # nothing made yet: asked first
    assert view.same_box.layout.display is None and view.form.layout.display == "none"
    question = tr.gettext("There is already a learner called {name} on this computer: is that you?")
    assert escape_html(question.split("{name}")[0].strip()) in view.same_question.value and "Gwyneth Lewis" in view.same_question.value
    assert view.same_yes.description == tr.gettext("Yes, continue as {name}").format(name="Gwyneth Lewis")
    view.same_yes.click()
    assert view.learner_id == existing and view.name == "Gwyneth Lewis"
    with open_store() as store:
        assert [learner.learner_id for learner in store.learners()] == [existing]
    # The browser is asked to remember them, and offered "Continue as" / "I'm someone else".
    assert 'class="fmse-remember"' in view.browser.value and f"learner={existing}" in view.browser.value
    assert escape_html(tr.gettext("I'm someone else")) in view.browser.value

    # In another browser, someone else of that name says no: a second learner, asked about first.
    other = IdentityView(lang)
    other.name_box.value = "Gwyneth Lewis"
    other.save_button.click()
    assert other.learner_id == "" and other.same_box.layout.display is None
    other.same_no.click()
    assert other.learner_id not in ("", existing) and other.same_box.layout.display == "none"
    with open_store() as store:
        assert sorted(learner.name for learner in store.learners()) == ["Gwyneth Lewis", "Gwyneth Lewis"]


def test_the_browser_is_asked_to_remember_only_in_voila_and_with_a_valid_grant(data_folder):
    from fmse_widgets import learner_cookie
    from fmse_widgets.session import load_secret, verify

    view = IdentityView("en", continue_to="en/00-start-here.ipynb")
    view.name_box.value = "Nia"
    view.save_button.click()
    assert f'href="en/00-start-here.ipynb?learner={view.learner_id}"' in view.browser.value
    assert "Continue as Nia" in view.browser.value
    grant = learner_cookie.grant_url(view.learner_id)
    token = grant.split("token=")[1]
    from urllib.parse import unquote

    assert verify(load_secret(), learner_cookie.GRANT, unquote(token), max_age_days=1) == view.learner_id
    assert verify(load_secret(), learner_cookie.FORGET, unquote(token), max_age_days=1) is None  # not a forget
    jupyterlab = IdentityView("en", remember=True)
    jupyterlab.name_box.value = "Nia"
    jupyterlab.save_button.click()
    jupyterlab.same_yes.click()
    assert jupyterlab.browser.value == ""  # JupyterLab remembers on disk, not in a browser


def escape_html(text: str) -> str:
    from html import escape

    return escape(text)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_exercise_answered_before_shows_its_result_and_how_to_try_again(data_folder, lang):
    from fmse_widgets.i18n import translator
    from fmse_widgets.page import show
    from fmse_widgets.records.progress import page_exercises

    tr = translator(lang)
    exercise_id = page_exercises()["context"][0]
    learner = known_learner("Rhys")
    # Not yet answered (and for a learner the page does not know): no note.
    def notes(view) -> list:
        return [c for c in view.children if "fmse-previous-answer" in str(getattr(c, "value", "") or "")]

    page_only = PageRecorder()
    set_recorder(page_only)
    page_only.record(ExerciseEvent(exercise_id, "context", lang, ("a",), 1.0, True, "2026-03-01T09:00:00+00:00",
                                   "2026-03-01T09:00:00+00:00"))
    assert notes(show(exercise_id, lang=lang, page="context")) == []
    recorder = StoreRecorder(learner)
    set_recorder(recorder)
    assert notes(show(exercise_id, lang=lang, page="context")) == []
    recorder.record(ExerciseEvent(exercise_id, "context", lang, ("a",), 0.5, False, "2026-03-01T09:00:00+00:00",
                                  "2026-03-01T09:00:00+00:00"))
    recorder.record(ExerciseEvent(exercise_id, "context", lang, ("b",), 1.0, True, "2026-03-02T09:00:00+00:00",
                                  "2026-03-02T09:05:00+00:00"))
    view = show(exercise_id, lang=lang, page="context")  # the page opened again
    note = view.children[0].value
    day = "2 March 2026" if lang == "en" else "2 Mawrth 2026"
    said = tr.gettext("You answered this on {date} and passed, with {score}%.").format(date=day, score=100)
    assert "fmse-previous-answer" in note and escape_html(said) in note  # the latest answer
    assert escape_html(tr.gettext("Your answer is kept. To try again, answer below: your new answer is kept too.")) \
        in note
    assert len(view.children) > 1  # the exercise itself is still there to answer again
