"""Exercise definitions as frozen dataclasses, and the parser (schema) for each exercise type.

Every exercise file has `id`, `type` and `section` (the alert section its feedback cites, or "course") and a
`prompt`; every learner-visible string is an {en, cy} text. Answer keys are ids and true/false, never wording.
The data/exercises/gallery-*.yaml files show one complete example of each type. Fields by type:

- single-choice / multiple-choice: options [{id, text, correct, feedback}], why
- myth-or-fact: cards [{id, statement, fact: true|false, explanation}] (at least one myth and one fact)
- sort: categories [{id, label}], items [{id, text, category: <category id>, feedback}], why
- order: steps [{id, text}] in the right order; optional start: [step ids] as first shown; why
- scenario: notice (says it is invented), start: <node id>, debrief, nodes [{id, text, choices: [{id, text,
  next: <node id>, best, feedback}]} or {id, text, ending: true}]; the graph is checked (exercises/graph.py)
- chat-spotter: notice, participants [{id, handle (invented user name), role, markable}],
  messages [{id, sender, text, sign: one of SIGNS (optional), feedback (on markable messages)}], why
- language-coach: situation, phrase_list (data/language/<name>.yaml), model_answer, why
- reflection: points [texts] (optional)
- knowledge-check: pass_mark (0-1), questions [single- or multiple-choice questions, each with its own section]

Text may quote an example of what not to say as <q class="fmse-avoid">...</q> (see exercises/coach.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .fields import ID_PATTERN, Fields, parse_text
from .text import Text

# The alert's sections, which a "why" cites; "course" marks material drawn from shared/reference sources.
SECTIONS = ("context", "what-it-looks-like", "preventative-education", "supporting-victims",
            "adult-victims", "parents-letter", "course")


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: Text
    correct: bool
    feedback: Text


@dataclass(frozen=True, slots=True)
class ChoiceExercise:
    """Single choice (exactly one correct option) or multiple choice (one or more correct)."""
    id: str
    type: str
    section: str
    prompt: Text
    options: tuple[Option, ...]
    why: Text

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    def texts(self) -> list[tuple[str, Text]]:
        """Every learner-visible string with the field it sits in (for parity and translation checks)."""
        found = [("prompt", self.prompt), ("why", self.why)]
        for i, option in enumerate(self.options):
            found += [(f"options[{i}].text", option.text), (f"options[{i}].feedback", option.feedback)]
        return found



# --- myth or fact -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Card:
    id: str
    statement: Text
    fact: bool                 # True: the statement is a fact; False: it is a myth
    explanation: Text


@dataclass(frozen=True, slots=True)
class MythFactExercise:
    """Cards the learner marks as myth or fact; each answer is explained."""
    id: str
    type: str
    section: str
    prompt: Text
    cards: tuple[Card, ...]

    def texts(self) -> list[tuple[str, Text]]:
        found = [("prompt", self.prompt)]
        for i, card in enumerate(self.cards):
            found += [(f"cards[{i}].statement", card.statement), (f"cards[{i}].explanation", card.explanation)]
        return found


# --- sort into categories -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class SortItem:
    id: str
    text: Text
    category: str              # the id of the category it belongs in
    feedback: Text


@dataclass(frozen=True, slots=True)
class SortExercise:
    """Items the learner puts into categories with a select per item (no dragging: WCAG 2.2, 2.5.7)."""
    id: str
    type: str
    section: str
    prompt: Text
    categories: tuple[Category, ...]
    items: tuple[SortItem, ...]
    why: Text

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def texts(self) -> list[tuple[str, Text]]:
        found = [("prompt", self.prompt), ("why", self.why)]
        found += [(f"categories[{i}].label", c.label) for i, c in enumerate(self.categories)]
        for i, item in enumerate(self.items):
            found += [(f"items[{i}].text", item.text), (f"items[{i}].feedback", item.feedback)]
        return found


# --- put steps in order ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Step:
    id: str
    text: Text


@dataclass(frozen=True, slots=True)
class OrderExercise:
    """Steps the learner puts in order with move-up and move-down buttons."""
    id: str
    type: str
    section: str
    prompt: Text
    steps: tuple[Step, ...]    # in the right order
    start: tuple[str, ...]     # step ids in the order first shown (never already right)
    why: Text

    @property
    def answer(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def texts(self) -> list[tuple[str, Text]]:
        return [("prompt", self.prompt), ("why", self.why),
                *((f"steps[{i}].text", s.text) for i, s in enumerate(self.steps))]


def default_start(answer: tuple[str, ...]) -> tuple[str, ...]:
    """A first order that is never the answer and the same every time: the answer rotated by one."""
    return answer[1:] + answer[:1]


# --- branching scenario ---------------------------------------------------------------------------

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
class ScenarioExercise:
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

    def texts(self) -> list[tuple[str, Text]]:
        found = [("prompt", self.prompt), ("notice", self.notice), ("debrief", self.debrief)]
        for i, node in enumerate(self.nodes):
            found.append((f"nodes[{i}].text", node.text))
            for j, choice in enumerate(node.choices):
                found += [(f"nodes[{i}].choices[{j}].text", choice.text),
                          (f"nodes[{i}].choices[{j}].feedback", choice.feedback)]
        return found


# --- chat spotter ---------------------------------------------------------------------------------

# The alert's "What it looks like": what child victims may report (the answer key names these, never wording).
SIGNS = ("unknown-account", "hacked-account", "sexual-communication", "moved-to-encrypted", "pressured-for-images",
         "told-hacked", "blackmail", "mutual-friend")
HANDLE_PATTERN = re.compile(r"^[a-z0-9_.]{3,30}$")


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    handle: str                # an invented, obviously fictional user name, the same in both languages
    role: Text                 # who they are in the story, e.g. "the account that got in touch"
    markable: bool             # whether the learner marks this participant's messages


@dataclass(frozen=True, slots=True)
class ChatMessage:
    id: str
    sender: str                # a participant id
    text: Text
    sign: str | None           # which of the alert's signs it shows (SIGNS), or None
    feedback: Text | None      # required on messages the learner can mark


@dataclass(frozen=True, slots=True)
class ChatExercise:
    """An invented chat in which the learner marks the messages that are warning signs."""
    id: str
    type: str
    section: str
    prompt: Text
    notice: Text
    participants: tuple[Participant, ...]
    messages: tuple[ChatMessage, ...]
    why: Text

    def participant(self, participant_id: str) -> Participant:
        return next(p for p in self.participants if p.id == participant_id)

    @property
    def markable(self) -> tuple[ChatMessage, ...]:
        return tuple(m for m in self.messages if self.participant(m.sender).markable)

    @property
    def sign_ids(self) -> frozenset[str]:
        return frozenset(m.id for m in self.messages if m.sign)

    def texts(self) -> list[tuple[str, Text]]:
        found = [("prompt", self.prompt), ("notice", self.notice), ("why", self.why)]
        found += [(f"participants[{i}].role", p.role) for i, p in enumerate(self.participants)]
        for i, message in enumerate(self.messages):
            found.append((f"messages[{i}].text", message.text))
            if message.feedback is not None:
                found.append((f"messages[{i}].feedback", message.feedback))
        return found


# --- language coach -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CoachExercise:
    """The learner writes what they would say; the coach flags victim-blaming wording from a phrase list."""
    id: str
    type: str
    section: str
    prompt: Text
    situation: Text
    phrase_list: str           # a file data/language/<phrase_list>.yaml
    model_answer: Text
    why: Text

    def texts(self) -> list[tuple[str, Text]]:
        return [("prompt", self.prompt), ("situation", self.situation), ("model_answer", self.model_answer),
                ("why", self.why)]


# --- reflection -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReflectionExercise:
    """A free-text prompt. What the learner writes stays on the page; they may download it, nothing is stored."""
    id: str
    type: str
    section: str
    prompt: Text
    points: tuple[Text, ...]   # things to think about

    def texts(self) -> list[tuple[str, Text]]:
        return [("prompt", self.prompt), *((f"points[{i}]", t) for i, t in enumerate(self.points))]


# --- knowledge check ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class KnowledgeCheck:
    """Several choice questions answered together, with a score and a pass mark."""
    id: str
    type: str
    section: str
    prompt: Text
    questions: tuple[ChoiceExercise, ...]
    pass_mark: float           # 0.0-1.0: the share of questions answered right needed to pass

    def question(self, question_id: str) -> ChoiceExercise:
        return next(q for q in self.questions if q.id == question_id)

    def texts(self) -> list[tuple[str, Text]]:
        found = [("prompt", self.prompt)]
        for i, question in enumerate(self.questions):
            found += [(f"questions[{i}].{field}", text) for field, text in question.texts()]
        return found


Exercise = (ChoiceExercise | MythFactExercise | SortExercise | OrderExercise | ScenarioExercise | ChatExercise
            | CoachExercise | ReflectionExercise | KnowledgeCheck)


def parse_choice(f: Fields, exercise_id: str, kind: str) -> ChoiceExercise:
    options = []
    seen: set[str] = set()
    for entry in f.items("options", minimum=2):
        option_id = entry.string("id", pattern=ID_PATTERN)
        if option_id in seen:
            entry.fail(f"option id {option_id!r} is used twice in this exercise", "id")
        seen.add(option_id)
        options.append(Option(id=option_id, text=entry.text("text"), correct=entry.boolean("correct"),
                              feedback=entry.text("feedback")))
        entry.no_other_keys()
    correct = sum(o.correct for o in options)
    if kind == "single-choice" and correct != 1:
        f.fail(f"a single-choice exercise needs exactly one correct option, has {correct}", "options")
    if kind == "multiple-choice" and correct < 1:
        f.fail("a multiple-choice exercise needs at least one correct option", "options")
    return ChoiceExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                          prompt=f.text("prompt"), options=tuple(options), why=f.text("why"))


def _unique_id(entry: Fields, seen: set[str], what: str) -> str:
    item_id = entry.string("id", pattern=ID_PATTERN)
    if item_id in seen:
        entry.fail(f"{what} id {item_id!r} is used twice in this exercise", "id")
    seen.add(item_id)
    return item_id


def parse_myth_fact(f: Fields, exercise_id: str, kind: str) -> MythFactExercise:
    cards, seen = [], set()
    for entry in f.items("cards", minimum=2):
        cards.append(Card(id=_unique_id(entry, seen, "card"), statement=entry.text("statement"),
                          fact=entry.boolean("fact"), explanation=entry.text("explanation")))
        entry.no_other_keys()
    if len({c.fact for c in cards}) == 1:
        f.fail("needs at least one myth (fact: false) and one fact (fact: true), so that no answer is "
               "right for every card", "cards")
    return MythFactExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                            prompt=f.text("prompt"), cards=tuple(cards))


def parse_sort(f: Fields, exercise_id: str, kind: str) -> SortExercise:
    categories, seen = [], set()
    for entry in f.items("categories", minimum=2):
        categories.append(Category(id=_unique_id(entry, seen, "category"), label=entry.text("label")))
        entry.no_other_keys()
    category_ids = tuple(c.id for c in categories)
    items, seen_items = [], set()
    for entry in f.items("items", minimum=2):
        items.append(SortItem(id=_unique_id(entry, seen_items, "item"), text=entry.text("text"),
                              category=entry.string("category", choices=category_ids),
                              feedback=entry.text("feedback")))
        entry.no_other_keys()
    empty = [c for c in category_ids if not any(i.category == c for i in items)]
    if empty:
        f.fail(f"category {empty[0]!r} has no items: every category needs at least one", "items")
    return SortExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                        prompt=f.text("prompt"), categories=tuple(categories), items=tuple(items), why=f.text("why"))


def parse_order(f: Fields, exercise_id: str, kind: str) -> OrderExercise:
    steps, seen = [], set()
    for entry in f.items("steps", minimum=2):
        steps.append(Step(id=_unique_id(entry, seen, "step"), text=entry.text("text")))
        entry.no_other_keys()
    answer = tuple(s.id for s in steps)
    start = f.data.get("start")
    f.read.add("start")
    if start is None:
        start = default_start(answer)
    elif not (isinstance(start, list) and all(isinstance(s, str) for s in start) and sorted(start) == sorted(answer)):
        f.fail(f"must list every step id once, in the order first shown: {', '.join(answer)}", "start")
    start = tuple(start)
    if start == answer:
        f.fail("shows the steps already in the right order: list them in another order", "start")
    return OrderExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                         prompt=f.text("prompt"), steps=tuple(steps), start=start, why=f.text("why"))


def parse_scenario(f: Fields, exercise_id: str, kind: str) -> ScenarioExercise:
    from ..exercises.graph import graph_problems  # pure logic with no content imports: no cycle

    nodes, seen_nodes, seen_choices = [], set(), set()
    for entry in f.items("nodes", minimum=2):
        node_id = _unique_id(entry, seen_nodes, "node")
        ending = entry.boolean("ending", default=False)
        choices = []
        if "choices" in entry.data:
            for c in entry.items("choices", minimum=1):
                choice_id = c.string("id", pattern=ID_PATTERN)
                if choice_id in seen_choices or choice_id in seen_nodes:
                    c.fail(f"choice id {choice_id!r} is used twice in this scenario (choice ids are recorded, "
                           "so they must be unique across all nodes)", "id")
                seen_choices.add(choice_id)
                choices.append(ScenarioChoice(id=choice_id, text=c.text("text"), next=c.string("next"),
                                              best=c.boolean("best"), feedback=c.text("feedback")))
                c.no_other_keys()
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


def parse_chat(f: Fields, exercise_id: str, kind: str) -> ChatExercise:
    participants, seen = [], set()
    for entry in f.items("participants", minimum=2):
        handle = entry.string("handle")
        if not HANDLE_PATTERN.match(handle):
            entry.fail(f"{handle!r} must be 3-30 lower-case letters, digits, '_' or '.' (an invented user name)",
                       "handle")
        participants.append(Participant(id=_unique_id(entry, seen, "participant"), handle=handle,
                                        role=entry.text("role"), markable=entry.boolean("markable", default=False)))
        entry.no_other_keys()
    if not any(p.markable for p in participants):
        f.fail("one participant needs 'markable: true' (the account whose messages the learner marks)",
               "participants")
    markable = {p.id for p in participants if p.markable}
    messages, seen_messages = [], set()
    for entry in f.items("messages", minimum=2):
        message_id = _unique_id(entry, seen_messages, "message")
        sender = entry.string("sender", choices=tuple(p.id for p in participants))
        sign = entry.string("sign", required=False, choices=SIGNS)
        feedback = entry.text("feedback", required=sender in markable)
        if sign and sender not in markable:
            entry.fail(f"only messages from a markable participant ({', '.join(sorted(markable))}) can be signs",
                       "sign")
        messages.append(ChatMessage(id=message_id, sender=sender, text=entry.text("text"), sign=sign,
                                    feedback=feedback))
        entry.no_other_keys()
    if not any(m.sign for m in messages):
        f.fail("needs at least one message with a 'sign'", "messages")
    return ChatExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                        prompt=f.text("prompt"), notice=f.text("notice"), participants=tuple(participants),
                        messages=tuple(messages), why=f.text("why"))


def parse_coach(f: Fields, exercise_id: str, kind: str) -> CoachExercise:
    from .phrases import load_phrases

    phrase_list = f.string("phrase_list", pattern=ID_PATTERN)
    load_phrases(phrase_list)  # a missing or malformed list fails here, naming its own file
    return CoachExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                         prompt=f.text("prompt"), situation=f.text("situation"), phrase_list=phrase_list,
                         model_answer=f.text("model_answer"), why=f.text("why"))


def parse_reflection(f: Fields, exercise_id: str, kind: str) -> ReflectionExercise:
    points: list[Text] = []
    if "points" in f.data:
        f.read.add("points")
        raw = f.data["points"]
        if not isinstance(raw, list):
            f.fail("must be a list of {en, cy} texts", "points")
        points = [parse_text(v, file=f.file, item=f.item, field=f"points[{i}]") for i, v in enumerate(raw)]
    return ReflectionExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                              prompt=f.text("prompt"), points=tuple(points))


def parse_knowledge_check(f: Fields, exercise_id: str, kind: str) -> KnowledgeCheck:
    questions, seen = [], set()
    for entry in f.items("questions", minimum=2):
        question_id = _unique_id(entry, seen, "question")
        question_kind = entry.string("type", choices=("single-choice", "multiple-choice"))
        questions.append(parse_choice(entry, question_id, question_kind))
        entry.no_other_keys()
    pass_mark = f.number("pass_mark", minimum=0.01, maximum=1.0)
    return KnowledgeCheck(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                          prompt=f.text("prompt"), questions=tuple(questions), pass_mark=pass_mark)


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
