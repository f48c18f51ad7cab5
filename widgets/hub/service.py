"""`fmse-course records service`: the records store behind a JupyterHub service (`fmse-records`), the only way
a user's server or kernel reaches the records on a hub.

Why a service: staff can run any code in JupyterLab, so nothing that can read other people's records (the
database URL, its password, the SQLite file) may be in a user's server, kernel or files. The service runs under
its own Unix account; it alone holds `FMSE_RECORDS_URL` (in its own environment). Each request carries the
caller's hub token (`Authorization: token ...`, the user server's `JUPYTERHUB_API_TOKEN`); the service asks the
hub whose token it is (and that the token may use this service: scope `access:services!service=fmse-records`),
reads the user's groups from the hub with its own token (scopes `list:groups` and `read:groups`, nothing else), and answers only
what that user's role allows (widgets/hub/roles.py):

- everyone: their own learner record, events, completions, certificates and export;
- dsp: also their setting's staff (the members of their `fmse-setting-<id>` group) and the setting's summary;
- la-lead: counts per setting and module (`summary`), never a name or learner id;
- nobody through the service: merging, purging, deleting, workshops, trusting keys (an administrator does
  those with `fmse-course records` on the server, as the service's account).

One route: POST <prefix>api/<method> with a JSON object of arguments; the answer is JSON. A refusal is 403 with
a bilingual message, Welsh first. The store's own role checks (issue 19) come on top when that store lands:
`call()` passes the asker along where the store takes one.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from dataclasses import asdict
from typing import Any

import tornado.web

from ..records.errors import RecordsError
from ..records.identity import hub_learner_id, hub_name
from ..records.store import Certificate, check_learner_id
from ..recording import ExerciseEvent
from .roles import DSP, LA_LEAD, SETTING_PREFIX, Asker, asker

log = logging.getLogger("fmse.records.service")

SERVICE_NAME = "fmse-records"
DEFAULT_PORT = 8870
GROUPS_FOR = 10.0  # seconds the hub's group list is reused (a role change takes effect within this)

REFUSED = "Gwrthodwyd: nid yw eich rôl yn caniatáu hyn. / Refused: your role does not allow this."
NO_TOKEN = "Mewngofnodwch i'r hwb. / Sign in to the hub."
BAD_REQUEST = "Cais annilys. / Invalid request."
UNAVAILABLE = "Nid oes modd cyrraedd yr hwb ar hyn o bryd. / The hub cannot be reached just now."


class Refused(Exception):
    """A request the asker's role does not allow."""


def open_records_store(url: str | None = None):
    """The store named by `url` (default: FMSE_RECORDS_URL in this process's own environment): a path or
    `sqlite:///path` opens the SQLite store; `postgresql://...` the PostgreSQL store where it exists (issue 19)."""
    url = url if url is not None else os.environ.get("FMSE_RECORDS_URL", "")
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        try:
            from ..records.recorder import open_store_url  # type: ignore[attr-defined]  # issue 19's, when merged
        except ImportError as exc:
            raise RecordsError("failed", path="FMSE_RECORDS_URL", detail="this version of the course has no "
                               "PostgreSQL store yet (issue 19)") from exc
        return open_store_url(url)
    if url.startswith("service:"):
        raise RecordsError("failed", path="FMSE_RECORDS_URL", detail="the records service cannot use itself as its "
                           "store: set FMSE_RECORDS_URL to the store's own URL in the service's environment")
    from ..records.sqlite import SQLiteStore

    path = url[len("sqlite:///") - 1:] if url.startswith("sqlite:///") else url
    return SQLiteStore(path or None)


