"""The command line: plain --help for every command, and clear messages for mistakes."""
from __future__ import annotations

import re
import socket
import subprocess
import sys

import pytest

from fmse_widgets.cli import main, parser


@pytest.mark.parametrize("command", [[], ["serve"], ["lab"], ["content"], ["i18n"], ["setting"]])
def test_help_for_every_command(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: fmse-course")


def test_serve_options_are_the_contract():
    args = parser().parse_args(["serve", "--port", "8899", "--no-browser", "--lang", "cy"])
    assert (args.port, args.no_browser, args.lang) == (8899, True, "cy")


def test_bad_port_and_language_are_explained(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--port", "eighty"])
    assert "'eighty' is not a port number" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["serve", "--lang", "fr"])
    assert "invalid choice: 'fr'" in capsys.readouterr().err


@pytest.mark.slow  # a process of its own
def test_port_in_use_is_reported_before_starting():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        if port < 1024:
            pytest.skip("the system gave a privileged port")
        done = subprocess.run([sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", str(port),
                               "--no-browser"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr


def test_content_check_passes_and_names_a_broken_file(course_copy, capsys):
    assert main(["content", "check"]) == 0
    assert re.search(r"Content is valid: \d+ exercises, \d+ services", capsys.readouterr().out)
    (course_copy / "data" / "exercises" / "broken-one.yaml").write_text("id: broken-one\ntype: single-choice\n",
                                                                          encoding="utf-8")
    assert main(["content", "check"]) == 1
    err = capsys.readouterr().err
    assert "broken-one.yaml: exercise 'broken-one': field 'options': is missing" in err


def test_i18n_check_passes(capsys):
    assert main(["i18n", "check"]) == 0
    assert "complete" in capsys.readouterr().out
