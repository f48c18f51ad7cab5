"""Which view renders which exercise type."""
from __future__ import annotations

from .chat import ChatView
from .choice import ChoiceView
from .coach import CoachView
from .knowledge import KnowledgeCheckView
from .myth_fact import MythFactView
from .order import OrderView
from .reflection import ReflectionView
from .scenario import ScenarioView
from .sort import SortView

VIEWS = {
    "single-choice": ChoiceView,
    "multiple-choice": ChoiceView,
    "myth-or-fact": MythFactView,
    "sort": SortView,
    "order": OrderView,
    "scenario": ScenarioView,
    "chat-spotter": ChatView,
    "language-coach": CoachView,
    "reflection": ReflectionView,
    "knowledge-check": KnowledgeCheckView,
}


def view_for(exercise):
    try:
        return VIEWS[exercise.type]
    except KeyError:
        raise ValueError(f"exercise '{exercise.id}': no view for type '{exercise.type}'") from None
