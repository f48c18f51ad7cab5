"""Who is asking, and what each role may see: the records interface for a shared store.

`scoped(store, who)` gives the RecordStore methods (and the settings methods) with `who` bound, so every call is
made by someone, and returns nothing outside their role even when passed another person's or setting's id:

- staff: their own learner record, answers, completions and certificates; they can join and run workshops.
- dsp: their setting's staff (training, report, certificates), and their own answers as staff.
- la-lead: counts per setting and module across the authority (`summary`), never a named person.
- laptop: the person at the computer of a single laptop, trusted as before (every method, as the store has it).

Reads outside the role find nothing (None or an empty list); writes outside it are refused (RecordsError
"forbidden"). This is defence in depth: whoever holds the database URL can bypass it, which is why a hub keeps
the URL in a service (docs/deploy.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, NoReturn

from ..recording import ExerciseEvent
from .errors import RecordsError
from .store import (Bundle, Certificate, Completion, EducationSetting, Learner, MergeCounts, Participant, RecordStore,
                    RoomState, StoredEvent)

ROLES = ("staff", "dsp", "la-lead", "laptop")


@dataclass(frozen=True, slots=True)
class Asker:
    """Who is asking: a role, their learner id (staff, dsp) and their setting (staff, dsp)."""

    role: str
    learner_id: str | None = None
    setting_id: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise RecordsError("invalid", detail=f"role {self.role!r} is not one of {', '.join(ROLES)}")
        if self.role in ("staff", "dsp") and not (self.learner_id and self.setting_id):
            raise RecordsError("invalid", detail=f"a {self.role} is asked for with their learner id and setting")


LAPTOP = Asker("laptop")


def scoped(store: RecordStore, who: Asker) -> RecordStore:
    """The store as `who` may use it (the store itself for the person at a laptop)."""
    return store if who.role == "laptop" else ScopedStore(store, who)


class ScopedStore:
    """A store seen by a staff member, a DSP or an authority lead (see the module docstring)."""

    def __init__(self, store, who: Asker) -> None:
        self.store, self.who = store, who
        self.location = store.location

    # ---- who is visible ---------------------------------------------------------------------------------

    def _visible(self, learner_id: object) -> bool:
        """Whether `who` may see this learner's records."""
        if not isinstance(learner_id, str):
            return False
        if self.who.role == "staff":
            return learner_id == self.who.learner_id
        if self.who.role == "dsp":
            return self.store.setting_of(learner_id) == self.who.setting_id
        return False  # la-lead: never a person

    def _own(self, learner_id: str) -> str:
        """Writes for a person: only their own, and never by an authority lead."""
        if self.who.role == "la-lead" or learner_id != self.who.learner_id:
            raise RecordsError("forbidden", detail="records of another person")
        return learner_id

    def _people(self) -> list[Learner]:
        if self.who.role == "staff":
            found = self.store.learner(self.who.learner_id)
            return [found] if found else []
        if self.who.role == "dsp":
            return self.store.setting_learners(self.who.setting_id)
        return []

    def _forbidden(self, what: str) -> NoReturn:
        raise RecordsError("forbidden", detail=what)

    # ---- learners -----------------------------------------------------------------------------------------

    def add_learner(self, name: str | None = None, learner_id: str | None = None) -> Learner:
        self._own(learner_id or "")
        if self.store.setting_of(learner_id) not in (None, "", self.who.setting_id):
            self._forbidden("a learner of another setting")
        added = self.store.add_learner(name, learner_id=learner_id)
        if self.store.setting_of(added.learner_id) == "":
            self.store.assign_setting(self.who.setting_id, [added.learner_id])
        return added

    def learner(self, learner_id: str) -> Learner | None:
        return self.store.learner(learner_id) if self._visible(learner_id) else None

    def learners(self) -> list[Learner]:
        return self._people()

    def rename_learner(self, learner_id: str, name: str | None) -> None:
        self.store.rename_learner(self._own(learner_id), name)

    # ---- answers, completions, certificates -----------------------------------------------------------------

    def record_event(self, learner_id: str, event: ExerciseEvent, *, workshop: str | None = None,
                     event_id: str | None = None) -> str:
        return self.store.record_event(self._own(learner_id), event, workshop=workshop, event_id=event_id)

    def record_completion(self, learner_id: str, page: str, *, workshop: str | None = None,
                          completed_at: str | None = None) -> bool:
        return self.store.record_completion(self._own(learner_id), page, workshop=workshop,
                                            completed_at=completed_at)

    def record_certificate(self, certificate: Certificate) -> None:
        self._own(certificate.learner_id)
        self.store.record_certificate(certificate)

    def _each(self, learner_id: str | None, read) -> list:
        if learner_id is not None:
            return read(learner_id) if self._visible(learner_id) else []
        return [item for person in self._people() for item in read(person.learner_id)]

    def events(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[StoredEvent]:
        found = self._each(learner_id, lambda x: self.store.events(learner_id=x, include_workshops=include_workshops))
        return sorted(found, key=lambda e: (e.finished_at, e.event_id))

    def completions(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[Completion]:
        found = self._each(learner_id, lambda x: self.store.completions(learner_id=x,
                                                                        include_workshops=include_workshops))
        return sorted(found, key=lambda c: (c.completed_at, c.learner_id, c.page))

    def certificates(self, *, learner_id: str | None = None) -> list[Certificate]:
        found = self._each(learner_id, lambda x: self.store.certificates(learner_id=x))
        return sorted(found, key=lambda c: (c.issued_at, c.code))

    def certificate(self, code: str) -> Certificate | None:
        found = self.store.certificate(code)
        return found if found is not None and self._visible(found.learner_id) else None

    # ---- gathering, retention and rights ----------------------------------------------------------------------

    def export(self, learner_ids: Iterable[str] | None = None) -> Bundle:
        wanted = [p.learner_id for p in self._people()]
        if learner_ids is not None:
            asked = set(learner_ids)
            wanted = [x for x in wanted if x in asked]
        return self.store.export(wanted)

    def merge(self, bundle: Bundle) -> MergeCounts:
        self._forbidden("importing records into a shared store (fmse-course records copy does it)")

    def purge(self, before: date) -> dict[str, int]:
        self._forbidden("purging the whole store")

    def delete_learner(self, learner_id: str) -> dict[str, int]:
        if self.who.role != "dsp" or not self._visible(learner_id):
            self._forbidden("deleting a person outside your setting")
        return self.store.delete_learner(learner_id)

    # ---- workshops: run by staff and DSPs; participants are anonymous learners with a nickname --------------

    def _workshops(self) -> None:
        if self.who.role == "la-lead":
            self._forbidden("workshops")

    def open_workshop(self, code: str) -> RoomState:
        self._workshops()
        return self.store.open_workshop(code)

    def room(self, code: str) -> RoomState | None:
        return None if self.who.role == "la-lead" else self.store.room(code)

    def set_room(self, code: str, *, question: int, revealed: bool) -> RoomState:
        self._workshops()
        return self.store.set_room(code, question=question, revealed=revealed)

    def join_workshop(self, code: str, nickname: str | None = None) -> Participant:
        self._workshops()
        return self.store.join_workshop(code, nickname)

    def participants(self, code: str) -> list[Participant]:
        return [] if self.who.role == "la-lead" else self.store.participants(code)

    def workshop_events(self, code: str, exercise_id: str | None = None) -> list[StoredEvent]:
        return [] if self.who.role == "la-lead" else self.store.workshop_events(code, exercise_id)

    # ---- keys: managed by whoever looks after the store (the laptop role, or the deployment's command line) -----

    def trust_key(self, public_key: str, label: str = "") -> bool:
        self._forbidden("changing which keys are trusted")

    def untrust_key(self, public_key: str) -> bool:
        self._forbidden("changing which keys are trusted")

    def trusted_keys(self) -> list:
        return self.store.trusted_keys()  # public keys: what anyone verifying a certificate needs

    # ---- settings -----------------------------------------------------------------------------------------------

    def add_setting(self, setting_id: str, name_en: str, name_cy: str) -> EducationSetting:
        self._forbidden("adding or renaming settings")

    def education_settings(self) -> list[EducationSetting]:
        found = self.store.education_settings()
        return found if self.who.role == "la-lead" else [s for s in found if s.setting_id == self.who.setting_id]

    def assign_setting(self, setting_id: str, learner_ids: Iterable[str] | None = None) -> int:
        self._forbidden("moving people between settings")

    def setting_of(self, learner_id: str) -> str | None:
        return self.store.setting_of(learner_id) if self._visible(learner_id) else None

    def setting_learners(self, setting_id: str) -> list[Learner]:
        return self._people() if self.who.role == "dsp" and setting_id == self.who.setting_id else []

    def summary(self) -> list[tuple[str, str, int]]:
        if self.who.role == "la-lead":
            return self.store.summary()
        if self.who.role == "dsp":  # their own setting's counts
            return [row for row in self.store.summary() if row[0] == self.who.setting_id]
        return []

    def schema_version(self) -> int:
        return self.store.schema_version()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> ScopedStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
