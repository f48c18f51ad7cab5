"""Walking a branching scenario: the current node, the path taken, the score and the debrief.

The graph was checked when the content was loaded (`graph.graph_problems`), so every choice leads to a node
and every path can end.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content.exercises import ScenarioChoice, ScenarioExercise, ScenarioNode


@dataclass(frozen=True, slots=True)
class PathStep:
    node: ScenarioNode
    choice: ScenarioChoice


@dataclass
class ScenarioRun:
    """One walk through a scenario. `choose()` moves on; when `finished`, `score` and `path` give the debrief."""
    exercise: ScenarioExercise
    node_id: str = ""
    path: list[PathStep] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.node_id = self.node_id or self.exercise.start

    @property
    def node(self) -> ScenarioNode:
        return self.exercise.node(self.node_id)

    @property
    def finished(self) -> bool:
        return self.node.ending

    def choose(self, choice_id: str) -> PathStep:
        if self.finished:
            raise ValueError(f"exercise '{self.exercise.id}': the scenario has ended; start again to choose")
        choice = next((c for c in self.node.choices if c.id == choice_id), None)
        if choice is None:
            raise ValueError(f"exercise '{self.exercise.id}': node '{self.node_id}' has no choice '{choice_id}'")
        step = PathStep(self.node, choice)
        self.path.append(step)
        self.node_id = choice.next
        return step

    @property
    def choices(self) -> tuple[str, ...]:
        """For the recording interface: the choice ids taken, in order."""
        return tuple(s.choice.id for s in self.path)

    @property
    def best_taken(self) -> int:
        return sum(s.choice.best for s in self.path)

    @property
    def score(self) -> float:
        """The share of the choices made that were the best available at that point."""
        return round(self.best_taken / len(self.path), 4) if self.path else 0.0

    def restart(self) -> None:
        self.node_id, self.path = self.exercise.start, []
