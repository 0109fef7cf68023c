"""ACTIVATE_VERSION from full-table streams: its count, its placement, and the traps.

The loader retires every row of a table whose version is older than an ACTIVATE_VERSION
it receives, whatever workspace the row came from; these tests drive the tap over real
HTTP against the emulator and read the messages it writes.
"""

from __future__ import annotations

import collections
import json
import time
import typing as t
from pathlib import Path

from singer_sdk import Stream

from tap_clockify.streams import STREAM_TYPES
from tap_clockify.tap import TapClockify
from tests.emulator import Emulator, FaultRule
from tests.entity_expectations import expected_entity_keys
from tests.expectations import expected_keys
from tests.sync_helpers import tap_warnings
from tests.tap_runner import SyncResult, catalog_selecting, run_cli, sync
from tests.test_catalog import set_stream_metadata, trimmed_catalog

ALL_STREAMS = [stream_type.name for stream_type in STREAM_TYPES]
#: Every stream but the reports (incremental, and slow to read from an early start_date).
NO_REPORTS = [name for name in ALL_STREAMS if not name.endswith("_report")]
PERMISSION_403 = {"message": "You don't have permission to perform this action."}


def full_table_streams(config: dict[str, t.Any]) -> set[str]:
    """Streams that every run reads whole (their catalog replication method)."""
    tap = TapClockify(config=config, parse_env_config=False)
    return {name for name, s in tap.streams.items() if s.replication_method == "FULL_TABLE"}


def activations(result: SyncResult) -> dict[str, list[tuple[int, int]]]:
    """Each stream's ACTIVATE_VERSION messages as (message index, version)."""
    found: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    for index, message in enumerate(result.messages):
        if message["type"] == "ACTIVATE_VERSION":
            found[message["stream"]].append((index, message["version"]))
    return dict(found)


def record_versions(result: SyncResult, stream: str) -> set[int | None]:
    return {
        m.get("version") for m in result.messages if m["type"] == "RECORD" and m["stream"] == stream
    }


def test_one_activate_version_per_full_table_stream_after_all_its_records(
    config: dict[str, t.Any],
) -> None:
    config = {**config, "start_date": "2019-01-01T00:00:00Z"}
    before = int(time.time() * 1000)
    result = sync(config, streams=NO_REPORTS)
    after = int(time.time() * 1000)

    found = activations(result)
    assert set(found) == full_table_streams(config)
    assert {
        "clients",
        "tags",
        "tasks",
        "users",
        "invoice_payments",
        "scheduling_assignments",
    } <= set(found)
    last_record = max(i for i, m in enumerate(result.messages) if m["type"] == "RECORD")
    versions = set()
    for stream, sent in found.items():
        assert len(sent) == 1, f"{stream}: {len(sent)} ACTIVATE_VERSION messages"
        index, version = sent[0]
        # Sent once every partition of every workspace was read: after the run's last record.
        assert index > last_record, stream
        assert record_versions(result, stream) == {version}, stream
        versions.add(version)
    assert len(versions) == 1
    assert before <= versions.pop() <= after  # the run's start, in milliseconds

    # Per-parent streams were read in several partitions, across workspaces.
    assert len({r["workspace_id"] for r in result.records("tasks")}) > 1
    assert len({r["projectId"] for r in result.records("tasks")}) > 2
    # Incremental streams are never activated and their records carry no version.
    for stream in ("time_entries", "approval_requests", "audit_log"):
        assert stream not in found
        assert record_versions(result, stream) == {None}


def test_versions_grow_from_run_to_run_and_stay_out_of_the_state(
    config: dict[str, t.Any],
) -> None:
    # Without change tracking: with it, the second run reads clients from the change feed
    # and sends no ACTIVATE_VERSION (tests/test_change_tracking.py).
    config = {**config, "change_tracking": False}
    first = sync(config, streams=["clients", "time_entries"])
    second = sync(config, state=first.final_state, streams=["clients", "time_entries"])
    [(_, v1)] = activations(first)["clients"]
    [(_, v2)] = activations(second)["clients"]
    assert v2 > v1
    assert str(v1) not in json.dumps(first.final_state)
    assert str(v2) not in json.dumps(second.final_state)


