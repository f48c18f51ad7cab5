"""The workshop's join and trainer pages under hostile use (issue 12, item 7), served in-process by tornado on
127.0.0.1 with the real handlers and a real records file:

- wrong trainer tokens from this laptop's own addresses never lock the trainer out (a page in the trainer's
  browser can send them); from another address they still do;
- one address (not this laptop) joins at most MAX_JOINS times a minute;
- the room takes at most --participants plus 10%.

Requests come from 127.0.0.1; a test that needs "another device" empties the room's list of this laptop's own
addresses, so that 127.0.0.1 counts as a device on the network.
"""
from __future__ import annotations

import asyncio
import html
import threading

import pytest
import tornado.web

from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.workshop import gate
from workshop_client import Client

CODE = "ACD479"
TOKEN = "T" * 43


class InProcess:
    """The workshop's own pages (join, trainer) in a tornado app on a thread of its own."""

    def __init__(self, room: gate.Room):
        self.room = room
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(30)

    def _run(self):
        async def main():
            app = tornado.web.Application(
                [(r"/workshop/join", gate.JoinHandler, {"room": self.room}),
                 (r"/workshop/trainer", gate.TrainerHandler, {"room": self.room}),
                 (r"/voila/render/(.*)", tornado.web.RequestHandler)],
                cookie_secret="c" * 64)
            self.server = app.listen(0, "127.0.0.1")
            self.port = next(iter(self.server._sockets.values())).getsockname()[1]
            self.base = f"http://127.0.0.1:{self.port}"
            self.stop = asyncio.Event()
            self.loop = asyncio.get_running_loop()
            self.ready.set()
            await self.stop.wait()
            self.server.stop()
            await self.server.close_all_connections()

        asyncio.run(main())

    def close(self):
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(30)


@pytest.fixture
def make(tmp_path):
    path = tmp_path / "records.sqlite3"
    with SQLiteStore(path) as store:
        store.open_workshop(CODE)
    running = []

    def start(**room_options) -> InProcess:
        room = gate.Room(CODE, TOKEN, "en", store_factory=lambda: SQLiteStore(path), **room_options)
        server = InProcess(room)
        running.append(server)
        return server

    yield start
    for server in running:
        server.close()


def test_wrong_tokens_from_this_laptop_never_lock_the_trainer_out(make):
    server = make()
    assert "127.0.0.1" in server.room.local
    client = Client(server.base)
    for _ in range(gate.MAX_FAILURES + 5):
        assert client.get("/workshop/trainer?token=wrong")[0] == 403
    status, headers, _ = client.get(f"/workshop/trainer?token={TOKEN}")
    assert status == 302 and "workshop-results" in headers["Location"]


def test_wrong_tokens_from_another_device_still_lock_it_out(make):
    server = make()
    server.room.local = set()  # 127.0.0.1 is now "another device"
    client = Client(server.base)
    for _ in range(gate.MAX_FAILURES):
        assert client.get("/workshop/trainer?token=wrong")[0] == 403
    assert client.get(f"/workshop/trainer?token={TOKEN}")[0] == 403


def test_one_device_joins_at_most_a_few_times_a_minute(make):
    server = make()
    server.room.local = set()
    for n in range(gate.MAX_JOINS):
        status, _, body = Client(server.base).join(CODE, nickname=f"P{n}")
        assert status == 303, body[:500]
    status, _, body = Client(server.base).join(CODE, nickname="One too many")
    assert status == 429
    assert "Too many people have joined from this device" in body
    assert "Mae gormod o bobl wedi ymuno o'r ddyfais hon" in html.unescape(body)
    assert len(server.room.participants) == gate.MAX_JOINS


def test_this_laptop_may_join_people_faster(make):
    server = make()
    for n in range(gate.MAX_JOINS + 2):
        assert Client(server.base).join(CODE, nickname=f"L{n}")[0] == 303


def test_the_room_takes_the_participants_plus_ten_percent(make):
    assert gate.room_capacity(30) == 33 and gate.room_capacity(2) == 3 and gate.room_capacity(100) == 110
    server = make(capacity=gate.room_capacity(2))
    for n in range(3):
        assert Client(server.base).join(CODE, nickname=f"R{n}")[0] == 303
    status, _, body = Client(server.base).join(CODE, nickname="Fourth")
    assert status == 403
    assert "The workshop is full: 3 people have joined" in body
    assert "Mae'r gweithdy'n llawn" in html.unescape(body)
    assert len(server.room.participants) == 3


def test_the_join_rate_window_passes(monkeypatch):
    room = gate.Room(CODE, TOKEN, "en")
    room.local = set()
    clock = [1000.0]
    monkeypatch.setattr(gate.time, "monotonic", lambda: clock[0])
    for _ in range(gate.MAX_JOINS):
        assert not room.joins_exhausted("192.0.2.7")
        room.joined("192.0.2.7")
    assert room.joins_exhausted("192.0.2.7") and not room.joins_exhausted("192.0.2.8")
    clock[0] += gate.JOIN_WINDOW + 1
    assert not room.joins_exhausted("192.0.2.7")
