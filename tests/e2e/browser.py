"""A headless Chromium driven over the DevTools protocol with the ``websockets`` library.

Why not selenium: selenium 4 needs trio, which needs attrs >= 23.2, while Rasa 3.6.21 pins
attrs < 22.2 — they cannot share the Rasa environment. The protocol itself is enough for what
the console tests do: open pages, run a line of JavaScript, wait for the page, take a picture.
Chromium comes from Debian's ``chromium`` package (``make browser`` installs it).
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websockets

from tests.processes import free_port, wait_until

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1440,900", "--lang=fr-FR",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One tab: evaluate JavaScript, wait for a condition, take a screenshot."""

    def __init__(self, socket: Any):
        self._socket = socket
        self._next_id = 0

    async def call(self, method: str, **params: Any) -> dict:
        self._next_id += 1
        call_id = self._next_id
        await self._socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(await self._socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression,
                                 returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {expression}\n{result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout_s: float = 30) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            # Boolean(): a DOM node comes back over the protocol as {}, which Python finds false.
            value = await self.js(f"Boolean({expression})")
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for: {expression}")
            await asyncio.sleep(0.25)

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await asyncio.sleep(0.2)
        await self.wait_for("document.readyState === 'complete'")

    async def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    async def close(self) -> None:
        await self._socket.close()


class Browser:
    """A fresh Chromium with its own profile folder; ``async with Browser() as b``."""

    def __init__(self) -> None:
        self._port = free_port()
        self._profile = tempfile.mkdtemp(prefix="relais-chromium-")
        self._process: subprocess.Popen | None = None
        self._pages: list[Page] = []

    async def __aenter__(self) -> Browser:
        binary = chromium_path()
        assert binary, "chromium is not installed (make browser)"
        self._process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}",
             f"--remote-debugging-port={self._port}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        assert wait_until(lambda: self._version() is not None, 30), "chromium did not start"
        return self

    def _version(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self._port}/json/version",
                                        timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            return None

    async def new_page(self) -> Page:
        request = urllib.request.Request(f"http://127.0.0.1:{self._port}/json/new?about:blank",
                                         method="PUT")
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.loads(response.read())
        socket = await websockets.connect(target["webSocketDebuggerUrl"], max_size=None)
        page = Page(socket)
        self._pages.append(page)
        await page.call("Page.enable")
        # The console asks before handing back; a test answers "yes" to every confirm().
        await page.call("Page.addScriptToEvaluateOnNewDocument",
                        source="window.confirm = () => true; window.alert = () => {};")
        return page

    async def __aexit__(self, *exc: object) -> None:
        for page in self._pages:
            await page.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        shutil.rmtree(self._profile, ignore_errors=True)
