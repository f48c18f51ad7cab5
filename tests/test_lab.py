"""`fmse-course lab`: runs as root with a warning (JupyterLab alone refuses), and JupyterLab's "Would you like
to get notified about official Jupyter news?" prompt is off for the course (its `fetchNews` setting is "false",
so the page never asks, and no news feed is fetched)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fmse_widgets.cli import main
from fmse_widgets.lab import ROOT_WARNING, lab_argv, lab_config, settings_dir
from servers import free_port

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def test_root_is_allowed_only_when_running_as_root():
    assert "--ServerApp.allow_root=True" in lab_argv(8888, open_browser=False, as_root=True)
    assert not any("allow_root" in a for a in lab_argv(8888, open_browser=True, as_root=False))
    argv = lab_argv(8888, open_browser=False, as_root=False)
    assert "--ServerApp.ip=127.0.0.1" in argv and "--no-browser" in argv
    assert f"--LabApp.app_settings_dir={settings_dir()}" in argv


def test_the_news_prompt_is_off_in_settings_jupyterlab_accepts():
    import jupyterlab

    overrides = json.loads((settings_dir() / "overrides.json").read_text(encoding="utf-8"))
    schema_path = Path(jupyterlab.__file__).parent / "schemas" / "@jupyterlab" / "apputils-extension" / \
        "notification.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))["properties"]
    ours = overrides[NOTIFICATION]
    # JupyterLab asks "Would you like to get notified…?" only while fetchNews is "none" (its default).
    assert schema["fetchNews"]["default"] == "none" and ours["fetchNews"] == "false"
    assert ours["fetchNews"] in [choice["const"] for choice in schema["fetchNews"]["oneOf"]]
    assert schema["checkForUpdates"]["type"] == "boolean" and ours["checkForUpdates"] is False
    assert lab_config().LabApp.news_url is None


def test_help_says_root_is_allowed(capsys):
    with pytest.raises(SystemExit):
        main(["lab", "--help"])
    assert "runs as root" in " ".join(capsys.readouterr().out.split())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to run as root")
def test_as_root_jupyterlab_starts_with_a_warning_and_the_news_prompt_off(tmp_path):
    port = free_port()
    log = tmp_path / "lab.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "fmse_widgets.cli", "lab", "--no-browser", "--port",
                                    str(port)], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        token, deadline = None, time.monotonic() + 90
        while token is None and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            found = re.search(rf"http://127\.0\.0\.1:{port}/lab\S*\?token=([0-9a-f]+)", log.read_text())
            token = found and found.group(1)
            time.sleep(0.3)
        assert token, log.read_text()

        def get(path: str) -> dict:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())

        # Overrides become the setting's defaults: what the page reads unless a person changes it.
        served = get(f"/lab/api/settings/{NOTIFICATION}")["schema"]["properties"]
        assert served["fetchNews"]["default"] == "false" and served["checkForUpdates"]["default"] is False
        assert get("/lab/api/news") == {"news": []}
        text = log.read_text()
        assert ROOT_WARNING.splitlines()[0] in text
        assert "Running as root is not recommended" not in text
    finally:
        process.terminate()
        process.wait(timeout=30)
