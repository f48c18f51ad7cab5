"""JupyterHub's configuration for `fmse-course hub` (widgets/hub/launch.py sets the FMSE_HUB_* variables it reads).

- Sign-in: NativeAuthenticator (sign up, administrator approval; approval makes the Unix account). Never a
  password-less authenticator: `--config FILE` may replace it (tests use a test authenticator; docs/deploy.md
  shows Hwb sign-in through oauthenticator).
- Each user's server: `jupyterhub-singleuser` with the course extension, the landing page as its default URL,
  under `fmse-u-<name>` (widgets/hub/spawner.py); it is told `FMSE_RECORDS_URL=service:fmse-records` and where
  the service is, nothing else about the records.
- The records service `fmse-records` (widgets/hub/service.py) under its own account, with the store's URL in its
  environment only. Its token may list and read the hub's groups (`list:groups`, `read:groups`) and nothing more; users' server tokens
  may use the service (`access:services!service=fmse-records`).
- Bilingual hub pages, Welsh first (widgets/hub/templates).
"""
import os
import sys
from pathlib import Path

from fmse_widgets.hub.service import SERVICE_NAME
from fmse_widgets.paths import notebooks_dir
from fmse_widgets.server_extension import LANDING, single_user_argv

c = get_config()  # noqa: F821 - JupyterHub's config loader provides it

env = os.environ
private = Path(env["FMSE_HUB_STATE"]) / "hub"  # root's alone (0700): the hub's database and secrets
python = env["FMSE_HUB_PYTHON"]  # one the users' and the service's accounts can run (launch.runtime_python)
service_port = int(env["FMSE_HUB_SERVICE_PORT"])
service_url = f"http://127.0.0.1:{service_port}"

c.JupyterHub.bind_url = f"http://{env.get('FMSE_HUB_BIND', '127.0.0.1')}:{env.get('FMSE_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["FMSE_HUB_API_PORT"])
c.JupyterHub.db_url = f"sqlite:///{private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(private / "jupyterhub.pid")
# The proxy's pid file too (JupyterHub's default is the current folder: two hubs started from one folder stopped
# each other's proxy).
c.ConfigurableHTTPProxy.pid_file = str(private / "jupyterhub-proxy.pid")
c.JupyterHub.template_paths = [str(Path(__file__).with_name("templates"))]
c.JupyterHub.default_url = "/hub/home"

c.ConfigurableHTTPProxy.command = [env["FMSE_HUB_PROXY"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['FMSE_HUB_PROXY_API_PORT']}"

c.JupyterHub.authenticator_class = "fmse_widgets.hub.authenticator.CourseAuthenticator"
c.Authenticator.allow_all = True  # approval is the gate: NativeAuthenticator refuses anyone not approved
c.Authenticator.admin_users = {name for name in env.get("FMSE_HUB_ADMINS", "").split(",") if name}
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True

c.JupyterHub.spawner_class = "fmse_widgets.hub.spawner.CourseSpawner"
c.Spawner.cmd = [python, "-m", "jupyterhub.singleuser"]
c.Spawner.args = single_user_argv()
c.Spawner.notebook_dir = str(notebooks_dir())
c.Spawner.default_url = "/" + LANDING
prefix = Path(sys.prefix)  # the course's environment: its Jupyter data (templates, JupyterLab) and config
c.Spawner.environment = {
    "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
    "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
    "JUPYTERLAB_DIR": str(prefix / "share" / "jupyter" / "lab"),
    "FMSE_RECORDS_URL": "service:" + SERVICE_NAME,
    "FMSE_RECORDS_SERVICE_URL": f"{service_url}/services/{SERVICE_NAME}/",
}
c.Spawner.server_token_scopes = ["users:activity!user", f"access:services!service={SERVICE_NAME}"]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120

c.JupyterHub.services = [{
    "name": SERVICE_NAME,
    "url": service_url,
    "command": [python, "-m", "fmse_widgets.cli", "records", "service", "--port", str(service_port)],
    "user": "fmse-records",
    "cwd": env["FMSE_HUB_SERVICE_DATA"],
    "environment": {"FMSE_RECORDS_URL": env["FMSE_HUB_RECORDS_URL"], "FMSE_DATA_DIR": env["FMSE_HUB_SERVICE_DATA"],
                    "HOME": env["FMSE_HUB_SERVICE_DATA"]},
    "display": False,
}]
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self", f"access:services!service={SERVICE_NAME}"]},
    {"name": "fmse-records-service", "scopes": ["list:groups", "read:groups"], "services": [SERVICE_NAME]},
]

extra = env.get("FMSE_HUB_EXTRA_CONFIG")
if extra:
    load_subconfig(extra)  # noqa: F821 - JupyterHub's config loader provides it
