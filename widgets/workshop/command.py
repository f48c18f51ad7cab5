"""`fmse-course workshop`: run a live workshop that participants join from their own phones and laptops."""
from __future__ import annotations

import argparse
import sys

from ..cli_lang import parsing_translator
from ..i18n import translator
from ..languages import LANGS

DEFAULT_PARTICIPANTS = 30
MAX_PARTICIPANTS = 60


def _participants(text: str) -> int:
    tr = parsing_translator()
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr.gettext("{text!r} is not a number of participants (try 30)").format(
            text=text)) from None
    if not 1 <= number <= MAX_PARTICIPANTS:
        raise argparse.ArgumentTypeError(tr.gettext("{number} is outside 1-{most}: one laptop serves up to "
                                                    "{most}").format(number=number, most=MAX_PARTICIPANTS))
    return number


def add_parser(sub, tr=None) -> None:
    """`fmse-course workshop`, its help in tr's language (English by default)."""
    from ..cli import DEFAULT_PORT, _port

    tr = tr or translator("en")
    _ = tr.gettext  # `_` is extracted like gettext (widgets/i18n_tools.py)
    workshop = sub.add_parser(
        "workshop", help=_("run a live workshop: participants join from their own devices"),
        description=_("Start the course on this laptop's network connection for a workshop. It prints a join "
                      "address, a short join code and a QR code for participants (in Welsh and English), and "
                      "opens the trainer's live results page (with a private trainer token) in your browser. "
                      "Participants and this laptop must be on the same network: if the school network keeps "
                      "devices apart, use your phone's hotspot (see the README)."))
    workshop.add_argument("--port", type=_port, default=DEFAULT_PORT,
                          help=_("the port to use (default {port})").format(port=DEFAULT_PORT))
    workshop.add_argument("--no-browser", action="store_true", help=_("do not open the trainer's page in a browser"))
    workshop.add_argument("--participants", type=_participants, default=DEFAULT_PARTICIPANTS, metavar="N",
                          help=_("how many people you expect (default {n}); this many pages are made ready in "
                                 "advance, about 60 MB of memory each; at most this many plus 10%% may "
                                 "join").format(n=DEFAULT_PARTICIPANTS))
    workshop.add_argument("--lang", choices=LANGS,
                          help=_("the room's main language (default en): the trainer's page opens in it and most "
                                 "pages are made ready in it; each participant still chooses on the join page. "
                                 "Messages follow it."))
    workshop.add_argument("--bind", default="0.0.0.0", metavar="ADDRESS",
                          help=_("the network address to listen on (default 0.0.0.0: every network this laptop "
                                 "is on; 127.0.0.1 to try it on this laptop alone)"))
    workshop.add_argument("--refill-delay", type=int, default=60, metavar="SECONDS",
                          help=_("wait this long before replacing a page made ready in advance once someone has "
                                 "used it (default 60), so that replacements do not slow the room while it joins"))
    workshop.add_argument("--cull-idle", type=int, default=600, metavar="SECONDS",
                          help=_("close a page's Python process after this many idle seconds once its tab has "
                                 "closed (default 600)"))
    workshop.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content.errors import ContentError
    from ..processes import port_free
    from ..records import RecordsError, open_store
    from .gate import Room, room_capacity
    from .room import new_join_code, new_trainer_token, questions
    from .server import run_workshop

    lang = getattr(args, "output_lang", None) or "en"
    tr = translator(lang)
    if not port_free(args.port, args.bind):
        sys.exit("fmse-course: " + tr.gettext(
            "port {port} on {bind} is already in use, or {bind} is not an address of this computer. Stop the other "
            "program, or choose another with --port / --bind.").format(port=args.port, bind=args.bind))
    try:
        questions()
        store = open_store()
        try:
            code = new_join_code()
            while store.room(code) is not None:  # a code is never used twice
                code = new_join_code()
            store.open_workshop(code)
        finally:
            store.close()
    except RecordsError as exc:
        sys.exit(f"fmse-course: {exc.message(lang)}")
    except ContentError as exc:
        sys.exit(f"fmse-course: {exc}")
    room = Room(code, new_trainer_token(), args.lang or "en", capacity=room_capacity(args.participants))
    run_workshop(room, args.port, bind=args.bind, participants=args.participants,
                 open_browser=not args.no_browser, cull_idle=args.cull_idle, refill_delay=args.refill_delay,
                 cull_interval=max(1, min(60, args.cull_idle // 2)), lang=getattr(args, "output_lang", None))
    return 0
