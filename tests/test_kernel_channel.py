"""What passes over a page's kernel websocket (issue 12, items 1, 4 (message limits) and 8).

- every frame from the browser is checked before jupyter_server's deserialiser sees it (unit tests of the
  check; a bounded hostile client against a real server, on both protocols, with offset counts from 10 million
  to 2**64 - 1, after which an ordinary request must still be answered);
- a message from the browser is at most 1 MiB, and at most 200 widgets are created from the browser per
  kernel: each refusal reaches the browser (a stderr stream parented to the refused message, a comm_close for a
  refused widget) and the server's log;
- nothing the kernel sends the page carries a traceback or a site-packages path, while ordinary widget traffic
  still works.
"""
from __future__ import annotations

import json
import re
import time

import pytest
from jupyter_client.session import Session
from jupyter_server.services.kernels.connection.base import serialize_binary_message, serialize_msg_to_ws_v1

from fmse_widgets import kernel_channel as kc
from fmse_widgets.processes import stop_server
from kernel_socket import V1, KernelSocket, encode, label_state, message, widget_open
from servers import CourseServer, run_async
from workshop_client import Client

pytestmark = [pytest.mark.slow, pytest.mark.upstream]  # a real server; upstream internals (docs/decisions.md)

LEAKS = ("Traceback", "site-packages", 'File "', ".py\", line", "most recent call last")
PROTOCOLS = pytest.mark.parametrize("protocol", [V1, None], ids=["v1", "legacy"])


def kernel_of(base: str, path: str = "en/glossary.ipynb") -> tuple[str, str]:
    """Open a page as a browser would (a cookie jar): its kernel id, and the cookie of the browser session that
    owns it (only that session reaches the kernel's websocket)."""
    client = Client(base)
    status, _, body = client.get(f"/voila/render/{path}")
    assert status == 200
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
    assert found, "the page names no kernel"
    return found.group(1), client.cookie_header()


# ---- the frame check, on its own ---------------------------------------------------------------------------

def v1_frame(msg: dict, buffers: tuple[bytes, ...] = ()) -> bytes:
    """A frame as jupyter_server's own v1 serialiser writes it (the browser's is the same layout)."""
    session = Session()
    parts = [session.pack(msg[key]) for key in ("header", "parent_header", "metadata", "content")]
    return serialize_msg_to_ws_v1([*parts, *buffers], msg["channel"])


def test_well_formed_frames_pass_on_both_protocols():
    msg = message("comm_msg", {"comm_id": "abc", "data": {"method": "update", "state": {"value": "x"}}})
    for frame in (v1_frame(msg), encode(msg, V1), v1_frame(msg, (b"\x00\x01", b""))):
        incoming = kc.check_v1_frame(frame)
        assert (incoming.channel, incoming.msg_type, incoming.content["comm_id"]) == ("shell", "comm_msg", "abc")
    for frame in (json.dumps(msg), serialize_binary_message({**msg, "buffers": [b"\x00" * 10]})):
        incoming = kc.check_legacy_frame(frame)
        assert (incoming.channel, incoming.msg_type, incoming.content["comm_id"]) == ("shell", "comm_msg", "abc")


HUGE_COUNTS = [10**7, 5 * 10**7, 2**31 - 1, 2**32 - 1, 2**63, 2**64 - 1]


@pytest.mark.parametrize("count", HUGE_COUNTS)
def test_a_huge_offset_count_is_refused_at_once(count):
    v1 = count.to_bytes(8, "little") + b"\x00" * 56
    legacy = (count % 2**32).to_bytes(4, "big") + b"\x00" * 60
    for check, frame in ((kc.check_v1_frame, v1), (kc.check_legacy_frame, legacy)):
        started = time.perf_counter()
        with pytest.raises(kc.Refused):
            check(frame)
        assert time.perf_counter() - started < 0.05


def _retable(frame: bytes, offsets: list[int]) -> bytes:
    count = int.from_bytes(frame[:8], "little")
    return frame[:8] + b"".join(o.to_bytes(8, "little") for o in offsets) + frame[8 * (count + 1):]


def _table(frame: bytes) -> list[int]:
    count = int.from_bytes(frame[:8], "little")
    return [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]


