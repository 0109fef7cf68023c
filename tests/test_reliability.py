"""Fault injection: every faulty run must emit exactly the records of a clean run."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
import typing as t
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from tap_clockify.errors import RateLimitCeilingError
from tap_clockify.retries import retry_after_seconds
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.expectations import PRIMARY_KEYS, record_key
from tests.tap_runner import SyncResult, assert_fails_in_one_line, kill_and_resume, run_cli, sync

STREAMS = list(PRIMARY_KEYS)
TIME_ENTRIES_ROUTE = "/workspaces/{workspaceId}/user/{userId}/time-entries"


def fast_config(emulator: Emulator, **overrides: t.Any) -> dict[str, t.Any]:
    """Settings for fault tests: tiny backoff so retries take milliseconds."""
    return emulator_config(emulator, retry_backoff_ms=10, **overrides)


def by_key(result: SyncResult) -> dict[tuple[str, tuple], dict[str, t.Any]]:
    """Every record of the run by (stream, primary key); fails on a duplicate."""
    records: dict[tuple[str, tuple], dict[str, t.Any]] = {}
    for stream in STREAMS:
        for record in result.records(stream):
            key = (stream, record_key(stream, record))
            assert key not in records, f"duplicate record {key}"
            records[key] = record
    return records


@pytest.fixture
def clean(emulator: Emulator) -> dict[tuple[str, tuple], dict[str, t.Any]]:
    """The records of a run without faults; the log is reset afterwards."""
    records = by_key(sync(fast_config(emulator), streams=STREAMS))
    emulator.reset_log()
    return records


def wait_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]


def test_429_every_fifth_and_503_every_seventh_request(
    emulator: Emulator,
    clean: dict,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator.faults.add(FaultRule("status", status=429, every=5, retry_after="0"))
    emulator.faults.add(FaultRule("status", status=503, every=7))
    caplog.set_level(logging.INFO)

    faulty = by_key(sync(fast_config(emulator), streams=STREAMS))

    assert faulty == clean
    statuses = [r.status for r in emulator.requests]
    assert statuses.count(429) >= 5
    assert statuses.count(503) >= 3
    waits = wait_lines(caplog)
    assert any("rate limit (429)" in line for line in waits)
    assert any("a 503 from Clockify" in line for line in waits)
    assert len(waits) == statuses.count(429) + statuses.count(503)


def test_retry_after_is_honoured(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    emulator.faults.add(
        FaultRule("status", status=429, route="/workspaces", retry_after="1", times=1),
    )
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    sync(fast_config(emulator), streams=["workspaces"])
    assert time.monotonic() - started >= 1.0
    assert any("waiting 1.0 s" in line for line in wait_lines(caplog))


def test_429_without_retry_after_backs_off_exponentially(emulator: Emulator) -> None:
    emulator.faults.add(FaultRule("status", status=429, route="/workspaces", times=3))
    result = sync(fast_config(emulator), streams=["workspaces"])
    assert len(result.records("workspaces")) == len(emulator.data.visible_workspace_ids)
    assert [r.status for r in emulator.requests] == [429, 429, 429, 200]


def test_retry_after_as_an_http_date() -> None:
    response = requests.Response()
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    response.headers["Retry-After"] = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(response, now=now) == 90
    response.headers["Retry-After"] = "7"
    assert retry_after_seconds(response, now=now) == 7


def test_a_wait_longer_than_the_ceiling_stops_the_sync(emulator: Emulator) -> None:
    emulator.faults.add(FaultRule("status", status=429, retry_after="3600"))
    started = time.monotonic()
    with pytest.raises(RateLimitCeilingError, match="max_rate_limit_wait_seconds"):
        sync(fast_config(emulator, max_rate_limit_wait_seconds=60), streams=["workspaces"])
    assert time.monotonic() - started < 5
    assert emulator.count() == 1


@pytest.mark.parametrize(
    "fault",
    [
        FaultRule("drop", every=4),
        FaultRule("truncate", every=3),
        FaultRule("status", status=502, every=2, body=b"<html>Bad gateway</html>"),
        FaultRule("status", status=200, every=5, body=b"<html>maintenance</html>"),
    ],
    ids=["dropped-connections", "truncated-json", "html-502", "non-json-200"],
)
def test_network_faults_are_retried_without_losing_or_duplicating(
    emulator: Emulator,
    clean: dict,
    fault: FaultRule,
) -> None:
    emulator.faults.add(fault)
    assert by_key(sync(fast_config(emulator), streams=STREAMS)) == clean
    assert fault.applied > 0


def test_a_page_retried_mid_paging_is_emitted_once(emulator: Emulator, clean: dict) -> None:
    """Page 2 of the busiest user fails twice; its records still arrive exactly once."""
    ws = emulator.data.main
    user_id = max(ws.time_entries, key=lambda uid: len(ws.time_entries[uid]))
    emulator.faults.add(FaultRule("truncate", route=f"/user/{user_id}/", every=2, times=2))
    faulty = by_key(sync(fast_config(emulator, page_size=50), streams=STREAMS))
    assert faulty == clean
    pages = [r.query["page"][0] for r in emulator.requests if f"/user/{user_id}/" in r.path]
    assert pages == ["1", "2", "2", "3", "3"] or len(pages) > len(set(pages))


def test_a_slow_endpoint_past_the_timeout_is_retried(emulator: Emulator, clean: dict) -> None:
    emulator.faults.add(FaultRule("delay", route="/clients", delay=2.0, times=1))
    faulty = by_key(sync(fast_config(emulator, request_timeout=1), streams=STREAMS))
    assert faulty == clean


def test_a_trickling_body_is_cut_at_the_timeout_and_retried(
    emulator: Emulator, clean: dict
) -> None:
    """Headers, then a byte every 0.3 s: each read is quick, the request never ends."""
    trickle = emulator.faults.add(FaultRule("trickle", route="/clients", delay=0.3, times=1))
    started = time.monotonic()
    faulty = by_key(sync(fast_config(emulator, request_timeout=1), streams=STREAMS))
    assert faulty == clean
    assert trickle.applied == 1
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("fault", "fragments"),
    [
        (
            FaultRule("trickle", route="/clients", delay=0.3),
            ["clients: no complete answer", "within request_timeout (1 s)", "2 attempts"],
        ),
        (
            FaultRule("delay", route="/clients", delay=3),
            ["clients: no complete answer", "within request_timeout (1 s)", "2 attempts"],
        ),
    ],
    ids=["trickling-body", "slow-headers"],
)
def test_a_timeout_after_every_retry_names_the_stream_and_the_setting(
    emulator: Emulator,
    tmp_path: t.Any,
    fault: FaultRule,
    fragments: list[str],
) -> None:
    emulator.faults.add(fault)
    config = fast_config(emulator, request_timeout=1, max_retries=1)
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert_fails_in_one_line(result, *fragments)


def test_a_refused_connection_names_the_stream_and_the_host(tmp_path: t.Any) -> None:
    with Emulator() as emulator:
        config = fast_config(emulator, max_retries=1)
        base_url = emulator.base_url
    # The emulator is gone: its port refuses connections.
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert_fails_in_one_line(
        result,
        f"workspaces: cannot connect to {base_url}",
        "Connection refused",
        "request_timeout",
    )


def test_retries_are_bounded_and_the_failure_is_one_line(
    emulator: Emulator,
    tmp_path: t.Any,
) -> None:
    emulator.faults.add(FaultRule("status", status=503, route="/tags"))
    config = fast_config(emulator, max_retries=2)
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert result.exit_code == 1
    assert emulator.count(route="/workspaces/{workspaceId}/tags") == 3
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, result.stderr[-3000:]
    assert "tags: Clockify answered 503" in errors[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("interruption", "exit_code"),
    [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGTERM, 143), (signal.SIGINT, 130)],
    ids=["SIGKILL", "SIGTERM", "SIGINT"],
)
def test_an_interrupted_sync_resumed_from_its_last_state_loses_nothing(
    emulator: Emulator,
    clean: dict,
    tmp_path: t.Any,
    interruption: signal.Signals,
    exit_code: int,
) -> None:
    """Interrupt the CLI mid-way through time entries; the resumed run fills every gap.

    SIGTERM and SIGINT end with 128 + the signal and one line saying so (never 0, which
    an orchestrator would record as a success).
    """
    config = fast_config(emulator)
    ws = emulator.data.second
    victim = ws.users[len(ws.users) // 2]["id"]
    stall = emulator.faults.add(
        FaultRule("delay", route=f"/workspaces/{ws.id}/user/{victim}/", delay=30, times=1),
    )
    interrupted, seen = kill_and_resume(
        config,
        stall,
        tmp_path,
        clear_faults=emulator.faults.clear,
        interruption=interruption,
    )
    assert interrupted.exit_code == exit_code
    if interruption != signal.SIGKILL:
        assert_fails_in_one_line(
            interrupted, f"Interrupted by {interruption.name}", exit_code=exit_code
        )
    assert seen == set(clean)
    assert (
        0
        < len(interrupted.records("time_entries"))
        < sum(1 for stream, _ in clean if stream == "time_entries")
    )


def test_a_target_that_stops_reading_ends_the_run_with_one_error_line(
    emulator: Emulator, tmp_path: t.Any
) -> None:
    """`tap-clockify | head -1`: the tap's next write fails; it says so and exits 1."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(fast_config(emulator)))
    emulator.faults.add(FaultRule("delay", route="/time-entries", delay=0.2, every=3))
    process = subprocess.Popen(
        [sys.executable, "-m", "tap_clockify", "--config", str(config_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()  # like `head -1` exiting
    _, stderr = process.communicate(timeout=120)
    log = stderr.decode()
    assert process.returncode == 1, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    errors = [line for line in log.splitlines() if " ERROR " in line]
    assert len(errors) == 1, log[-3000:]
    assert "the target stopped reading" in errors[0]
