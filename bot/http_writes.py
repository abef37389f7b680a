"""The gateway's answers leave in one write to the socket: status line, headers and body.

aiohttp 3.9 (pinned by Rasa 3.6) writes a response's headers, then its body: two system calls
per answer, the largest single item of the gateway's event loop under load (11 % of its
samples, docs/performance.md); aiohttp 3.10 joins them. Until then, a plain ``web.Response``
whose body is bytes known in advance keeps its headers back at ``prepare`` and writes them
with the body. Files, streams, compressed or chunked answers and answers without a body go
out as aiohttp writes them.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.http_writer import StreamWriter, _serialize_headers


class OneWriteResponse(web.Response):
    """A ``web.Response`` whose headers are written together with its body."""

    _pending_headers: bytes | None = None

    async def _write_headers(self) -> None:
        writer, body = self._payload_writer, self._body
        if (type(writer) is StreamWriter and not writer.chunked and writer._compress is None
                and writer._on_headers_sent is None and writer._on_chunk_sent is None
                and not self._must_be_empty_body and not self._body_payload
                and self._compressed_body is None and isinstance(body, bytes) and body):
            version = self._req.version
            status_line = f"HTTP/{version[0]}.{version[1]} {self._status} {self._reason}"
            self._pending_headers = _serialize_headers(status_line, self._headers)
            return
        await super()._write_headers()

    async def write_eof(self, data: bytes = b"") -> None:
        headers = self._pending_headers
        if headers is None or self._eof_sent:
            await super().write_eof(data)
            return
        self._pending_headers = None
        await web.StreamResponse.write_eof(self, headers + self._body)


@web.middleware
async def one_write(request: web.Request, handler):
    """Outermost: every plain answer of the gateway's handlers becomes a OneWriteResponse."""
    response = await handler(request)
    if type(response) is web.Response:
        response.__class__ = OneWriteResponse
    return response