def test_inconsistent_v1_frames_are_refused():
    good = v1_frame(message("kernel_info_request", {}))
    offsets = _table(good)
    count = len(offsets)
    bad = {
        "text frame": good.decode("latin-1"),
        "too short for its count": good[:8],
        "shorter than its table": (count + 100).to_bytes(8, "little") + good[8:],
        "too few parts": (3).to_bytes(8, "little") + good[8:],
        "too many buffers": v1_frame(message("comm_msg", {}), tuple(b"x" for _ in range(kc.MAX_BUFFERS + 1))),
        "offset past the end": _retable(good, [*offsets[:-1], len(good) + 1]),
        "offsets decrease": _retable(good, [offsets[0], offsets[2], offsets[1], *offsets[3:]]),
        "first part inside the table": _retable(good, [8, *offsets[1:]]),
        "huge offsets": _retable(good, [offsets[0], 2**63, *offsets[2:]]),
    }
    for name, frame in bad.items():
        with pytest.raises(kc.Refused):
            kc.check_v1_frame(frame)
            pytest.fail(name)


def test_frames_whose_parts_are_not_json_objects_are_refused():
    msg = message("comm_open", {"comm_id": "x"})
    for key, value in (("header", "not json"), ("content", "[1, 2]"), ("metadata", "3"), ("header", "{}")):
        parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
        parts[("header", "parent_header", "metadata", "content").index(key)] = value.encode()
        with pytest.raises(kc.Refused):
            kc.check_v1_frame(serialize_msg_to_ws_v1(parts, "shell"))
    for frame in ("not json", "[]", json.dumps({**msg, "header": "x"}), json.dumps({**msg, "channel": None}),
                  json.dumps({**msg, "content": [1]}), b"\xff\xff\xff\xff" + b"\x00" * 20, b"\x00\x00"):
        with pytest.raises(kc.Refused):
            kc.check_legacy_frame(frame)


def test_frame_size_counts_bytes_as_sent():
    assert kc.frame_size("é" * 10) == 20 and kc.frame_size(b"x" * 7) == 7


class _Lines:
    def __init__(self):
        self.lines: list[str] = []

    def warning(self, message, *args):
        self.lines.append(message % args)


def test_refusals_are_logged_once_per_kind_per_interval():
    log, refusals = _Lines(), kc.RefusalLog(every=3600)
    for _ in range(500):
        refusals(log, "frame", "bad frame from %s", "x")
    refusals(log, "size", "too big")
    assert log.lines == ["bad frame from x", "too big"]
    refusals.every = 0
    refusals(log, "frame", "bad frame from %s", "y")
    assert log.lines[-1] == "bad frame from y (499 more like this since the last such line)"


def _signed(session: Session, msg_type: str, content: dict) -> list[bytes]:
    return session.serialize(session.msg(msg_type, content=content), ident=[b"kernel"])


def test_outgoing_stderr_is_withheld_and_tracebacks_replaced():
    session = Session(key=b"secret")
    traceback = ['Traceback (most recent call last):\n  File "/x/site-packages/ipywidgets/widget.py", line 3']
    out, note = kc.filtered(session, _signed(session, "stream", {"name": "stderr", "text": traceback[0]}))
    assert out is None and note[0] == "stderr"
    stdout = _signed(session, "stream", {"name": "stdout", "text": "hello"})
    assert kc.filtered(session, stdout) == (stdout, None)
    widget = _signed(session, "comm_msg", {"comm_id": "a", "data": {"method": "update"}})
    assert kc.filtered(session, widget) == (widget, None)
    for msg_type, content in (("error", {"ename": "KeyError", "evalue": "'x'", "traceback": traceback}),
                              ("execute_reply", {"status": "error", "ename": "KeyError", "evalue": "'x'",
                                                 "traceback": traceback}),
                              ("comm_info_reply", {"status": "error", "traceback": traceback})):
        out, note = kc.filtered(session, _signed(session, msg_type, content))
        assert note[0] == "error"
        _, parts = session.feed_identities(out)
        clean = session.deserialize(parts)  # still correctly signed
        assert clean["msg_type"] == msg_type
        text = json.dumps(clean["content"])
        assert not any(leak in text for leak in LEAKS) and "KeyError" not in text, text
        assert clean["content"]["traceback"] == [kc.PAGE_ERROR]


# ---- a hostile client against a real server -----------------------------------------------------------------

def hostile_frames() -> list[tuple[str | None, int, bytes]]:
    frames = [(V1, count, count.to_bytes(8, "little") + b"\x00" * 56) for count in HUGE_COUNTS]
    frames += [(None, count, (count % 2**32).to_bytes(4, "big") + b"\x00" * 60)
               for count in (10**7, 5 * 10**7, 2**31 - 1, 2**32 - 1)]
    return frames


