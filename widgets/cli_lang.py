"""The language `fmse-course` speaks in the terminal: English unless the user asks for Welsh.

In order, the first that names English or Welsh wins:
1. the global option before the command, `fmse-course --lang cy COMMAND` (output and help only);
2. the `--lang` of `serve`, `workshop` and `check`: it keeps its meaning (the first page's language, the room's
   main language, the report's language) and the terminal output follows it, since whoever asked for Welsh
   pages reads Welsh. (`records report --lang` and `records certificate --lang` choose a document's language,
   not the reader's, so they leave the terminal alone);
3. the locale, as gettext reads it: LANGUAGE (a list such as `cy:en`), then LC_ALL, LC_MESSAGES, LANG
   (`cy_GB.UTF-8` means Welsh; `C`, `POSIX` and other languages mean English);
4. English. (`serve`, asked for no language, says its one starting line in both languages, as it always has.)

argparse's own words ("usage:", "options", its error messages) go through the same catalogue while the command
line is read (`argparse_speaking`).
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from .i18n import translator
from .languages import LANGS

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
FOLLOWS_OWN_LANG = ("serve", "workshop", "check")  # commands whose --lang also sets the terminal's language


def _language_of(locale_name: str) -> str | None:
    """'cy' for cy, cy_GB, cy_GB.UTF-8, cy_GB@euro; 'en' for English; None for anything else (C, fr_FR)."""
    code = locale_name.strip().split(".")[0].split("@")[0].split("_")[0].lower()
    return code if code in LANGS else None


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale asks for, if it is English or Welsh (None: the locale says neither)."""
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        if variable == "LANGUAGE":  # a preference list: the first language we have wins, as in gettext
            for part in value.split(":"):
                if _language_of(part):
                    return _language_of(part)
            continue
        return _language_of(value)  # the first locale variable set decides, as in gettext
    return None


def asked_languages(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """(global --lang, the command's --lang) as written on the command line, before it is parsed.

    Used to choose the language of --help and of argparse's errors, which are produced while parsing."""
    before: str | None = None
    after: str | None = None
    command: str | None = None
    tokens = list(argv)
    for i, token in enumerate(tokens):
        value = None
        if token == "--lang" and i + 1 < len(tokens):
            value = tokens[i + 1]
        elif token.startswith("--lang="):
            value = token.split("=", 1)[1]
        elif not token.startswith("-") and (i == 0 or tokens[i - 1] != "--lang"):
            command = command or token
            continue
        if value in LANGS:
            if command is None:
                before = before or value
            elif command in FOLLOWS_OWN_LANG:
                after = after or value
    return before, after


def output_language(global_lang: str | None, command_lang: str | None,
                    environ: Mapping[str, str] | None = None) -> str | None:
    """The terminal's language from the global option, the command's own option and the locale (docstring above);
    None when nothing asks for one (English, except where a message serves both languages)."""
    for lang in (global_lang, command_lang if command_lang in LANGS else None, locale_language(environ)):
        if lang:
            return lang
    return None


_parsing = {"lang": "en"}  # the language of the command line being read (set by cli.parser)


def set_parsing_language(lang: str) -> None:
    _parsing["lang"] = lang


def parsing_translator():
    """The translations argparse type checks (a port, a date, a count) use for their messages."""
    return translator(_parsing["lang"])


def argparse_messages(lang: str) -> dict[str, str]:
    """argparse's own messages (Python 3.11 to 3.13) in `lang`: every one a user can meet with this command line."""
    tr = translator(lang)
    return {
        "usage: ": tr.gettext("usage: "),
        "positional arguments": tr.gettext("positional arguments"),
        "options": tr.gettext("options"),
        "show this help message and exit": tr.gettext("show this help message and exit"),
        "%(prog)s: error: %(message)s\n": tr.gettext("%(prog)s: error: %(message)s\n"),
        "argument %(argument_name)s: %(message)s": tr.gettext("argument %(argument_name)s: %(message)s"),
        "the following arguments are required: %s": tr.gettext("the following arguments are required: %s"),
        "one of the arguments %s is required": tr.gettext("one of the arguments %s is required"),
        "unrecognized arguments: %s": tr.gettext("unrecognized arguments: %s"),
        "not allowed with argument %s": tr.gettext("not allowed with argument %s"),
        "ignored explicit argument %r": tr.gettext("ignored explicit argument %r"),
        "expected one argument": tr.gettext("expected one argument"),
        "expected at most one argument": tr.gettext("expected at most one argument"),
        "expected at least one argument": tr.gettext("expected at least one argument"),
        "ambiguous option: %(option)s could match %(matches)s":
            tr.gettext("ambiguous option: %(option)s could match %(matches)s"),
        "unexpected option string: %s": tr.gettext("unexpected option string: %s"),
        "invalid %(type)s value: %(value)r": tr.gettext("invalid %(type)s value: %(value)r"),
        "invalid choice: %(value)r (choose from %(choices)s)":
            tr.gettext("invalid choice: %(value)r (choose from %(choices)s)"),
        "can't open '%(filename)s': %(error)s": tr.gettext("can't open '%(filename)s': %(error)s"),
    }


@contextmanager
def argparse_speaking(lang: str) -> Iterator[None]:
    """argparse's headings, help and errors in `lang` while the block runs; a message not listed stays English."""
    if lang == "en":
        yield
        return
    table = argparse_messages(lang)
    tr = translator(lang)
    original = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def plural(singular: str, plural_form: str, n: int) -> str:
        if singular == "expected %s argument":
            return tr.ngettext("expected %s argument", "expected %s arguments", n)
        return original[1](singular, plural_form, n)

    argparse._ = lambda message: table.get(message, message)  # type: ignore[attr-defined]
    argparse.ngettext = plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = original  # type: ignore[attr-defined]
