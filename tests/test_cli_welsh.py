"""The command line in Welsh: `fmse-course --lang cy`, a command's own --lang, or a Welsh locale (issue 18 item 5).

The real command runs in a subprocess with a controlled locale; English stays the default."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from fmse_widgets.cli import main
from fmse_widgets.cli_lang import asked_languages, locale_language, output_language
from fmse_widgets.i18n import translator
from fmse_widgets.processes import free_port

LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
CY = translator("cy")


def environment(**extra: str) -> dict[str, str]:
    """The test's environment with every locale variable removed, then `extra` set."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE}
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **extra}


def fmse(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fmse_widgets.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=environment(**env))


# ---- which language: option, command option, locale ---------------------------------------------------

@pytest.mark.parametrize(("env", "expected"), [
    ({}, None), ({"LANG": "C.UTF-8"}, None), ({"LANG": "cy_GB.UTF-8"}, "cy"), ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, None), ({"LC_ALL": "cy_GB.UTF-8", "LANG": "en_GB.UTF-8"}, "cy"),
    ({"LC_MESSAGES": "cy_GB@euro", "LANG": "en_GB.UTF-8"}, "cy"), ({"LANGUAGE": "fr:cy:en", "LANG": "C"}, "cy"),
    ({"LANGUAGE": "en", "LANG": "cy_GB.UTF-8"}, "en"), ({"LANGUAGE": "fr", "LANG": "cy_GB.UTF-8"}, "cy")])
def test_the_locale_is_read_as_gettext_reads_it(env, expected):
    assert locale_language(env) == expected


def test_the_global_option_wins_then_the_commands_then_the_locale():
    assert asked_languages(["--lang", "cy", "serve", "--lang", "en"]) == ("cy", "en")
    assert asked_languages(["serve", "--port", "8870", "--lang=cy"]) == (None, "cy")
    assert asked_languages(["records", "certificate", "--lang", "both"]) == (None, None)
    assert asked_languages(["records", "report", "--lang", "cy"]) == (None, None)  # the CSV's language only
    assert output_language("en", "cy", {"LANG": "cy_GB.UTF-8"}) == "en"
    assert output_language(None, "cy", {"LANG": "en_GB.UTF-8"}) == "cy"
    assert output_language(None, "both", {"LANG": "cy_GB.UTF-8"}) == "cy"
    assert output_language(None, None, {}) is None


# ---- help ------------------------------------------------------------------------------------------------

@pytest.mark.slow  # a process of its own
def test_help_is_english_by_default_and_welsh_when_asked():
    english = fmse("--help", LANG="C.UTF-8")
    assert english.returncode == 0 and english.stdout.startswith("usage: fmse-course")
    assert "A bilingual (Cymraeg / English) course" in english.stdout and "options:" in english.stdout
    for welsh in (fmse("--lang", "cy", "--help", LANG="C.UTF-8"), fmse("--help", LANG="cy_GB.UTF-8")):
        assert welsh.returncode == 0, welsh.stderr
        out = welsh.stdout
        assert out.startswith("defnydd: fmse-course"), out
        assert "Cwrs dwyieithog (Cymraeg / English)" in out and "opsiynau:" in out
        assert "dangos y neges gymorth hon a gadael" in out and "show this help message" not in out
        assert CY.gettext("run a live workshop: participants join from their own devices") in " ".join(out.split())


COMMANDS = [["serve"], ["lab"], ["content"], ["setting"], ["i18n"], ["cases"], ["cases", "generate"],
            ["cases", "validate"], ["cases", "export"], ["check"], ["workshop"], ["records"],
            *([["records", action] for action in ("export", "import", "key", "trust-key", "purge", "delete",
                                                 "verify", "report", "certificate", "repair", "path")])]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_commands_help_is_in_welsh(command, capsys, monkeypatch):
    for variable in LOCALE:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    english = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "cy", *command, "--help"])
    welsh = capsys.readouterr().out
    assert english.startswith("usage: ") and welsh.startswith("defnydd: ")
    # every line of help that says something in words is said differently in Welsh
    english_lines = {line.strip() for line in english.splitlines() if re.search(r"[a-z]{4,} [a-z]{3,}", line)}
    welsh_lines = {line.strip() for line in welsh.splitlines()}
    assert english_lines and not english_lines & welsh_lines, english_lines & welsh_lines


