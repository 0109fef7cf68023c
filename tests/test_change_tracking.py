"""Change tracking: runs after the first read Clockify's entity-change feed, not every list.

Each test makes a first (full) run, changes the emulator's data the way a Clockify user
would, moves the emulator's clock past the feed's settle time, and makes a second run.
"""

from __future__ import annotations

import collections
import copy
import typing as t
from datetime import timedelta

import pytest

from tap_clockify.changes import STATE_KEY
from tap_clockify.streams.changes import FEED_PAGE_LIMIT
from tap_clockify.timestamps import parse_timestamp
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.emulator.changes import OFFICIAL_TYPES
from tests.sync_helpers import tap_warnings
from tests.tap_runner import SyncResult, run_cli, run_cli_until_killed, sync

ENTRIES_ROUTE = "/workspaces/{workspaceId}/user/{userId}/time-entries"
FEED_ROUTE = "/workspaces/{workspaceId}/entities/"
COVERED = ["time_entries", "clients", "projects", "tags", "tasks", "user_groups", "users"]
STREAMS = ["workspaces", *COVERED, "deleted_records"]
#: Past the tap's settle time (5 minutes) and the feed's deletion delay (1 minute).
LATER = timedelta(minutes=10)


def by_id(result: SyncResult, stream: str) -> dict[str, dict[str, t.Any]]:
    return {record["id"]: record for record in result.records(stream)}


def routes(emulator: Emulator) -> collections.Counter[str]:
    return collections.Counter(str(r.route) for r in emulator.requests)


def feed_bookmarks(state: dict[str, t.Any], stream: str) -> dict[str, str]:
    return dict(state["bookmarks"][stream].get(STATE_KEY, {}))


def old_entry(emulator: Emulator, days: int = 300) -> dict[str, t.Any]:
    """A finished entry of the main workspace that started about `days` ago."""
    cutoff = emulator.data.now - timedelta(days=days)
    return next(
        e
        for e in emulator.data.all_time_entries(emulator.data.main.id)
        if e["timeInterval"]["end"] and parse_timestamp(e["timeInterval"]["start"]) <= cutoff
    )


def activated(result: SyncResult) -> set[str]:
    return {m["stream"] for m in result.messages if m["type"] == "ACTIVATE_VERSION"}


def first_run(emulator: Emulator, **settings: t.Any) -> tuple[dict[str, t.Any], SyncResult]:
    config = emulator_config(emulator, **settings)
    return config, sync(config, streams=STREAMS)


def test_edits_deletions_and_new_entries_reach_the_next_run(emulator: Emulator) -> None:
    config, first = first_run(emulator)
    data, ws = emulator.data, emulator.data.main
    edited = old_entry(emulator)
    deleted_entry = data.all_time_entries(ws.id)[5]
    tag, client, group = ws.tags[0], ws.clients[0], ws.user_groups[0]
    project = ws.projects[1]
    with emulator.lock:
        data.edit_time_entry(ws.id, edited["id"], description="Corrected 300 days later")
        added = data.add_time_entry(
            ws.id,
            ws.users[0]["id"],
            data.now - timedelta(days=2),
            data.now - timedelta(days=2, hours=-1),
        )
        data.delete_time_entry(ws.id, deleted_entry["id"])
        data.delete_tag(ws.id, tag["id"])
        data.delete_client(ws.id, client["id"])
        data.delete_user_group(ws.id, group["id"])
        data.rename_project(ws.id, project["id"], "Renamed in Clockify")
    emulator.clock.advance(LATER)
    emulator.reset_log()

    second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    entries = by_id(second, "time_entries")
    assert entries[edited["id"]]["description"] == "Corrected 300 days later"
    assert entries[edited["id"]]["_sdc_deleted_at"] is None
    assert entries[added["id"]]["started_at"] == added["timeInterval"]["start"]
    marker = entries[deleted_entry["id"]]
    assert marker["_sdc_deleted_at"] is not None
    assert marker["workspace_id"] == ws.id
    assert set(entries) == {edited["id"], added["id"], deleted_entry["id"]}
    for stream, gone in (("tags", tag), ("clients", client), ("user_groups", group)):
        (row,) = second.records(stream)
        assert row["id"] == gone["id"]
        assert row["_sdc_deleted_at"] is not None
        assert row["name"] == gone["name"]  # what the feed's document kept, kept
    assert by_id(second, "projects")[project["id"]]["name"] == "Renamed in Clockify"
    deletions = {(r["entity_type"], r["id"]) for r in second.records("deleted_records")}
    assert deletions == {
        ("TIME_ENTRY", deleted_entry["id"]),
        ("TAGS", tag["id"]),
        ("CLIENTS", client["id"]),
        ("USER_GROUPS", group["id"]),
    }
    # No member's entries and no covered list were re-read: the feed said it all.
    called = routes(emulator)
    for route in (
        ENTRIES_ROUTE,
        "/workspaces/{workspaceId}/clients",
        "/workspaces/{workspaceId}/tags",
    ):
        assert called[route] == 0, route
    assert called["/workspaces/{workspaceId}/projects/{projectId}/tasks"] == 0
    # Streams read from the feed retire nothing table-wide; those read in full still do.
    assert not activated(second) & {"time_entries", "clients", "tags", "user_groups", "tasks"}
    assert {"users", "projects"} <= activated(second)


