"""The objects a server holds from its start to its end, kept out of Python's full collections.

CPython's full garbage collection (generation 2) visits every object that can hold references,
however old. The Rasa server holds about 530,000 of them once its model and libraries are
loaded (the gateway about 200,000), and a full collection, which CPython starts by itself as
objects accumulate (every 8 to 14 s under 16 conversations), took 210 to 430 ms in the Rasa
server and 70 to 170 ms in the gateway, up to 780 and 270 ms with other work on the machine
(1 Dec 2026, docs/performance.md): every conversation waited meanwhile.

``freeze_start_up()``, called once a server has started, collects what start-up left behind,
then moves every object alive to the permanent generation (``gc.freeze``), which collections
no longer visit: a full collection then visits only what was created since. Nothing else
changes: objects are still freed by reference counting as before, and those created after
start-up are collected as before. What a frozen object cannot be any more is collected as part
of a reference cycle: the model, the domain, the modules and the servers' set-up live as long
as the process anyway; were the Rasa model replaced through the HTTP API (Relais does not),
the old model's cycles would stay in memory.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

log = logging.getLogger("relais.heap")


def freeze_start_up() -> int:
    """Collects start-up's garbage and freezes every object left; returns how many are
    frozen in all."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


MESSAGE = "start-up objects kept out of garbage collection: %d"


async def freeze_on_gateway_start(_app: Any) -> None:
    """An aiohttp ``on_startup`` hook, after the gateway's other start-up steps."""
    log.info(MESSAGE, freeze_start_up())


async def freeze_after_rasa_start(_app: Any, _loop: Any) -> None:
    """A Sanic ``after_server_start`` listener: Rasa has loaded its model before its server
    starts. Printed as Rasa prints its start-up (its process has no log handler for INFO)."""
    print("Relais: " + MESSAGE % freeze_start_up(), flush=True)
