"""Clockify's rate limit, followed per workspace: run at the limit, back off on 429, recover.

Clockify counts requests per workspace (50 per second on paid plans, far fewer on new
free workspaces) and answers 429, sometimes with `Retry-After`, past the limit. Each
workspace gets its own pace, starting at `max_requests_per_second`: a 429 halves it and
holds every request to that workspace for the Retry-After; each success then adds back a
little, so the pace climbs to the ceiling again over about a hundred requests. Requests
that name no workspace (the workspace list) share one pace of their own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: The lowest pace a run of 429s can push a workspace to (requests per second).
MIN_RATE = 0.5
#: A 429 multiplies the workspace's pace by this.
SLOWDOWN_FACTOR = 0.5
#: Successes it takes to climb from half the ceiling back to the ceiling.
RECOVERY_REQUESTS = 50


@dataclass
class WorkspacePace:
    """The pace of one workspace's requests."""

    rate: float
    next_slot: float = 0.0
    slowdowns: int = 0


class ClockifyRateLimit:
    """Spaces requests per workspace; slows down on 429 and recovers gradually.

    Thread-safe: every stream and prefetching thread of a run shares one instance.
    """

    def __init__(
        self,
        ceiling: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """At most `ceiling` requests per second to any one workspace."""
        self.ceiling = float(ceiling)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._paces: dict[str, WorkspacePace] = {}

    def _pace(self, workspace: str) -> WorkspacePace:
        pace = self._paces.get(workspace)
        if pace is None:
            pace = self._paces[workspace] = WorkspacePace(rate=self.ceiling)
        return pace

    def rate(self, workspace: str) -> float:
        """The current pace of `workspace` in requests per second."""
        with self._lock:
            return self._pace(workspace).rate

    def slowdowns(self, workspace: str) -> int:
        """How many 429s slowed `workspace` down."""
        with self._lock:
            return self._pace(workspace).slowdowns

    def wait(self, workspace: str) -> None:
        """Block until a request to `workspace` may be sent, and count it as sent now.

        Turns are `1 / rate` apart. A request let through a little late (less than half a
        turn: a sleeper woken late on a busy machine) keeps the schedule, so the pace does
        not drift; one let through later moves the schedule to its own time, so the next
        request cannot follow it at once. A 429 that arrives while waiting (from another
        thread's request) moves the turn, and the wait goes on at the slower pace.
        """
        while True:
            with self._lock:
                pace = self._pace(workspace)
                now = self._clock()
                if now >= pace.next_slot:
                    interval = 1.0 / pace.rate
                    on_schedule = now - pace.next_slot < interval / 2
                    pace.next_slot = (pace.next_slot if on_schedule else now) + interval
                    return
                delay = pace.next_slot - now
            self._sleep(delay)

    def throttled(self, workspace: str, retry_after: float | None) -> float:
        """Clockify answered 429: slow `workspace` down; return its new pace.

        With `Retry-After`, no request to the workspace is sent before it has passed.
        """
        with self._lock:
            pace = self._pace(workspace)
            pace.slowdowns += 1
            pace.rate = max(MIN_RATE, pace.rate * SLOWDOWN_FACTOR)
            now = self._clock()
            resume = now + (retry_after or 0.0)
            pace.next_slot = max(pace.next_slot, resume)
            return pace.rate

    def succeeded(self, workspace: str) -> None:
        """A request to `workspace` went through: climb back toward the ceiling."""
        with self._lock:
            pace = self._pace(workspace)
            if pace.rate < self.ceiling:
                step = self.ceiling * (1 - SLOWDOWN_FACTOR) / RECOVERY_REQUESTS
                pace.rate = min(self.ceiling, pace.rate + step)
