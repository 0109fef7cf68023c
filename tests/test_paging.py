"""Paging: several pages, the Last-Page header, short pages, repeated pages, unpaged lists."""

from __future__ import annotations

import copy
import math
import threading
import time
import typing as t

import pytest

from tap_clockify.errors import RepeatedPageError
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.tap_runner import sync

TIME_ENTRIES_ROUTE = "/workspaces/{workspaceId}/user/{userId}/time-entries"


def busiest_user(emulator: Emulator) -> tuple[str, str, int]:
    """(workspace id, user id, entry count) of the user with the most entries."""
    return max(
        (
            (ws_id, user_id, len(entries))
            for ws_id in emulator.data.visible_workspace_ids
            for user_id, entries in emulator.data.ws[ws_id].time_entries.items()
        ),
        key=lambda row: row[2],
    )


def entry_requests_for(emulator: Emulator, user_id: str) -> list[t.Any]:
    return [r for r in emulator.requests if r.route == TIME_ENTRIES_ROUTE and user_id in r.path]


def sync_busiest_user(emulator: Emulator, page_size: int) -> tuple[list[dict], list[t.Any], int]:
    ws_id, user_id, count = busiest_user(emulator)
    config = emulator_config(emulator, workspace_ids=[ws_id], page_size=page_size)
    result = sync(config, streams=["time_entries"])
    mine = [r for r in result.records("time_entries") if r["userId"] == user_id]
    return mine, entry_requests_for(emulator, user_id), count


@pytest.mark.parametrize("page_size", [7, 50, 5000])
def test_pages_until_last_page_header(emulator: Emulator, page_size: int) -> None:
    records, requests, count = sync_busiest_user(emulator, page_size)
    assert count > 100
    assert len(records) == count
    assert len({r["id"] for r in records}) == count
    assert len(requests) == math.ceil(count / page_size)
    assert [int(r.query["page"][0]) for r in requests] == list(range(1, len(requests) + 1))
    assert {r.query["page-size"][0] for r in requests} == {str(page_size)}


def test_short_page_ends_paging_without_the_header(emulator: Emulator) -> None:
    emulator.last_page_header = False
    _, _, count = busiest_user(emulator)
    page_size = next(n for n in range(7, 60) if count % n)  # the last page is short
    records, requests, _ = sync_busiest_user(emulator, page_size)
    assert len(records) == count
    assert len(requests) == math.ceil(count / page_size)


def test_empty_page_ends_paging_when_the_last_page_was_full(emulator: Emulator) -> None:
    emulator.last_page_header = False
    _, _, count = busiest_user(emulator)
    divisor = next(n for n in range(2, 60) if count % n == 0 and count // n > 1)
    records, requests, _ = sync_busiest_user(emulator, count // divisor)
    assert len(records) == count
    assert len(requests) == divisor + 1  # one more request finds the empty page


def test_a_repeated_page_is_an_error_not_a_loop(emulator: Emulator) -> None:
    emulator.ignore_paging = True
    ws_id, user_id, _ = busiest_user(emulator)
    config = emulator_config(emulator, workspace_ids=[ws_id], page_size=50)
    with pytest.raises(RepeatedPageError, match="repeated page 1"):
        sync(config, streams=["time_entries"])
    assert len(entry_requests_for(emulator, user_id)) <= 2


def test_unpaged_endpoints_are_read_once(emulator: Emulator) -> None:
    config = emulator_config(emulator, page_size=1)
    result = sync(config, streams=["workspaces", "custom_fields"])
    assert len(result.records("workspaces")) == len(emulator.data.visible_workspace_ids)
    assert emulator.count(route="/workspaces") == 1
    custom_fields = [r for r in emulator.requests if (r.route or "").endswith("/custom-fields")]
    assert len(custom_fields) == len(emulator.data.visible_workspace_ids)
    for request in custom_fields:
        assert "page" not in request.query
    expected = sum(
        len(emulator.data.ws[w].custom_fields) for w in emulator.data.visible_workspace_ids
    )
    assert len(result.records("custom_fields")) == expected


def test_a_list_that_moves_while_paged_emits_each_entry_once(emulator: Emulator) -> None:
    """An entry started while page 2 is on its way shifts the list: page 2 then begins with
    the last entry of page 1. Each id is emitted once."""
    ws_id, user_id, count = busiest_user(emulator)
    page_size = 5
    assert count > 2 * page_size
    stall = emulator.faults.add(
        FaultRule("delay", route=f"/user/{user_id}/time-entries", every=2, times=1, delay=1.0)
    )
    ws = emulator.data.ws[ws_id]
    newest = max(ws.time_entries[user_id], key=lambda e: e["timeInterval"]["start"])

    def start_a_new_entry() -> None:
        while not stall.applied:
            time.sleep(0.01)
        with emulator.lock:  # before the delayed request reads the list
            entry = copy.deepcopy(newest)
            entry["id"] = emulator.data.new_id()
            entry["timeInterval"]["start"] = "2099-01-01T00:00:00Z"
            entry["timeInterval"]["end"] = "2099-01-01T01:00:00Z"
            ws.time_entries[user_id].append(entry)

    thread = threading.Thread(target=start_a_new_entry)
    thread.start()
    config = emulator_config(emulator, workspace_ids=[ws_id], page_size=page_size)
    result = sync(config, streams=["time_entries"])
    thread.join()
    mine = [r["id"] for r in result.records("time_entries") if r["userId"] == user_id]
    assert len(mine) == len(set(mine))
    assert set(mine) == {e["id"] for e in ws.time_entries[user_id]} - {
        e["id"] for e in ws.time_entries[user_id] if e["timeInterval"]["start"] >= "2099"
    }
