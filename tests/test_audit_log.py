"""The audit log: its own host, Enterprise only, incremental on `timestamp`."""

from __future__ import annotations

import typing as t
from datetime import UTC, datetime, timedelta

from tap_clockify.streams.audit_log import AUDIT_ACTIONS, entry_hash
from tap_clockify.tap import TapClockify
from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.emulator.dataset_more import milli_instant
from tests.entity_expectations import entity_key, expected_entity_keys
from tests.sync_helpers import partition_bookmark, tap_warnings
from tests.tap_runner import sync

ROUTE = "/workspaces/{workspaceId}/audit-log"


def audit_calls(emulator: Emulator, workspace_id: str) -> list[t.Any]:
    return [r for r in emulator.matching(route=ROUTE, host="auditlog") if workspace_id in r.path]


def test_enterprise_entries_are_read_and_others_warned_once(emulator: Emulator) -> None:
    with tap_warnings() as warnings:
        result = sync(emulator_config(emulator), streams=["audit_log"])
    main = emulator.data.main
    expected = expected_entity_keys(emulator.data)["audit_log"]
    assert {entity_key("audit_log", r) for r in result.records("audit_log")} == expected
    assert len(expected) == len(main.more.audit_log)
    others = set(emulator.data.visible_workspace_ids) - {main.id}
    assert len(warnings) == len(others), warnings
    for workspace_id in others:
        assert sum(workspace_id in w for w in warnings) == 1
        assert len(audit_calls(emulator, workspace_id)) == 1
    assert all("Enterprise" in w for w in warnings)


def test_the_search_asks_for_everything_and_pages_until_empty(emulator: Emulator) -> None:
    main = emulator.data.main
    sync(emulator_config(emulator, workspace_ids=[main.id]), streams=["audit_log"])
    calls = audit_calls(emulator, main.id)
    entries = len(main.more.audit_log)
    assert len(calls) == entries // 50 + 1 + (entries % 50 > 0)  # then one empty page
    for number, call in enumerate(calls, start=1):
        body = call.body
        assert call.method == "POST"
        assert body["actions"] == list(AUDIT_ACTIONS)
        assert body["authors"] == {"contains": "DOES_NOT_CONTAIN", "authorIds": []}
        assert body["start"] == "2017-01-01T00:00:00.000Z"
        assert (body["page"], body["page-size"]) == (number, 50)


def test_the_next_run_starts_at_the_bookmark(emulator: Emulator) -> None:
    main = emulator.data.main
    config = emulator_config(emulator, workspace_ids=[main.id])
    first = sync(config, streams=["audit_log"])
    latest = main.more.audit_log[0]
    assert partition_bookmark(first, "audit_log", main.id) == latest["timestamp"]
    now = datetime.now(UTC) - timedelta(seconds=2)
    new = {
        **latest,
        "action": "UPDATE_PROJECT",
        "content": '{"projectName": "Data Pipeline"}',
        "timestamp": milli_instant(now, 5),
    }
    with emulator.lock:
        main.more.audit_log.insert(0, new)
    emulator.reset_log()
    second = sync(config, state=first.final_state, streams=["audit_log"])
    assert {c.body["start"] for c in audit_calls(emulator, main.id)} == {latest["timestamp"]}
    hashes = {r["entry_hash"] for r in second.records("audit_log")}
    assert hashes == {entry_hash(new), entry_hash(latest)}  # the bookmark is inclusive
    assert partition_bookmark(second, "audit_log", main.id) == new["timestamp"]


def test_interleaved_workspaces_keep_their_own_windows(emulator: Emulator) -> None:
    """Each page of a workspace asks for that workspace's window, even when another
    workspace is read between two of its pages (nothing per partition lives on the stream).

    The state is as the SDK leaves it once both partitions have started: each holds its
    `starting_replication_value`.
    """
    main = emulator.data.main
    other = next(w for w in emulator.data.visible_workspace_ids if w != main.id)
    marks = {main.id: "2020-01-01T00:00:00.000Z", other: "2024-06-01T00:00:00.000Z"}
    state = {
        "bookmarks": {
            "audit_log": {
                "partitions": [
                    {
                        "context": {"workspace_id": ws},
                        "replication_key": "timestamp",
                        "replication_key_value": mark,
                        "starting_replication_value": mark,
                    }
                    for ws, mark in marks.items()
                ]
            }
        }
    }
    config = emulator_config(emulator, page_size=10)
    tap = TapClockify(config=config, state=state, parse_env_config=False)
    stream = tap.streams["audit_log"]
    main_pages = iter(stream.get_records({"workspace_id": main.id}))
    next(main_pages)
    with tap_warnings():
        assert list(stream.get_records({"workspace_id": other})) == []
    for _ in range(10):
        next(main_pages)
    starts = {(c.path.split("/")[2], c.body["start"]) for c in emulator.matching(route=ROUTE)}
    assert starts == {(main.id, marks[main.id]), (other, marks[other])}
    assert len({c.body["end"] for c in emulator.matching(route=ROUTE)}) == 1
