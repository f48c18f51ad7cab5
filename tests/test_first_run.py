"""What a newcomer sees on a first run: the install says nothing that looks like a failure, the server's log has
no "Notebook … is not trusted" line per page, and ending a workshop (SIGTERM, as the service manager or a
closed terminal sends) prints no traceback."""
from __future__ import annotations

import os
import signal
import subprocess
import venv
from pathlib import Path

import pytest

from servers import CourseServer, WorkshopServer, fetch
from workshop_client import Client

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parent.parent
ROOM = "/voila/render/en/workshop.ipynb"


def test_serving_pages_logs_no_untrusted_notebook_lines(tmp_path):
    server = CourseServer(tmp_path)
    try:
        for path in ("/voila/render/index.ipynb", "/voila/render/en/01-context.ipynb",
                     "/voila/render/cy/01-cyd-destun.ipynb"):
            status, _, _ = fetch(server.base + path)
            assert status == 200
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    assert "Kernel started" in log  # the pages did run
    assert "is not trusted" not in log and "Traceback" not in log


def test_a_workshop_ended_with_sigterm_says_goodbye_without_tracebacks(tmp_path):
    server = WorkshopServer(tmp_path, participants=2)
    try:
        server.wait_for_pools()
        person = Client(server.base)
        status, headers, _ = person.join(server.code, nickname="Ceri", lang="en")
        assert status == 303
        # The room page takes a warm kernel; its replacement waits --refill-delay before starting.
        status, _, page, where = person.follow(headers["Location"])
        assert status == 200 and ROOM in where and "fmse" in page
    finally:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
        returncode = server.process.wait(timeout=60)
        server.stop()
    log = server.log_path.read_text(errors="replace")
    assert returncode == 0
    assert "Handle signal 15" in log and log.count("Kernel shutdown") >= 4
    assert "Traceback" not in log and "ZMQError" not in log and "is not trusted" not in log


@pytest.mark.skipif(os.environ.get("FMSE_SKIP_INSTALL_TEST") == "1", reason="FMSE_SKIP_INSTALL_TEST=1")
def test_installing_the_course_shows_no_editable_installation_banner(tmp_path):
    """scripts/_venv.sh's install, into a fresh environment (without the dependencies, to keep it short)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    done = subprocess.run(["bash", "-c", 'source scripts/_venv.sh && install_course "" --no-deps'],
                          cwd=ROOT, env={**os.environ, "FMSE_VENV": str(env_dir)}, capture_output=True,
                          text=True, timeout=600)
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "Editable installation" not in said and "BuildBackendWarning" not in said, said
    assert "Traceback" not in said
    check = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import fmse_widgets, sys; "
                            "print(fmse_widgets.__file__)"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and str(ROOT / "widgets") in check.stdout, check.stderr


def test_ctrl_c_in_a_terminal_stops_the_course_with_warm_pages_cleanly(tmp_path):
    """`fmse-course serve` in a real terminal (a pty), warm pages waiting and one page open, then Ctrl+C as the
    terminal sends it (SIGINT to the foreground process group): the server stops within seconds with status 0,
    no traceback, and no page's Python process left behind. Warm kernels start in their own session, so the
    terminal's SIGINT reaches the server only, which shuts them down."""
    import pty
    import re
    import select
    import sys
    import time

    from fmse_widgets.processes import free_port

    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "FMSE_DATA_DIR": str(tmp_path / "data")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the course server on the pty, as a trainer's terminal runs it
        os.execve(sys.executable, [sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", str(port),
                                   "--no-browser", "--warm", "2"], env)
    output = bytearray()

    def read_for(seconds: float, until=lambda text: False) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until(output.decode(errors="replace")):
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the child has closed the terminal
                    return
                if not chunk:
                    return
                output.extend(chunk)

    status = None
    try:
        read_for(240, until=lambda text: text.count("is filled with") >= 2)  # both warm pages are waiting
        text = output.decode(errors="replace")
        assert text.count("is filled with") >= 2, text
        code, _, _ = fetch(f"http://127.0.0.1:{port}/voila/render/en/01-context.ipynb")
        assert code == 200
        connections = re.search(r"Storing connection files in (\S+?)\.?\r?\n", text)
        assert connections, text
        os.write(fd, b"\x03")  # Ctrl+C
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            read_for(0.5)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            status = None
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        read_for(1)
        os.close(fd)
    text = output.decode(errors="replace")
    assert status is not None, f"the server was still running 30 s after Ctrl+C:\n{text[-3000:]}"
    assert os.waitstatus_to_exitcode(status) == 0, text[-3000:]
    after = text.split("^C", 1)[-1]
    # The page took one warm kernel (its replacement starts 3 s later): at least it and the other warm one.
    assert "Stopping" in after and after.count("Kernel shutdown") >= 2, after
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text[-3000:]
    left = subprocess.run(["pgrep", "-f", connections.group(1)], capture_output=True, text=True).stdout.split()
    assert left == [], f"page processes left after Ctrl+C: {left}"
