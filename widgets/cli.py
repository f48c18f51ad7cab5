"""`fmse-course`: start the course, open it in JupyterLab, and look after its content.

Help and output are in English or Welsh: `fmse-course --lang cy ...`, a command's own `--lang`, or a Welsh
locale (widgets/cli_lang.py says which wins). Every sentence goes through the gettext catalogue.
"""
from __future__ import annotations

import argparse
import sys

from .cli_lang import (FOLLOWS_OWN_LANG, argparse_speaking, asked_languages, output_language, parsing_translator,
                       set_parsing_language)
from .i18n import translator
from .languages import LANGS, WELSH_FIRST

DEFAULT_PORT = 8866


def say_in(args: argparse.Namespace):
    """The translations for the terminal's language of this command (English when not chosen)."""
    return translator(getattr(args, "output_lang", None) or "en")


def _port(text: str) -> int:
    tr = parsing_translator()
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr.gettext("{text!r} is not a port number (try 8866)").format(
            text=text)) from None
    if not 1024 <= port <= 65535:
        raise argparse.ArgumentTypeError(tr.gettext("{port} is outside 1024-65535 (try 8866)").format(port=port))
    return port


def _warm(text: str) -> int:
    tr = parsing_translator()
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr.gettext("{text!r} is not a number of pages (try 8, or 0 for none)").format(
            text=text)) from None
    if not 0 <= count <= 64:
        raise argparse.ArgumentTypeError(tr.gettext("{count} is outside 0-64 (try 8; each one is about 57 MiB)").format(
            count=count))
    return count


def _need_free_port(port: int, tr) -> None:
    from .processes import port_free

    if not port_free(port):
        sys.exit("fmse-course: " + tr.gettext(
            "port {port} on 127.0.0.1 is already in use (perhaps the course is already running?). Stop the other "
            "program, or choose another port with --port.").format(port=port))


