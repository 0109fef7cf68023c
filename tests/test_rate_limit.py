"""The per-workspace rate limit, measured by the emulator's request log over real HTTP.

Assertions are lower bounds on the time requests took to arrive (a paced client can only
be slower than its pace, never faster), plus the limiter's own state after the run; none
depends on how fast the machine is.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import typing as t

import pytest

from tap_clockify.prefetch import PREFETCH_DEPTH
from tap_clockify.ratelimit import ClockifyRateLimit
from tap_clockify.settings import DEFAULT_MAX_REQUESTS_PER_SECOND
from tap_clockify.tap import TapClockify
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule, RecordedRequest
from tests.tap_runner import catalog_selecting

#: Arrival times can bunch up by this much when the machine is busy (seconds).
JITTER = 0.1
STREAMS = ["workspaces", "users", "time_entries"]


def run(config: dict[str, t.Any], streams: list[str]) -> tuple[TapClockify, list[str]]:
    """Sync `streams`; return the tap (for its rate limit) and the record lines."""
    tap = TapClockify(
        config=config, catalog=catalog_selecting(config, streams), parse_env_config=False
    )
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    return tap, [line for line in buffer.getvalue().splitlines() if '"RECORD"' in line]


def in_workspace(emulator: Emulator, workspace_id: str) -> list[RecordedRequest]:
    """Requests to one workspace, in arrival order."""
    return [r for r in emulator.requests if f"/workspaces/{workspace_id}/" in r.path]


def assert_paced(requests: list[RecordedRequest], rate: float) -> None:
    """Any `n` consecutive requests took at least `(n - 1) / rate` seconds to arrive."""
    window = int(rate // 2) or 1
    times = [r.at for r in requests]
    assert len(times) > window, "too few requests to measure a pace"
    for first, last in zip(times, times[window:], strict=False):
        assert last - first >= window / rate - JITTER, f"{window + 1} requests in {last - first}s"


def test_the_default_pace_is_clockifys_documented_limit(emulator: Emulator) -> None:
    config = emulator_config(emulator, page_size=5)
    del config["max_requests_per_second"]
    tap, records = run(config, STREAMS)
    assert DEFAULT_MAX_REQUESTS_PER_SECOND == 50
    main = in_workspace(emulator, emulator.data.main.id)
    assert_paced(main, DEFAULT_MAX_REQUESTS_PER_SECOND)
    assert tap.rate_limit.rate(emulator.data.main.id) == DEFAULT_MAX_REQUESTS_PER_SECOND
    entries = [line for line in records if '"stream":"time_entries"' in line]
    assert len(entries) == len(emulator.data.all_time_entries())


def test_max_requests_per_second_caps_each_workspace(emulator: Emulator) -> None:
    run(emulator_config(emulator, page_size=5, max_requests_per_second=20), STREAMS)
    for workspace_id in emulator.data.visible_workspace_ids:
        requests = in_workspace(emulator, workspace_id)
        if len(requests) > 10:
            assert_paced(requests, 20)


def test_a_429_slows_the_workspace_down_then_it_recovers(emulator: Emulator) -> None:
    """A 429 with Retry-After: 1 holds the workspace a second, halves its pace, and the
    pace climbs back to the ceiling over the following successful requests."""
    ceiling = 40
    main = emulator.data.main
    fault = emulator.add_fault(
        FaultRule(
            "status",
            status=429,
            route=f"/workspaces/{main.id}/user/",
            every=3,
            times=1,
            retry_after="1",
        )
    )
    config = emulator_config(emulator, page_size=3, max_requests_per_second=ceiling)
    tap, records = run(config, STREAMS)
    assert fault.applied == 1
    requests = in_workspace(emulator, main.id)
    throttled = next(i for i, r in enumerate(requests) if r.status == 429)
    held_from = requests[throttled].at
    later = requests[throttled + 1 :]
    # Retry-After is honoured: for a second nothing reaches the workspace but the
    # requests already on their way (one per prefetching reader at most).
    early = [r for r in later if r.at - held_from < 1 - JITTER]
    assert len(early) < PREFETCH_DEPTH
    # Then the pace is half the ceiling: 10 requests take at least 10/20 s (plus recovery).
    after = [r for r in later if r.at - held_from >= 1 - JITTER][:11]
    assert after[-1].at - after[0].at >= 10 / (ceiling / 2 + 10 * 0.4) - JITTER
    # Recovery: the many requests that followed brought the pace back to the ceiling.
    assert len(later) > 60
    assert tap.rate_limit.rate(main.id) == ceiling
    assert tap.rate_limit.slowdowns(main.id) == 1
    # Other workspaces kept their pace, and no record was lost or repeated.
    assert tap.rate_limit.slowdowns(emulator.data.second.id) == 0
    assert len(records) == len(set(records))
    entries = [line for line in records if '"stream":"time_entries"' in line]
    assert len(entries) == len(emulator.data.all_time_entries())


@pytest.mark.parametrize("retry_after", [None, "0"])
def test_a_429_logs_the_slowdown_once_per_workspace(
    emulator: Emulator,
    retry_after: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator.add_fault(
        FaultRule("status", status=429, route="/user/", every=2, times=3, retry_after=retry_after)
    )
    config = emulator_config(emulator, retry_backoff_ms=10, page_size=20)
    run(config, STREAMS)
    lines = [r.getMessage() for r in caplog.records if "slowing to" in r.getMessage()]
    assert lines
    assert len(lines) == len(set(lines))
    assert all("rate limit (429)" in line for line in lines)


class LateClock:
    """A clock that moves only when slept on, and wakes every sleeper `late` seconds late,
    as a busy machine does."""

    def __init__(self, late: float) -> None:
        self.now = 0.0
        self.late = late

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds + self.late


def send_times(rate: float, late: float, requests: int) -> list[float]:
    """When `requests` requests to one workspace are let through at `rate`, every sleeper
    waking `late` seconds late."""
    clock = LateClock(late)
    limit = ClockifyRateLimit(rate, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(requests):
        limit.wait("ws")
        sent.append(clock.now)
    return sent


def gaps(times: list[float]) -> list[float]:
    """The time between each two consecutive `times`."""
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_a_late_wakeup_does_not_let_the_next_request_bunch_up_behind_it() -> None:
    """A request let through well after its turn moves the schedule: the next one waits a
    whole turn after it instead of going out at once."""
    sent = send_times(rate=10, late=0.3, requests=5)
    assert min(gaps(sent)) >= 0.1, sent


def test_a_slightly_late_wakeup_keeps_the_schedule() -> None:
    """Sleepers woken a little late (less than half a turn) do not slow the pace down."""
    sent = send_times(rate=10, late=0.02, requests=21)
    assert sent[-1] - sent[0] < 2 + 0.02 + 1e-9, sent  # 20 turns of 0.1 s, one wake-up late
    assert min(gaps(sent)) > 0.05, sent
