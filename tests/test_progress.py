"""Progress lines at a calm pace, and a summary per stream at the end of a sync."""

from __future__ import annotations

import logging
import re

import pytest

from tap_clockify.progress import SyncProgress
from tests.emulator import Emulator
from tests.tap_runner import sync


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_progress_line_names_partition_workspace_records_and_rate() -> None:
    clock = FakeClock()
    logger = logging.getLogger("test-progress")
    progress = SyncProgress(logger, interval=15, clock=clock)
    progress.workspace_names["ws1"] = "Acme"
    progress.partition_started("users", {"workspace_id": "ws1"}, "workspaces")
    progress.page_read("users", 500, last=True)
    for n in range(120):
        clock.now += 0.5
        progress.partition_started(
            "time_entries", {"workspace_id": "ws1", "user_id": f"u{n}"}, "users"
        )
        progress.page_read("time_entries", 2000, last=True)
        progress.records_emitted("time_entries", 2000)
    line = progress.describe("time_entries", {"workspace_id": "ws1", "user_id": "u119"}, "users")
    assert line.startswith("time_entries: user 120/500 (workspace Acme), 240,000 records, ")
    assert re.search(r"\d\.\dk records/s$", line)


def test_progress_is_logged_at_most_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    progress = SyncProgress(logging.getLogger("test-progress"), interval=15, clock=clock)
    caplog.set_level(logging.INFO, logger="test-progress")
    for n in range(100):
        clock.now += 1.0
        progress.partition_started("time_entries", {"workspace_id": "w", "user_id": str(n)}, None)
    assert len(caplog.records) == 100 // 15


def test_each_stream_ends_with_a_summary(
    emulator: Emulator,
    config: dict,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    result = sync(config, streams=["workspaces", "users", "time_entries"])
    summaries = {
        m.split(":")[1].strip(): m
        for m in (r.getMessage() for r in caplog.records)
        if m.startswith("Summary: ")
    }
    entries = len(result.records("time_entries"))
    calls = emulator.count(route="/workspaces/{workspaceId}/user/{userId}/time-entries")
    assert re.fullmatch(
        rf"Summary: time_entries: {entries:,} records, {calls:,} API calls, \d+\.\d s",
        summaries["time_entries"],
    )
    assert "Beginning sync" not in caplog.text  # per-partition chatter stays at DEBUG
    assert "METRIC" not in caplog.text


def test_the_summary_counts_records_emitted_not_listed(
    config: dict,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Scheduling windows list an assignment once per window; it is emitted (and counted) once."""
    caplog.set_level(logging.INFO)
    result = sync(config, streams=["workspaces", "scheduling_assignments"])
    emitted = len(result.records("scheduling_assignments"))
    assert f"Summary: scheduling_assignments: {emitted:,} records, " in caplog.text