def cmd_serve(args: argparse.Namespace) -> int:
    from .content.errors import ContentError
    from .course import PageError, start_page
    from .server import LANDING, CourseVoila, serve
    from .server_log import quiet_untrusted_notebooks

    tr = say_in(args)
    _need_free_port(args.port, tr)
    try:
        start = f"voila/render/{start_page(args.lang).path}" if args.lang else LANDING
    except (PageError, ContentError) as exc:
        sys.exit(f"fmse-course: {exc}")
    url = f"http://127.0.0.1:{args.port}/{start}"
    langs = (args.output_lang,) if args.output_lang else WELSH_FIRST  # nobody asked: both, Welsh first
    for lang in langs:
        tr = translator(lang)
        print(tr.gettext("The course is starting at {url}").format(url=url) + "\n"
              + tr.gettext("Press Ctrl+C to stop it."), flush=True)
    quiet_untrusted_notebooks(CourseVoila)
    serve(args.port, start_path=start, open_browser=not args.no_browser,
          cull_idle=args.cull_idle, cull_interval=max(1, min(60, args.cull_idle // 2)), warm=args.warm)
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from .lab import run_lab

    _need_free_port(args.port, say_in(args))
    run_lab(args.port, open_browser=not args.no_browser)
    return 0


def cmd_content(args: argparse.Namespace) -> int:
    from .content import translation
    from .content.errors import ContentError

    if args.action == "check":
        from .check import validate_content
        from .course import PageError

        try:
            counts = validate_content()  # shared with `fmse-course check`
        except (ContentError, PageError) as exc:
            print(f"Problem: {exc}", file=sys.stderr)
            return 1
        print(f"Content is valid: {counts['exercises']} exercises, {counts['services']} services, "
              f"{counts['pages']} pages, {counts['terms']} glossary terms, the course text, the letter, the "
              "checklist, the phrase lists and the workshop questions.")
        return 0
    if args.action == "stamp":
        added = translation.stamp()
        print(f"Recorded the English source of {added} Welsh string(s).")
        return 0
    if args.action in ("export", "import"):
        from .content.review import command

        return command(args)
    entries = translation.all_entries()
    stale = [e for e in entries if e.stale]
    draft = [e for e in entries if e.status == "draft"]
    counts = {status: sum(e.status == status for e in entries) for status in ("official", "reviewed", "draft")}
    print(f"Welsh strings the course shows: {len(entries)} (official {counts['official']}, reviewed "
          f"{counts['reviewed']}, draft {counts['draft']})")
    for title, group in (("Stale Welsh (the English changed since it was written)", stale),
                         ("Draft Welsh (awaiting review by a Welsh speaker)", draft)):
        print(f"{title}: {len(group)}")
        for entry in group:
            print(f"  {entry.where}")
    return 1 if (args.strict and stale) else 0


def cmd_i18n(args: argparse.Namespace) -> int:
    from .i18n_tools import check_welsh, write_pot

    if args.action == "extract":
        print(f"Wrote {write_pot()}")
        return 0
    problems = check_welsh()
    for problem in problems:
        print(problem)
    print("The Welsh catalogue is complete." if not problems else f"{len(problems)} problem(s).")
    return 1 if problems else 0


def cmd_setting(args: argparse.Namespace) -> int:
    from .setting import FIELDS, SettingError, read_values, save_values, setting_path

    path = setting_path()
    if args.action == "path":
        print(path)
        return 0
    try:
        if args.action == "set":
            changes = {f: getattr(args, f) for f in FIELDS if getattr(args, f) is not None}
            if not changes:
                print("Nothing to set: give at least one option, e.g. --name \"Ysgol Enghraifft\".", file=sys.stderr)
                return 2
            save_values(changes, path)
            print(f"Saved to {path}")
        values = read_values(path)
    except SettingError as exc:
        print(f"Problem: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only setting file or folder: the saved setting is unchanged
        print(f"Problem: cannot save the setting in {path} ({exc.strerror or exc}); nothing was changed. Set "
              f"FMSE_DATA_DIR to a folder you can write to, or ask whoever looks after this computer.",
              file=sys.stderr)
        return 1
    if not values:
        print(f"The setting is not set yet ({path}). Pages show placeholders such as [your setting's name].")
    for field in FIELDS:
        print(f"{field}: {values.get(field, '(not set)')}")
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from .cases.command import run

    return run(args)


def parser(lang: str = "en") -> argparse.ArgumentParser:
    """The whole command line, its help in `lang` (argparse's own words too when built inside argparse_speaking)."""
    tr = translator(lang)
    set_parsing_language(lang)
    top = argparse.ArgumentParser(
        prog="fmse-course",
        description=tr.gettext("A bilingual (Cymraeg / English) course for education staff in Wales on financially "
                               "motivated sexual extortion. Start it with: fmse-course serve"),
        epilog=tr.gettext("Help and messages are in Welsh with --lang cy before the command (fmse-course --lang cy "
                          "serve) or with a Welsh locale such as LANG=cy_GB.UTF-8. A command's own --lang keeps "
                          "its meaning (serve: the first page's language) and its messages follow it."))
    top.add_argument("--lang", dest="output_lang", choices=LANGS,
                     help=tr.gettext("the language of help and messages: English (en) or Welsh (cy); default: "
                                     "from the locale, else English"))
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help=tr.gettext("start the course in your web browser (Voilà, on this "
                                                    "computer only)"),
                           description=tr.gettext("Start the course as clean web pages with no code showing. It "
                                                  "runs on this computer only (127.0.0.1) until you press Ctrl+C."))
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT,
                       help=tr.gettext("the port to use (default {port}); the address is "
                                       "http://127.0.0.1:PORT/").format(port=DEFAULT_PORT))
    serve.add_argument("--no-browser", action="store_true", help=tr.gettext("do not open a web browser"))
    serve.add_argument("--lang", choices=LANGS,
                       help=tr.gettext("open the course's first page in English (en) or Welsh (cy) instead of the "
                                       "page where you choose; messages follow it"))
    serve.add_argument("--cull-idle", type=int, default=600, metavar="SECONDS",
                       help=tr.gettext("close a page's Python process after this many idle seconds once its tab "
                                       "has closed (default 600)"))
    serve.add_argument("--warm", type=_warm, default=None, metavar="N",
                       help=tr.gettext("keep up to N pages' Python processes started in advance, for the pages a "
                                       "learner is most likely to open next (default 8, about 0.6 GB; 0 for none)"))
    serve.set_defaults(func=cmd_serve)

    lab = sub.add_parser("lab", help=tr.gettext("open the course notebooks in JupyterLab, to study them or see the "
                                                "code"),
                         description=tr.gettext("Open the course notebooks in JupyterLab. JupyterLab's own menus "
                                                "stay in English (there is no Welsh language pack); the course "
                                                "pages are in both. It also runs as root (e.g. in a container), "
                                                "with a warning: use an ordinary account if you can. JupyterLab's "
                                                "news prompt is turned off."))
    lab.add_argument("--port", type=_port, default=8888, help=tr.gettext("the port to use (default 8888)"))
    lab.add_argument("--no-browser", action="store_true", help=tr.gettext("do not open a web browser"))
    lab.set_defaults(func=cmd_lab)

    content = sub.add_parser("content", help=tr.gettext("check the course content, and list Welsh that is draft "
                                                        "or stale"),
                             description=tr.gettext("check: validate every exercise, the services file and the "
                                                    "course text. status: list Welsh text still draft, and Welsh "
                                                    "that is stale because its English changed. stamp: record "
                                                    "which English new Welsh text was written from (run after "
                                                    "adding text).") + " " + tr.gettext(
                                 "export --out FILE: every Welsh string as a .po file for a reviewer (Poedit, "
                                 "Weblate, Virtaal). import FILE --reviewer NAME: take the reviewed file back."))
    content.add_argument("action", choices=("check", "status", "stamp", "export", "import"))
    content.add_argument("file", nargs="?", help=tr.gettext("with import: the reviewed .po file"))
    content.add_argument("--strict", action="store_true",
                         help=tr.gettext("with status: fail if any Welsh is stale"))
    content.add_argument("--lang", choices=("cy",), default="cy",
                         help=tr.gettext("with export: the language to review (cy)"))
    content.add_argument("--out", help=tr.gettext("with export: the .po file to write for the reviewer"))
    content.add_argument("--reviewer",
                         help=tr.gettext("with import: the reviewer's name, recorded with each reviewed string"))
    content.set_defaults(func=cmd_content)

    setting = sub.add_parser(
        "setting", help=tr.gettext("set your setting's name, its safeguarding leads and local numbers"),
        description=tr.gettext("The setting's details appear in the parents' letter, the signposts, the "
                               "certificate and the response checklist. show: print them. set: change the ones "
                               "you give (an empty value, \"\", clears one). path: print where the file is "
                               "(FMSE_DATA_DIR changes the folder)."))
    setting.add_argument("action", choices=("show", "set", "path"))
    for flag, text in (("name", tr.gettext("the setting's name, e.g. \"Ysgol Enghraifft\"")),
                       ("dsp-name", tr.gettext("the designated safeguarding person's name")),
                       ("dsp-phone", tr.gettext("their phone number")),
                       ("dsp-email", tr.gettext("their email address")),
                       ("deputy-name", tr.gettext("the deputy designated safeguarding person's name")),
                       ("deputy-phone", tr.gettext("the deputy's phone number")),
                       ("deputy-email", tr.gettext("the deputy's email address")),
                       ("childrens-services-name", tr.gettext("your local authority's children's services")),
                       ("childrens-services-phone", tr.gettext("children's services' phone number")),
                       ("police-phone", tr.gettext("the police number to use (default 101; 999 in an "
                                                   "emergency)")),
                       ("refresher-months", tr.gettext("how often staff should complete the course again, in "
                                                       "months (default 12; 0 for no refresher): the dashboard's "
                                                       "Staff training tab marks older completions as due"))):
        setting.add_argument(f"--{flag}", dest=flag.replace("-", "_"), metavar="TEXT", help=text)
    setting.set_defaults(func=cmd_setting)

    i18n = sub.add_parser("i18n", help=tr.gettext("keep the interface strings' catalogue up to date"),
                          description=tr.gettext("extract: rewrite widgets/locale/fmse.pot from the code. check: "
                                                 "make sure the Welsh catalogue translates every string, with all "
                                                 "six plural forms."))
    i18n.add_argument("action", choices=("extract", "check"))
    i18n.set_defaults(func=cmd_i18n)

    cases = sub.add_parser("cases", help=tr.gettext("synthetic case data: generate it, check a file, export "
                                                    "filtered rows"),
                           description=tr.gettext("The course's case data is synthetic and anonymised. generate: "
                                                  "write a CSV of invented cases; validate: check a file; export: "
                                                  "write the rows that match filters (the dashboard's download, "
                                                  "without a cap)."))
    from .cases.command import configure as configure_cases
    configure_cases(cases, tr)
    cases.set_defaults(func=cmd_cases)

    check = sub.add_parser("check", help=tr.gettext("before a workshop: check the installation and open every page "
                                                    "once"),
                           description=tr.gettext("Check the installation (Python packages, Voila's version, the "
                                                  "page template, the Welsh catalogue, every content file, the "
                                                  "case data, the learner records, a free port), then open every "
                                                  "page once on a spare port of 127.0.0.1. Each problem is said in "
                                                  "plain words with what to do. Exit status 0 when all is well, 1 "
                                                  "when there is a problem."))
    from .check import command as check_command, configure as configure_check
    configure_check(check, port_type=_port, tr=tr)
    check.set_defaults(func=check_command)

    from .records.commands import add_parser as add_records_parser
    add_records_parser(sub, tr)  # fmse-course records ...: the code is in widgets/records/commands.py
    from .workshop.command import add_parser as add_workshop_parser
    add_workshop_parser(sub, tr)  # fmse-course workshop: the code is in widgets/workshop/
    from .hub.launch import add_parser as add_hub_parser
    add_hub_parser(sub, tr)  # fmse-course hub: the code is in widgets/hub/
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    asked = output_language(*asked_languages(argv))  # before parsing: --help and errors come while parsing
    with argparse_speaking(asked or "en"):
        args = parser(asked or "en").parse_args(argv)
    command_lang = getattr(args, "lang", None) if args.command in FOLLOWS_OWN_LANG else None
    args.output_lang = output_language(args.output_lang, command_lang)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