@pytest.mark.slow  # a process of its own
def test_argparse_errors_are_in_welsh():
    done = fmse("--lang", "cy", "serve", "--lang", "fr")
    assert done.returncode == 2
    assert "fmse-course serve: gwall: dadl --lang: dewis annilys: 'fr' (dewiswch o 'en', 'cy')" in done.stderr
    done = fmse("records", "purge", "--before", "yesterday", LANG="cy_GB.UTF-8")
    assert "nid yw 'yesterday' yn ddyddiad" in done.stderr
    english = fmse("records", "purge", LANG="C.UTF-8")
    assert "error: the following arguments are required: --before" in english.stderr


# ---- output ----------------------------------------------------------------------------------------------

@pytest.mark.slow  # a process of its own
def test_cases_answers_in_welsh(root, tmp_path):
    sample = root / "data" / "cases" / "sample.csv"
    welsh = fmse("cases", "validate", str(sample), LANG="cy_GB.UTF-8")
    assert welsh.returncode == 0 and re.search(r"sample\.csv: 4,000 o achosion, pob un yn ddilys\.", welsh.stdout)
    english = fmse("cases", "validate", str(sample), LANG="C.UTF-8")
    assert re.search(r"sample\.csv: 4,000 cases, all valid\.", english.stdout)
    made = fmse("--lang", "cy", "cases", "generate", "--rows", "20", "--out", str(tmp_path / "a.csv"))
    assert made.returncode == 0 and "Ysgrifennwyd 20 o achosion synthetig (hedyn 2024)" in made.stdout
    blocked = fmse("--lang", "cy", "cases", "generate", "--rows", "20", "--out", str(tmp_path / "a.csv" / "b.csv"))
    assert blocked.returncode == 1 and blocked.stderr.startswith("Problem: nid oes modd ysgrifennu")


@pytest.mark.slow  # a process of its own
def test_check_reports_in_welsh_from_the_locale(tmp_path):
    done = fmse("check", "--no-render", "--port", str(free_port()), LANG="cy_GB.UTF-8",
                FMSE_DATA_DIR=str(tmp_path / "data"))
    assert done.stdout.startswith("Yn gwirio'r cwrs cyn gweithdy"), done.stdout
    assert "Ni agorwyd y tudalennau (--no-render)" in done.stdout
    english = fmse("--lang", "en", "check", "--no-render", "--port", str(free_port()), LANG="cy_GB.UTF-8",
                   FMSE_DATA_DIR=str(tmp_path / "data"))
    assert english.stdout.startswith("Checking the course before a workshop")


@pytest.mark.slow  # a process of its own
def test_records_verify_names_modules_by_their_titles_in_welsh(tmp_path):
    from test_certificate import NAME, earn_course

    from fmse_widgets.records import certificate as cert
    from fmse_widgets.records.sqlite import SQLiteStore

    data = tmp_path / "data"
    with SQLiteStore(data / "records.sqlite3") as store:
        earn_course(store, store.add_learner(NAME).learner_id, cert.load_rule())
    made = fmse("records", "certificate", "--name", NAME, "--out", str(tmp_path / "c.pdf"), LANG="cy_GB.UTF-8",
                FMSE_DATA_DIR=str(data))
    assert made.returncode == 0, made.stderr
    code = re.search(r"cod dilysu ([A-Z0-9-]+)\)", made.stdout).group(1)
    welsh = fmse("--lang", "cy", "records", "verify", code, FMSE_DATA_DIR=str(data))
    assert welsh.returncode == 0, welsh.stderr
    said = welsh.stdout
    assert said.startswith("DILYS: cafodd y dystysgrif hon ei rhoi o'r cofnodion hyn")
    assert f"Rhoddwyd i: {NAME}" in said and "Cwblhawyd ar: 2026-06-02" in said
    assert "Modiwlau: Modiwl 0: Dechrau yma; Modiwl 1: Cyd-destun;" in said
    assert "start-here" not in said and "context" not in said
    assert "Mae'r cofnodion yn dangos bod y cwrs wedi'i gwblhau ar 2026-06-02." in said
    english = fmse("records", "verify", code, LANG="C.UTF-8", FMSE_DATA_DIR=str(data))
    assert english.stdout.startswith("GENUINE:") and "Modules: Module 0: Start here; Module 1: Context;" in english.stdout
    wrong = fmse("records", "verify", "AAAAA", LANG="cy_GB.UTF-8", FMSE_DATA_DIR=str(data))
    assert wrong.returncode == 1 and wrong.stdout.startswith("NID YW'N GOD:")


