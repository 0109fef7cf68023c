"""Reading partitions ahead (tasks per project, time entries per member) over real HTTP.

Prefetching may only change when requests are sent: the messages, their order, the
bookmarks and a killed run's resumption must be those of a sequential run.
"""

from __future__ import annotations

import itertools
import json
import re
import typing as t

import pytest

from tap_clockify.streams.time_entries import TimeEntriesStream
from tap_clockify.streams.workspace import ProjectsStream, TasksStream
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.expectations import record_key
from tests.tap_runner import kill_and_resume, sync

STREAMS = ["workspaces", "users", "projects", "tasks", "time_entries"]
TIME_ENTRIES_ROUTE = "/workspaces/{workspaceId}/user/{userId}/time-entries"


def without_prefetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every partition when the SDK asks for it, as before prefetching."""
    monkeypatch.setattr(ProjectsStream, "prefetch_partitions", False)
    monkeypatch.setattr(TasksStream, "prefetch_partitions", False)
    monkeypatch.setattr(TimeEntriesStream, "prefetch_partitions", False)


#: Message fields that differ between two runs: when a record was read, the table version.
RUN_STAMPS = ("time_extracted", "version")


def without_times(messages: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """The messages less what differs from run to run (RUN_STAMPS, the change-feed
    bookmarks, which are the run's start)."""
    stamped = json.dumps(messages)
    unstamped = re.sub(r'("change_feed": \{)[^}]*\}', r"\1}", stamped)
    return [{k: v for k, v in m.items() if k not in RUN_STAMPS} for m in json.loads(unstamped)]


def test_prefetching_emits_the_same_messages_in_the_same_order(
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = emulator_config(emulator, page_size=40)  # several pages per member
    prefetched = sync(config, streams=STREAMS).messages
    with monkeypatch.context() as patch:
        without_prefetch(patch)
        sequential = sync(config, streams=STREAMS).messages
    assert without_times(prefetched) == without_times(sequential)
    states = [m for m in prefetched if m["type"] == "STATE"]
    assert states, "STATE messages are emitted"


def test_partitions_are_read_while_earlier_ones_wait(emulator: Emulator) -> None:
    """With slow answers, a member's entries are requested before the previous member's
    answer came back: several requests are in flight at once."""
    latency = 0.3
    emulator.latency = latency
    sync(emulator_config(emulator), streams=["workspaces", "users", "time_entries"])
    arrivals = [r.at for r in emulator.matching(route=TIME_ENTRIES_ROUTE)]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(arrivals) >= 6
    assert sum(1 for gap in gaps if gap < latency / 2) >= 3, gaps


def test_an_incremental_prefetched_run_asks_from_each_members_bookmark(
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Partitions read ahead use their own bookmark, exactly as a sequential run would.

    (Without change tracking: with it, an incremental run reads no member's entries.)
    """
    config = emulator_config(emulator, change_tracking=False)
    state = sync(config, streams=STREAMS).final_state
    emulator.reset_log()
    sync(config, state=state, streams=STREAMS)
    prefetched = sorted(
        (r.path, tuple(r.query.get("start", []))) for r in emulator.matching(TIME_ENTRIES_ROUTE)
    )
    emulator.reset_log()
    with monkeypatch.context() as patch:
        without_prefetch(patch)
        sync(config, state=state, streams=STREAMS)
    sequential = sorted(
        (r.path, tuple(r.query.get("start", []))) for r in emulator.matching(TIME_ENTRIES_ROUTE)
    )
    assert prefetched == sequential
    assert any(start for _, start in prefetched), "members resume from their bookmarks"


def test_a_run_killed_while_reading_ahead_resumes_without_loss(
    emulator: Emulator,
    tmp_path: t.Any,
) -> None:
    """Stall page 2 of a member read ahead; kill the run; the resumed run fills every gap."""
    config = emulator_config(emulator, page_size=40)
    clean = sync(config, streams=STREAMS)
    expected = {
        (stream, record_key(stream, record))
        for stream in STREAMS
        for record in clean.records(stream)
    }
    emulator.reset_log()
    ws = emulator.data.main
    victim = max(ws.time_entries, key=lambda uid: len(ws.time_entries[uid]))
    stall = emulator.add_fault(
        FaultRule("delay", route=f"/workspaces/{ws.id}/user/{victim}/", every=2, delay=30, times=1)
    )
    # The grace lets the main thread emit what was read ahead of the stalled page.
    interrupted, seen = kill_and_resume(
        config, stall, tmp_path, grace=0.5, clear_faults=emulator.faults.clear
    )
    assert expected <= seen
    assert 0 < len(interrupted.records("time_entries")) < len(clean.records("time_entries"))