def test_a_run_narrowed_by_workspace_ids_retires_nothing(
    emulator: Emulator, config: dict[str, t.Any]
) -> None:
    visible = emulator.data.visible_workspace_ids
    with tap_warnings():
        narrowed = sync({**config, "workspace_ids": visible[:1]}, streams=["clients", "tags"])
    assert narrowed.records("clients")
    assert activations(narrowed) == {}
    assert record_versions(narrowed, "clients") == {None}

    # Naming every workspace the key can see is a full run again.
    every = sync({**config, "workspace_ids": list(reversed(visible))}, streams=["clients", "tags"])
    assert set(activations(every)) == {"clients", "tags"}


def test_a_stream_skipped_after_a_403_keeps_its_rows_and_its_childrens(
    emulator: Emulator, config: dict[str, t.Any]
) -> None:
    second = emulator.data.second
    emulator.add_fault(
        FaultRule("status", status=403, route=f"/workspaces/{second.id}/projects",
                  body=PERMISSION_403, method="GET")
    )  # fmt: skip
    emulator.add_fault(
        FaultRule("status", status=403, route=f"/workspaces/{second.id}/tags",
                  body=PERMISSION_403, method="GET")
    )  # fmt: skip
    with tap_warnings() as warnings:
        result = sync(config, streams=["clients", "tags", "projects", "tasks"])
    assert len(warnings) == 2
    # Read, but not all of it: the rows of the skipped workspace would be retired.
    assert result.records("tags")
    assert result.records("tasks")
    assert set(activations(result)) == {"clients"}
    assert record_versions(result, "clients") != {None}


def test_tasks_keep_their_rows_when_projects_are_skipped_even_unselected(
    emulator: Emulator, config: dict[str, t.Any]
) -> None:
    emulator.add_fault(
        FaultRule("status", status=403, route=f"/workspaces/{emulator.data.main.id}/projects",
                  body=PERMISSION_403, method="GET")
    )  # fmt: skip
    with tap_warnings():
        result = sync(config, streams=["tasks"])
    assert result.records("tasks")  # the other workspaces' tasks
    assert activations(result) == {}


def test_a_failed_cli_run_writes_no_activate_version(
    emulator: Emulator, config: dict[str, t.Any], tmp_path: Path
) -> None:
    emulator.add_fault(FaultRule("status", status=500, route="/holidays"))
    result = run_cli([], config={**config, "max_retries": 0}, tmp_path=tmp_path)
    assert result.exit_code == 1
    assert result.records("clients")  # read before the failure
    assert activations(result) == {}


def test_streams_cut_short_by_a_record_limit_retire_nothing(
    emulator: Emulator, config: dict[str, t.Any], tmp_path: Path
) -> None:
    # `--test` reads one record per stream; one visible workspace, so that the
    # workspaces stream itself is read whole and the run reaches its end.
    tiny = emulator.data.tiny.id
    emulator.api_keys["tiny-only"] = [tiny]
    result = run_cli(["--test"], config={**config, "api_key": "tiny-only"}, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-2000:]
    counts = collections.Counter(m["stream"] for m in result.messages if m["type"] == "RECORD")
    assert counts["workspaces"] == 1
    found = activations(result)
    rows = {**expected_keys(emulator.data, [tiny]), **expected_entity_keys(emulator.data, [tiny])}
    cut_short = {s for s in found if len(rows[s]) > 1}
    assert cut_short == set(), cut_short
    assert any(len(rows[s]) > 1 for s in counts)  # some stream was cut short
    assert "workspaces" in found  # read whole: one workspace


