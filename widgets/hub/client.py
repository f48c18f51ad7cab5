"""The records store as a user's kernel sees it on a hub: `FMSE_RECORDS_URL=service:fmse-records` means "ask the
records service, with my own hub token". `ServiceStore` implements the RecordStore interface
(widgets/records/store.py) over HTTP; the service decides what this user may read or write
(widgets/hub/service.py). Nothing here can reach anyone else's records: the kernel holds no database URL and no
token but its user's own.

The service's address is FMSE_RECORDS_SERVICE_URL (set by the hub's spawner: the service's own
`http://127.0.0.1:<port>/services/fmse-records/`); the token is JUPYTERHUB_API_TOKEN, which the hub gave this
user's server with the scope `access:services!service=fmse-records`.
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any, Iterable, Mapping

from ..records.errors import UNKEPT, RecordsError
from ..records.store import Bundle, Certificate, Completion, Learner, StoredEvent
from ..recording import ExerciseEvent

SERVICE_PREFIX = "service:"
TIMEOUT = 20.0

UNAVAILABLE = ("Nid oes modd cyrraedd y cofnodion ar hyn o bryd. / The records cannot be reached just now.")
NOT_HERE = ("Nid yw hyn ar gael drwy'r hwb; gofynnwch i weinyddwr y cwrs. / "
            "This is not available through the hub; ask the course's administrator.")


def uses_service(environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return environ.get("FMSE_RECORDS_URL", "").startswith(SERVICE_PREFIX)


class ServiceError(RecordsError):
    """The service refused, or could not be reached; the detail is the service's own message (bilingual). A refusal
    with a reason of its own (errors.UNKEPT: no setting group, an la-lead's own records) is that kind of
    RecordsError instead, told in the page's language."""

    def __init__(self, message: str, reason: str | None = None, detail: str = "") -> None:
        if reason in UNKEPT:
            super().__init__(str(reason), path="fmse-records", detail=detail)
        else:
            super().__init__("failed", path="fmse-records", detail=message)


def call(method: str, args: dict | None = None, environ: Mapping[str, str] | None = None) -> Any:
    environ = os.environ if environ is None else environ
    base = environ.get("FMSE_RECORDS_SERVICE_URL", "")
    token = environ.get("JUPYTERHUB_API_TOKEN", "")
    if not base or not token:
        raise ServiceError(UNAVAILABLE)
    request = urllib.request.Request(base.rstrip("/") + "/api/" + method, method="POST",
                                     data=json.dumps(args or {}).encode("utf-8"),
                                     headers={"Authorization": f"token {token}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read())["result"]
    except urllib.error.HTTPError as error:
        with error:
            try:
                answer = json.loads(error.read())
                message = answer.get("error") or UNAVAILABLE
                reason, detail = answer.get("reason"), str(answer.get("detail") or "")[:120]
            except (ValueError, AttributeError):
                message, reason, detail = UNAVAILABLE, None, ""
        raise ServiceError(message, reason, detail) from None
    except (OSError, ValueError, KeyError):
        raise ServiceError(UNAVAILABLE) from None


def whoami(environ: Mapping[str, str] | None = None) -> dict:
    """The hub user this kernel's token belongs to, as the service saw it: user, learner_id, name, setting, role."""
    return call("whoami", environ=environ)


def _learner(data) -> Learner | None:
    return None if data is None else Learner(**data)


def _event(data) -> StoredEvent:
    return StoredEvent(**{**data, "choices": tuple(data["choices"])})


def _certificate(data) -> Certificate | None:
    return None if data is None else Certificate(**data)


class ServiceStore:
    """RecordStore over the records service, as this kernel's hub user."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = dict(os.environ if environ is None else environ)
        self.location = "fmse-records"  # where the records are, as the course's messages name it

    def _call(self, method: str, **args) -> Any:
        return call(method, args, self.environ)

    def add_learner(self, name: str | None = None, learner_id: str | None = None) -> Learner:
        return Learner(**self._call("add_learner", name=name))

    def learner(self, learner_id: str) -> Learner | None:
        return _learner(self._call("learner", learner_id=learner_id))

    def learners(self) -> list[Learner]:
        return [Learner(**x) for x in self._call("learners")]

    def rename_learner(self, learner_id: str, name: str | None) -> None:
        self._call("rename_learner", learner_id=learner_id, name=name)

    def record_event(self, learner_id: str, event: ExerciseEvent, *, workshop: str | None = None,
                     event_id: str | None = None) -> str:
        return self._call("record_event", learner_id=learner_id, event={**event.as_dict(),
                          "choices": list(event.choices)}, workshop=workshop, event_id=event_id)

    def record_completion(self, learner_id: str, page: str, *, workshop: str | None = None,
                          completed_at: str | None = None) -> bool:
        return self._call("record_completion", learner_id=learner_id, page=page, workshop=workshop,
                          completed_at=completed_at)

    def events(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[StoredEvent]:
        return [_event(x) for x in self._call("events", learner_id=learner_id, include_workshops=include_workshops)]

    def completions(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[Completion]:
        return [Completion(**x) for x in self._call("completions", learner_id=learner_id,
                                                    include_workshops=include_workshops)]

    def certificates(self, *, learner_id: str | None = None) -> list[Certificate]:
        return [Certificate(**x) for x in self._call("certificates", learner_id=learner_id)]

    def certificate(self, code: str) -> Certificate | None:
        return _certificate(self._call("certificate", code=code))

    def export(self, learner_ids: Iterable[str] | None = None) -> Bundle:
        data = self._call("export", learner_ids=None if learner_ids is None else list(learner_ids))
        return Bundle([Learner(**x) for x in data["learners"]], [_event(x) for x in data["events"]],
                      [Completion(**x) for x in data["completions"]],
                      [Certificate(**x) for x in data["certificates"]])

    def trusted_keys(self) -> list:
        from ..records.signing import TrustedKey

        return [TrustedKey(**x) for x in self._call("trusted_keys")]

    def issue_certificate(self, setting_name: str | None = None):
        """This user's certificate, issued and signed by the service from their records there
        (records.certificate.issue's result; RecordsError saying what is missing if not earned yet)."""
        from ..records.certificate import Issued

        data = self._call("issue_certificate", setting_name=setting_name)
        return Issued(Certificate(**data["certificate"]), data["contents"])

    def summary(self) -> list[tuple[str, str, int]]:
        """Counts per setting and module (la-lead: every setting; dsp: their own), in the store interface's
        shape: (setting id, page, learners who completed it), page '' giving the setting's number of staff."""
        rows: list[tuple[str, str, int]] = []
        for setting, counts in sorted(self._call("summary").items()):
            rows.append((setting, "", int(counts.get("staff", 0))))
            rows.extend((setting, page, int(n)) for page, n in sorted(counts.items()) if page != "staff")
        return rows

    # Not through the hub: an administrator does these on the server with `fmse-course records`.
    def _not_here(self, *args, **kwargs):
        raise ServiceError(NOT_HERE)

    # Certificates are issued by the service (issue_certificate), not recorded from a kernel.
    merge = purge = delete_learner = record_certificate = open_workshop = room = set_room = join_workshop = _not_here
    participants = workshop_events = trust_key = untrust_key = _not_here
    # Settings come from the hub's groups (fmse-setting-<id>), not from the user's server.
    add_setting = education_settings = assign_setting = setting_of = setting_learners = schema_version = _not_here

    def close(self) -> None:
        return None


__all__ = ["ServiceStore", "ServiceError", "call", "uses_service", "whoami"]
