"""`fmse-course hub` for real (issue 20): JupyterHub 5, configurable-http-proxy from npm, NativeAuthenticator,
each user's server under their own Unix account, the records service `fmse-records` under its own. One hub for
the module (starting one takes a while on two cores).

- sign-up and approval through the hub's real pages; approval makes a locked, no-login `fmse-u-<name>` account;
- the hub's sign-in page is bilingual, Welsh first;
- a staff member's server is the course (the landing page is their default URL), running as their account;
- from that staff member's own kernel, with their own token: they are who the hub says (changing
  JUPYTERHUB_USER changes nothing), their answer is saved through the service, and every way round the roles is
  refused: another person's records, another setting's, the DSP's view, the la-lead's counts, the records file
  itself, the service's environment, the hub's database;
- the DSP sees exactly their setting's staff; the la-lead sees counts per setting and no names.

Needs root (useradd, LocalProcessSpawner), npm's configurable-http-proxy (scripts/test runs `npm ci`).
The records here are SQLite; tests/test_hub_postgres.py runs a hub with its records and its own database in
PostgreSQL, and tests/browser/test_hub_browser.py the whole scenario in Chromium through such a hub.
"""
from __future__ import annotations

import json
import os
import pwd
import subprocess
from pathlib import Path

import pytest

from fmse_widgets.hub import accounts
from fmse_widgets.records.identity import hub_learner_id
from hub_client import Hub, HubPerson, put_in_groups, run_in_own_kernel
from servers import fetch

def _others_can_enter(path: Path) -> bool:
    return all(folder.stat().st_mode & 0o001 for folder in path.resolve().parents)


def _hub_preconditions() -> str | None:
    """Why the hub cannot run here at all, or None. Users' servers run under other accounts, which must be able
    to read the course's checkout and packages (a checkout inside root's 0700 home cannot be served)."""
    import sysconfig

    from fmse_widgets.paths import notebooks_dir

    if os.geteuid() != 0:
        return "the hub needs root (useradd, the setuid spawner)"
    for path in (notebooks_dir(), Path(sysconfig.get_paths()["purelib"])):
        if not _others_can_enter(path):
            return f"other accounts cannot enter {path}: the hub's users could not run the course from here"
    return None


