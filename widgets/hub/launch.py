"""`fmse-course hub`: JupyterHub with configurable-http-proxy, the records service and the course for every user,
on one Linux server (a school, a pilot). Runs as root: each user's server runs under their own Unix account.

What it sets up before starting JupyterHub with widgets/hub/jupyterhub_config.py:
- the hub's state folder /var/lib/fmse-course-hub (FMSE_HUB_STATE overrides), root's: the hub's database, cookie secret, proxy token;
- the service account `fmse-records` and, unless `--records-url` names another store, its SQLite records in
  `<state>/records/` (owned by that account, 0700);
- free ports on 127.0.0.1 for the hub's API, the proxy's API and the service (only the proxy's public port,
  `--port` on `--bind`, is meant to be reached by browsers).
The settings reach the config file through FMSE_HUB_* variables in the hub's own (root's) environment; the
records URL is handed only to the service's environment.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import webbrowser
from pathlib import Path

DEFAULT_PORT = 8000

NOT_ROOT = ("fmse-course hub: rhaid ei redeg fel root (mae gweinydd pob defnyddiwr yn rhedeg dan ei gyfrif Unix ei "
            "hun). / must run as root (each user's server runs under their own Unix account), e.g. sudo "
            "fmse-course hub.")
NO_PROXY = ("fmse-course hub: nid oes configurable-http-proxy. Gosodwch ef: `npm install -g "
            "configurable-http-proxy` (neu `npm ci` yn ffolder y cwrs). / configurable-http-proxy was not "
            "found. Install it: `npm install -g configurable-http-proxy` (or `npm ci` in the course folder).")
NO_PYTHON = ("fmse-course hub: ni all cyfrifon eraill redeg {python} ac nid oes {version} gan y system. Gosodwch y "
             "cwrs mewn amgylchedd y gall pob cyfrif ei ddarllen (e.e. /opt/fmse-course). / other accounts cannot "
             "run {python} and the system has no {version}. Install the course in an environment every account "
             "can read (e.g. /opt/fmse-course).")
NO_CONFIG = "fmse-course hub: nid oes ffeil {path}. / there is no file {path}."
NO_RECORDS = ("fmse-course hub: nid oes modd paratoi'r cofnodion yn {where}: {error}\nGwiriwch yr URL, neu rhedwch "
              "`fmse-course records migrate --url URL` eich hun. / the records at {where} could not be made "
              "ready: {error}\nCheck the URL, or run `fmse-course records migrate --url URL` yourself.")


def add_parser(sub, tr=None) -> None:
    """`fmse-course hub`, its help in tr's language (English by default)."""
    from ..i18n import translator

    tr = tr or translator("en")
    _ = tr.gettext  # `_` is extracted like gettext (widgets/i18n_tools.py)
    hub = sub.add_parser(
        "hub", help=_("run the course for many people on one Linux server, with JupyterHub (as root)"),
        description=_("JupyterHub with configurable-http-proxy, the records service and the course for every "
                      "user. People sign up at /hub/signup and an administrator (--admin) approves them at "
                      "/hub/authorize; each approved person gets a locked Unix account their server runs under. "
                      "See docs/deploy.md."))
    hub.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="PORT",
                     help=_("the port browsers use (default 8000)"))
    hub.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                     help=_("the address to listen on (default 127.0.0.1: this computer only)"))
    hub.add_argument("--records-url", metavar="URL",
                     help=_("the records store (postgresql://... or sqlite:///path); default: SQLite in the hub's "
                            "state folder, owned by the fmse-records account"))
    hub.add_argument("--config", type=Path, metavar="FILE",
                     help=_("a JupyterHub config file loaded after the course's own (e.g. another authenticator)"))
    hub.add_argument("--admin", action="append", default=[], metavar="NAME",
                     help=_("a hub user who may approve sign-ups and manage groups (repeat for more)"))
    hub.add_argument("--no-browser", action="store_true", help=_("do not open a web browser"))
    hub.set_defaults(func=cmd_hub)


def proxy_command() -> str | None:
    from ..paths import course_root

    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    local = course_root().parent / "node_modules" / ".bin" / "configurable-http-proxy"
    for candidate in (local, course_root() / "node_modules" / ".bin" / "configurable-http-proxy"):
        if candidate.exists():
            return str(candidate)
    return None


STATE = Path("/var/lib/fmse-course-hub")


def state_folder() -> Path:
    """The hub's state: /var/lib/fmse-course-hub, or FMSE_HUB_STATE (tests). Not under root's home, which the
    service's account cannot enter."""
    return Path(os.environ.get("FMSE_HUB_STATE") or STATE)


