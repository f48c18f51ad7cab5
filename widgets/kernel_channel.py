"""What passes over a page's kernel websocket (`/api/kernels/<id>/channels`), in both directions.

jupyter_server hands every websocket frame from the browser to its deserialiser, which trusts the frame's own
offset table: one frame claiming 2**64 - 1 parts makes the server's only event loop count to that number and
freezes every page. `CourseKernelConnection` checks each frame first, in time bounded by the frame's length:

- the frame is at most `MAX_MESSAGE_BYTES` (1 MiB, the serialized message as the browser sent it): a larger one
  is not passed on, and the browser is told why (a `stream` message on stderr, as jupyter_server tells a page
  of its own limits, and a `comm_close` for a widget it tried to create);
- its offset table is consistent with its length (count, offsets increasing and inside the frame, at most
  `MAX_BUFFERS` binary buffers), its parts are JSON objects, its header names a message type, and its channel is
  one a browser may write to: otherwise the websocket is closed (a page's own code never sends such a frame);
- a message type Voilà does not allow (code execution and the like) is dropped here, logged like the others;
- at most `MAX_BROWSER_COMMS` widgets (`comm_open` messages) may be created from the browser over a kernel's
  life, whichever connection they come from (ipywidgets' widget manager may open one, its control comm, when it
  connects; the course's pages create no other widget from the browser).

Towards the browser, nothing that carries a Python traceback leaves the server: the kernel's stderr output is
withheld (its last line goes to the server's log), and error messages and error replies have their `ename`, `evalue` and
`traceback` replaced by the course's short message, as Voilà does for a page's own cells.

Refusals are logged once per kind per minute (with a count of the ones not logged), so a hostile client cannot
flood the terminal either. The hook is jupyter_server's `kernel_websocket_connection_class` (a `Voila` trait),
set from `voila_argv()` in `widgets/server.py`.
"""
from __future__ import annotations

import json
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Literal

from jupyter_client.jsonutil import json_default
from jupyter_client.session import DELIM
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado.websocket import WebSocketClosedError

from .bilingual import joined

V1 = "v1.kernel.websocket.jupyter.org"
MAX_MESSAGE_BYTES = 1 << 20
MAX_BROWSER_COMMS = 200
MAX_BUFFERS = 16
WRITABLE_CHANNELS = frozenset({"shell", "control", "stdin"})
LOG_EVERY = 60.0  # seconds between two log lines of the same kind

# Sent to the browser; Welsh first, as in the server's other refusals (`server.REFUSALS`).
TOO_LARGE = joined("server refusal", "Refused: this message from the browser is too large (at most 1 MiB), so it "
                                      "was not sent.")
TOO_MANY_WIDGETS = joined("server refusal", "Refused: too many widgets were created from the browser on this page "
                                            "(at most 200). Reload the page.")
# the course's own message for a page that fails (the page template's `page_error`, widgets/page_text.py)
PAGE_ERROR = joined("page template", "Something went wrong on this page. Please tell the course trainer or your IT "
                                     "support; the course's `fmse-course check` command can help find the cause.")
# A websocket close reason: at most 123 bytes, so the refusal word alone is translated.
MALFORMED_CLOSE = joined("server refusal", "Refused") + ": malformed message"


class Refused(ValueError):
    """A frame from the browser that must not reach jupyter_server's deserialiser."""


@dataclass
class Incoming:
    """A frame from the browser, checked: its channel, header, and (v1 protocol) its four JSON parts."""

    channel: str
    header: dict
    content: Any = None
    parts: list = field(default_factory=list)

    @property
    def msg_type(self) -> str:
        return self.header["msg_type"]


def _json_object(data: bytes | str, what: str) -> dict:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused(f"{what} is not JSON") from exc
    if not isinstance(value, dict):
        raise Refused(f"{what} is not a JSON object")
    return value


def _check_header(header: dict) -> None:
    if not isinstance(header.get("msg_type"), str):
        raise Refused("the header names no message type")


def _offsets(frame: bytes, count: int, width: int, byteorder: Literal["little", "big"], table_end: int) -> list[int]:
    """`count` offsets of `width` bytes after the count field; each must be inside the frame, none decreasing."""
    offsets = [int.from_bytes(frame[width * (i + 1):width * (i + 2)], byteorder) for i in range(count)]
    if offsets[0] < table_end:
        raise Refused("the first part starts inside the offset table")
    if any(later < earlier for earlier, later in zip(offsets, offsets[1:])):
        raise Refused("the offsets decrease")
    if offsets[-1] > len(frame):
        raise Refused("an offset points past the end of the frame")
    return offsets