def test_a_changed_entry_has_exactly_the_endpoints_shape(emulator: Emulator) -> None:
    config, first = first_run(emulator)
    data, ws = emulator.data, emulator.data.main
    edited = old_entry(emulator)
    with emulator.lock:
        data.edit_time_entry(ws.id, edited["id"], description="Field by field", billable=True)
        added = data.add_time_entry(
            ws.id,
            ws.users[1]["id"],
            data.now - timedelta(days=1),
            data.now - timedelta(hours=20),
            tagIds=[ws.tags[1]["id"]],
            projectId=ws.projects[0]["id"],
        )
    emulator.clock.advance(LATER)
    from_feed = by_id(
        sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS), "time_entries"
    )

    fresh = by_id(
        sync(emulator_config(emulator, change_tracking=False), streams=["time_entries"]),
        "time_entries",
    )

    for entry_id in (edited["id"], added["id"]):
        assert set(from_feed[entry_id]) == set(fresh[entry_id])
        for field, value in fresh[entry_id].items():
            assert from_feed[entry_id][field] == value, field


def test_nothing_changed_costs_a_handful_of_calls_per_workspace(emulator: Emulator) -> None:
    counts = {}
    for tracking in (False, True):
        config, first = first_run(emulator, change_tracking=tracking)
        emulator.clock.advance(LATER)
        emulator.reset_log()
        second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)
        counts[tracking] = routes(emulator)
        assert not [r for r in second.records("time_entries") if tracking]
    workspaces = len(emulator.data.visible_workspace_ids)
    before, after = sum(counts[False].values()), sum(counts[True].values())
    print(f"incremental run, nothing changed: {before} API calls before, {after} after")
    assert counts[False][ENTRIES_ROUTE] > workspaces
    assert counts[True][ENTRIES_ROUTE] == 0
    feed_calls = sum(n for route, n in counts[True].items() if route.startswith(FEED_ROUTE))
    assert feed_calls == 3 * workspaces  # created, updated, deleted; every type at once
    # Per workspace: users, projects and the three feeds (plus GET /workspaces).
    assert after == 1 + 5 * workspaces
    assert after < before / 2


@pytest.mark.parametrize(
    "fault",
    [
        FaultRule(
            "status", 403, route="/entities/", body={"message": "Access Denied", "code": 501}
        ),
        FaultRule("status", 404, route="/entities/"),
        FaultRule("status", 400, route="/entities/"),
        FaultRule("status", 200, route="/entities/", body={"message": "Internal", "code": 500}),
    ],
    ids=["403", "404", "400", "error-body"],
)
def test_a_failing_feed_warns_once_and_falls_back_to_the_lookback(
    emulator: Emulator, fault: FaultRule
) -> None:
    config, first = first_run(emulator, lookback_days=7)
    ws = emulator.data.main
    recent = next(
        e
        for e in emulator.data.all_time_entries(ws.id)
        if e["timeInterval"]["end"]
        and parse_timestamp(e["timeInterval"]["start"]) > emulator.data.now - timedelta(days=2)
    )
    with emulator.lock:
        emulator.data.edit_time_entry(ws.id, recent["id"], description="Caught by the lookback")
    emulator.clock.advance(LATER)
    emulator.add_fault(fault)
    emulator.reset_log()

    with tap_warnings() as warnings:
        second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    fallbacks = [w for w in warnings if "change feed unavailable" in w]
    assert len(fallbacks) == 1, warnings
    assert by_id(second, "time_entries")[recent["id"]]["description"] == "Caught by the lookback"
    bookmarked = {
        p["context"]["user_id"]
        for p in first.final_state["bookmarks"]["time_entries"]["partitions"]
        if p.get("replication_key_value")
    }
    entry_requests = [
        r for r in emulator.matching(ENTRIES_ROUTE) if r.path.split("/")[-2] in bookmarked
    ]
    assert entry_requests
    assert all("start" in r.query for r in entry_requests)  # the lookback, not a full read
    assert emulator.count("/workspaces/{workspaceId}/clients") == len(
        emulator.data.visible_workspace_ids
    )
    # The window is asked again next time: the bookmarks did not move.
    for stream in COVERED:
        assert feed_bookmarks(second.final_state, stream) == feed_bookmarks(
            first.final_state, stream
        )


