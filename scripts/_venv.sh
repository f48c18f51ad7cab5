# Shared by scripts/start and scripts/test: make .venv (once) and install the course into it when
# pyproject.toml or constraints.txt has changed since the last install, at the versions the tests passed
# with (constraints.txt; scripts/freeze-constraints rewrites it). Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FMSE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

ensure_venv() {  # $1: the extras to install, e.g. "" or "[test]"
  local extras="$1"
  local stamp="$VENV/.fmse-installed$extras"
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "fmse-course needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1)." >&2
    echo "Install it (Debian 12: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.11." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating the virtual environment in $VENV ..."
    "$PYTHON" -m venv "$VENV" || {
      echo "Could not create a virtual environment. On Debian or Ubuntu: sudo apt-get install python3-venv" >&2
      exit 1
    }
  fi
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ] || [ "$ROOT/constraints.txt" -nt "$stamp" ]; then
    echo "Installing the course and what it needs (the first time takes a few minutes) ..."
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    install_course "$extras" -c "$ROOT/constraints.txt"
    touch "$stamp"
  fi
}

install_course() {  # $1: the extras; further arguments go to pip
  # The package fmse_widgets lives in widgets/ (package-dir in pyproject.toml), so setuptools makes the
  # editable install with an import finder and then says so in a boxed "Editable installation" warning
  # (InformationOnly) that looks like a failure. It is information only: that one message is not shown.
  local extras="$1"; shift
  PYTHONWARNINGS="ignore:Editable installation.${PYTHONWARNINGS:+,$PYTHONWARNINGS}" \
    "$VENV/bin/python" -m pip install --quiet "$@" -e "$ROOT$extras"
}
