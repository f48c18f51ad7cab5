"""Chat spotter: an invented chat in which the learner marks the messages that are warning signs."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..fields import Fields
from ..text import HasTexts, Text
from .common import SECTIONS, unique_id

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
class ChatExercise(HasTexts):
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


def _participants(f: Fields) -> list[Participant]:
    participants: list[Participant] = []
    seen: set[str] = set()
    for entry in f.items("participants", minimum=2):
        handle = entry.string("handle")
        if not HANDLE_PATTERN.match(handle):
            entry.fail(f"{handle!r} must be 3-30 lower-case letters, digits, '_' or '.' (an invented user name)",
                       "handle")
        participants.append(Participant(id=unique_id(entry, seen, "participant"), handle=handle,
                                        role=entry.text("role"), markable=entry.boolean("markable", default=False)))
        entry.no_other_keys()
    if not any(p.markable for p in participants):
        f.fail("one participant needs 'markable: true' (the account whose messages the learner marks)",
               "participants")
    return participants


def parse_chat(f: Fields, exercise_id: str, kind: str) -> ChatExercise:
    participants = _participants(f)
    markable = {p.id for p in participants if p.markable}
    messages: list[ChatMessage] = []
    seen_messages: set[str] = set()
    for entry in f.items("messages", minimum=2):
        message_id = unique_id(entry, seen_messages, "message")
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