ANSWER_WITHIN = 60.0  # seconds: an answer normally takes milliseconds; unchecked, the 2**31 frames never get one


async def send_hostile_frames(base: str, kernel: str, cookie: str) -> list[str]:
    """Send each hostile frame on a fresh websocket, then ask the server for an ordinary page asset; stop at the
    first one not answered within ANSWER_WITHIN seconds (the server is frozen). Returns what happened."""
    import asyncio

    from tornado.httpclient import AsyncHTTPClient

    client, outcome = AsyncHTTPClient(), []
    try:
        for protocol, count, frame in hostile_frames():
            name = f"{'v1' if protocol else 'legacy'} count {count}"
            try:
                async with asyncio.timeout(ANSWER_WITHIN):
                    async with KernelSocket(base, kernel, protocol, cookie=cookie) as socket:
                        await socket.send_frame(frame)
                        started = time.monotonic()
                        response = await client.fetch(f"{base}/voila/templates/fmse/static/course.css",
                                                      request_timeout=ANSWER_WITHIN)
                        outcome.append(f"{name}: {response.code} after {time.monotonic() - started:.1f}s")
            except Exception as exc:  # noqa: BLE001 - a timeout, a refused connection: the server is not answering
                outcome.append(f"{name}: no answer within {ANSWER_WITHIN:.0f}s ({type(exc).__name__})")
                break
    finally:
        client.close()
    return outcome


def test_no_frame_freezes_the_server(tmp_path):
    """Before the check, a count of 10 million stalled every page for seconds and 2**31 or more froze the server
    for good (SIGTERM ignored, memory climbing). The server here is stopped by its process id whatever happens:
    SIGTERM, then SIGKILL after a few seconds, its kernels with it."""
    server = CourseServer(tmp_path)
    try:
        kernel, cookie = kernel_of(server.base)
        outcome = run_async(lambda: send_hostile_frames(server.base, kernel, cookie))
        frozen = [line for line in outcome if "no answer" in line]
        assert not frozen and len(outcome) == len(hostile_frames()), "\n".join(outcome)
        assert all(": 200 after" in line for line in outcome), outcome

        async def still_works():
            async with KernelSocket(server.base, kernel, V1, cookie=cookie) as socket:
                return await socket.kernel_info()
        assert run_async(still_works) is not None, "the page's kernel no longer answers"
        log = server.log()
        assert "malformed frame" in log
        assert log.count("malformed frame") <= 2, "one line per minute, not one per frame"
        assert "Traceback" not in log, log[-3000:]
    finally:
        stop_server(server.process, timeout=5)
        server.stop()


# ---- the message limits -------------------------------------------------------------------------------------

async def comms_of(socket: KernelSocket, target: str = "jupyter.widget") -> int:
    msg_id = await socket.send(message("comm_info_request", {"target_name": target}))
    reply = await socket.reply_to(msg_id, "comm_info_reply")
    assert reply is not None, "no comm_info_reply"
    return len(reply["content"]["comms"])


def padded_info_request(size: int) -> dict:
    """A comm_info_request whose serialized frame is about `size` bytes (the kernel ignores the padding)."""
    msg = message("comm_info_request", {"target_name": "jupyter.widget", "pad": ""})
    msg["content"]["pad"] = "x" * (size - len(json.dumps(msg)) - 200)
    return msg


@PROTOCOLS
def test_a_message_over_one_mib_is_refused_with_a_message(course_server, protocol):
    kernel, cookie = kernel_of(course_server.base)

    async def probe():
        async with KernelSocket(course_server.base, kernel, protocol, cookie=cookie) as socket:
            under = padded_info_request(kc.MAX_MESSAGE_BYTES - 4096)
            msg_id = await socket.send(under)
            passed = await socket.reply_to(msg_id, "comm_info_reply")
            before = await comms_of(socket)
            over = widget_open(label_state("x" * (kc.MAX_MESSAGE_BYTES + 1000)))
            msg_id = await socket.send(over)
            refusal = await socket.reply_to(msg_id, "stream")
            after = await comms_of(socket)
            over_info = await socket.send(padded_info_request(kc.MAX_MESSAGE_BYTES + 4096))
            refusal_info = await socket.reply_to(over_info, "stream")
            info = await socket.kernel_info()
            answered = [m for m in socket.received if m.get("parent_header", {}).get("msg_id") == over_info
                        and m["header"]["msg_type"] == "comm_info_reply"]
            return passed, before, refusal, after, refusal_info, info, answered

    passed, before, refusal, after, refusal_info, info, answered = run_async(probe)
    assert passed is not None, "a message just under 1 MiB must still pass"
    assert refusal is not None and refusal["content"]["text"].strip() == kc.TOO_LARGE
    assert refusal["content"]["name"] == "stderr"
    assert "1 MiB" in kc.TOO_LARGE and "Gwrthodwyd" in kc.TOO_LARGE
    assert after == before, "the oversized widget reached the kernel"
    assert refusal_info is not None and answered == [], "the oversized request reached the kernel"
    assert info is not None, "the connection still works after a refusal"
    assert re.search(r"refused a '(comm_open|comm_info_request)' message of \d+ bytes", course_server.log())


