"""How many password checks the console login may run, per client address and in all.

A password check is scrypt: about a tenth of a second of one core, on purpose. Anyone can
post a well-formed login (its CSRF is a double-submit cookie), so without a bound a script
guessing passwords, or just flooding the form, keeps one of the server's cores busy and
slows every resident's message. Each address gets ``burst`` checks, then one every
``refill_s`` (a person who mistypes is never stopped; a guesser gets a few per minute); all
addresses together get ``global_burst``, then one every ``global_refill_s``. Beyond, the
login answers 429 at once, without hashing anything.

Behind a reverse proxy every agent has the proxy's address: then the per-address budget is
shared by the whole town hall, which is still several logins a minute.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class Bucket:
    """``capacity`` tokens, one more every ``refill_s``; ``take`` spends one if there is one."""

    def __init__(self, capacity: float, refill_s: float, now: float):
        self.capacity, self.refill_s = capacity, refill_s
        self.tokens, self.updated = capacity, now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) / self.refill_s)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class LoginThrottle:
    def __init__(self, burst: int = 10, refill_s: float = 6.0, global_burst: int = 30,
                 global_refill_s: float = 1.0, addresses: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self._burst, self._refill_s = burst, refill_s
        self._addresses = addresses
        self._clock = clock
        self._per_address: OrderedDict[str, Bucket] = OrderedDict()
        self._all = Bucket(global_burst, global_refill_s, clock())

    def allow(self, address: str | None) -> bool:
        """Whether a password may be checked now for a login from ``address``."""
        now = self._clock()
        key = address or "unknown"
        bucket = self._per_address.get(key)
        if bucket is None:
            bucket = self._per_address[key] = Bucket(self._burst, self._refill_s, now)
            while len(self._per_address) > self._addresses:
                self._per_address.popitem(last=False)
        self._per_address.move_to_end(key)
        if bucket.tokens + (now - bucket.updated) / bucket.refill_s < 1:
            return False  # this address is out: it does not spend the others' budget
        return self._all.take(now) and bucket.take(now)
