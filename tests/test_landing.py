"""The landing page and a page's header: one learner across both languages, links that carry them in Voilà."""
from __future__ import annotations

import re

import pytest

from fmse_widgets.course_page import start_page
from fmse_widgets.landing import landing

VOILA = {"SERVER_SOFTWARE": "voila/0.5"}


@pytest.fixture(autouse=True)
def own_data(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))


def test_landing_is_welsh_first_and_choosing_a_name_updates_both_languages():
    page = landing(VOILA)
    title, welsh, english = page.children
    assert title.value.index('lang="cy"') < title.value.index('lang="en"')
    assert (welsh.lang, english.lang) == ("cy", "en")
    assert "?learner=" not in welsh.start.value
    english.who.name_box.value = "Siân <b>Ŵ</b>"
    english.who.save_button.click()
    learner = english.who.learner_id
    assert re.fullmatch(r"[0-9a-f]{32}", learner)
    assert welsh.who.learner_id == learner
    assert "Siân &lt;b&gt;Ŵ&lt;/b&gt;" in welsh.who.status.value
    for part in (welsh, english):
        assert f"?learner={learner}" in part.start.value
        assert f"?learner={learner}" in part.progress.value and f"?learner={learner}" in part.more.value


def test_jupyterlab_remembers_instead_of_carrying_links():
    page = landing({})
    _, welsh, _ = page.children
    welsh.who.anonymous_button.click()
    assert welsh.who.learner_id and "?learner=" not in welsh.start.value


def test_page_header_carries_the_learner_and_shows_progress():
    page = landing(VOILA)
    page.children[1].who.anonymous_button.click()
    learner = page.children[1].who.learner_id
    env = {**VOILA, "QUERY_STRING": f"learner={learner}"}
    from fmse_widgets.course_page import CoursePage
    from fmse_widgets.records import start_records

    course = CoursePage("context", "cy", start=lambda: start_records(env))
    assert course.learner_id == learner
    nav, marker, progress = course.header().children  # a Welsh page with draft Welsh says so under the links
    assert f'href="../en/01-context.ipynb?learner={learner}"' in nav.value
    assert "Drafft" in marker.value
    assert "Wedi cwblhau 0 o" in progress.value


def test_unknown_learner_in_a_link_is_ignored():
    from fmse_widgets.course_page import CoursePage
    from fmse_widgets.records import start_records

    env = {**VOILA, "QUERY_STRING": "learner=" + "a" * 32}
    course = CoursePage("context", "en", start=lambda: start_records(env))
    assert course.learner_id is None
    assert "?learner=" not in course.header().children[0].value


def test_start_page_checks_language():
    with pytest.raises(ValueError, match="'en' or 'cy'"):
        start_page("context", "fr")
