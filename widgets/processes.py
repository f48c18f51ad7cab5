"""Ports and server processes: one place for what the commands, `fmse-course check` and the benchmarks share."""
from __future__ import annotations

import errno
import socket
import subprocess


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Can a server listen on `host`:`port`? False if it is taken, forbidden, or not an address of this computer."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
                return False
            raise
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port that no server on `host` uses now (the system's choice); the one helper tests and benchmarks share."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def kernel_processes(pid: int) -> list:
    """The live ipykernel processes a server started (Voilà 0.5 has no API that lists its kernels)."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
    found = []
    for child in children:
        try:
            if any("ipykernel" in part for part in child.cmdline()) and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.Error:
            continue
    return found


def stop_server(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a server we started, by its process id, and any page kernel it leaves behind."""
    import psutil

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