def check_v1_frame(frame: bytes | str) -> Incoming:
    """Check a frame of the `v1.kernel.websocket.jupyter.org` protocol.

    Layout: an 8-byte little-endian count n, then n 8-byte little-endian offsets; the parts between them are the
    channel name, header, parent header, metadata, content and any binary buffers (so 6 <= n <= 6 + MAX_BUFFERS).
    Work done is bounded by the frame's length whatever the count says (and tornado reads frames of at most
    10 MiB)."""
    if isinstance(frame, str):
        raise Refused("a text frame on the binary protocol")
    frame = bytes(frame)
    if len(frame) < 8:
        raise Refused("shorter than its offset count")
    count = int.from_bytes(frame[:8], "little")
    if not 6 <= count <= 6 + MAX_BUFFERS:
        raise Refused(f"an offset count of {count}")
    table_end = 8 * (count + 1)
    if table_end > len(frame):
        raise Refused("shorter than its offset table")
    offsets = _offsets(frame, count, 8, "little", table_end)
    try:
        channel = frame[offsets[0]:offsets[1]].decode("ascii")
    except UnicodeDecodeError as exc:
        raise Refused("the channel name is not text") from exc
    parts = [frame[offsets[i]:offsets[i + 1]] for i in range(1, count - 1)]
    header, _parent, _metadata, content = (_json_object(part, name) for part, name in
                                           zip(parts[:4], ("the header", "the parent header", "the metadata",
                                                           "the content")))
    _check_header(header)
    return Incoming(channel, header, content, parts)


def check_legacy_frame(frame: bytes | str) -> Incoming:
    """Check a frame of the legacy protocol (no subprotocol): JSON text, or binary with a 4-byte big-endian count
    n of parts, n 4-byte big-endian offsets, the JSON message and then its binary buffers."""
    if isinstance(frame, str):
        message = _json_object(frame, "the message")
    else:
        frame = bytes(frame)
        if len(frame) < 4:
            raise Refused("shorter than its part count")
        count = int.from_bytes(frame[:4], "big", signed=True)
        if not 1 <= count <= 1 + MAX_BUFFERS:
            raise Refused(f"a part count of {count}")
        table_end = 4 * (count + 1)
        if table_end > len(frame):
            raise Refused("shorter than its offset table")
        offsets = _offsets(frame, count, 4, "big", table_end)
        end = offsets[1] if count > 1 else len(frame)
        message = _json_object(frame[offsets[0]:end], "the message")
    header = message.get("header")
    if not isinstance(header, dict):
        raise Refused("the message has no header")
    _check_header(header)
    for key in ("parent_header", "metadata", "content"):
        if not isinstance(message.get(key, {}), dict):
            raise Refused(f"the {key} is not a JSON object")
    channel = message.get("channel")
    if not isinstance(channel, str):
        raise Refused("the message names no channel")
    return Incoming(channel, header, message.get("content"))


def frame_size(frame: bytes | str) -> int:
    """The message's serialized size in bytes, as the browser sent it."""
    return len(frame.encode("utf-8", "surrogatepass")) if isinstance(frame, str) else len(frame)


class RefusalLog:
    """Log a kind of refusal at most once every `LOG_EVERY` seconds, saying how many went unlogged between."""

    def __init__(self, every: float = LOG_EVERY):
        self.every = every
        self._last: dict[str, float] = {}
        self._unlogged: dict[str, int] = {}

    def __call__(self, log, kind: str, message: str, *args) -> None:
        now = time.monotonic()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._unlogged[kind] = self._unlogged.get(kind, 0) + 1
            return
        self._last[kind] = now
        unlogged = self._unlogged.pop(kind, 0)
        suffix = f" ({unlogged} more like this since the last such line)" if unlogged else ""
        log.warning(message + suffix, *args)


def _sanitized(content: dict) -> dict:
    """An error's content with the course's message in place of the exception's name, value and traceback."""
    clean = dict(content)
    if "ename" in clean:
        clean["ename"] = "Error"
    if "evalue" in clean:
        clean["evalue"] = PAGE_ERROR
    clean["traceback"] = [PAGE_ERROR]
    return clean


class CourseKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection, with every frame checked on its way in and error output
    filtered on its way out (see the module's docstring)."""

    refusal_log = RefusalLog()
    # browser-created widgets per kernel (keyed by the kernel's own manager, so the count goes with the kernel)
    _browser_comms: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    # ---- from the browser -------------------------------------------------------------------------------

    def handle_incoming_message(self, incoming_msg) -> None:
        if not self.channels:
            return  # already closed: upstream ignores the message too
        frame = incoming_msg
        try:
            incoming = check_v1_frame(frame) if self.subprotocol == V1 else check_legacy_frame(frame)
        except Refused as refusal:
            self._refuse_frame(str(refusal))
            return
        size = frame_size(frame)
        if size > MAX_MESSAGE_BYTES:
            self.refusal_log(self.log, "size", "Kernel %s: refused a %r message of %d bytes from the browser "
                             "(at most %d).", self.kernel_id, incoming.msg_type[:80], size, MAX_MESSAGE_BYTES)
            self._tell_browser(incoming, TOO_LARGE, close_comm=incoming.msg_type == "comm_open")
            return
        if incoming.channel not in WRITABLE_CHANNELS:
            self._refuse_frame(f"a message for the {incoming.channel[:40]!r} channel")
            return
        allowed = self.multi_kernel_manager.allowed_message_types
        if allowed and incoming.msg_type not in allowed:
            self.refusal_log(self.log, "type", "Kernel %s: ignored a %r message from the browser (not allowed).",
                             self.kernel_id, incoming.msg_type[:80])
            return
        if incoming.msg_type == "comm_open" and not self._count_browser_comm():
            self.refusal_log(self.log, "comms", "Kernel %s: refused a widget created from the browser (already "
                             "%d on this kernel).", self.kernel_id, MAX_BROWSER_COMMS)
            self._tell_browser(incoming, TOO_MANY_WIDGETS, close_comm=True)
            return
        super().handle_incoming_message(frame)

    def _count_browser_comm(self) -> bool:
        """Count one more widget created from the browser on this kernel; False if the kernel has its fill."""
        count = self._browser_comms.get(self.kernel_manager, 0)
        if count >= MAX_BROWSER_COMMS:
            return False
        self._browser_comms[self.kernel_manager] = count + 1
        return True

    def _refuse_frame(self, reason: str) -> None:
        """A frame no page of the course sends: log it (rate-limited) and close the websocket."""
        self.refusal_log(self.log, "frame", "Kernel %s: closed a websocket that sent a malformed frame (%s).",
                         self.kernel_id, reason)
        self.websocket_handler.close(1008, MALFORMED_CLOSE)

    def _tell_browser(self, incoming: Incoming, text: str, *, close_comm: bool) -> None:
        """Answer a refused message the way jupyter_server answers its own limits (a stderr stream on iopub,
        parented to the refused message), and close the widget's comm if the message tried to open one."""
        parent = {key: incoming.header.get(key) for key in ("msg_id", "msg_type", "session", "username", "date",
                                                             "version") if isinstance(incoming.header.get(key), str)}
        replies = [self.session.msg("stream", content={"name": "stderr", "text": text + "\n"}, parent=parent)]
        comm_id = incoming.content.get("comm_id") if isinstance(incoming.content, dict) else None
        if close_comm and isinstance(comm_id, str):
            replies.append(self.session.msg("comm_close", content={"comm_id": comm_id, "data": {"refused": text}},
                                            parent=parent))
        for reply in replies:
            try:
                if self.subprotocol == V1:
                    self.write_message(serialize_msg_to_ws_v1(reply, "iopub", self.session.pack), binary=True)
                else:
                    reply["channel"] = "iopub"
                    self.write_message(json.dumps(reply, default=json_default))
            except WebSocketClosedError:
                return

    # ---- to the browser ---------------------------------------------------------------------------------

    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        try:
            outgoing_msg, note = filtered(self.session, outgoing_msg)
        except Exception:  # noqa: BLE001 - a message we cannot read is not sent at all
            outgoing_msg, note = None, ("unreadable", "withheld a message that could not be read")
        if note:
            self.refusal_log(self.log, note[0], "Kernel %s: %s", self.kernel_id, note[1])
        if outgoing_msg is not None:
            super().handle_outgoing_message(stream, outgoing_msg)


def filtered(session, msg_list: list) -> tuple[list | None, tuple[str, str] | None]:
    """A message from the kernel (zmq parts, signed by `session`) as the browser may see it: None to withhold
    it (stderr output), or re-signed with its traceback replaced (error messages, error replies); and what to
    log about it, if anything ((kind, text) for `RefusalLog`)."""
    idents, signed = session.feed_identities(msg_list)
    header = session.unpack(signed[1])
    msg_type = str(header.get("msg_type"))
    if msg_type not in ("stream", "error") and not msg_type.endswith("_reply"):
        return msg_list, None
    content = session.unpack(signed[4])
    if msg_type == "stream":
        if content.get("name") != "stderr":
            return msg_list, None
        lines = str(content.get("text", "")).strip().splitlines()
        return None, ("stderr", f"kept its error output from the page: {(lines[-1] if lines else '')[:300]!r}")
    if msg_type != "error" and not ({"traceback", "ename", "evalue"} & content.keys()):
        return msg_list, None
    note = (f"replaced the traceback of a {msg_type} message to the page: {str(content.get('ename', ''))[:100]!r}"
            f" {str(content.get('evalue', ''))[:200]!r}")
    parts = list(signed[1:])
    parts[3] = session.pack(_sanitized(content))
    return [*idents, DELIM, session.sign(parts[:4]), *parts], ("error", note)
