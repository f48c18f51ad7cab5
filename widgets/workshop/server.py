"""`fmse-course workshop`: the course server on the network, behind the workshop's gate, with warm kernels.

Voilà starts a kernel for every page view (50-140 MiB and a second or two of CPU each). For a room of N the
participant pages get a pool of kernels that have already imported everything and stopped at
`wait_for_request()` (Voilà's preheating), so a page opened by 30 people at once only has to run its last
cells. Only the room page is pooled: the room's language gets N kernels, the other language a few (people
choose their language on the join page). Every other page starts its kernel when opened, as under `serve`,
and idle kernels are culled.
"""
from __future__ import annotations

import logging
import os
import re
import socket
import sys
import webbrowser

from traitlets.config import Config

from ..course import pages
from ..i18n import translator
from ..languages import WELSH_FIRST
from ..server import LANDING, LOCAL_NAMES, CourseVoila, use_course_template, voila_argv
from ..server_log import quiet_untrusted_notebooks
from .gate import Room, gated_handlers
from .room import ENV_CODE, ENV_JOIN_URL, PARTICIPANT_PAGE, join_url, local_addresses, network_addresses


def pool_sizes(participants: int, lang: str) -> dict[str, int]:
    """Warm kernels per participant page: the room's language N, the other max(2, N // 5)."""
    other = max(2, participants // 5)
    return {p.path: (participants if p.lang == lang else other)
            for p in pages() if p.page == PARTICIPANT_PAGE}


def pool_config(participants: int, lang: str, *, fill_delay: float = 60.0) -> Config:
    config = Config()
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.default_pool_size = 0
    config.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{path: {"pool_size": size} for path, size in pool_sizes(participants, lang).items()},
    }
    # Replace a used warm kernel only a minute later: starting a kernel costs one to two seconds of CPU, and 30
    # replacements started while 30 people open the page made everyone wait (benchmarks/workshop.py: page ready
    # p50 14 s with a 2 s delay). The pool is sized for the room, so replacements are only for latecomers.
    config.VoilaKernelManager.fill_delay = fill_delay
    return config


KERNEL_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class HideKernelIds(logging.Filter):
    """The terminal may be on the projector: log lines name no kernel (a kernel id once opened anyone's kernel;
    ownership now stops that, and the id still stays off the screen)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is left as it is
            return True
        if KERNEL_ID.search(text):
            record.msg, record.args = KERNEL_ID.sub("<kernel>", text), None
        return True


def hide_kernel_ids(*extra: logging.Logger) -> None:
    """Put HideKernelIds on every logging handler there is, and on the loggers themselves."""
    hide = HideKernelIds()
    loggers = [logging.getLogger(), *extra,
               *(logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger))]
    for logger in loggers:
        if not any(isinstance(f, HideKernelIds) for f in logger.filters):
            logger.addFilter(hide)
        for handler in logger.handlers:
            if not any(isinstance(f, HideKernelIds) for f in handler.filters):
                handler.addFilter(hide)


class WorkshopVoila(CourseVoila):
    """The course server with every route behind the workshop's gate (widgets/workshop/gate.py)."""

    room: Room | None = None
    learner_cookie = False  # participants get their ids from the gate (widgets/learner_cookie.py)
    warm = 0  # the workshop keeps its own pools for the room page (pool_config below), not serve's warm pages

    def allowed_hosts(self) -> frozenset[str]:
        """This laptop's own names and every address it has on any network (participants use those)."""
        name = socket.gethostname().lower()
        return LOCAL_NAMES | local_addresses() | {name, f"{name}.local"}

    def start(self):
        hide_kernel_ids(self.log)
        super().start()

    def init_settings(self):
        settings = super().init_settings()
        from ..kernels import MAX_PER_ADDRESS, CourseKernelManager

        if isinstance(self.kernel_manager, CourseKernelManager):  # a device on the network: at most this many
            self.kernel_manager.max_per_address = MAX_PER_ADDRESS
            self.kernel_manager.own_addresses = frozenset(self.room.local if self.room else ())
        return settings

    def init_handlers(self):
        assert self.room is not None, "WorkshopVoila.room must be set before the server starts"
        return gated_handlers(self.course_handlers(), self.room, self.wrap)

    def stop(self):
        """End the workshop: first the warm kernels still waiting for a page, at once, then the rest as Voilà does.

        A warm kernel waits for its page inside a running cell (voila_request.wait_for_request). Asked to shut
        down politely it closes its sockets while that cell is still running; the cell then ends and its reply
        fails ("zmq.error.ZMQError: Socket operation on non-socket"), one traceback per waiting kernel in the
        trainer's terminal. Nothing runs in a waiting kernel, so it is stopped outright instead."""
        from jupyter_core.utils import run_sync

        run_sync(stop_waiting_kernels)(self.kernel_manager)
        super().stop()

    def launch_browser(self):
        assert self.room is not None
        url = f"http://127.0.0.1:{self.port}/workshop/trainer?token={self.room.token}&lang={self.room.lang}"
        try:
            webbrowser.open(url, new=2)
        except webbrowser.Error as exc:
            self.log.warning("No web browser found (%s): open the trainer's address yourself.", exc)