def test_scheduling_retires_rows_only_with_a_fixed_start(config: dict[str, t.Any]) -> None:
    moving = sync(config, streams=["scheduling_assignments"])
    assert moving.records("scheduling_assignments")
    assert activations(moving) == {}
    fixed = sync(
        {**config, "start_date": "2020-01-01T00:00:00Z"}, streams=["scheduling_assignments"]
    )
    assert set(activations(fixed)) == {"scheduling_assignments"}


def test_a_child_stream_left_without_parents_still_retires_its_rows(
    emulator: Emulator, config: dict[str, t.Any]
) -> None:
    with emulator.lock:
        for workspace_id in emulator.data.visible_workspace_ids:
            for project in list(emulator.data.ws[workspace_id].projects):
                emulator.data.delete_project(workspace_id, project["id"])
    result = sync(config, streams=["tasks"])
    assert result.records("tasks") == []
    types = [(m["type"], m.get("stream")) for m in result.messages]
    assert ("ACTIVATE_VERSION", "tasks") in types
    # The loader learns the stream from its SCHEMA first.
    assert types.index(("SCHEMA", "tasks")) < types.index(("ACTIVATE_VERSION", "tasks"))


def test_stream_map_aliases_are_stamped_and_activated(config: dict[str, t.Any]) -> None:
    config = {**config, "stream_maps": {"tags": {"__alias__": "labels"}}}
    result = sync(config, streams=["tags"])
    found = activations(result)
    assert set(found) == {"labels"}
    [(_, version)] = found["labels"]
    assert record_versions(result, "labels") == {version}


def test_batch_messages_carry_no_version_so_nothing_is_retired(
    config: dict[str, t.Any], tmp_path: Path
) -> None:
    batch = {
        "encoding": {"format": "jsonl", "compression": "gzip"},
        "storage": {"root": tmp_path.as_uri()},
    }
    result = sync({**config, "batch_config": batch}, streams=["clients"])
    assert any(m["type"] == "BATCH" for m in result.messages)
    assert activations(result) == {}


def test_the_sdk_setting_cannot_bring_back_activate_version_at_the_start(
    config: dict[str, t.Any],
) -> None:
    tap = TapClockify(config=config, parse_env_config=False)
    # The SDK's switch for its own ACTIVATE_VERSION at the start of every partition.
    assert not any(s.emit_activate_version_messages for s in tap.streams.values())
    result = sync({**config}, streams=["clients"])
    first_record = next(i for i, m in enumerate(result.messages) if m["type"] == "RECORD")
    assert all(i > first_record for i, _ in activations(result)["clients"])


def test_every_stream_is_read_under_workspaces() -> None:
    """Activation runs when `workspaces` is read out; a stream outside it would be missed."""
    by_name = {stream_type.name: stream_type for stream_type in STREAM_TYPES}
    for stream_type in STREAM_TYPES:
        root: type[Stream] = stream_type
        while root.parent_stream_type is not None:
            root = root.parent_stream_type
        assert root is by_name["workspaces"], stream_type.name


def test_a_catalog_forcing_full_table_makes_time_entries_retire_rows(
    config: dict[str, t.Any], tmp_path: Path
) -> None:
    incremental = sync(config, streams=["time_entries"])
    assert "time_entries" not in activations(incremental)

    catalog = catalog_selecting(config, ["time_entries"])
    set_stream_metadata(catalog, "time_entries", replication_method="FULL_TABLE")
    full = run_cli([], config=config, state=incremental.final_state, catalog=catalog,
                   tmp_path=tmp_path)  # fmt: skip
    assert full.exit_code == 0, full.stderr[-3000:]
    [(_, version)] = activations(full)["time_entries"]
    assert record_versions(full, "time_entries") == {version}


def test_a_trimmed_catalog_still_retires_rows(config: dict[str, t.Any], tmp_path: Path) -> None:
    """`tasks` alone, its parents left out of the catalog: they are still read in full."""
    catalog = trimmed_catalog(config, ["tasks"])
    result = run_cli([], config=config, catalog=catalog, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert set(activations(result)) == {"tasks"}
