"""`fmse-course records service`: the records store behind a JupyterHub service (`fmse-records`), the only way
a user's server or kernel reaches the records on a hub.

Why a service: staff can run any code in JupyterLab, so nothing that can read other people's records (the
database URL, its password, the SQLite file) may be in a user's server, kernel or files. The service runs under
its own Unix account; it alone holds `FMSE_RECORDS_URL` (in its own environment). Each request carries the
caller's hub token (`Authorization: token ...`, the user server's `JUPYTERHUB_API_TOKEN`); the service asks the
hub whose token it is (and that the token may use this service: scope `access:services!service=fmse-records`),
reads the user's groups from the hub with its own token (scopes `list:groups` and `read:groups`, nothing else), and answers only
what that user's role allows (widgets/hub/roles.py):

- everyone: their own learner record, events, completions, certificates and export; their certificate is
  issued and signed here (`issue_certificate`, with the store's key), never recorded as a kernel made it;
- dsp: also their setting's staff (the members of their `fmse-setting-<id>` group) and the setting's summary;
- la-lead: counts per setting and module (`summary`), never a name or learner id;
- nobody through the service: merging, purging, deleting, workshops, trusting keys (an administrator does
  those with `fmse-course records` on the server, as the service's account).

One route: POST <prefix>api/<method> with a JSON object of arguments; the answer is JSON. A refusal is 403 with
a bilingual message, Welsh first. The rules themselves are the store's (`records.roles.scoped`); `Records` maps the
hub user and groups to the store's asker and keeps the store's settings in step with the hub's groups.
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

from ..records.errors import UNKEPT, RecordsError
from ..records.identity import hub_learner_id, hub_name
from ..records.store import check_learner_id
from ..recording import ExerciseEvent
from ..records.roles import Asker as StoreAsker
from ..records.roles import ScopedStore, scoped
from .roles import DSP, LA_LEAD, SETTING_PREFIX, STAFF, Asker, asker

log = logging.getLogger("fmse.records.service")

SERVICE_NAME = "fmse-records"
DEFAULT_PORT = 8870
GROUPS_FOR = 10.0  # seconds the hub's group list is reused (a role change takes effect within this)

REFUSED = "Gwrthodwyd: nid yw eich rôl yn caniatáu hyn. / Refused: your role does not allow this."
NO_TOKEN = "Mewngofnodwch i'r hwb. / Sign in to the hub."
BAD_REQUEST = "Cais annilys. / Invalid request."
UNAVAILABLE = "Nid oes modd cyrraedd yr hwb ar hyn o bryd. / The hub cannot be reached just now."


class Refused(Exception):
    """A request the asker's role does not allow; `reason` a RecordsError kind when the refusal has its own
    message (errors.UNKEPT: no setting group, an la-lead's own records), with `detail` (the group's name)."""

    def __init__(self, what: str, reason: str = "forbidden", detail: str = "") -> None:
        super().__init__(what)
        self.reason, self.detail = reason, detail

    def message(self) -> str:
        """Bilingual, Welsh first."""
        if self.reason not in UNKEPT:
            return REFUSED
        problem = RecordsError(self.reason, path=SERVICE_NAME, detail=self.detail)
        return f"{problem.message('cy')} / {problem.message('en')}"


# What an la-lead is refused with its own message: their own records (they see counts only).
OWN_RECORDS = frozenset({"add_learner", "rename_learner", "record_event", "record_completion", "issue_certificate"})


def open_records_store(url: str | None = None):
    """The store named by `url` (default: FMSE_RECORDS_URL in this process's own environment): a path,
    `sqlite:///path` or `postgresql://...` (records.recorder.store_at). A PostgreSQL database is not migrated
    here: `fmse-course hub` migrates it before starting, and an older or empty one is refused with the message
    naming `fmse-course records migrate`."""
    url = url if url is not None else os.environ.get("FMSE_RECORDS_URL", "")
    if url.startswith("service:"):
        raise RecordsError("failed", path="FMSE_RECORDS_URL", detail="the records service cannot use itself as its "
                           "store: set FMSE_RECORDS_URL to the store's own URL in the service's environment")
    from ..records.recorder import store_at
    from ..records.sqlite import SQLiteStore

    return store_at(url) if url else SQLiteStore(None)


def as_json(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: as_json(v) for k, v in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return value


class Records:
    """Between the hub's asker and the store: maps the hub user and groups to the store's `Asker` and asks
    `records.roles.scoped(store, who)`, which holds the one set of role rules (issue 19). What is left here is
    the hub's part: the learner id is the hub user's, the setting comes from their `fmse-setting-<id>` group and
    is written into the store on first contact (setting row made if missing, learner row made and assigned), so
    the store's view of a DSP's setting follows the hub's groups. No HTTP here, so it can be tested directly."""

    def __init__(self, store, members_of=None) -> None:
        self.store = store
        self.members_of = members_of  # kept for callers of the old signature; the store's settings are used now
        self._placed: set[tuple[str, str]] = set()

    def store_asker(self, who: Asker) -> StoreAsker:
        """The store's asker for a hub user; staff and DSPs need a setting group (refused without one)."""
        if who.role == LA_LEAD:
            return StoreAsker("la-lead")
        if not who.setting:
            raise Refused("no setting", who.problem or "no-setting", who.group)
        learner_id = hub_learner_id(who.user)
        self._place(learner_id, who.setting, who.user)
        return StoreAsker(DSP if who.role == DSP else STAFF, learner_id, who.setting)

    def _place(self, learner_id: str, setting: str, user: str) -> None:
        """Make sure the learner row exists and belongs to the hub's setting (once per process and pair)."""
        if (learner_id, setting) in self._placed:
            return
        store = self.store
        if setting not in {s.setting_id for s in store.education_settings()}:
            store.add_setting(setting, setting, setting)  # an administrator can rename it (records migrate/copy)
        if store.learner(learner_id) is None:
            store.add_learner(hub_name(user), learner_id=learner_id)
        if store.setting_of(learner_id) != setting:
            store.assign_setting(setting, [learner_id])
        self._placed.add((learner_id, setting))

    def call(self, who: Asker, method: str, args: dict) -> Any:
        own = hub_learner_id(who.user)
        if method == "whoami":
            return {"user": who.user, "learner_id": own, "name": hub_name(who.user), "setting": who.setting,
                    "role": who.role}
        if method not in METHODS:
            raise Refused(method)
        if who.role == LA_LEAD and method in OWN_RECORDS:
            raise Refused(method, "la-lead-own")
        store = scoped(self.store, self.store_asker(who))
        try:
            return self._call(store, own, method, args)
        except RecordsError as exc:
            if exc.kind == "forbidden":
                raise Refused(method) from exc
            raise

    @staticmethod
    def _asked(store, own: str, learner_id: object) -> str | None:
        """A learner id asked about by name: refused (403) unless the scoped store can see that person."""
        if learner_id is None or learner_id == own:
            return learner_id
        learner_id = check_learner_id(learner_id)
        if store.setting_of(learner_id) is None:
            raise Refused(learner_id)
        return learner_id

    def _call(self, store, own: str, method: str, args: dict) -> Any:
        if method == "add_learner":
            existing = store.learner(own)
            return existing if existing is not None else store.add_learner(args.get("name"), learner_id=own)
        if method == "rename_learner":
            return store.rename_learner(args.get("learner_id", own), args.get("name"))
        if method == "learner":
            return store.learner(self._asked(store, own, args.get("learner_id")) or own)
        if method == "learners":
            return store.learners()
        if method == "record_event":
            event = ExerciseEvent(**{**args["event"], "choices": tuple(args["event"]["choices"])})
            return store.record_event(args.get("learner_id", own), event, workshop=args.get("workshop"),
                                      event_id=args.get("event_id"))
        if method == "record_completion":
            return store.record_completion(args.get("learner_id", own), args["page"], workshop=args.get("workshop"),
                                           completed_at=args.get("completed_at"))
        if method in ("events", "completions", "certificates"):
            extra = {"include_workshops": args.get("include_workshops", True)} if method != "certificates" else {}
            return getattr(store, method)(learner_id=self._asked(store, own, args.get("learner_id")), **extra)
        if method == "certificate":
            return store.certificate(args["code"])
        if method == "export":
            wanted = args.get("learner_ids")
            if wanted is not None:
                wanted = [self._asked(store, own, x) for x in wanted]
            return store.export(wanted).as_json()
        if method == "trusted_keys":
            return self.trusted_keys(store)
        if method == "issue_certificate":
            return self.issue_certificate(store, own, args)
        if method == "summary":
            return self.summary(store)
        raise Refused(method)

    def issue_certificate(self, store, own: str, args: dict) -> dict:
        """The asker's own certificate, checked against their own records here and signed with the key the store
        holds (a shared store's deployment key; else the service's own data folder's key), never a key of the
        user's: a user's kernel can neither sign a certificate the DSP's view trusts nor record one
        (`record_certificate` is not a method of the service). Refused (invalid) when not earned yet."""
        from ..records import certificate as cert
        from ..records import signing

        name = args.get("setting_name")
        issued = cert.issue(store, own, private_key=signing.store_private_key(self.store),
                            setting_name=name if isinstance(name, str) and name.strip() else None)
        return {"certificate": issued.certificate, "contents": issued.contents}

    def trusted_keys(self, store) -> list:
        """The store's trusted keys, and the key this service signs certificates with (so a DSP's view verifies
        the certificates the service issued)."""
        from ..records import signing

        found = list(store.trusted_keys())
        signer = signing.store_private_key(self.store, create=False)
        if signer is not None:
            public = signing.public_bytes(signer).hex()
            if public not in {k.public_key for k in found}:
                found.append(signing.TrustedKey(public, SERVICE_NAME, ""))
        return found

    @staticmethod
    def summary(store) -> dict:
        """The scoped store's counts (la-lead: every setting; dsp: their own; staff: refused) as
        {setting: {"staff": learners, page: learners who completed it}}. Counts only: no name, no learner id."""
        if not isinstance(store, ScopedStore) or store.who.role not in ("dsp", "la-lead"):
            raise Refused("summary")
        counts: dict[str, dict[str, int]] = {}
        for setting, page, number in store.summary():
            if not setting:
                continue  # learners in no setting (e.g. copied from a laptop before settings): not a setting's count
            counts.setdefault(setting or "", {"staff": 0})[page or "staff"] = number
        return counts


# What a user's server may ask through the service; merging, purging, deleting, workshops, keys and settings
# are an administrator's, with `fmse-course records` on the server.
# Certificates are issued (and signed) by the service itself (`issue_certificate`), never recorded as a kernel
# made them.
METHODS = frozenset({"add_learner", "rename_learner", "learner", "learners", "record_event", "record_completion",
                     "issue_certificate", "events", "completions", "certificates", "certificate", "export",
                     "trusted_keys", "summary"})


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

    def fail(self, status: int, message: str, **more: str) -> None:
        self.set_status(status)
        self.finish(json.dumps({"error": message, **more}, ensure_ascii=False))

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
        except Refused as refused:
            log.warning("Refused %s for %s (%s; %s).", method, who.user, who.role, refused.reason)
            if refused.reason in UNKEPT:  # the page says why in its own language (hub.client.ServiceError)
                self.fail(403, refused.message(), reason=refused.reason, detail=refused.detail)
            else:
                self.fail(403, refused.message())
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
