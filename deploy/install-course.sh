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

# The environment's own jupyter_server_config.json, not a file in jupyter_server_config.d: from those folders
# the server reads only which extensions are on, and the course needs its kernel manager and locks as well.
# Settings in this file also win over the .d files' (voila.json there switches Voilà's own extension on).
path = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
path.parent.mkdir(parents=True, exist_ok=True)
existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
for section, traits in config.items():
    existing.setdefault(section, {}).update(traits)
path.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
print(f"fmse-course: Jupyter server settings written to {path}")
PY
