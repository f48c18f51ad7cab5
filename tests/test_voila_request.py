"""A warm kernel fetches its page's request over Voilà's query websocket with Tornado's client
(widgets/voila_request.py), against a real Tornado websocket server on 127.0.0.1."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import threading

import pytest
import tornado.web
import tornado.websocket

from fmse_widgets.processes import free_port
from fmse_widgets.voila_request import query_url, wait_for_request

KERNEL = "0f7c1d2e-kernel"
REQUEST = {"QUERY_STRING": "learner=abc&lang=cy", "SCRIPT_NAME": "/voila/render/cy/gweithdy.ipynb"}


class QueryHandler(tornado.websocket.WebSocketHandler):
    """What Voilà's /voila/query/<kernel id> does: send the request's details once, as JSON."""

    def open(self, kernel_id: str) -> None:
        self.write_message(json.dumps(REQUEST) if kernel_id == KERNEL else json.dumps({}))


@pytest.fixture
def query_server():
    port, ready, holder = free_port(), threading.Event(), {}

    def run() -> None:
        async def main() -> None:
            app = tornado.web.Application([(r"/voila/query/([^/]+)", QueryHandler)])
            server = app.listen(port, address="127.0.0.1")
            holder["stop"] = asyncio.Event()
            holder["loop"] = asyncio.get_running_loop()
            ready.set()
            await holder["stop"].wait()
            server.stop()
            await server.close_all_connections()
        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield port
    holder["loop"].call_soon_threadsafe(holder["stop"].set)
    thread.join(10)


def environ(monkeypatch, port: int) -> None:
    for key, value in {"VOILA_PREHEAT": "True", "VOILA_APP_IP": "127.0.0.1", "VOILA_APP_PORT": str(port),
                       "VOILA_KERNEL_ID": KERNEL, "VOILA_WS_PROTOCOL": "ws", "VOILA_SERVER_URL": "/"}.items():
        monkeypatch.setenv(key, value)
    for key in REQUEST:  # set, then removed: monkeypatch restores whatever was there before, after the test
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)


def test_the_query_url_is_voilas():
    assert query_url({"VOILA_APP_PORT": "8870", "VOILA_KERNEL_ID": "k1", "VOILA_SERVER_URL": "/base/"}) == \
        "ws://127.0.0.1:8870/base/voila/query/k1"


def test_a_warm_kernel_receives_its_request(monkeypatch, query_server):
    environ(monkeypatch, query_server)
    wait_for_request()
    assert {key: os.environ[key] for key in REQUEST} == REQUEST


def test_no_server_is_logged_and_the_page_goes_on(monkeypatch, caplog):
    environ(monkeypatch, free_port())  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="fmse_widgets.voila_request"):
        wait_for_request()
    assert "could not fetch this page's request" in caplog.text
    assert not any(key in os.environ for key in REQUEST)


def test_outside_a_warm_kernel_it_returns_at_once(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # would fail if it tried to connect
    wait_for_request()
