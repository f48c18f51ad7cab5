"""`fmse-course lab`: the course notebooks in JupyterLab, set up for the course.

- JupyterLab's "Would you like to get notified about official Jupyter news?" prompt is turned off (and nothing
  is fetched from the internet for it): the course's own JupyterLab settings (jupyter/lab/settings/
  overrides.json, JupyterLab's application settings folder for this command) set the announcements'
  `fetchNews` to "false" and `checkForUpdates` to false, and `LabApp.news_url` is None.
- As root (a container, a lab machine's admin account) JupyterLab refuses to start unless told
  `--allow-root`; the course allows it, with a warning on standard error, as `fmse-course lab --help` says.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT_WARNING = ("fmse-course: warning: running JupyterLab as root. Anything run in a notebook can change the "
                "whole computer: use an ordinary account if you can.\n"
                "fmse-course: rhybudd: mae JupyterLab yn rhedeg fel root. Gall unrhyw beth sy'n rhedeg mewn "
                "llyfr nodiadau newid y cyfrifiadur cyfan: defnyddiwch gyfrif arferol os gallwch.")


def settings_dir() -> Path:
    """The course's JupyterLab application settings (overrides.json)."""
    from .paths import lab_settings_dir

    return lab_settings_dir()


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_argv(port: int, *, open_browser: bool, as_root: bool) -> list[str]:
    from .paths import lab_notebooks_dir

    argv = [f"--ServerApp.root_dir={lab_notebooks_dir()}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", "--LabApp.default_url=/lab/tree/index.ipynb",
            f"--LabApp.app_settings_dir={settings_dir()}"]
    if not open_browser:
        argv.append("--no-browser")
    if as_root:
        argv.append("--ServerApp.allow_root=True")
    return argv


def lab_config():
    from traitlets.config import Config

    config = Config()
    config.LabApp.news_url = None  # no news feed fetched; the page is told news are off
    return config


def run_lab(port: int, *, open_browser: bool) -> None:
    from jupyterlab.labapp import LabApp

    as_root = running_as_root()
    if as_root:
        print(ROOT_WARNING, file=sys.stderr, flush=True)
    LabApp.launch_instance(argv=lab_argv(port, open_browser=open_browser, as_root=as_root), config=lab_config())
