"""Unix accounts for the hub: each approved user's server runs under an account of their own, locked (no
password) and with no login shell, so that no user's code can read another user's files or processes, nor the
records service's (which runs under `fmse-records`, its files owner-only).

Accounts are named `fmse-u-<hub name>` (hub names are normalised to lower-case letters, digits, '-' and '_', at
most 24 characters: `valid_name()`), so a hub user can never be given an existing system account such as
`root` or `postgres`. Creating one needs root (the hub runs as root for LocalProcessSpawner).
"""
from __future__ import annotations

import pwd
import re
import shutil
import subprocess

PREFIX = "fmse-u-"
SERVICE_ACCOUNT = "fmse-records"
HUB_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,23}$")
NOLOGIN = next((p for p in ("/usr/sbin/nologin", "/sbin/nologin") if shutil.which(p) or __import__("os").path
                .exists(p)), "/bin/false")


def valid_name(hub_name: str) -> bool:
    return bool(HUB_NAME.match(hub_name))


def unix_name(hub_name: str) -> str:
    if not valid_name(hub_name):
        raise ValueError(f"hub user name {hub_name[:40]!r}: use 1-24 lower-case letters, digits, '-' or '_', "
                         "starting with a letter")
    return PREFIX + hub_name


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_account(name: str, *, home: bool = True) -> pwd.struct_passwd:
    """The Unix account `name`, made if missing: locked password, no login shell, home 0700 (if `home`)."""
    if not exists(name):
        command = ["useradd", "--shell", NOLOGIN, "--user-group"]
        command += ["--create-home"] if home else ["--no-create-home", "--home-dir", "/nonexistent"]
        subprocess.run([*command, name], check=True, capture_output=True, text=True)
        subprocess.run(["passwd", "--lock", name], check=True, capture_output=True, text=True)
    account = pwd.getpwnam(name)
    if home:
        import os

        os.chmod(account.pw_dir, 0o700)
    return account


def ensure_user_account(hub_name: str) -> pwd.struct_passwd:
    return ensure_account(unix_name(hub_name))
