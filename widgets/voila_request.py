"""Voilà's `wait_for_request()` without importing voila in the kernel.

A warm (preheated) Voilà kernel runs a page before anyone asks for it, then waits for the request: the server
hands the page's address (query string and the like) to the kernel over a websocket,
`/voila/query/<kernel id>`. `voila.utils.wait_for_request` does this, but importing `voila.utils` brings in
jupyter_server, nbconvert and jsonschema: about 50 MiB in every kernel (measured by benchmarks/workshop.py).
This does the same with Tornado's websocket client (Tornado is already loaded in every kernel: ipykernel runs
on it), using the environment variables Voilà sets (voila.utils.ENV_VARIABLE).
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading

log = logging.getLogger(__name__)
OPEN_TIMEOUT = 5.0


def query_url(environ=None) -> str:
    env = os.environ if environ is None else environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


async def _receive(url: str) -> str | None:
    """The one message the server sends on the query websocket, or None (logged) when it cannot be had."""
    from tornado.httpclient import HTTPClientError
    from tornado.iostream import StreamClosedError
    from tornado.websocket import websocket_connect

    try:
        socket = await websocket_connect(url, connect_timeout=OPEN_TIMEOUT)
    except (OSError, TimeoutError, HTTPClientError, StreamClosedError) as exc:
        log.warning("could not fetch this page's request from %s: %s", url, exc)
        return None
    try:
        message = await socket.read_message()
    finally:
        socket.close()
        with contextlib.suppress(TimeoutError):  # wait for the closing handshake: no socket is left open
            async with asyncio.timeout(OPEN_TIMEOUT):
                while await socket.read_message() is not None:
                    pass
    if message is None:
        log.warning("could not fetch this page's request from %s: the server closed the connection", url)
        return None
    return message if isinstance(message, str) else message.decode("utf-8")


def preheated() -> bool:
    """Whether this is a warm (preheated) Voilà kernel, one that runs its page before anyone asks for it."""
    return os.environ.get("VOILA_PREHEAT", "False") == "True"


def wait_for_request() -> None:
    """In a preheated kernel, block until the page is requested, then put the request's details in os.environ.
    Anywhere else (VOILA_PREHEAT is not "True"), return at once."""
    if not preheated():
        return
    found: list[str | None] = []
    # A thread with its own event loop: the kernel's loop is busy running this cell.
    thread = threading.Thread(target=lambda: found.append(asyncio.run(_receive(query_url()))))
    thread.start()
    thread.join()
    if found and found[0]:
        for key, value in json.loads(found[0]).items():
            os.environ[key] = value