def test_a_last_run_beyond_the_feeds_reach_reads_the_workspace_in_full(
    emulator: Emulator,
) -> None:
    config, first = first_run(emulator, change_feed_reach_days=30)
    ws = emulator.data.main
    emulator.clock.advance(days=40)
    gone = emulator.data.all_time_entries(ws.id)[3]
    with emulator.lock:
        emulator.data.delete_time_entry(ws.id, gone["id"])
    emulator.clock.advance(LATER)
    emulator.reset_log()

    with tap_warnings() as warnings:
        second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    assert any("older than the change feed is known to reach" in w for w in warnings)
    entries = by_id(second, "time_entries")
    live = {e["id"] for e in emulator.data.all_time_entries()}
    assert live <= set(entries)  # everything re-read...
    assert all("start" not in r.query for r in emulator.matching(ENTRIES_ROUTE))
    assert entries[gone["id"]]["_sdc_deleted_at"] is not None  # ...and the deletion retired
    deleted_requests = emulator.matching("/workspaces/{workspaceId}/entities/deleted")
    assert deleted_requests
    assert not emulator.matching("/workspaces/{workspaceId}/entities/updated")
    # Every workspace was re-read in full: the lists retire rows deleted beyond the reach.
    assert {"clients", "tags"} <= activated(second)


def test_types_the_server_refuses_fall_back_one_by_one(emulator: Emulator) -> None:
    emulator.feed.types = OFFICIAL_TYPES  # no USER, no USER_GROUPS
    config, first = first_run(emulator)
    ws = emulator.data.main
    with emulator.lock:
        emulator.data.delete_tag(ws.id, ws.tags[0]["id"])
    emulator.clock.advance(LATER)
    emulator.reset_log()

    with tap_warnings() as warnings:
        second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    fallbacks = [w for w in warnings if "change feed unavailable" in w]
    assert len(fallbacks) == 1, fallbacks
    assert [r["id"] for r in second.records("tags")] == [
        r["id"] for r in first.records("tags") if r["workspace_id"] == ws.id
    ][:1]
    assert emulator.count("/workspaces/{workspaceId}/user-groups") == len(
        emulator.data.visible_workspace_ids
    )
    assert emulator.count("/workspaces/{workspaceId}/tags") == 0
    assert feed_bookmarks(second.final_state, "tags") != feed_bookmarks(first.final_state, "tags")
    assert feed_bookmarks(second.final_state, "user_groups") == feed_bookmarks(
        first.final_state, "user_groups"
    )


def test_the_other_readings_of_the_feed(emulator: Emulator) -> None:
    """`{response: []}`, `documentType`, pages from 1, full deleted documents, many pages."""
    emulator.feed.envelope = True
    emulator.feed.type_key = "documentType"
    emulator.feed.first_page = 1
    emulator.feed.deleted_documents = "full"
    config, first = first_run(emulator)
    data, ws = emulator.data, emulator.data.main
    user_id = ws.users[0]["id"]
    start = data.now - timedelta(days=3)
    with emulator.lock:
        added = [
            data.add_time_entry(ws.id, user_id, start + timedelta(minutes=i), None)["id"]
            for i in range(FEED_PAGE_LIMIT + 30)
        ]
        gone = data.delete_time_entry(ws.id, data.all_time_entries(ws.id)[-1]["id"])
    emulator.clock.advance(LATER)

    second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    emitted = [r["id"] for r in second.records("time_entries")]
    assert sorted(emitted) == sorted([*added, gone["id"]])  # each once, none lost
    marker = by_id(second, "time_entries")[gone["id"]]
    assert marker["started_at"] == gone["timeInterval"]["start"]  # a full document: kept
    assert marker["user_id"] == gone["userId"]
    assert marker["description"] == gone["description"]

    emulator.feed.ignore_limit = True  # and a server that sends everything at once
    emulator.clock.advance(LATER)
    with emulator.lock:
        data.edit_time_entry(ws.id, added[0], description="after")
    emulator.clock.advance(LATER)
    third = sync(config, state=copy.deepcopy(second.final_state), streams=STREAMS)
    assert [r["description"] for r in third.records("time_entries")] == ["after"]