def reachable_by_others(path: Path) -> bool:
    """Can another account run `path`: every folder on the way searchable by others, the file executable?"""
    path = path.resolve()
    for folder in path.parents:
        if not folder.stat().st_mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o001)


def runtime_python(state: Path) -> str:
    """A Python that the users' and the service's accounts can run, with the course's packages.

    The course's own interpreter if they can reach it; otherwise (a Python under root's home, as pyenv
    installs it) a small virtual environment in the state folder on the system's Python of the same version,
    whose one .pth file adds the course's site-packages."""
    import site
    import subprocess
    import sysconfig

    if reachable_by_others(Path(sys.executable)):
        return sys.executable
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")
    if system is None or not reachable_by_others(Path(system)):
        sys.exit(NO_PYTHON.format(python=sys.executable, version=version))
    bridge = state / "python"
    if not (bridge / "bin" / "python").exists():
        subprocess.run([system, "-m", "venv", "--without-pip", str(bridge)], check=True)
    packages = sysconfig.get_paths()["purelib"]
    pth = bridge / "lib" / version / "site-packages" / "fmse-course.pth"
    pth.write_text(f"import site; site.addsitedir({packages!r})\n", encoding="utf-8")
    for folder in site.getsitepackages():
        if not reachable_by_others(Path(folder)):
            sys.exit(NO_PYTHON.format(python=sys.executable, version=version))
    return str(bridge / "bin" / "python")


def migrate_records(url: str) -> None:
    """`fmse-course records migrate` for a PostgreSQL store, before the service starts: brings its tables to this
    version's schema (one transaction, nothing else changed; settings come from the hub's groups). The service
    itself never migrates: an older database it meets is refused naming that command. An SQLite file migrates
    when the service opens it."""
    if not url.startswith(("postgresql://", "postgres://")):
        return
    from contextlib import closing

    from ..records.errors import RecordsError
    from ..records.recorder import store_at

    try:
        with closing(store_at(url, migrate=True)) as store:
            where = store.location
    except RecordsError as exc:
        sys.exit(NO_RECORDS.format(where=getattr(exc, "path", "") or "PostgreSQL", error=exc))
    print(f"Cofnodion: {where} / Records: {where}", flush=True)


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """Make the state folder and the service's account and records folder; return the FMSE_HUB_* settings."""
    from ..processes import free_port
    from . import accounts

    state = state_folder()
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o711)  # root's: others may pass through to the runtime Python and nothing else
    private = state / "hub"
    private.mkdir(exist_ok=True)
    private.chmod(0o700)  # the hub's database, cookie secret and pid
    service = accounts.ensure_account(accounts.SERVICE_ACCOUNT, home=False)
    records_dir = state / "records"
    records_dir.mkdir(exist_ok=True)
    os.chown(records_dir, service.pw_uid, service.pw_gid)
    records_dir.chmod(0o700)
    records_url = args.records_url or f"sqlite:///{records_dir / 'records.sqlite3'}"
    migrate_records(records_url)
    return {
        "FMSE_HUB_STATE": str(state),
        "FMSE_HUB_PYTHON": runtime_python(state),
        "FMSE_HUB_PORT": str(args.port),
        "FMSE_HUB_BIND": args.bind,
        "FMSE_HUB_API_PORT": str(free_port()),
        "FMSE_HUB_PROXY_API_PORT": str(free_port()),
        "FMSE_HUB_SERVICE_PORT": str(free_port()),
        "FMSE_HUB_RECORDS_URL": records_url,
        "FMSE_HUB_SERVICE_DATA": str(records_dir),
        "FMSE_HUB_PROXY": proxy_command() or "",
        "FMSE_HUB_ADMINS": ",".join(args.admin),
        "FMSE_HUB_EXTRA_CONFIG": str(args.config.resolve()) if args.config else "",
    }


def cmd_hub(args: argparse.Namespace) -> int:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        sys.exit(NOT_ROOT)
    if args.config and not args.config.is_file():
        sys.exit(NO_CONFIG.format(path=args.config))
    if proxy_command() is None:
        sys.exit(NO_PROXY)
    settings = prepare(args)
    os.environ.update(settings)
    host = "127.0.0.1" if args.bind in ("0.0.0.0", "::", "") else args.bind
    url = f"http://{host}:{args.port}/hub/login"
    print(f"Mae'r hwb yn dechrau yn {url}\nThe hub is starting at {url}\n"
          "Pwyswch Ctrl+C i'w atal. / Press Ctrl+C to stop it.", flush=True)
    if not args.no_browser:
        try:
            webbrowser.open(url, new=2)
        except webbrowser.Error:
            pass
    from jupyterhub.app import JupyterHub

    config = Path(__file__).with_name("jupyterhub_config.py")
    JupyterHub.launch_instance(argv=["-f", str(config)])
    return 0
