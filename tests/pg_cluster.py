"""A throwaway PostgreSQL cluster in a temporary folder: for scripts/test on a machine without a server, for the
interruption test (which restarts a cluster it started itself, never a shared one) and for benchmarks/records.py.

Debian's server binaries (/usr/lib/postgresql/N/bin) are used; scripts/test installs the `postgresql` package when
they are missing. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user.

    python tests/pg_cluster.py start FOLDER [--max-connections N]   # prints the admin URL
    python tests/pg_cluster.py stop FOLDER
"""
from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

from fmse_widgets.processes import free_port


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed: apt-get install postgresql")
    return Path(found[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class Cluster:
    """A cluster in `folder` (made on first start) listening on 127.0.0.1:`port` only, trust authentication."""

    def __init__(self, folder: Path | str, port: int | None = None, *, max_connections: int = 100) -> None:
        self.folder = Path(folder)
        self.data = self.folder / "data"
        port_file = self.folder / "port"
        if port is None:  # the port it was started on, for `stop` from another process
            port = int(port_file.read_text()) if port_file.exists() else free_port()
        self.port = port
        self.max_connections = max_connections
        self.bin = bin_dir()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        done = subprocess.run(_as_owner([str(self.bin / args[0]), *args[1:]]), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, cwd="/")
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-800:]}")

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "port").write_text(str(self.port))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            os.chmod(self.folder, 0o700)
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                      "--locale=C.UTF-8")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   f"-c max_connections={self.max_connections} -c fsync=on")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w",
                  "-t", "60", "start")
        return self.url

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--max-connections", type=int, default=100)
    args = parser.parse_args(argv)
    if args.action == "start":
        print(Cluster(args.folder, max_connections=args.max_connections).start())
    else:
        Cluster(args.folder).remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
