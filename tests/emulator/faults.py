"""Injected faults: rate limits, server errors, dropped and truncated responses.

No live 429 body or headers were ever captured (docs/clockify.md, Rate limits), so the
emulator sends 429 with and without ``Retry-After`` (seconds or an HTTP-date).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = ("status", "drop", "delay", "truncate", "redirect", "trickle")


@dataclass
class FaultRule:
    """When and how to misbehave.

    ``kind``:
      * ``"status"``: answer ``status`` with a JSON error body (``body`` overrides it) and
        a ``Retry-After: retry_after`` header when ``retry_after`` is not None;
      * ``"drop"``: close the connection without any response (recorded as status 0);
      * ``"delay"``: sleep ``delay`` seconds, then answer normally;
      * ``"truncate"``: send the real status and headers (full Content-Length) but only
        the first half of the body, then close the connection;
      * ``"redirect"``: answer ``status`` (302 unless set otherwise) with ``Location``
        pointing at the same path and query under ``location`` (another base URL);
      * ``"trickle"``: send the real status and headers, then the body one byte every
        ``delay`` seconds (a server that never times out a read, yet never finishes).

    A request matches when ``route`` is None, equals the route template, or is a substring
    of the path (relative to the host base, e.g. ``/workspaces/<id>/clients``), and
    ``method``/``host`` are None or equal. Of the matching requests, every ``every``-th one
    is faulted, at most ``times`` times (None: unlimited).
    """

    kind: str
    status: int = 500
    route: str | None = None
    method: str | None = None
    host: str | None = None
    every: int = 1
    times: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    body: Any = None
    location: str | None = None
    #: Matching requests seen so far.
    seen: int = field(default=0, compare=False)
    #: Times this rule has fired.
    applied: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.every < 1:
            raise ValueError("every must be >= 1")
        if self.kind == "redirect" and not self.location:
            raise ValueError("a redirect needs a location")

    def matches(self, method: str, host: str | None, template: str | None, path: str) -> bool:
        """Whether a request falls under this rule (before counting)."""
        if self.method is not None and self.method.upper() != method:
            return False
        if self.host is not None and self.host != host:
            return False
        return self.route is None or self.route == template or self.route in path

    @property
    def exhausted(self) -> bool:
        """Whether the rule has fired ``times`` times already."""
        return self.times is not None and self.applied >= self.times


class FaultSet:
    """The emulator's active fault rules (thread-safe)."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> FaultRule:
        """Activate ``rule`` and return it (its ``seen``/``applied`` counters are live)."""
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        """A snapshot of the active rules."""
        with self._lock:
            return list(self._rules)

    def pick(
        self, method: str, host: str | None, template: str | None, path: str
    ) -> FaultRule | None:
        """Count the request against every matching rule; return the first that fires."""
        fired: FaultRule | None = None
        with self._lock:
            for rule in self._rules:
                if rule.exhausted or not rule.matches(method, host, template, path):
                    continue
                rule.seen += 1
                if fired is None and rule.seen % rule.every == 0:
                    rule.applied += 1
                    fired = rule
        return fired
