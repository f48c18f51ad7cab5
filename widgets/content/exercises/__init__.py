"""Exercise definitions as frozen dataclasses, and the parser (schema) for each exercise type: one module per type.

Every exercise file has `id`, `type` and `section` (the alert section its feedback cites, or "course") and a
`prompt`; every learner-visible string is an {en, cy} text. Answer keys are ids and true/false, never wording.
The data/exercises/gallery-*.yaml files show one complete example of each type. Fields by type:

- single-choice / multiple-choice (choice.py): options [{id, text, correct, feedback}], why
- myth-or-fact (myth_fact.py): cards [{id, statement, fact: true|false, explanation}] (at least one myth and one
  fact)
- sort (sort.py): categories [{id, label}], items [{id, text, category: <category id>, feedback}], why
- order (order.py): steps [{id, text}] in the right order; optional start: [step ids] as first shown; why
- scenario (scenario.py): notice (says it is invented), start: <node id>, debrief, nodes [{id, text, choices:
  [{id, text, next: <node id>, best, feedback}]} or {id, text, ending: true}]; the graph is checked
  (exercises/graph.py)
- chat-spotter (chat.py): notice, participants [{id, handle (invented user name), role, markable}],
  messages [{id, sender, text, sign: one of SIGNS (optional), feedback (on markable messages)}], why
- language-coach (coach.py): situation, phrase_list (data/language/<name>.yaml), model_answer, why
- reflection (reflection.py): points [texts] (optional)
- knowledge-check (knowledge.py): pass_mark (0-1), questions [single- or multiple-choice questions, each with its
  own section]

Each exercise class takes `texts()` from HasTexts, derived from its fields, so a new text field is checked for
parity and placeholders without being listed anywhere. Adding a type: docs/developing.md.
Text may quote an example of what not to say as <q class="fmse-avoid">...</q> (see exercises/coach.py).
"""
from __future__ import annotations

from collections.abc import Callable

from ..fields import Fields
from .chat import HANDLE_PATTERN, SIGNS, ChatExercise, ChatMessage, Participant, parse_chat
from .choice import ChoiceExercise, Option, parse_choice
from .coach import CoachExercise, parse_coach
from .common import SECTIONS
from .knowledge import KnowledgeCheck, parse_knowledge_check
from .myth_fact import Card, MythFactExercise, parse_myth_fact
from .order import OrderExercise, Step, default_start, parse_order
from .reflection import ReflectionExercise, parse_reflection
from .scenario import ScenarioChoice, ScenarioExercise, ScenarioNode, parse_scenario
from .sort import Category, SortExercise, SortItem, parse_sort

Exercise = (ChoiceExercise | MythFactExercise | SortExercise | OrderExercise | ScenarioExercise | ChatExercise
            | CoachExercise | ReflectionExercise | KnowledgeCheck)

PARSERS: dict[str, Callable[[Fields, str, str], Exercise]] = {
    "single-choice": parse_choice,
    "multiple-choice": parse_choice,
    "myth-or-fact": parse_myth_fact,
    "sort": parse_sort,
    "order": parse_order,
    "scenario": parse_scenario,
    "chat-spotter": parse_chat,
    "language-coach": parse_coach,
    "reflection": parse_reflection,
    "knowledge-check": parse_knowledge_check,
}

__all__ = ["HANDLE_PATTERN", "PARSERS", "SECTIONS", "SIGNS", "Card", "Category", "ChatExercise", "ChatMessage",
           "ChoiceExercise", "CoachExercise", "Exercise", "KnowledgeCheck", "MythFactExercise", "Option",
           "OrderExercise", "Participant", "ReflectionExercise", "ScenarioChoice", "ScenarioExercise",
           "ScenarioNode", "SortExercise", "SortItem", "Step", "default_start", "parse_chat", "parse_choice",
           "parse_coach", "parse_knowledge_check", "parse_myth_fact", "parse_order", "parse_reflection",
           "parse_scenario", "parse_sort"]