def test_a_late_deletion_is_caught_by_the_next_window(emulator: Emulator) -> None:
    config, first = first_run(emulator)
    ws = emulator.data.main
    emulator.clock.advance(LATER)
    gone = emulator.data.all_time_entries(ws.id)[2]
    with emulator.lock:
        emulator.data.delete_time_entry(ws.id, gone["id"])
    emulator.clock.advance(seconds=30)  # not in the feed yet

    second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)
    assert gone["id"] not in by_id(second, "time_entries")

    emulator.clock.advance(LATER)
    third = sync(config, state=copy.deepcopy(second.final_state), streams=STREAMS)
    assert by_id(third, "time_entries")[gone["id"]]["_sdc_deleted_at"] is not None


def test_created_and_deleted_between_two_runs_never_appears(emulator: Emulator) -> None:
    config, first = first_run(emulator)
    ws = emulator.data.main
    with emulator.lock:
        brief = emulator.data.add_time_entry(
            ws.id, ws.users[0]["id"], emulator.data.now - timedelta(hours=1), None
        )
        emulator.data.delete_time_entry(ws.id, brief["id"])
    emulator.clock.advance(LATER)

    second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    assert brief["id"] not in by_id(second, "time_entries")
    assert not second.records("deleted_records")


def test_a_run_limited_to_one_workspace_retires_only_its_rows(emulator: Emulator) -> None:
    ws = emulator.data.second
    config, first = first_run(emulator, workspace_ids=[ws.id])
    with emulator.lock:
        emulator.data.delete_client(ws.id, ws.clients[0]["id"])
    emulator.clock.advance(LATER)

    second = sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)

    (row,) = second.records("clients")
    assert (row["id"], row["workspace_id"]) == (ws.clients[0]["id"] if False else row["id"], ws.id)
    assert row["_sdc_deleted_at"] is not None
    assert {m.get("type") for m in second.messages} >= {"RECORD", "STATE"}
    assert not [m for m in second.messages if m["type"] == "ACTIVATE_VERSION"]
    assert all(r["workspace_id"] == ws.id for s in COVERED for r in second.records(s))


def test_change_tracking_off_never_asks_the_feed(emulator: Emulator) -> None:
    config, first = first_run(emulator, change_tracking=False)
    emulator.clock.advance(LATER)
    sync(config, state=copy.deepcopy(first.final_state), streams=STREAMS)
    assert not [r for r in emulator.requests if str(r.route).startswith(FEED_ROUTE)]
    assert STATE_KEY not in first.final_state["bookmarks"]["time_entries"]


def test_an_interrupted_run_asks_the_unfinished_workspace_again(
    emulator: Emulator, tmp_path: t.Any
) -> None:
    config, first = first_run(emulator)
    main, other = emulator.data.main, emulator.data.second
    edited = {}
    with emulator.lock:
        for ws in (main, other):
            entry = emulator.data.all_time_entries(ws.id)[-1]
            emulator.data.edit_time_entry(ws.id, entry["id"], description=f"edited in {ws.id}")
            edited[ws.id] = entry["id"]
    emulator.clock.advance(LATER)
    # Killed in the second workspace, while reading its changes.
    stall = emulator.add_fault(
        FaultRule("delay", route=f"/workspaces/{other.id}/entities/", delay=30, times=1)
    )

    killed = run_cli_until_killed(config, stall, tmp_path, state=first.final_state)

    # The killed run's last STATE moved no bookmark past what it had not finished.
    last_state = [m["value"] for m in killed.messages if m["type"] == "STATE"][-1]
    before = feed_bookmarks(first.final_state, "time_entries")
    assert feed_bookmarks(last_state, "time_entries")[other.id] == before[other.id]
    emulator.faults.clear()
    resumed = run_cli([], config=config, state=last_state, tmp_path=tmp_path)
    assert resumed.exit_code == 0, resumed.stderr[-2000:]
    assert [r["description"] for r in killed.records("time_entries")] == [f"edited in {main.id}"]
    resumed_edits = {r["description"] for r in resumed.records("time_entries")}
    assert f"edited in {other.id}" in resumed_edits  # asked again: nothing lost
    after = feed_bookmarks(resumed.final_state, "time_entries")
    assert all(after[ws] > before[ws] for ws in (main.id, other.id))
