"""Records files for gathering: export a store as JSON (everything) or CSV (one row per event), read them back.

JSON is the format to carry records from a laptop to the designated safeguarding person's computer: it is signed
with the exporting data folder's key and names its public key (records/signing.py), so an import can tell a
file from a trusted computer from one that was edited or made up. CSV is for reading in a spreadsheet; it can be
imported too (learners and events only), but it is not signed. Everything read is checked as
strictly as what the course records itself, and a problem names the file, the record and the field.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..languages import LANGS
from .errors import RecordsError
from .signing import PUBLIC_KEY
from .store import (EXPORT_FORMAT, EXPORT_VERSION, MAX_CHOICES, Bundle, Certificate, Completion, Learner, StoredEvent,
                    check_code, check_event_id, check_learner_id, check_page, check_time, check_token,
                    check_workshop, clean_name)

CSV_COLUMNS = ("learner_id", "name", "workshop", "event_id", "exercise_id", "page", "lang", "choices", "score",
               "passed", "started_at", "finished_at")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_FILE = 500_000_000   # far above any setting's records; a bigger file is refused before it is read


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would otherwise start a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _unsafe(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def signed_text(document: dict) -> bytes:
    """What an export's signature covers: the whole document except the signature, as canonical JSON."""
    rest = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def to_json(bundle: Bundle, private_key=None, *, signed: bool = True) -> str:
    """The records as JSON, signed with this data folder's key (or `private_key`) unless `signed` is False."""
    document = bundle.as_json()
    if signed:
        from . import signing

        public_key, value = signing.sign(signed_text(document), private_key)
        document["signature"] = {"algorithm": "ed25519", "public_key": public_key,
                                 "key_id": signing.key_id(public_key), "value": value}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True, slots=True)
class Received:
    """A records file as read: its records, and whether it is signed ("signed", "unsigned" or "altered": the
    signature does not match the file) and by which public key. Whether that key is trusted is the importer's
    question (signing.trusted_public_keys)."""

    bundle: Bundle
    signature: str
    public_key: str = ""


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
    return read_export(path).bundle


def read_export(path: Path) -> Received:
    """An exported file (JSON or CSV), checked, with its signature's state; RecordsError names what is wrong."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise RecordsError("invalid", detail=f"{path}: larger than {MAX_FILE // 1_000_000} MB, so not a records "
                                                 f"export of this course")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecordsError("invalid", detail=f"{path}: there is no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsError("invalid", detail=f"{path}: cannot be read ({exc.__class__.__name__})") from None
    if text.lstrip().startswith("{"):
        return _from_json(text, path)
    return Received(_from_csv(text, path), "unsigned")


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


def _from_json(text: str, path: Path) -> Received:
    at = _Where(path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise RecordsError("invalid", detail=f"{path}: not valid JSON ({exc})") from None
    except RecursionError:
        raise RecordsError("invalid", detail=f"{path}: nested far too deeply to be a records export") from None
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
    _no_conflicts(bundle, path)
    return Received(bundle, *_signature(data))


def _signature(data: dict) -> tuple[str, str]:
    from . import signing

    found = data.get("signature")
    if found is None:
        return "unsigned", ""
    if not isinstance(found, dict):
        return "altered", ""
    public_key, value = found.get("public_key"), found.get("value")
    if not isinstance(public_key, str) or not isinstance(value, str):
        return "altered", ""
    try:
        ok = signing.signature_ok(signed_text(data), public_key, value)
    except RecursionError:
        ok = False
    if not ok or found.get("key_id") != signing.key_id(public_key):
        return "altered", public_key if signing.PUBLIC_KEY.match(public_key) else ""
    return "signed", public_key


def _no_conflicts(bundle: Bundle, path: Path) -> None:
    """Two records with one id must be the same record: a file that gives one id two contents is refused."""
    for kind, items, key in (("events", bundle.events, lambda x: x.event_id),
                             ("learners", bundle.learners, lambda x: x.learner_id),
                             ("certificates", bundle.certificates, lambda x: x.code)):
        seen: dict[str, Any] = {}
        for item in items:
            other = seen.setdefault(key(item), item)
            if other != item:
                raise RecordsError("invalid", detail=f"{path}: two {kind} have the id {key(item)} but different "
                                                     f"contents: the file has been edited or damaged; ask for a "
                                                     f"fresh export")
        if len(seen) < len(items):
            items[:] = list(seen.values())  # exact repeats: kept once


def _learner(d: dict) -> Learner:
    return Learner(learner_id=check_learner_id(d["learner_id"]), name=clean_name(d.get("name")),
                   created_at=check_time(d["created_at"], "created_at"))


def _score(value: object) -> float:
    score = float(value)  # type: ignore[arg-type]
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score {score} is not between 0 and 1")
    return score


def _lang(value: object) -> str:
    if value not in LANGS:
        raise ValueError(f"lang {value!r} is not 'en' or 'cy'")
    return str(value)


def _event(d: dict) -> StoredEvent:
    choices = d.get("choices", [])
    if not isinstance(choices, list):
        raise ValueError("choices must be a list of ids")
    if len(choices) > MAX_CHOICES:
        raise ValueError(f"{len(choices)} choices: an exercise records at most {MAX_CHOICES}")
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
    public_key, signature = d.get("public_key", ""), d.get("signature", "")
    if not isinstance(public_key, str) or (public_key and not PUBLIC_KEY.match(public_key)):
        raise ValueError("public_key must be 64 hex characters")
    if not isinstance(signature, str) or len(signature) > 200:
        raise ValueError("signature must be a short text")
    return Certificate(code=check_code(d["code"]), learner_id=check_learner_id(d["learner_id"]), contents=contents,
                       key_id=key_id, issued_at=check_time(d["issued_at"], "issued_at"), public_key=public_key,
                       signature=signature)


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