def as_json(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: as_json(v) for k, v in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return value


class Records:
    """The role rules, between the asker and the store (no HTTP here, so they can be tested directly)."""

    def __init__(self, store, members_of) -> None:
        self.store = store
        self.members_of = members_of  # setting id -> hub user names (from the hub's groups)

    def visible(self, who: Asker) -> set[str]:
        """The learner ids whose records `who` may read by name."""
        own = {hub_learner_id(who.user)}
        if who.role == DSP and who.setting:
            own |= {hub_learner_id(user) for user in self.members_of(who.setting)}
        return own

    def _readable(self, who: Asker, learner_id: str | None) -> set[str]:
        visible = self.visible(who)
        if learner_id is None:
            return visible
        learner_id = check_learner_id(learner_id)
        if learner_id not in visible:
            raise Refused(learner_id)
        return {learner_id}

    def call(self, who: Asker, method: str, args: dict) -> Any:
        own = hub_learner_id(who.user)
        store = self.store
        if method == "whoami":
            return {"user": who.user, "learner_id": own, "name": hub_name(who.user), "setting": who.setting,
                    "role": who.role}
        if method == "add_learner":
            existing = store.learner(own)
            return existing if existing is not None else store.add_learner(args.get("name"), learner_id=own)
        if method == "rename_learner":
            self._own(own, args)
            return store.rename_learner(own, args.get("name"))
        if method == "learner":
            ids = self._readable(who, args.get("learner_id"))
            return store.learner(ids.pop())
        if method == "learners":
            ids = self.visible(who)
            return [learner for learner in store.learners() if learner.learner_id in ids]
        if method == "record_event":
            self._own(own, args)
            event = ExerciseEvent(**{**args["event"], "choices": tuple(args["event"]["choices"])})
            return store.record_event(own, event, workshop=args.get("workshop"), event_id=args.get("event_id"))
        if method == "record_completion":
            self._own(own, args)
            return store.record_completion(own, args["page"], workshop=args.get("workshop"),
                                           completed_at=args.get("completed_at"))
        if method == "record_certificate":
            certificate = Certificate(**args["certificate"])
            if certificate.learner_id != own:
                raise Refused(certificate.learner_id)
            return store.record_certificate(certificate)
        if method in ("events", "completions", "certificates"):
            ids = self._readable(who, args.get("learner_id"))
            extra = {"include_workshops": args.get("include_workshops", True)} if method != "certificates" else {}
            rows = []
            for learner_id in sorted(ids):
                rows += getattr(store, method)(learner_id=learner_id, **extra)
            return rows
        if method == "certificate":
            certificate = store.certificate(args["code"])
            if certificate is None or certificate.learner_id not in self.visible(who):
                return None
            return certificate
        if method == "export":
            wanted = args.get("learner_ids")
            ids = self.visible(who) if wanted is None else set().union(*(self._readable(who, i) for i in wanted))
            return store.export(sorted(ids)).as_json()
        if method == "trusted_keys":
            return store.trusted_keys()
        if method == "summary":
            return self.summary(who)
        raise Refused(method)

    @staticmethod
    def _own(own: str, args: dict) -> None:
        if args.get("learner_id", own) != own:
            raise Refused(args.get("learner_id"))

    def summary(self, who: Asker) -> dict:
        """Completions counted per setting and module page: every setting for la-lead, their own for dsp.
        Counts only: no name, no learner id."""
        if who.role == LA_LEAD:
            settings = self.members_of(None)
        elif who.role == DSP and who.setting:
            settings = {who.setting: self.members_of(who.setting)}
        else:
            raise Refused("summary")
        counts: dict[str, dict[str, int]] = {}
        for setting, users in sorted(settings.items()):
            ids = {hub_learner_id(user) for user in users}
            pages: dict[str, set[str]] = {}
            for completion in self.store.completions(include_workshops=False):
                if completion.learner_id in ids:
                    pages.setdefault(completion.page, set()).add(completion.learner_id)
            counts[setting] = {"staff": len(ids), **{page: len(who_) for page, who_ in sorted(pages.items())}}
        return counts


class HubGroups:
    """The hub's groups, read with the service's own token (scopes `list:groups`, `read:groups`), reused for GROUPS_FOR s."""

    def __init__(self, hub_auth) -> None:
        self.hub_auth = hub_auth
        self._groups: dict[str, list[str]] = {}
        self._at = 0.0
        self._lock = asyncio.Lock()

    async def refresh(self) -> dict[str, list[str]]:
        async with self._lock:
            if time.monotonic() - self._at > GROUPS_FOR:
                from tornado.httpclient import AsyncHTTPClient, HTTPRequest

                request = HTTPRequest(self.hub_auth.api_url.rstrip("/") + "/groups?limit=10000",
                                      headers={"Authorization": f"token {self.hub_auth.api_token}",
                                               "Accept": "application/jupyterhub-pagination+json"})
                response = await AsyncHTTPClient().fetch(request)
                body = json.loads(response.body)
                items = body["items"] if isinstance(body, dict) else body
                self._groups = {g["name"]: list(g.get("users", [])) for g in items}
                self._at = time.monotonic()
            return self._groups

    def groups_of(self, user: str) -> list[str]:
        return [name for name, users in self._groups.items() if user in users]

    def members_of(self, setting: str | None):
        """Members of one setting's group; with None, every setting id -> its members."""
        if setting is None:
            return {name[len(SETTING_PREFIX):]: users for name, users in self._groups.items()
                    if name.startswith(SETTING_PREFIX)}
        return list(self._groups.get(SETTING_PREFIX + setting, []))


class CallHandler(tornado.web.RequestHandler):
    def check_xsrf_cookie(self) -> None:  # token-authenticated API: no cookies are used
        return None

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")

    def fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.finish(json.dumps({"error": message}, ensure_ascii=False))

    async def post(self, method: str) -> None:
        hub_auth, groups, records = (self.settings[k] for k in ("hub_auth", "hub_groups", "records"))
        header = self.request.headers.get("Authorization", "")
        token = header[len("token "):].strip() if header.lower().startswith("token ") else ""
        model = await hub_auth.user_for_token(token, sync=False) if token else None
        if not model or model.get("kind", "user") != "user" or not hub_auth.check_scopes(hub_auth.access_scopes,
                                                                                        model):
            self.fail(403, NO_TOKEN)
            return
        try:
            args = json.loads(self.request.body or b"{}")
            if not isinstance(args, dict):
                raise ValueError("not an object")
        except ValueError:
            self.fail(400, BAD_REQUEST)
            return
        try:
            await groups.refresh()
        except Exception as exc:  # noqa: BLE001 - the hub did not answer: say so, keep the details in the log
            log.error("Could not read the hub's groups: %s", exc)
            self.fail(503, UNAVAILABLE)
            return
        who = asker(model["name"], groups.groups_of(model["name"]))
        try:
            result = records.call(who, method, args)
        except Refused:
            log.warning("Refused %s for %s (%s).", method, who.user, who.role)
            self.fail(403, REFUSED)
            return
        except (RecordsError, KeyError, TypeError, ValueError) as exc:
            log.warning("Bad %s request from %s: %s", method, who.user, exc)
            self.fail(400, BAD_REQUEST)
            return
        self.finish(json.dumps({"result": as_json(result)}, ensure_ascii=False))


class HealthHandler(tornado.web.RequestHandler):
    """The service's own address: the hub checks it is up. Says what the service is, nothing else."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"service": SERVICE_NAME}))


def make_app(store, hub_auth) -> tornado.web.Application:
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")
    groups = HubGroups(hub_auth)
    records = Records(store, groups.members_of)
    return tornado.web.Application([(prefix.rstrip("/") + r"/api/([a-z_]+)", CallHandler),
                                    (prefix.rstrip("/") + "/?", HealthHandler)],
                                   hub_auth=hub_auth, hub_groups=groups, records=records)


def run(port: int = DEFAULT_PORT, bind: str = "127.0.0.1") -> None:
    """Serve until stopped. Started by the hub (a managed service), which gives it JUPYTERHUB_API_TOKEN and
    JUPYTERHUB_API_URL; FMSE_RECORDS_URL comes from the service's own environment."""
    from jupyterhub.services.auth import HubAuth
    from tornado.ioloop import IOLoop

    logging.basicConfig(level=logging.INFO, format="[%(levelname)1.1s %(asctime)s fmse-records] %(message)s")
    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    if url:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        bind, port = parts.hostname or bind, parts.port or port
    store = open_records_store()
    app = make_app(store, HubAuth())
    app.listen(port, address=bind)
    log.info("Records service on %s:%d.", bind, port)
    IOLoop.current().start()
