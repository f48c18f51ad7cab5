"""The branching scenario: the graph validator rejects broken graphs, and a run walks, scores and restarts."""
from __future__ import annotations

import textwrap

import pytest
from fmse_widgets import yaml_text
from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.loader import load, parse_exercise
from fmse_widgets.exercises.graph import graph_problems
from fmse_widgets.exercises.scenario import ScenarioRun

SOUND = {"start": [("a", "middle"), ("b", "end-good")], "middle": [("c", "end-good"), ("d", "end-poor")],
         "end-good": [], "end-poor": []}
ENDINGS = {"end-good", "end-poor"}


def test_a_sound_graph_has_no_problems():
    assert graph_problems("start", SOUND, ENDINGS) == []


def test_a_choice_pointing_nowhere_is_named():
    broken = {**SOUND, "middle": [("c", "end-good"), ("d", "nowhere"), ("e", "end-poor")]}
    assert graph_problems("start", broken, ENDINGS) == [
        "choice 'd' in node 'middle' points to 'nowhere', which is not a node"]


def test_an_unreachable_node_is_named():
    broken = {**SOUND, "orphan": [("e", "end-good")]}
    assert graph_problems("start", broken, ENDINGS) == ["node 'orphan' cannot be reached from the start node 'start'"]


def test_a_node_with_no_choices_that_is_not_an_ending_is_a_dead_end():
    broken = {**SOUND, "middle": []}
    problems = graph_problems("start", broken, ENDINGS)
    assert "node 'middle' is a dead end: it has no choices and is not marked as an ending" in problems


def test_a_loop_with_no_way_out_is_a_dead_end():
    broken = {"start": [("a", "x"), ("b", "end-good")], "x": [("c", "y")], "y": [("d", "x")], "end-good": []}
    problems = graph_problems("start", broken, {"end-good"})
    assert problems == ["node 'x' is a dead end: no ending can be reached from it (a loop with no way out)",
                        "node 'y' is a dead end: no ending can be reached from it (a loop with no way out)"]


def test_a_loop_with_a_way_out_is_fine():
    looping = {"start": [("a", "x")], "x": [("back", "start"), ("on", "end")], "end": []}
    assert graph_problems("start", looping, {"end"}) == []


def test_a_missing_start_and_an_ending_with_choices_are_named():
    assert graph_problems("begin", SOUND, ENDINGS)[0].startswith("the start node 'begin' is not one of the nodes")
    problems = graph_problems("start", {**SOUND, "end-poor": [("z", "start")]}, ENDINGS)
    assert "node 'end-poor' is an ending but has choices" in problems


SCENARIO = """
id: broken-scenario
type: scenario
section: supporting-victims
prompt: {en: P, cy: P cy}
notice: {en: Invented., cy: Wedi'i ddyfeisio.}
debrief: {en: D, cy: D cy}
start: first
nodes:
- id: first
  text: {en: A pupil says something., cy: Mae disgybl yn dweud rhywbeth.}
  choices:
  - {id: good, best: true, next: done, text: {en: Good, cy: Da}, feedback: {en: Right, cy: Cywir}}
  - {id: bad, best: false, next: NEXT, text: {en: Bad, cy: Drwg}, feedback: {en: Wrong, cy: Anghywir}}
- id: done
  ending: true
  text: {en: End., cy: Diwedd.}
"""


def scenario(next_id: str, extra: str = "") -> dict:
    return yaml_text.safe_load(textwrap.dedent(SCENARIO).replace("NEXT", next_id) + extra)


def test_the_content_parser_rejects_a_broken_graph_naming_file_exercise_and_field():
    with pytest.raises(ContentError, match=r"broken-scenario.yaml: exercise 'broken-scenario': field 'nodes': the "
                                           r"scenario's graph is broken: choice 'bad' in node 'first' points to "
                                           r"'missing', which is not a node"):
        parse_exercise(scenario("missing"), "broken-scenario.yaml")
    unreachable = "- id: lost\n  ending: true\n  text: {en: Lost., cy: Ar goll.}\n"
    with pytest.raises(ContentError, match="node 'lost' cannot be reached"):
        parse_exercise(scenario("done", unreachable), "broken-scenario.yaml")
    assert parse_exercise(scenario("done"), "ok.yaml").start == "first"


def test_choice_ids_are_unique_across_the_scenario():
    data = scenario("done")
    data["nodes"][0]["choices"][1]["id"] = "good"
    with pytest.raises(ContentError, match="choice id 'good' is used twice"):
        parse_exercise(data, "x.yaml")


def test_a_node_is_an_ending_or_has_choices_not_both():
    data = scenario("done")
    data["nodes"][1]["choices"] = [{"id": "z", "best": True, "next": "first", "text": {"en": "Z", "cy": "Z cy"},
                                    "feedback": {"en": "F", "cy": "F cy"}}]
    with pytest.raises(ContentError, match="an ending has no choices"):
        parse_exercise(data, "x.yaml")


def test_a_run_walks_the_gallery_scenario_and_scores_the_path():
    run = ScenarioRun(load("gallery-scenario"))
    assert run.node_id == "disclosure" and not run.finished
    run.choose("ask-why")
    run.choose("put-it-right")
    step = run.choose("do-not-pay-pass-on")
    assert step.choice.best and run.finished and run.node_id == "passed-on"
    assert run.choices == ("ask-why", "put-it-right", "do-not-pay-pass-on")
    assert run.best_taken == 2 and run.score == pytest.approx(0.6667)
    with pytest.raises(ValueError, match="the scenario has ended"):
        run.choose("thank-and-reassure")
    run.restart()
    assert run.path == [] and run.node_id == "disclosure" and run.score == 0.0
    with pytest.raises(ValueError, match="has no choice 'made-up'"):
        run.choose("made-up")


def test_every_path_through_the_gallery_scenario_ends():
    exercise = load("gallery-scenario")
    ended, todo = set(), [()]
    while todo:
        path = todo.pop()
        run = ScenarioRun(exercise)
        for choice in path:
            run.choose(choice)
        if run.finished:
            ended.add(run.node_id)
        elif len(path) < 10:
            todo += [path + (c.id,) for c in run.node.choices]
    assert ended == {n.id for n in exercise.nodes if n.ending}
