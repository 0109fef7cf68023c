"""A client-side request throttle shared by every stream of one tap run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RequestThrottle:
    """Spaces requests at least `1 / max_per_second` seconds apart, across threads.

    Clockify counts requests per workspace (50/s on paid plans, a few per hour on new free
    workspaces), so one throttle serves the whole run rather than one per stream.
    """

    def __init__(
        self,
        max_per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Allow at most `max_per_second` requests each second."""
        self.interval = 1.0 / max_per_second
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = 0.0
        self.waited_seconds = 0.0

    def wait(self) -> None:
        """Block until the next request may be sent."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
        delay = slot - now
        if delay > 0:
            self.waited_seconds += delay
            self._sleep(delay)
