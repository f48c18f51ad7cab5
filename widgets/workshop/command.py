"""`fmse-course workshop`: run a live workshop that participants join from their own phones and laptops."""
from __future__ import annotations

import argparse
import sys

from ..languages import LANGS

DEFAULT_PARTICIPANTS = 30
MAX_PARTICIPANTS = 60


def _participants(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of participants (try 30)") from None
    if not 1 <= number <= MAX_PARTICIPANTS:
        raise argparse.ArgumentTypeError(f"{number} is outside 1-{MAX_PARTICIPANTS}: one laptop serves up to "
                                         f"{MAX_PARTICIPANTS}")
    return number


def add_parser(sub) -> None:
    from ..cli import DEFAULT_PORT, _port

    workshop = sub.add_parser(
        "workshop", help="run a live workshop: participants join from their own devices",
        description="Start the course on this laptop's network connection for a workshop. It prints a join "
                    "address, a short join code and a QR code for participants, and opens the trainer's live "
                    "results page (with a private trainer token) in your browser. Participants and this laptop "
                    "must be on the same network: if the school network keeps devices apart, use your phone's "
                    "hotspot (see the README).")
    workshop.add_argument("--port", type=_port, default=DEFAULT_PORT,
                          help=f"the port to use (default {DEFAULT_PORT})")
    workshop.add_argument("--no-browser", action="store_true", help="do not open the trainer's page in a browser")
    workshop.add_argument("--participants", type=_participants, default=DEFAULT_PARTICIPANTS, metavar="N",
                          help=f"how many people you expect (default {DEFAULT_PARTICIPANTS}); this many pages are "
                               f"made ready in advance, about 60 MB of memory each; at most this many plus 10%% may join")
    workshop.add_argument("--lang", choices=LANGS, default="en",
                          help="the room's main language (default en): the trainer's page opens in it and most "
                               "pages are made ready in it; each participant still chooses on the join page")
    workshop.add_argument("--bind", default="0.0.0.0", metavar="ADDRESS",
                          help="the network address to listen on (default 0.0.0.0: every network this laptop "
                               "is on; 127.0.0.1 to try it on this laptop alone)")
    workshop.add_argument("--refill-delay", type=int, default=60, metavar="SECONDS",
                          help="wait this long before replacing a page made ready in advance once someone has "
                               "used it (default 60), so that replacements do not slow the room while it joins")
    workshop.add_argument("--cull-idle", type=int, default=600, metavar="SECONDS",
                          help="close a page's Python process after this many idle seconds once its tab has "
                               "closed (default 600)")
    workshop.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content.errors import ContentError
    from ..processes import port_free
    from ..records import RecordsError, open_store
    from .gate import Room, room_capacity
    from .room import new_join_code, new_trainer_token, questions
    from .server import run_workshop

    if not port_free(args.port, args.bind):
        sys.exit(f"fmse-course: port {args.port} on {args.bind} is already in use, or {args.bind} is not an "
                 f"address of this computer. Stop the other program, or choose another with --port / --bind.")
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
    except (ContentError, RecordsError) as exc:
        sys.exit(f"fmse-course: {exc}")
    room = Room(code, new_trainer_token(), args.lang, capacity=room_capacity(args.participants))
    run_workshop(room, args.port, bind=args.bind, participants=args.participants,
                 open_browser=not args.no_browser, cull_idle=args.cull_idle, refill_delay=args.refill_delay,
                 cull_interval=max(1, min(60, args.cull_idle // 2)))
    return 0
