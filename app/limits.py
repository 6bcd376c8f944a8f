"""Limits on guessing: wrong secret links per client address, wrong passwords per account and
per client address. Counted in each process (a deployment with N workers allows up to N times
as many guesses before waiting); right answers are never counted, so two thousand phones behind
one venue address are never locked out."""

from __future__ import annotations

import threading
import time
from collections import deque


class FailureLimit:
    """At most `limit` wrong secrets per client address in `window` seconds."""

    def __init__(self, limit: int = 30, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        with self._lock:
            now = time.monotonic()
            blocked = len(self._recent(client, now)) >= self.limit
            if len(self._failures) > 10_000:  # forget clients that stopped failing
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]
            return blocked

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())

    def retry_after(self, client: str) -> int:
        """Seconds until the oldest failure in the window is forgotten."""
        with self._lock:
            failures = self._recent(client, time.monotonic())
            if not failures:
                return 0
            return max(1, int(failures[0] + self.window - time.monotonic()) + 1)


class SignInLimit:
    """Wrong passwords: at most `per_account` for one username and `per_address` from one client
    address in `window` seconds; after that, sign-in answers 429 with Retry-After, without
    checking the password (no hashing work for a flood)."""

    def __init__(self, per_account: int = 10, per_address: int = 30, window: float = 900.0) -> None:
        self.accounts = FailureLimit(per_account, window)
        self.addresses = FailureLimit(per_address, window)

    def wait(self, username: str, address: str) -> int:
        """Seconds to wait before trying again (0: go ahead)."""
        name = username.strip().casefold()
        waits = [
            limit.retry_after(key)
            for limit, key in ((self.accounts, name), (self.addresses, address))
            if limit.blocked(key)
        ]
        return max(waits, default=0)

    def failed(self, username: str, address: str) -> None:
        self.accounts.failed(username.strip().casefold())
        self.addresses.failed(address)
