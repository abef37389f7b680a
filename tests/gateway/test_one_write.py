"""The gateway's plain answers leave in one write to the socket (bot/http_writes.py), with the
same bytes aiohttp writes in two: every kind of answer the gateway makes is compared."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from aiohttp import web
from aiohttp.http_writer import StreamWriter

from bot.http_writes import OneWriteResponse
from tests.console.conftest import BOT_ANSWER, Stack, run_stack  # noqa: F401 (the fixture)

REQUESTS = {
    "answer": ("POST", "/web/messages", {"Content-Type": "application/json"},
               json.dumps({"sender": "r1", "text": "bonjour"}).encode()),
    "refusal": ("POST", "/web/messages", {"Content-Type": "application/json"}, b"{}"),
    "unknown path": ("GET", "/nowhere", {}, b""),
    "chat page (a file)": ("GET", "/", {}, b""),
    "head of a page": ("HEAD", "/console/login", {}, b""),
    "console page": ("GET", "/console/login", {}, b""),
    "redirect": ("GET", "/console", {}, b""),
    "agents' replies": ("GET", "/web/messages", {"X-Relais-Sender": "r1"}, b""),
}

ONE_WRITE = {"answer", "refusal", "unknown path", "console page",
             "agents' replies"}


async def _raw(port: int, method: str, path: str, headers: dict[str, str], body: bytes
               ) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    answer = await reader.read()
    writer.close()
    return answer


def _comparable(raw: bytes) -> bytes:
    """The answer without what changes from one request to the next (date, cookies' tokens)."""
    raw = re.sub(rb"Date: [^\r]*\r\n", b"", raw)
    return re.sub(rb'(csrf[^=]*=|value=")[A-Za-z0-9_-]{20,}', rb"\1<token>", raw)


@pytest.fixture
def writes(monkeypatch) -> list[tuple[int, bytes]]:
    """Every write of an HTTP message to a socket in this process, with its local port."""
    seen: list[tuple[int, bytes]] = []
    original = StreamWriter._write

    def counted(self: StreamWriter, chunk: bytes) -> None:
        seen.append((self.transport.get_extra_info("sockname")[1], bytes(chunk)))
        original(self, chunk)

    monkeypatch.setattr(StreamWriter, "_write", counted)
    return seen


def test_each_answer_is_the_same_bytes_and_a_plain_one_leaves_in_one_write(
        run_stack, writes, monkeypatch):  # noqa: F811
    async def scenario(s: Stack) -> None:
        port = s.client.server.port

        def gateway_writes() -> int:  # not the ones to and from the fake Rasa
            return sum(1 for local, _chunk in writes if local == port)

        joined: dict[str, tuple[bytes, int]] = {}
        for name, request in REQUESTS.items():
            writes.clear()
            joined[name] = (await _raw(port, *request), gateway_writes())
        monkeypatch.setattr(OneWriteResponse, "_write_headers", web.Response._write_headers)
        monkeypatch.setattr(OneWriteResponse, "write_eof", web.Response.write_eof)
        for name, request in REQUESTS.items():
            writes.clear()
            as_aiohttp_writes = await _raw(port, *request)
            assert _comparable(joined[name][0]) == _comparable(as_aiohttp_writes), name
            if name in ONE_WRITE:  # aiohttp 3.9 by itself: the headers, then the body
                assert (joined[name][1], gateway_writes()) == (1, 2), name
            else:  # as aiohttp writes them
                assert joined[name][1] == gateway_writes(), name
        answer = joined["answer"][0].split(b"\r\n\r\n", 1)[1]
        assert json.loads(answer)["messages"][0]["text"] == BOT_ANSWER
    run_stack(scenario)