async def stop_waiting_kernels(manager) -> int:
    """Stop every kernel in Voilà's warm pools (started, not yet given to a page) at once; how many."""
    from jupyter_core.utils import ensure_async

    stopped = 0
    for pool in list(getattr(manager, "_pools", {}).values()):
        for task in tuple(pool):
            if not task.done():
                # A page still being made ready (or waiting --refill-delay to start) is not needed any more; a
                # kernel it had already started is stopped with the others by Voilà's shutdown_all.
                task.cancel()
                pool.remove(task)
                continue
            if task.cancelled() or task.exception() is not None:
                continue
            kernel_id = task.result().get("kernel_id")
            if kernel_id in manager:
                await ensure_async(manager.shutdown_kernel(kernel_id, now=True))
                stopped += 1
    return stopped


def in_both(text_of) -> list[str]:
    """A message for the whole room, Welsh first then English: `text_of(tr)` says it with one translator."""
    return [text_of(translator(lang)) for lang in WELSH_FIRST]


def announce(room: Room, port: int, bind: str, participants: int, out=sys.stdout, lang: str | None = None) -> str:
    """Print the join address, code and QR code, and the trainer's private address; returns the join URL.

    What participants read (the code, the join address, a missing network) is in Welsh and English, Welsh
    first, whatever the trainer's language: the terminal may be on the projector. What only the trainer needs
    is in `lang` when one was asked for (widgets/cli_lang.py), else in both, Welsh first."""
    import segno

    everywhere = bind in ("0.0.0.0", "::", "")
    hosts = network_addresses() if everywhere else [bind]
    host = hosts[0] if hosts else "127.0.0.1"
    url = join_url(host, port, room.code)
    trainer = f"http://127.0.0.1:{port}/workshop/trainer?token={room.token}&lang={room.lang}"
    code_lines = in_both(lambda tr: tr.gettext("Workshop code:"))
    width = max(len(line) for line in code_lines) + 2
    print("", *(f"{line:<{width}}{room.code}" for line in code_lines), "", sep="\n", file=out)
    print(" / ".join(in_both(lambda tr: tr.gettext("Participants join at:"))) + f"\n  {url}", file=out)
    either = " / ".join(in_both(lambda tr: tr.gettext("or")))
    for other in hosts[1:]:
        print(f"  ({either}: {join_url(other, port, room.code)})", file=out)
    if everywhere and not hosts:
        print("", *in_both(lambda tr: tr.gettext(
            "No network connection was found: participants cannot reach this laptop. Connect to the school's "
            "network or your phone's hotspot, then start again.")), sep="\n", file=out)
    print("", file=out)
    segno.make(url, error="m").terminal(out=out, compact=True)
    trainer_says = [translator(one) for one in ((lang,) if lang else WELSH_FIRST)]
    print("", file=out)
    print(" /\n".join(tr.gettext("The trainer's page (keep this address to yourself: it controls the room):")
                      for tr in trainer_says) + f"\n  {trainer}\n", file=out)
    print(" /\n".join(tr.ngettext("Getting pages ready for {n} participant takes a minute.",
                                   "Getting pages ready for {n} participants takes a minute.", participants
                                   ).format(n=participants) for tr in trainer_says), file=out)
    print(" / ".join(tr.gettext("Press Ctrl+C to end the workshop.") for tr in trainer_says) + "\n", file=out,
          flush=True)
    return url


def run_workshop(room: Room, port: int, *, bind: str, participants: int, open_browser: bool,
                 cull_idle: int, cull_interval: int, refill_delay: float = 60.0, lang: str | None = None) -> None:
    use_course_template()
    url = announce(room, port, bind, participants, lang=lang)
    # Every kernel inherits these: the pages find their workshop (never the trainer token) here.
    os.environ[ENV_CODE] = room.code
    os.environ[ENV_JOIN_URL] = url
    if bind not in ("0.0.0.0", "::", ""):
        os.environ["VOILA_APP_IP"] = bind  # where a warm kernel fetches its request (voila.utils.wait_for_request)
    WorkshopVoila.room = room
    WorkshopVoila.start_path = LANDING
    quiet_untrusted_notebooks(WorkshopVoila)
    argv = voila_argv(port, cull_idle=cull_idle, cull_interval=cull_interval, open_browser=open_browser, ip=bind)
    WorkshopVoila.launch_instance(argv=argv, config=pool_config(participants, room.lang, fill_delay=refill_delay))