pytestmark = [pytest.mark.slow,  # a server, a kernel, an install or a benchmark (not in --quick)
              pytest.mark.skipif(_hub_preconditions() is not None, reason=str(_hub_preconditions()))]

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(tmp_path_factory.mktemp("hub"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def people(hub):
    """An administrator; two staff of setting one, one of setting two, setting one's DSP, an la-lead: each signed
    up on the sign-up page and approved by the administrator on the approval page; the groups made by the
    administrator through the hub's API."""
    admin = HubPerson(hub.base, hub.admin, PASSWORD)
    assert admin.sign_up()[0] == 200
    assert admin.sign_in()[1].endswith("/hub/home")
    crowd = {role: HubPerson(hub.base, hub.name(role), PASSWORD) for role in ("sa", "sb", "sc", "dsp", "lead")}
    for person in crowd.values():
        assert person.sign_up()[0] == 200
        assert not person.sign_in()[1].endswith("/hub/home")  # not approved yet
        assert admin.approve(person.name) == 200
        assert person.sign_in()[1].endswith("/hub/home")
    put_in_groups(admin, hub, {f"fmse-setting-one{hub.suffix}": ["sa", "sb", "dsp"],
                               f"fmse-setting-two{hub.suffix}": ["sc"], "fmse-dsp": ["dsp"], "fmse-la-lead": ["lead"]})
    crowd["admin"] = admin
    return crowd


def service_call(hub, person: HubPerson, method: str, args: dict | None = None) -> tuple[int, object]:
    """What `person` gets from the records service with a hub token of their own."""
    token = getattr(person, "_token", None) or person.api_token()
    person._token = token
    status, _, body = person.request(f"/services/fmse-records/api/{method}", method="POST",
                                     body=json.dumps(args or {}).encode(),
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    data = json.loads(body) if body.startswith("{") else {"error": body}
    return status, data.get("result", data.get("error"))


def test_the_sign_in_page_is_bilingual_welsh_first(hub):
    status, _, body = fetch(hub.base + "/hub/login")
    assert status == 200
    assert 'lang="cy"' in body and body.index("Mewngofnodi") < body.index("Sign in")


def test_approval_makes_a_locked_no_login_account(hub, people):
    for role in ("sa", "dsp"):
        account = pwd.getpwnam(accounts.unix_name(people[role].name))
        assert account.pw_shell.endswith("nologin")
        status = subprocess.run(["passwd", "--status", account.pw_name], capture_output=True, text=True).stdout
        assert status.split()[1] == "L"  # locked: no password sign-in to the machine
        assert os.stat(account.pw_dir).st_mode & 0o077 == 0


def test_a_staff_members_server_is_the_course_under_their_own_account(hub, people):
    person = people["sa"]
    person.start_server()
    assert "Blacmel rhywiol" in person.landing
    printed = run_in_own_kernel(person, "import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)")
    assert printed.strip() == accounts.unix_name(person.name)


def test_from_their_own_kernel_staff_are_who_the_hub_says_and_nothing_more(hub, people):
    me, other, elsewhere = people["sa"], people["sb"], people["sc"]
    for person in (other, elsewhere):  # they have records too
        assert service_call(hub, person, "add_learner", {"name": person.name})[0] == 200
    code = f"""
import json, os
from fmse_widgets.hub.client import ServiceStore, ServiceError, whoami
from fmse_widgets.recording import ExerciseEvent
os.environ["JUPYTERHUB_USER"] = {other.name!r}   # pretending changes nothing
out = {{"env": os.environ.get("FMSE_RECORDS_URL"), "who": whoami()["user"]}}
store = ServiceStore()
store.add_learner("me")
event = ExerciseEvent("q1", "01-context", "cy", ("a",), 1.0, True, "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z")
store.record_event(whoami()["learner_id"], event)
out["mine"] = len(store.events())
def refused(call):
    try:
        call()
        return "ALLOWED"
    except ServiceError as exc:
        return "unavailable" if "cannot be reached" in str(exc) else "refused"
    except (PermissionError, FileNotFoundError) as exc:
        return "refused"
out["other"] = refused(lambda: store.events(learner_id={hub_learner_id(other.name)!r}))
out["elsewhere"] = refused(lambda: store.learner({hub_learner_id(elsewhere.name)!r}))
out["write_other"] = refused(lambda: store.record_event({hub_learner_id(other.name)!r}, event))
out["dsp_view"] = "refused" if [l.learner_id for l in store.learners()] == [whoami()["learner_id"]] else "ALLOWED"
out["summary"] = refused(lambda: store.summary())
out["merge"] = refused(lambda: store.merge(None))
out["file"] = refused(lambda: open({str(hub.state / "records" / "records.sqlite3")!r}, "rb").read(1))
out["hubdb"] = refused(lambda: open({str(hub.state / "hub" / "jupyterhub.sqlite")!r}, "rb").read(1))
import psutil
service = [p for p in psutil.process_iter(["cmdline", "ppid"])  # this hub's service (others may run on the box)
           if "service" in (p.info["cmdline"] or []) and p.info["ppid"] == {hub.process.pid}]
out["service_found"] = len(service)
out["service_env"] = refused(lambda: open(f"/proc/{{service[0].pid}}/environ", "rb").read())
print(json.dumps(out))
"""
    result = json.loads(run_in_own_kernel(me, code).strip().splitlines()[-1])
    assert result["env"] == "service:fmse-records" and result["who"] == me.name
    assert result["mine"] == 1
    assert result["service_found"] == 1
    for key in ("other", "elsewhere", "write_other", "dsp_view", "summary", "merge", "file", "hubdb",
                "service_env"):
        assert result[key] == "refused", (key, result[key])


def test_the_dsp_sees_exactly_their_settings_staff(hub, people):
    for role in ("sa", "sb", "sc"):
        service_call(hub, people[role], "add_learner", {"name": people[role].name})
    status, learners = service_call(hub, people["dsp"], "learners")
    assert status == 200
    seen = {learner["learner_id"] for learner in learners}
    wanted = {hub_learner_id(people[r].name) for r in ("sa", "sb")}
    assert wanted <= seen and hub_learner_id(people["sc"].name) not in seen
    assert seen - wanted <= {hub_learner_id(people["dsp"].name)}
    status, message = service_call(hub, people["dsp"], "events", {"learner_id": hub_learner_id(people["sc"].name)})
    assert status == 403 and message.startswith("Gwrthodwyd")


def test_the_la_lead_sees_counts_per_setting_and_no_names(hub, people):
    status, summary = service_call(hub, people["lead"], "summary")
    assert status == 200
    assert summary[f"one{hub.suffix}"]["staff"] == 3 and summary[f"two{hub.suffix}"]["staff"] == 1
    text = json.dumps(summary)
    for role in ("sa", "sb", "sc", "dsp"):
        assert people[role].name not in text and hub_learner_id(people[role].name) not in text
    status, learners = service_call(hub, people["lead"], "learners")
    assert status == 200 and all(x["learner_id"] == hub_learner_id(people["lead"].name) for x in learners)


def test_staff_cannot_open_another_users_server(hub, people):
    status, url, _ = people["sb"].request(f"/user/{people['sa'].name}/voila/render/index.ipynb")
    assert status == 403 or f"/user/{people['sa'].name}/voila" not in url
