"""`fmse-course hub --records-url postgresql://...` for real (issue 20): a throwaway PostgreSQL cluster of the
test's own with password authentication (scram-sha-256), the records' login password in a pgpass file that
only the service's account (`fmse-records`) can read, named by the URL (`?passfile=`), so the URL itself holds
no secret. The hub migrates the empty database before starting. A staff member's answer, saved from their own
kernel through the service, lands in PostgreSQL in their hub setting; from that kernel they can neither read
the password file nor connect to the database without it. The hub's own database (JupyterHub's db_url, through
the test's --config file) is in the same cluster under another login, its pgpass file root's only. One hub for the module (tests/test_hub.py's Hub).
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from fmse_widgets.hub import accounts
from fmse_widgets.records.identity import hub_learner_id
from fmse_widgets.records.recorder import store_at
from hub_client import HubPerson, run_in_own_kernel
from pg_cluster import Cluster
from test_hub import PASSWORD, Hub, _hub_preconditions

pytestmark = [pytest.mark.slow,  # a server, a kernel, an install or a benchmark (not in --quick)
              pytest.mark.skipif(_hub_preconditions() is not None, reason=str(_hub_preconditions()))]


@pytest.fixture(scope="module")
def cluster():
    running = Cluster(tempfile.mkdtemp(prefix="fmse-hub-pg-"), password=secrets.token_urlsafe(16))
    try:
        running.start()
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no PostgreSQL server programs here: {exc}")
    yield running
    running.remove()


@pytest.fixture(scope="module")
def records_url(cluster):
    """The service's login and its pgpass file (fmse-records only, 0600, in an fmse-records 0700 folder)."""
    password = secrets.token_urlsafe(16)
    cluster.add_login("fmse_service", password, "fmse_records")
    service = accounts.ensure_account(accounts.SERVICE_ACCOUNT, home=False)
    folder = Path(tempfile.mkdtemp(prefix="fmse-hub-pgpass-"))
    os.chown(folder, service.pw_uid, service.pw_gid)
    folder.chmod(0o700)
    passfile = folder / "pgpass"
    passfile.write_text(f"127.0.0.1:{cluster.port}:fmse_records:fmse_service:{password}\n")
    os.chown(passfile, service.pw_uid, service.pw_gid)
    passfile.chmod(0o600)
    yield f"postgresql://fmse_service@127.0.0.1:{cluster.port}/fmse_records?passfile={passfile}"
    passfile.unlink()
    folder.rmdir()


@pytest.fixture(scope="module")
def hub_db_url(cluster):
    """The hub's own database in the same cluster, its own login; the pgpass file root's only (the hub is root)."""
    password = secrets.token_urlsafe(16)
    cluster.add_login("fmse_hub", password, "fmse_hub")
    folder = Path(tempfile.mkdtemp(prefix="fmse-hub-dbpass-"))  # root's, 0700
    passfile = folder / "pgpass"
    passfile.write_text(f"127.0.0.1:{cluster.port}:fmse_hub:fmse_hub:{password}\n")
    passfile.chmod(0o600)
    yield f"postgresql+psycopg://fmse_hub@127.0.0.1:{cluster.port}/fmse_hub?passfile={passfile}"
    passfile.unlink()
    folder.rmdir()


@pytest.fixture(scope="module")
def hub(tmp_path_factory, records_url, hub_db_url):
    running = Hub(tmp_path_factory.mktemp("hubpg"), records_url=records_url,
                  extra_config=f"c.JupyterHub.db_url = {hub_db_url!r}\n")
    yield running
    running.stop()


def test_a_staff_answer_lands_in_postgresql_and_the_password_stays_with_the_service(hub, records_url, cluster):
    assert f"Records: {records_url}" in hub.log()  # migrated before the hub started
    admin = HubPerson(hub.base, hub.admin, PASSWORD)
    assert admin.sign_up()[0] == 200 and admin.sign_in()[1].endswith("/hub/home")
    me = HubPerson(hub.base, hub.name("sa"), PASSWORD)
    assert me.sign_up()[0] == 200 and admin.approve(me.name) == 200 and me.sign_in()[1].endswith("/hub/home")
    setting = f"pg{hub.suffix}"
    status, _, body = admin.request(f"/hub/api/groups/fmse-setting-{setting}", method="POST",
                                    body=json.dumps({"users": [me.name]}).encode(),
                                    headers={"Authorization": f"token {admin.api_token()}"})
    assert status == 201, body
    me.start_server()
    passfile = records_url.split("passfile=", 1)[1]
    no_secret = records_url.split("?", 1)[0]
    code = f"""
import json
from fmse_widgets.hub.client import ServiceStore, whoami
from fmse_widgets.recording import ExerciseEvent
out = {{}}
store = ServiceStore()
store.add_learner("me")
event = ExerciseEvent("q-pg", "01-context", "cy", ("b",), 1.0, True, "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z")
store.record_event(whoami()["learner_id"], event)
try:
    open({passfile!r}).read()
    out["passfile"] = "ALLOWED"
except PermissionError:
    out["passfile"] = "refused"
import psycopg
for key, url in (("without", {no_secret!r}), ("with_passfile", {records_url!r}),
                 ("superuser", "postgresql://postgres@127.0.0.1:{cluster.port}/postgres")):
    try:
        psycopg.connect(url, connect_timeout=10).close()
        out[key] = "ALLOWED"
    except psycopg.OperationalError as exc:
        out[key] = "refused"
print(json.dumps(out))
"""
    result = json.loads(run_in_own_kernel(me, code).strip().splitlines()[-1])
    assert result == {"passfile": "refused", "without": "refused", "with_passfile": "refused",
                      "superuser": "refused"}
    with closing(store_at(records_url)) as store:  # root reads the pgpass file, as an administrator would
        learner_id = hub_learner_id(me.name)
        assert [(e.exercise_id, e.choices) for e in store.events(learner_id=learner_id)] == [("q-pg", ("b",))]
        assert store.setting_of(learner_id) == setting
        assert setting in {s.setting_id for s in store.education_settings()}
    assert not list(Path(hub.state, "records").glob("*.sqlite3*"))  # no SQLite file beside it


def test_the_hubs_own_database_is_in_postgresql(hub, cluster):
    import psycopg

    admin = HubPerson(hub.base, hub.admin, PASSWORD)
    assert admin.sign_up()[0] in (200, 409) and admin.sign_in()[1].endswith("/hub/home")
    with psycopg.connect(cluster.url.rsplit("/", 1)[0] + "/fmse_hub") as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM users")}
    assert admin.name in names and hub.name("sa") in names
    assert not Path(hub.state, "hub", "jupyterhub.sqlite").exists()


def test_an_unready_database_is_refused_naming_the_command(cluster):
    """The service never migrates: an empty database is refused naming `records migrate`; and `fmse-course hub`
    stops with the same advice when it cannot migrate (here: a wrong password)."""
    from fmse_widgets.hub.launch import migrate_records
    from fmse_widgets.hub.service import open_records_store
    from fmse_widgets.records.errors import RecordsError

    cluster.add_login("fmse_empty", "right-password", "fmse_empty")
    with pytest.raises(RecordsError) as refused:
        open_records_store(f"postgresql://fmse_empty:right-password@127.0.0.1:{cluster.port}/fmse_empty")
    assert refused.value.kind == "schema" and "records migrate" in str(refused.value)
    with pytest.raises(SystemExit) as stopped:
        migrate_records(f"postgresql://fmse_empty:wrong@127.0.0.1:{cluster.port}/fmse_empty")
    assert "fmse-course records migrate --url URL" in str(stopped.value) and "wrong" not in str(stopped.value)
