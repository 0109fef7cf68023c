"""Incremental time entries without change tracking: bookmarks, the lookback window, edits,
timers, start_date (the lookback is also what a run falls back to when the feed fails)."""

from __future__ import annotations

import re
import typing as t
from datetime import UTC, datetime, timedelta

from tap_clockify.streams.time_entries import OPEN_TIMER_KEY
from tap_clockify.timestamps import parse_timestamp
from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.tap_runner import sync

TIME_ENTRIES_ROUTE = "/workspaces/{workspaceId}/user/{userId}/time-entries"


def entry_requests(emulator: Emulator) -> list[t.Any]:
    return [r for r in emulator.requests if r.route == TIME_ENTRIES_ROUTE]


def bookmarks(state: dict[str, t.Any]) -> dict[tuple[str, str], dict[str, t.Any]]:
    partitions = state["bookmarks"]["time_entries"]["partitions"]
    return {(p["context"]["workspace_id"], p["context"]["user_id"]): p for p in partitions}


def test_second_run_asks_only_for_the_lookback_window(emulator: Emulator) -> None:
    config = emulator_config(emulator, lookback_days=3, change_tracking=False)
    first = sync(config, streams=["time_entries"])
    emulator.reset_log()

    second = sync(config, state=first.final_state, streams=["time_entries"])

    marks = bookmarks(first.final_state)
    requests = entry_requests(emulator)
    assert requests
    for request in requests:
        ids = re.search(r"/workspaces/(\w+)/user/(\w+)/", request.path)
        assert ids is not None, request.path  # the route has both ids
        ws_id, user_id = ids.groups()
        mark = marks[(ws_id, user_id)]
        if "replication_key_value" not in mark:  # a member with no entries yet
            assert "start" not in request.query
            continue
        window = parse_timestamp(mark["replication_key_value"]) - timedelta(days=3)
        if OPEN_TIMER_KEY in mark:
            window = min(window, parse_timestamp(mark[OPEN_TIMER_KEY]))
        # One extra day absorbs Clockify reading `start` in the account's time zone.
        assert parse_timestamp(request.query["start"][0]) == window - timedelta(days=1)
    emitted = second.records("time_entries")
    assert 0 < len(emitted) < len(first.records("time_entries")) / 4
    for record in emitted:
        mark = marks[(record["workspace_id"], record["userId"])]
        floor = parse_timestamp(mark["replication_key_value"]) - timedelta(days=3)
        if OPEN_TIMER_KEY in mark:
            floor = min(floor, parse_timestamp(mark[OPEN_TIMER_KEY]))
        assert parse_timestamp(record["started_at"]) >= floor


def test_an_edit_inside_the_window_is_re_emitted(emulator: Emulator) -> None:
    config = emulator_config(emulator, lookback_days=7, change_tracking=False)
    first = sync(config, streams=["time_entries"])
    cutoff = emulator.data.now - timedelta(days=2)
    entry = next(
        e
        for e in emulator.data.all_time_entries()
        if e["timeInterval"]["end"] and parse_timestamp(e["timeInterval"]["start"]) > cutoff
    )
    with emulator.lock:
        entry["description"] = "Edited after the first sync ✍️"

    second = sync(config, state=first.final_state, streams=["time_entries"])

    edited = [r for r in second.records("time_entries") if r["id"] == entry["id"]]
    assert [r["description"] for r in edited] == ["Edited after the first sync ✍️"]


def test_entries_before_start_date_never_appear(emulator: Emulator) -> None:
    start = emulator.data.now - timedelta(days=200)
    config = emulator_config(emulator, start_date=start.strftime("%Y-%m-%dT%H:%M:%SZ"))
    result = sync(config, streams=["time_entries"])
    emitted = result.records("time_entries")
    expected = [
        e
        for e in emulator.data.all_time_entries()
        if parse_timestamp(e["timeInterval"]["start"]) >= start.replace(microsecond=0)
    ]
    assert {r["id"] for r in emitted} == {e["id"] for e in expected}
    assert len(emitted) < len(emulator.data.all_time_entries())
    # The filter was asked a day early (time-zone margin); the extra day was dropped.
    for request in entry_requests(emulator):
        assert request.query["start"] == [
            (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ]


def test_a_long_running_timer_is_picked_up_once_stopped(emulator: Emulator) -> None:
    """A timer older than the lookback window is still re-read after it stops."""
    ws = emulator.data.main
    user_id, entries = max(ws.time_entries.items(), key=lambda item: len(item[1]))
    started = (emulator.data.now - timedelta(days=20)).replace(microsecond=0)
    timer = dict(entries[-1])
    timer.update(
        id=emulator.data.new_id(),
        description="Forgot to stop this one ⏱",
        timeInterval={
            "start": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": None,
            "duration": None,
        },
    )
    with emulator.lock:
        entries.append(timer)
    config = emulator_config(
        emulator, workspace_ids=[ws.id], lookback_days=1, change_tracking=False
    )
    first = sync(config, streams=["time_entries"])
    assert [
        r["timeInterval"]["end"] for r in first.records("time_entries") if r["id"] == timer["id"]
    ] == [None]
    assert OPEN_TIMER_KEY in bookmarks(first.final_state)[(ws.id, user_id)]

    stopped = datetime.now(UTC).replace(microsecond=0)
    with emulator.lock:
        timer["timeInterval"]["end"] = stopped.strftime("%Y-%m-%dT%H:%M:%SZ")
        timer["timeInterval"]["duration"] = "PT480H"

    second = sync(config, state=first.final_state, streams=["time_entries"])
    again = [r for r in second.records("time_entries") if r["id"] == timer["id"]]
    assert [r["timeInterval"]["end"] for r in again] == [timer["timeInterval"]["end"]]
    remembered = bookmarks(second.final_state)[(ws.id, user_id)].get(OPEN_TIMER_KEY)
    assert remembered != timer["timeInterval"]["start"]
