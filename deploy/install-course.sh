#!/bin/sh
# The user-server image's install steps (deploy/Dockerfile runs this; tests/test_deploy_image.py runs it too, in
# a fresh virtual environment from a freshly built wheel, so what the image does is what the test checked).
#
#   PYTHON=/opt/fmse/bin/python sh install-course.sh WHEEL CONSTRAINTS
#
# 1. The course from its wheel, with every package at the version the tests passed with (constraints.txt), and
#    JupyterHub itself for `jupyterhub-singleuser` (the same version as the hub's, also pinned there).
# 2. The course's Jupyter server extension switched on, Voilà's own switched off, and the course's kernel
#    manager, template locks, culling, root folder and default URL (the landing page), as a Jupyter config
#    file in the environment's own etc/jupyter. The settings come from
#    fmse_widgets.server_extension.single_user_config(), the one place they are written down, so the image and
#    `fmse-course hub` cannot drift apart.
set -eu
WHEEL="$1"
CONSTRAINTS="$2"
PYTHON="${PYTHON:-python3}"

"$PYTHON" -m pip install --no-cache-dir --quiet -c "$CONSTRAINTS" "$WHEEL" jupyterhub

"$PYTHON" - <<'PY'
import json
import sys
from pathlib import Path

from fmse_widgets.paths import notebooks_dir
from fmse_widgets.server_extension import single_user_config

config = single_user_config()
# The course's notebooks are the server's root, as `fmse-course hub` sets it (Spawner.notebook_dir), so the
# default URL finds the landing page; JupyterLab works on a writable copy (fmse_widgets.paths).
config["ServerApp"]["root_dir"] = str(notebooks_dir())

# "zz-" so it is read after the files other packages put there (voila.json switches Voilà's extension on):
# the files of a .d folder are read in name order and the last one wins.
folder = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d"
folder.mkdir(parents=True, exist_ok=True)
(folder / "zz-fmse-course.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
print(f"fmse-course: Jupyter server settings written to {folder / 'zz-fmse-course.json'}")
PY
