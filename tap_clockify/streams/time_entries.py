"""Time entries: incremental per (workspace, user), with a lookback for edits and timers."""

from __future__ import annotations

import typing as t
from datetime import timedelta

from typing_extensions import override

from tap_clockify.client import ClockifyStream, Record
from tap_clockify.settings import DEFAULT_LOOKBACK_DAYS
from tap_clockify.streams.changes import ChangeTrackedStream
from tap_clockify.streams.workspace import UsersStream
from tap_clockify.timestamps import format_timestamp, parse_timestamp

if t.TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from singer_sdk.helpers.types import Context

    from tap_clockify.changes import Plan, WorkspaceChanges

#: Clockify reads the `start` filter as a wall clock in the account's time zone, so a
#: filter can land up to 14 hours late in UTC. Asking a day earlier and filtering here
#: keeps `start_date` exact whatever the zone.
TIME_ZONE_MARGIN = timedelta(days=1)

#: Partition-state key remembering the earliest timer still running at the last sync, so
#: that the next sync reaches back to it even when it started before the lookback window.
OPEN_TIMER_KEY = "open_timer_started_at"


def resume_point(state: Mapping[str, t.Any], mark: str, config: Mapping[str, t.Any]) -> datetime:
    """`lookback_days` before `mark`, or the earliest timer running last time if earlier."""
    lookback = timedelta(days=config.get("lookback_days", DEFAULT_LOOKBACK_DAYS))
    start = parse_timestamp(mark) - lookback
    if open_timer := state.get(OPEN_TIMER_KEY):
        start = min(start, parse_timestamp(open_timer))
    return start


def window_params(window_start: datetime | None) -> dict[str, str]:
    """The `start` filter for a window from `window_start`, widened by the time-zone margin."""
    return {"start": format_timestamp(window_start - TIME_ZONE_MARGIN)} if window_start else {}


def in_window(
    records: t.Iterable[dict[str, t.Any]],
    window_start: datetime | None,
) -> t.Iterator[dict[str, t.Any]]:
    """`records` less those only inside the time-zone margin (all of them for no window)."""
    if window_start is None:
        yield from records
        return
    for record in records:
        if parse_timestamp(record["timeInterval"]["start"]) >= window_start:
            yield record


class OpenTimerMemory(ClockifyStream):
    """A stream of time entries that remembers, per partition, the timers still running.

    `remember_open_timers` passes a partition's records through, then keeps the earliest
    start among those still running under `OPEN_TIMER_KEY` in the partition's state (or
    drops the key when none runs); `resume_point` reaches back to it on the next run.
    """

    def running_timer_start(self, record: dict[str, t.Any]) -> str | None:
        """The start of `record`, as the state keeps it, if its timer is still running."""
        raise NotImplementedError

    def remember_open_timers(
        self,
        context: Context | None,
        records: t.Iterable[dict[str, t.Any]],
    ) -> t.Iterator[dict[str, t.Any]]:
        """Yield `records`; then remember the earliest timer still running among them."""
        running: list[str] = []
        for record in records:
            if (start := self.running_timer_start(record)) is not None:
                running.append(start)
            yield record
        state = self.get_context_state(context)
        if running:
            state[OPEN_TIMER_KEY] = min(running, key=parse_timestamp)
        else:
            state.pop(OPEN_TIMER_KEY, None)


class TimeEntriesStream(ChangeTrackedStream, OpenTimerMemory):
    """Every time entry of every member, running timers included.

    Entries have no modified timestamp. With change tracking on (the default), a run after
    the first reads no member's entries: the change feed lists what was created, edited
    and deleted per workspace (streams/changes.py). Otherwise, or when the feed fails,
    the bookmark is the latest `timeInterval.start` seen per (workspace, user); each run
    asks for entries from the bookmark minus `lookback_days` (or from the earliest timer
    still running last time, if earlier), so edits and stopped timers inside that window
    are re-emitted as upserts.
    """

    name = "time_entries"
    path = "/workspaces/{workspace_id}/user/{user_id}/time-entries"
    primary_keys = ("id",)
    replication_key = "started_at"
    required_timestamps = ("timeInterval.start",)
    # Clockify returns the newest entries first, so the bookmark is only final once a
    # user's pages have all been read: an interrupted run resumes from the old bookmark.
    is_sorted = False
    parent_stream_type = UsersStream
    state_partitioning_keys: t.ClassVar[list[str]] = ["workspace_id", "user_id"]
    prefetch_partitions = True

    def request_window_start(
        self,
        context: Context | None,
        plan: Plan,
        *,
        peek: bool = False,
    ) -> datetime | None:
        """The earliest start to ask for in this partition; None reads all history.

        A full read (plan `full`) ignores the bookmark. The lookback after a failed feed
        counts from the feed's bookmark when it is later than the partition's own.
        """
        state = self.resume_state(context, peek=peek)
        start_date = self.config.get("start_date")
        floor = parse_timestamp(start_date) if start_date else None
        bookmark = state.get("replication_key_value")
        if plan.mode == "full" or bookmark is None:
            return floor
        if plan.mode == "feed" and context is not None:
            feed_mark = self.tap.change_tracker.bookmark(self.name, context["workspace_id"])
            if feed_mark and parse_timestamp(feed_mark) > parse_timestamp(bookmark):
                bookmark = feed_mark
        start = resume_point(state, bookmark, self.config)
        return max(start, floor) if floor else start

    @override
    def read_ahead_params(self, context: Context) -> dict[str, t.Any]:
        """The `start` filter of `context`'s window, from its state as it stands."""
        return window_params(self.request_window_start(context, self.feed_plan(context), peek=True))

    @override
    def reads_whole_partition(self, plan: Plan) -> bool:
        """Only a full read (no bookmark, or one older than the feed reaches) is whole."""
        return plan.mode == "full"

    @override
    def read_in_full(
        self,
        context: Context,
        plan: Plan,
        changes: WorkspaceChanges | None,
    ) -> t.Iterable[dict[str, t.Any]]:
        """The partition's entries in its window; then remember running timers."""
        window_start = self.request_window_start(context, plan)
        records = self.read_records(context, window_params(window_start))
        yield from self.remember_open_timers(context, in_window(records, window_start))

    @override
    def from_feed(self, record: Record, context: Context) -> Record | None:
        """Name the entry's own user (not the partition's); skip entries before start_date."""
        record["user_id"] = record.get("userId")
        start = (record.get("timeInterval") or {}).get("start")
        start_date = self.config.get("start_date")
        if start and start_date and parse_timestamp(start) < parse_timestamp(start_date):
            return None
        return record

    @override
    def running_timer_start(self, record: dict[str, t.Any]) -> str | None:
        """`timeInterval.start` as sent, while `timeInterval.end` is null."""
        interval = record["timeInterval"]
        return interval["start"] if interval.get("end") is None else None

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Copy `timeInterval.start` to the top-level replication key."""
        row = super().post_process(row, context) or row
        row["started_at"] = (row.get("timeInterval") or {}).get("start")
        return row
