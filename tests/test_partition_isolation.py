"""What a partition's requests depend on (a window, a pass's filter) travels with them.

One stream object reads every partition of its stream. A partition's own request
parameters (a member's `start` filter, a pass's status or window) must not live on the
stream between requests, where the next partition read would overwrite them: here two
partitions are read interleaved, page by page, by the same stream object, and each must
give exactly what it gives when read alone.
"""

from __future__ import annotations

import typing as t

import pytest

from tap_clockify.tap import TapClockify
from tests.conftest import emulator_config
from tests.emulator import Emulator

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from singer_sdk import Stream


def interleaved(*readers: Iterator[dict[str, t.Any]]) -> list[list[dict[str, t.Any]]]:
    """Every reader's records, taking one record from each in turn until all are done."""
    results: list[list[dict[str, t.Any]]] = [[] for _ in readers]
    live = dict(enumerate(readers))
    while live:
        for index, reader in list(live.items()):
            try:
                results[index].append(next(reader))
            except StopIteration:
                del live[index]
    return results


def records_of(stream: Stream, context: dict[str, t.Any]) -> Iterator[dict[str, t.Any]]:
    """The records `stream` reads for `context`.

    The SDK's `get_records` may also yield (record, child context) pairs; these streams don't.
    """
    return iter(t.cast("Iterable[dict[str, t.Any]]", stream.get_records(context)))


def read_alone(
    config: dict[str, t.Any],
    state: dict[str, t.Any],
    stream_name: str,
    context: dict[str, t.Any],
) -> list[dict[str, t.Any]]:
    """The records of one partition, read by a stream of its own tap."""
    tap = TapClockify(config=config, state=state, parse_env_config=False)
    return list(records_of(tap.streams[stream_name], context))


def ids(records: list[dict[str, t.Any]]) -> list[t.Any]:
    """The records' identities, in order."""
    return [r.get("id") or (r.get("group_path"), r.get("period_start")) for r in records]


def assert_partitions_independent(
    config: dict[str, t.Any],
    state: dict[str, t.Any],
    stream_name: str,
    contexts: list[dict[str, t.Any]],
) -> None:
    """Reading `contexts` interleaved on one stream gives what each gives alone."""
    alone = [read_alone(config, state, stream_name, context) for context in contexts]
    assert any(alone), f"{stream_name} has records"
    assert len({tuple(map(str, ids(a))) for a in alone}) == len(alone), "partitions differ"
    stream = TapClockify(config=config, state=state, parse_env_config=False).streams[stream_name]
    together = interleaved(*(records_of(stream, c) for c in contexts))
    for context, expected, got in zip(contexts, alone, together, strict=True):
        assert ids(got) == ids(expected), context


def test_members_read_interleaved_keep_their_own_start_filter(emulator: Emulator) -> None:
    """Member A reads all history, member B only the last weeks: A's later pages must not
    be asked with B's `start` filter."""
    ws = emulator.data.main
    busiest = sorted(ws.time_entries, key=lambda uid: -len(ws.time_entries[uid]))[:2]
    config = emulator_config(emulator, page_size=3, change_tracking=False)
    latest = max(e["timeInterval"]["start"] for e in ws.time_entries[busiest[1]])
    contexts = [{"workspace_id": ws.id, "user_id": uid} for uid in busiest]
    state = {
        "bookmarks": {
            "time_entries": {
                "partitions": [
                    {
                        "context": contexts[1],
                        "replication_key": "started_at",
                        "replication_key_value": latest,
                    }
                ]
            }
        }
    }
    assert_partitions_independent(config, state, "time_entries", contexts)


@pytest.mark.parametrize(
    ("stream_name", "settings"),
    [
        ("approval_requests", {}),
        ("expense_categories", {}),
        ("scheduling_assignments", {}),
        ("detailed_report", {"report_window_days": 30}),
        ("summary_report", {"summary_report_grain": "month", "report_window_days": 31}),
    ],
)
def test_workspaces_read_interleaved_keep_their_own_passes(
    emulator: Emulator,
    stream_name: str,
    settings: dict[str, t.Any],
) -> None:
    """Two workspaces of a stream read once per pass (a status, a window, a filter),
    interleaved: each pass's requests carry that workspace's own pass."""
    config = emulator_config(emulator, page_size=1, **settings)
    workspaces = [emulator.data.main.id, emulator.data.second.id]
    contexts = [{"workspace_id": ws} for ws in workspaces]
    assert_partitions_independent(config, {}, stream_name, contexts)
