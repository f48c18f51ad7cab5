"""Branching scenario: a conversation as a graph of nodes and choices, ending in a debrief."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import ID_PATTERN, Fields
from ..text import HasTexts, Text
from .common import SECTIONS, unique_id


@dataclass(frozen=True, slots=True)
class ScenarioChoice:
    id: str
    text: Text
    next: str                  # the node this choice leads to
    best: bool                 # what the guidance recommends at this point
    feedback: Text


@dataclass(frozen=True, slots=True)
class ScenarioNode:
    id: str
    text: Text                 # what happens / what the young person says; for an ending, the outcome
    choices: tuple[ScenarioChoice, ...]
    ending: bool


@dataclass(frozen=True, slots=True)
class ScenarioExercise(HasTexts):
    """A conversation as a graph: nodes with choices leading to other nodes, ending in a debrief."""
    id: str
    type: str
    section: str
    prompt: Text
    notice: Text               # says that the people and the conversation are invented
    start: str
    nodes: tuple[ScenarioNode, ...]
    debrief: Text

    def node(self, node_id: str) -> ScenarioNode:
        return next(n for n in self.nodes if n.id == node_id)


def _choices(entry: Fields, seen_choices: set[str], seen_nodes: set[str]) -> list[ScenarioChoice]:
    choices = []
    for c in entry.items("choices", minimum=1):
        choice_id = c.string("id", pattern=ID_PATTERN)
        if choice_id in seen_choices or choice_id in seen_nodes:
            c.fail(f"choice id {choice_id!r} is used twice in this scenario (choice ids are recorded, "
                   "so they must be unique across all nodes)", "id")
        seen_choices.add(choice_id)
        choices.append(ScenarioChoice(id=choice_id, text=c.text("text"), next=c.string("next"),
                                      best=c.boolean("best"), feedback=c.text("feedback")))
        c.no_other_keys()
    return choices


def parse_scenario(f: Fields, exercise_id: str, kind: str) -> ScenarioExercise:
    from ...exercises.graph import graph_problems  # pure logic with no content imports: no cycle

    nodes: list[ScenarioNode] = []
    seen_nodes: set[str] = set()
    seen_choices: set[str] = set()
    for entry in f.items("nodes", minimum=2):
        node_id = unique_id(entry, seen_nodes, "node")
        ending = entry.boolean("ending", default=False)
        choices = _choices(entry, seen_choices, seen_nodes) if "choices" in entry.data else []
        if ending and choices:
            entry.fail("an ending has no choices: remove 'choices' or 'ending: true'")
        nodes.append(ScenarioNode(id=node_id, text=entry.text("text"), choices=tuple(choices), ending=ending))
        entry.no_other_keys()
    start = f.string("start")
    problems = graph_problems(start, {n.id: [(c.id, c.next) for c in n.choices] for n in nodes},
                              {n.id for n in nodes if n.ending})
    if problems:
        f.fail("the scenario's graph is broken: " + "; ".join(problems), "nodes")
    return ScenarioExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                            prompt=f.text("prompt"), notice=f.text("notice"), start=start, nodes=tuple(nodes),
                            debrief=f.text("debrief"))