def test_at_most_200_widgets_are_created_from_the_browser_per_kernel(course_server):
    kernel, cookie = kernel_of(course_server.base)

    async def probe():
        async with KernelSocket(course_server.base, kernel, V1, cookie=cookie) as socket:
            before = await comms_of(socket)
            for i in range(kc.MAX_BROWSER_COMMS):
                await socket.send(widget_open(label_state(f"widget {i}")))
            filled = await comms_of(socket)
            extra = widget_open(label_state("one too many"))
            await socket.send(extra)
            refusal = await socket.reply_to(extra["header"]["msg_id"], "stream")
            closing = await socket.reply_to(extra["header"]["msg_id"], "comm_close")
            closed = [closing] if closing and closing["content"]["comm_id"] == extra["content"]["comm_id"] else []
            after = await comms_of(socket)
        async with KernelSocket(course_server.base, kernel, None, cookie=cookie) as other:  # a second connection, same kernel
            again = widget_open(label_state("from another tab"))
            await other.send(again)
            second = await other.reply_to(again["header"]["msg_id"], "stream")
            after_second = await comms_of(other)
        return before, filled, refusal, closed, after, second, after_second

    before, filled, refusal, closed, after, second, after_second = run_async(probe)
    assert filled == before + kc.MAX_BROWSER_COMMS, "the first 200 widgets must be created"
    assert refusal is not None and refusal["content"]["text"].strip() == kc.TOO_MANY_WIDGETS
    assert closed and closed[0]["content"]["data"]["refused"] == kc.TOO_MANY_WIDGETS
    assert after == filled and after_second == filled
    assert second is not None and second["content"]["text"].strip() == kc.TOO_MANY_WIDGETS
    assert "refused a widget created from the browser" in course_server.log()


# ---- no traceback reaches the page --------------------------------------------------------------------------

def malformed_comm_messages() -> list[dict]:
    unknown_model = widget_open({**label_state(), "_model_name": "NoSuchModel"})
    bad_version = widget_open(label_state(), version="9.9.9")
    missing_state = widget_open({})
    bad_control = widget_open({}, version="9.0.0", target="jupyter.widget.control")
    no_target = widget_open({}, target="no.such.target")
    unknown_comm = message("comm_msg", {"comm_id": "no-such-comm", "data": {"method": "update"}})
    garbage = message("comm_msg", {"comm_id": None, "data": "not an object"})
    close_nothing = message("comm_close", {"comm_id": "no-such-comm", "data": {}})
    return [unknown_model, bad_version, missing_state, bad_control, no_target, unknown_comm, garbage,
            close_nothing]


@PROTOCOLS
def test_malformed_comm_messages_send_no_traceback_to_the_page(course_server, protocol):
    kernel, cookie = kernel_of(course_server.base)

    async def probe():
        async with KernelSocket(course_server.base, kernel, protocol, cookie=cookie) as socket:
            before = await comms_of(socket)
            for msg in malformed_comm_messages():
                msg_id = await socket.send(msg)
                # the kernel has finished with a message when it reports itself idle for it
                while (status := await socket.reply_to(msg_id, "status", 30)) is not None:
                    if status["content"]["execution_state"] == "idle":
                        break
            good = widget_open(label_state("still fine"))
            await socket.send(good)
            after = await comms_of(socket)
            info = await socket.kernel_info()
            return socket.received, before, after, info

    received, before, after, info = run_async(probe)
    leaked = [m["raw"][:400] for m in received if any(leak in m["raw"] for leak in LEAKS)]
    assert leaked == [], "\n".join(leaked)
    assert after == before + 1 and info is not None, "ordinary widget traffic stopped working"
    assert "kept its error output from the page" in course_server.log()
