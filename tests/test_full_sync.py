"""A full sync of the core streams against the emulator: complete, unique, schema-valid."""

from __future__ import annotations

import collections
import json
import typing as t

import pytest

from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.expectations import PRIMARY_KEYS, expected_keys, record_key
from tests.tap_runner import (
    SyncResult,
    assert_each_emitted_once,
    assert_valid_against_schemas,
    run_cli,
    sync,
)

CORE_STREAMS = list(PRIMARY_KEYS)


@pytest.fixture
def full_sync(config: dict[str, t.Any]) -> SyncResult:
    return sync(config, streams=CORE_STREAMS)


def test_every_record_of_the_dataset_is_emitted_once(
    emulator: Emulator,
    full_sync: SyncResult,
) -> None:
    assert_each_emitted_once(full_sync, CORE_STREAMS, expected_keys(emulator.data), record_key)


def test_deactivated_limited_and_pending_members_and_their_history_are_kept(
    emulator: Emulator,
    full_sync: SyncResult,
) -> None:
    users = full_sync.records("users")
    statuses = {emulator.data.ws[u["workspace_id"]].membership_status(u["id"]) for u in users}
    assert {"ACTIVE", "INACTIVE", "PENDING"} <= statuses
    assert any(u["status"] == "LIMITED" for u in users)
    inactive = {
        u["id"]
        for u in users
        if emulator.data.ws[u["workspace_id"]].membership_status(u["id"]) == "INACTIVE"
    }
    entry_owners = {e["userId"] for e in full_sync.records("time_entries")}
    assert inactive & entry_owners, "deactivated members' history must be extracted"


def test_a_person_in_two_workspaces_is_a_row_per_membership(full_sync: SyncResult) -> None:
    per_person = collections.Counter(u["id"] for u in full_sync.records("users"))
    assert max(per_person.values()) >= 2


def test_archived_rows_are_included(full_sync: SyncResult) -> None:
    for stream in ("clients", "projects", "tags"):
        archived = {r["archived"] for r in full_sync.records(stream)}
        assert archived == {True, False}, stream


def test_every_record_carries_its_workspace(emulator: Emulator, full_sync: SyncResult) -> None:
    for stream in CORE_STREAMS:
        for record in full_sync.records(stream):
            assert record["workspace_id"] in emulator.data.visible_workspace_ids
            if "workspaceId" in record:
                assert record["workspaceId"] == record["workspace_id"]


def test_every_record_is_valid_against_its_schema(full_sync: SyncResult) -> None:
    assert_valid_against_schemas(full_sync, CORE_STREAMS)


def test_no_field_the_api_sends_is_dropped(emulator: Emulator, full_sync: SyncResult) -> None:
    sent = {e["id"]: e for e in emulator.data.all_time_entries()}
    for record in full_sync.records("time_entries"):
        assert set(sent[record["id"]]) <= set(record)


def test_time_entries_carry_the_replication_key(full_sync: SyncResult) -> None:
    for record in full_sync.records("time_entries"):
        assert record["started_at"] == record["timeInterval"]["start"]


def test_running_timers_are_emitted(emulator: Emulator, full_sync: SyncResult) -> None:
    running = {e["id"] for e in emulator.data.running_entries()}
    assert running
    emitted = {r["id"]: r for r in full_sync.records("time_entries")}
    for entry_id in running:
        assert emitted[entry_id]["timeInterval"]["end"] is None


def test_final_state_has_a_bookmark_per_workspace_and_user(
    emulator: Emulator,
    full_sync: SyncResult,
) -> None:
    partitions = full_sync.final_state["bookmarks"]["time_entries"]["partitions"]
    bookmarks = {
        (p["context"]["workspace_id"], p["context"]["user_id"]): p.get("replication_key_value")
        for p in partitions
    }
    for ws_id in emulator.data.visible_workspace_ids:
        for user_id, entries in emulator.data.ws[ws_id].time_entries.items():
            if entries:
                latest = max(e["timeInterval"]["start"] for e in entries)
                assert bookmarks[(ws_id, user_id)] == latest


def test_workspace_ids_limit_the_sync(emulator: Emulator) -> None:
    tiny = emulator.data.tiny.id
    result = sync(emulator_config(emulator, workspace_ids=[tiny]), streams=CORE_STREAMS)
    expected = expected_keys(emulator.data, [tiny])
    for stream in CORE_STREAMS:
        assert {record_key(stream, r) for r in result.records(stream)} == expected[stream]
    others = set(emulator.data.visible_workspace_ids) - {tiny}
    assert not [r for r in emulator.requests if any(ws in r.path for ws in others)]


def test_cli_sync_never_shows_the_api_key(emulator: Emulator, tmp_path: t.Any) -> None:
    config = emulator_config(emulator)
    result = run_cli([], config=config, tmp_path=tmp_path, env={"LOGLEVEL": "DEBUG"})
    assert result.exit_code == 0, result.stderr[-2000:]
    assert result.streams_with_records >= set(CORE_STREAMS)
    assert emulator.api_key not in result.stdout
    assert emulator.api_key not in result.stderr
    assert emulator.api_key not in json.dumps(result.final_state)


def test_discover_lists_the_core_streams(config: dict[str, t.Any], tmp_path: t.Any) -> None:
    result = run_cli(["--discover"], config=config, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr
    catalog = json.loads(result.stdout)
    assert set(CORE_STREAMS) <= {s["tap_stream_id"] for s in catalog["streams"]}
