"""All the course's Welsh passes the hunspell Welsh dictionary (npm `dictionary-cy`, read by spylls).

Welsh text: the markdown of every notebook in notebooks/cy/, every `cy` string in data/ (exercises, services,
course text, glossary, letter and the rest), and the Welsh interface catalogue. Words the dictionary does not
know are listed in tests/data/cy-accepted-words.yaml with a reason each; an entry that is no longer needed fails.
"""
from __future__ import annotations

import gc
import json
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pytest

from fmse_widgets import yaml_text

ROOT = Path(__file__).resolve().parents[1]
DICTIONARY = ROOT / "node_modules" / "dictionary-cy" / "index"
ACCEPTED = ROOT / "tests" / "data" / "cy-accepted-words.yaml"

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# Removed before words are read: tags, markdown link targets, code, addresses, placeholders (str.format and
# printf), file names and paths, command-line options and settings (--lang, LANG=cy_GB.UTF-8) and the course's
# own commands (which stay in English in both languages).
NOT_PROSE = [re.compile(p) for p in (
    r"<[^>]+>", r"\]\([^)]*\)", r"`[^`]*`", r"https?://\S+", r"\S+@\S+\.\S+", r"\{[a-z0-9_.-]+(?:![rs])?\}",
    r"\b(?:widgets|data|docs|notebooks|tests)/[\w./<>-]+", r"%\(\w+\)[srd]|%[srd]", r"(?<![\w-])--[a-z][a-z-]*", r"\b[A-Z_]{2,}=\S+",
    r"\b[\w.-]+\.(?:ipynb|org|uk|cymru|wales|com|sqlite3|docx|html|yaml|csv|md|key|pot|json|txt|whl|py)\b",
    r"\bfmse-course(?: [a-z-]+)*",
    # commands the check tells a trainer to type (pip, git) and paths: the same in both languages
    r"\bpip install\b[^()]*", r"\bgit checkout\b(?: --)?", r"(?<!\w)(?:\.venv|scripts|notebooks|data|widgets)/[\w./<>{}-]*",
    r"<[a-z]+>",
    # database and service addresses (postgresql://user@host/db, sqlite:///path, service:fmse-records), hub paths,
    # environment variables and setting keys (FMSE_RECORDS_URL, records_url), the course's account and service
    # names and the proxy's command: the same in both languages
    r"\b[a-z]+:(?://)?[\w.@:/<>{}-]*[\w/>}]", r"(?<![\w/])/hub/[\w/-]*", r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b",
    r"\bfmse-[a-z-]+", r"\bconfigurable-http-proxy\b")]
# Welsh joins short words with an apostrophe ("geiriau'r", "â'ch"): the word before it is what is checked.
CLITICS = ("r", "n", "i", "u", "ch", "w", "m", "th")
ACRONYM = re.compile(r"^[A-Z]{2,6}$")   # NCA, CEOP, POSH, DSP: checked by eye, not by the dictionary


@lru_cache(maxsize=1)
def dictionary():
    if not DICTIONARY.with_suffix(".dic").is_file():
        pytest.fail(f"the Welsh dictionary is missing at {DICTIONARY}.dic: run `npm ci` in {ROOT} "
                    f"(package.json lists dictionary-cy)", pytrace=False)
    from spylls.hunspell import Dictionary

    # spylls 0.1.7 leaves its file handles for the garbage collector; close them here, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        found = Dictionary.from_files(str(DICTIONARY))
        gc.collect()
    return found


def welsh_in_yaml(node, where: str):
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
            yield where, node["cy"]
            return
        for key, value in node.items():
            yield from welsh_in_yaml(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from welsh_in_yaml(value, f"{where}[{i}]")


def welsh_texts() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "notebooks" / "cy").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        found += [(f"{path.name}: cell {c.get('id')}", "".join(c["source"])) for c in nb["cells"]
                  if c["cell_type"] == "markdown"]
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        if "cases" in path.parts:
            continue
        data = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        found += list(welsh_in_yaml(data, str(path.relative_to(ROOT))))
    readme = ROOT / "data" / "cases" / "README.cy.md"  # the cases data card, tracked like the content files
    found.append((str(readme.relative_to(ROOT)), readme.read_text(encoding="utf-8")))
    from babel.messages.pofile import read_po

    with (ROOT / "widgets/locale/cy/LC_MESSAGES/fmse.po").open("rb") as handle:
        for message in read_po(handle):
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            found += [(f"fmse.po: {message.id!r}", s) for s in strings if message.id and s]
    return found


def words(text: str) -> list[str]:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return [w.strip("'") for w in WORD.findall(text)]


def accepted_words() -> dict[str, str]:
    data = yaml_text.safe_load(ACCEPTED.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for group in data["accepted"]:
        assert group.get("reason", "").strip(), f"{ACCEPTED.name}: every group of words needs a reason"
        for word in group["words"]:
            assert word not in found, f"{ACCEPTED.name}: {word!r} is listed twice"
            found[str(word)] = group["reason"]
    return found


def spelled_right(word: str) -> str | None:
    """None when the dictionary knows `word`; otherwise the word to report (the part before a clitic)."""
    if dictionary().lookup(word):
        return None
    stem, _, clitic = word.rpartition("'")
    if stem and clitic.lower() in CLITICS:
        return None if dictionary().lookup(stem) else stem
    return word


@lru_cache(maxsize=1)
def unknown_words() -> dict[str, list[str]]:
    """Words the dictionary rejects, each with the places it appears."""
    checked: dict[str, str | None] = {}
    unknown: dict[str, list[str]] = {}
    for where, text in welsh_texts():
        for word in words(text):
            if not word or ACRONYM.match(word):
                continue
            if word not in checked:
                checked[word] = spelled_right(word)
            if checked[word] is not None:
                unknown.setdefault(checked[word], []).append(where)
    return unknown


def test_the_course_has_welsh_to_check():
    texts = welsh_texts()
    assert len(texts) > 500
    assert any(where.startswith("00-dechrau-yma.ipynb") for where, _ in texts)
    assert any("fmse.po" in where for where, _ in texts)


def test_all_welsh_passes_the_dictionary():
    accepted = accepted_words()
    wrong = {w: places[:3] for w, places in unknown_words().items() if w not in accepted}
    assert wrong == {}, ("misspelt Welsh (or a word to add to tests/data/cy-accepted-words.yaml with a reason): "
                         + "; ".join(f"{w} ({', '.join(p)})" for w, p in sorted(wrong.items())))


def test_every_accepted_word_is_still_needed():
    unused = sorted(set(accepted_words()) - set(unknown_words()))
    assert unused == [], f"remove these from {ACCEPTED.name}: the course no longer uses them, or they now pass"


def test_the_dictionary_catches_the_alerts_known_slips():
    # The slips listed in shared/source/README.md, which the course corrects, fail; the corrections pass.
    for slip, fixed in (("gynhrychir", "gynhyrchir"), ("diweddarau'n", "diweddaru'n"), ("phhecyn", "phecyn")):
        assert not dictionary().lookup(slip) and dictionary().lookup(fixed)
    assert words("Mae'r <q class=\"fmse-avoid\">cwrs</q> [hwn](geirfa.ipynb) yn `code` {police.phone} ’n dda, "
                 "gyda fmse-course setting set") == ["Mae'r", "cwrs", "hwn", "yn", "n", "dda", "gyda"]
    assert spelled_right("geiriau'r") is None and spelled_right("riportio'r") == "riportio"
