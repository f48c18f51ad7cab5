"""Each user's server: `jupyterhub-singleuser` with the course extension (widgets/server_extension.py), under
the user's own Unix account (widgets/hub/accounts.py), started by JupyterHub's LocalProcessSpawner."""
from __future__ import annotations

import pwd

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid

from . import accounts


class CourseSpawner(LocalProcessSpawner):
    """LocalProcessSpawner, with the Unix account `fmse-u-<hub name>` (made when the user is approved, or here
    if an administrator added the user on the admin page)."""

    @property
    def unix_name(self) -> str:
        return accounts.unix_name(self.user.name)

    def make_preexec_fn(self, name):
        return set_user_setuid(self.unix_name)

    def user_env(self, env):
        account = pwd.getpwnam(self.unix_name)
        env["USER"] = self.unix_name
        env["HOME"] = account.pw_dir
        env["SHELL"] = account.pw_shell
        return env

    async def start(self):
        account = accounts.ensure_user_account(self.user.name)
        self.notebook_dir = self.notebook_dir or account.pw_dir
        return await super().start()
