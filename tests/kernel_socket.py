"""A small client of a page's kernel websocket, in both of jupyter_server's protocols, for the security tests.

Every wait is bounded; the caller runs it in a thread of its own (`servers.run_async`)."""
from __future__ import annotations

import asyncio
import json
import uuid

V1 = "v1.kernel.websocket.jupyter.org"
WIDGET_PROTOCOL = "2.1.0"


def message(msg_type: str, content: dict, *, channel: str = "shell", metadata: dict | None = None) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "probe", "session": uuid.uuid4().hex,
                       "msg_type": msg_type, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel,
            "buffers": []}


def label_state(value: str = "made in the browser") -> dict:
    """The state of an ipywidgets Label, as a browser would send it in a comm_open."""
    return {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0",
            "_model_name": "LabelModel", "_view_module": "@jupyter-widgets/controls",
            "_view_module_version": "2.0.0", "_view_name": "LabelView", "value": value}


def widget_open(state: dict, *, version: str = WIDGET_PROTOCOL, target: str = "jupyter.widget") -> dict:
    return message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": target,
                                 "data": {"state": state, "buffer_paths": []}},
                   metadata={"version": version})


def encode(msg: dict, protocol: str | None) -> bytes | str:
    """`msg` as the browser's own serialiser writes it for `protocol` (None: the legacy JSON text frame)."""
    if protocol != V1:
        return json.dumps(msg)
    parts = [json.dumps(msg[key]).encode() for key in ("header", "parent_header", "metadata", "content")]
    channel = msg["channel"].encode()
    count = 2 + len(parts)
    offsets = [8 * (1 + count), 8 * (1 + count) + len(channel)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join([count.to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets), channel, *parts])


def decode(raw: bytes | str, protocol: str | None) -> dict:
    """A message from the server as a dict with its channel; `raw` kept as text too."""
    if isinstance(raw, str):
        msg = json.loads(raw)
        msg["raw"] = raw
        return msg
    if protocol != V1:  # legacy binary: 4-byte big-endian count, the JSON message first
        count = int.from_bytes(raw[:4], "big")
        offsets = [int.from_bytes(raw[4 * (i + 1):4 * (i + 2)], "big") for i in range(count)]
        end = offsets[1] if count > 1 else len(raw)
        msg = json.loads(raw[offsets[0]:end])
        msg["raw"] = raw.decode("utf-8", "replace")
        return msg
    count = int.from_bytes(raw[:8], "little")
    offsets = [int.from_bytes(raw[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
    parts = [raw[offsets[i]:offsets[i + 1]] for i in range(count - 1)]
    msg = {"channel": parts[0].decode()}
    for key, part in zip(("header", "parent_header", "metadata", "content"), parts[1:5]):
        msg[key] = json.loads(part)
    msg["raw"] = raw.decode("utf-8", "replace")
    return msg


class KernelSocket:
    """One websocket to a kernel's channels, speaking `protocol` (V1, or None for the legacy protocol)."""

    def __init__(self, base: str, kernel_id: str, protocol: str | None = V1, *, cookie: str | None = None):
        self.url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        self.protocol = protocol
        self.cookie = cookie  # the browser session that opened the page: only it reaches the kernel
        self.socket = None
        self.received: list[dict] = []
        self.closed = False

    async def __aenter__(self) -> "KernelSocket":
        from tornado.websocket import websocket_connect

        async with asyncio.timeout(60):
            from tornado.httpclient import HTTPRequest

            request = HTTPRequest(self.url, headers={"Cookie": self.cookie} if self.cookie else {})
            self.socket = await websocket_connect(request, subprotocols=[self.protocol] if self.protocol else None)
        return self

    async def __aexit__(self, *exc) -> None:
        from servers import close_websocket

        if not self.closed:
            await close_websocket(self.socket)

    async def send(self, msg: dict) -> str:
        await self.send_frame(encode(msg, self.protocol))
        return msg["header"]["msg_id"]

    async def send_frame(self, frame: bytes | str) -> None:
        await self.socket.write_message(frame, binary=isinstance(frame, bytes))

    async def read(self, seconds: float) -> dict | None:
        """The next message within `seconds`, or None (also when the server closed the socket)."""
        if self.closed:
            return None
        try:
            raw = await asyncio.wait_for(self.socket.read_message(), seconds)
        except asyncio.TimeoutError:
            return None
        if raw is None:
            self.closed = True
            return None
        msg = decode(raw, self.protocol)
        self.received.append(msg)
        return msg

    async def reply_to(self, msg_id: str, msg_type: str, seconds: float = 60) -> dict | None:
        """Read until a `msg_type` message parented to `msg_id` arrives (or `seconds` pass)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            msg = await self.read(left)
            if msg is None:
                return None
            if msg.get("parent_header", {}).get("msg_id") == msg_id and msg["header"]["msg_type"] == msg_type:
                return msg
        return None

    async def drain(self, seconds: float) -> list[dict]:
        """Everything that arrives within `seconds`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        got = []
        while (left := deadline - loop.time()) > 0:
            msg = await self.read(left)
            if msg is None:
                break
            got.append(msg)
        return got

    async def kernel_info(self, seconds: float = 60) -> dict | None:
        msg_id = await self.send(message("kernel_info_request", {}))
        return await self.reply_to(msg_id, "kernel_info_reply", seconds)
