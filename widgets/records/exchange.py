"""Records files for gathering: export a store as JSON (everything) or CSV (one row per event), read them back.

JSON is the format to carry records from a laptop to the designated safeguarding person's computer; CSV is for
reading in a spreadsheet and can be imported too (learners and events only). Everything read is checked as
strictly as what the course records itself, and a problem names the file, the record and the field.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .errors import RecordsError
from .store import (EXPORT_FORMAT, EXPORT_VERSION, Bundle, Certificate, Completion, Learner, StoredEvent,
                    check_code, check_event_id, check_learner_id, check_page, check_time, check_token,
                    check_workshop, clean_name)

CSV_COLUMNS = ("learner_id", "name", "workshop", "event_id", "exercise_id", "page", "lang", "choices", "score",
               "passed", "started_at", "finished_at")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would otherwise start a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _unsafe(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def to_json(bundle: Bundle) -> str:
    return json.dumps(bundle.as_json(), ensure_ascii=False, indent=1) + "\n"


def to_csv(bundle: Bundle) -> str:
    names = {x.learner_id: x.name or "" for x in bundle.learners}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in bundle.events:
        writer.writerow([e.learner_id, spreadsheet_safe(names.get(e.learner_id, "")), e.workshop or "", e.event_id,
                         e.exercise_id, e.page, e.lang, " ".join(e.choices), f"{e.score:.4g}",
                         "" if e.passed is None else ("yes" if e.passed else "no"), e.started_at, e.finished_at])
    return out.getvalue()


def read_bundle(path: Path) -> Bundle:
    """The records in an exported file (JSON or CSV), checked; RecordsError names what is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecordsError("invalid", detail=f"{path}: there is no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsError("invalid", detail=f"{path}: cannot be read ({exc.__class__.__name__})") from None
    if text.lstrip().startswith("{"):
        return _from_json(text, path)
    return _from_csv(text, path)


class _Where:
    """Names the file and record in every message about a bad value."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def check(self, where: str, func, *args):
        try:
            return func(*args)
        except RecordsError as exc:
            raise RecordsError("invalid", detail=f"{self.path}: {where}: {exc.detail}") from None
        except (TypeError, ValueError, KeyError) as exc:
            raise RecordsError("invalid", detail=f"{self.path}: {where}: {exc}") from None


def _from_json(text: str, path: Path) -> Bundle:
    at = _Where(path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise RecordsError("invalid", detail=f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise RecordsError("invalid", detail=f"{path}: not a records file of this course (no \"format\": "
                                             f"\"{EXPORT_FORMAT}\")")
    if data.get("version") != EXPORT_VERSION:
        raise RecordsError("invalid", detail=f"{path}: records file version {data.get('version')!r}; this version "
                                             f"of the course reads version {EXPORT_VERSION}")
    bundle = Bundle()
    for key, parse, into in (("learners", _learner, bundle.learners), ("events", _event, bundle.events),
                             ("completions", _completion, bundle.completions),
                             ("certificates", _certificate, bundle.certificates)):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise RecordsError("invalid", detail=f"{path}: \"{key}\" must be a list")
        for number, item in enumerate(items):
            if not isinstance(item, dict):
                raise RecordsError("invalid", detail=f"{path}: {key}[{number}] must be a mapping")
            into.append(at.check(f"{key}[{number}]", parse, item))
    return bundle


def _learner(d: dict) -> Learner:
    return Learner(learner_id=check_learner_id(d["learner_id"]), name=clean_name(d.get("name")),
                   created_at=check_time(d["created_at"], "created_at"))


def _score(value: object) -> float:
    score = float(value)  # type: ignore[arg-type]
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score {score} is not between 0 and 1")
    return score


def _lang(value: object) -> str:
    if value not in ("en", "cy"):
        raise ValueError(f"lang {value!r} is not 'en' or 'cy'")
    return str(value)


def _event(d: dict) -> StoredEvent:
    choices = d.get("choices", [])
    if not isinstance(choices, list):
        raise ValueError("choices must be a list of ids")
    passed = d.get("passed")
    if passed is not None and not isinstance(passed, bool):
        raise ValueError("passed must be true, false or null")
    return StoredEvent(
        event_id=check_event_id(d["event_id"]), learner_id=check_learner_id(d["learner_id"]),
        workshop=check_workshop(d.get("workshop")), exercise_id=check_token(d["exercise_id"], "exercise id"),
        page=check_page(d["page"]), lang=_lang(d["lang"]),
        choices=tuple(check_token(c, "choice") for c in choices), score=_score(d["score"]), passed=passed,
        started_at=check_time(d["started_at"], "started_at"), finished_at=check_time(d["finished_at"], "finished_at"))


def _completion(d: dict) -> Completion:
    return Completion(learner_id=check_learner_id(d["learner_id"]), page=check_page(d["page"]),
                      workshop=check_workshop(d.get("workshop")),
                      completed_at=check_time(d["completed_at"], "completed_at"))


def _certificate(d: dict) -> Certificate:
    contents = d["contents"]
    if not isinstance(contents, str) or not isinstance(json.loads(contents), dict):
        raise ValueError("contents must be the certificate's JSON text")
    key_id = d["key_id"]
    if not isinstance(key_id, str) or len(key_id) != 16 or any(c not in "0123456789abcdef" for c in key_id):
        raise ValueError("key_id must be 16 hex characters")
    return Certificate(code=check_code(d["code"]), learner_id=check_learner_id(d["learner_id"]), contents=contents,
                       key_id=key_id, issued_at=check_time(d["issued_at"], "issued_at"))


def _from_csv(text: str, path: Path) -> Bundle:
    at = _Where(path)
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise RecordsError("invalid", detail=f"{path}: not a records file of this course (a records CSV starts "
                                             f"with the columns {', '.join(CSV_COLUMNS)})")
    bundle = Bundle()
    learners: dict[str, Learner] = {}
    for number, row in enumerate(reader, start=2):
        passed = {"yes": True, "no": False, "": None}.get(row["passed"])
        if row["passed"] not in ("yes", "no", ""):
            raise RecordsError("invalid", detail=f"{path}: line {number}: passed must be yes, no or empty")
        record = {**row, "workshop": row["workshop"] or None, "choices": row["choices"].split(), "passed": passed}
        event = at.check(f"line {number}", _event, record)
        if event.learner_id not in learners:
            # A learner's first event stands in for when they were added.
            learners[event.learner_id] = at.check(f"line {number}", _learner, {
                "learner_id": event.learner_id, "name": _unsafe(row["name"]) or None,
                "created_at": event.started_at})
        bundle.events.append(event)
    bundle.learners.extend(learners.values())
    return bundle
