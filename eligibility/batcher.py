"""Micro-batching: requests that arrive together are computed in one OpenFisca simulation.

OpenFisca's cost is mostly per simulation, not per household, so sixteen residents asking at once
cost about what one does. A single worker thread owns the engine.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from eligibility.engine import Computed, Engine
from eligibility.models import EvaluateRequest

log = logging.getLogger(__name__)


class Batcher:
    """Gathers the requests of a short ``window`` (at most ``max_batch``) and runs them at once."""

    def __init__(self, engine: Engine, max_batch: int = 64, window: float = 0.002) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.window = window
        self._queue: asyncio.Queue[tuple[EvaluateRequest, asyncio.Future[Computed]]] = (
            asyncio.Queue()
        )
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="openfisca")
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def compute(self, request: EvaluateRequest) -> Computed:
        future: asyncio.Future[Computed] = asyncio.get_running_loop().create_future()
        await self._queue.put((request, future))
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            deadline = loop.time() + self.window
            while len(batch) < self.max_batch:
                timeout = deadline - loop.time()
                if timeout <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), timeout))
                except asyncio.TimeoutError:
                    break
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._settle(loop, batch)

    async def _settle(self, loop, batch) -> None:
        requests = [request for request, _ in batch]
        log.debug("computing a batch of %d", len(requests))
        try:
            results = await loop.run_in_executor(self._executor, self.engine.compute, requests)
        except Exception:  # one odd household must not fail the others: retry one by one
            log.exception("batch of %d failed; retrying one by one", len(batch))
            for request, future in batch:
                try:
                    result = (
                        await loop.run_in_executor(self._executor, self.engine.compute, [request])
                    )[0]
                    if not future.done():
                        future.set_result(result)
                except Exception as error:  # noqa: BLE001 — reported to that caller only
                    if not future.done():
                        future.set_exception(error)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