def test_records_still_to_do_names_welsh_titles():
    from fmse_widgets.records.commands import _records_say

    said = _records_say([], "cy")
    assert said.startswith("Nid yw'r cofnodion yn dangos bod y cwrs wedi'i gwblhau erbyn hyn (i'w gwneud o hyd: "
                           "Modiwl 0: Dechrau yma; Modiwl 1: Cyd-destun;")
    assert "Module 0: Start here" in _records_say([], "en")


@pytest.mark.slow  # a process of its own
def test_records_problems_are_said_in_welsh(tmp_path):
    done = fmse("records", "delete", "--name", "Neb", LANG="cy_GB.UTF-8", FMSE_DATA_DIR=str(tmp_path / "data"))
    assert done.returncode == 1
    assert done.stderr.startswith("Problem: Nid oedd modd cofnodi hyn: nid oes neb o'r enw 'Neb' yn ")


@pytest.mark.slow  # a process of its own
def test_serve_says_where_it_starts_in_the_language_asked_and_in_both_by_default():
    for env, args, wanted, unwanted in (
            ({"LANG": "cy_GB.UTF-8"}, [], "Mae'r cwrs yn dechrau yn", "The course is starting"),
            ({"LANG": "C.UTF-8"}, ["--lang", "cy"], "Mae'r cwrs yn dechrau yn", "The course is starting"),
            ({"LANG": "C.UTF-8"}, [], "The course is starting at", None)):  # both
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", str(port),
                                    "--no-browser", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, env=environment(**env))
        try:
            lines = [process.stdout.readline() for _ in range(4 if unwanted is None else 2)]
        finally:
            from fmse_widgets.processes import stop_server
            stop_server(process)
            process.stdout.close()
        said = "".join(lines)
        assert wanted in said and f"http://127.0.0.1:{port}/voila/render/" in said, said
        if unwanted:
            assert unwanted not in said
            assert ("cy/00-dechrau-yma.ipynb" in said) == ("--lang" in args)
        else:  # nobody asked for a language: both, Welsh first
            assert said.index("Mae'r cwrs yn dechrau yn") < said.index("The course is starting at")


def test_the_join_instructions_are_welsh_first_whatever_the_language(capsys):
    from fmse_widgets.workshop.gate import Room
    from fmse_widgets.workshop.server import announce

    room = Room("ABC234", "t" * 32, "en", capacity=33)
    for lang in (None, "en", "cy"):
        announce(room, 8899, "127.0.0.1", 30, out=sys.stdout, lang=lang)
        said = capsys.readouterr().out
        assert said.index("Cod y gweithdy:") < said.index("Workshop code:")
        assert re.search(r"^Cod y gweithdy:\s+ABC234$", said, re.M) and re.search(r"^Workshop code:\s+ABC234$",
                                                                                      said, re.M)
        assert "Mae cyfranogwyr yn ymuno yn: / Participants join at:\n  http://127.0.0.1:8899/workshop/join?code=ABC234" \
            in said
        trainer_cy = "Tudalen yr hyfforddwr" in said
        trainer_en = "The trainer's page" in said
        assert (trainer_cy, trainer_en) == {None: (True, True), "en": (False, True), "cy": (True, False)}[lang]
        if lang is None:
            assert said.index("Tudalen yr hyfforddwr") < said.index("The trainer's page")

