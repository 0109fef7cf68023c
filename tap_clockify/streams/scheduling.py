"""Scheduling: assignments planned for members, read window by window into the future."""

from __future__ import annotations

import typing as t
from datetime import UTC, datetime, timedelta

from typing_extensions import override

from tap_clockify.settings import (
    DEFAULT_HISTORY_DAYS,
    DEFAULT_SCHEDULING_HORIZON_DAYS,
    SCHEDULING_WINDOW_DAYS,
)
from tap_clockify.streams._passes import MultiPassStream
from tap_clockify.timestamps import consecutive_windows, format_timestamp, parse_timestamp

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class SchedulingAssignmentsStream(MultiPassStream):
    """Assignments from `start_date` to `scheduling_horizon_days` ahead, read in full.

    Plans change until the day they happen, so every run re-reads the whole range. The
    endpoint requires `start` and `end` and returns the assignments overlapping them,
    so one spanning two windows comes twice and is emitted once.
    """

    name = "scheduling_assignments"
    path = "/workspaces/{workspace_id}/scheduling/assignments/all"
    primary_keys = ("id",)

    @property
    @override
    def retires_missing_rows(self) -> bool:
        """Only with `start_date`: without it the window's start moves a day every day.

        Assignments falling out of a moving window still exist; retiring them would
        report them as deleted.
        """
        return super().retires_missing_rows and bool(self.config.get("start_date"))

    @override
    def passes(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """One pass per window, oldest first."""
        for start, end in self.windows(datetime.now(UTC)):
            yield {"start": format_timestamp(start), "end": format_timestamp(end)}

    def windows(self, now: datetime) -> list[tuple[datetime, datetime]]:
        """The windows from the first day to read up to the horizon, in whole UTC days."""
        today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        start_date = self.config.get("start_date")
        if start_date:
            first = parse_timestamp(start_date)
        else:
            first = today - timedelta(days=DEFAULT_HISTORY_DAYS)
        horizon = self.config.get("scheduling_horizon_days", DEFAULT_SCHEDULING_HORIZON_DAYS)
        # No range limit is documented for this endpoint, but the reports cap theirs at a
        # year; a quarter stays well inside any such limit, keeps a window to a page or two
        # even for a large team, and costs about four calls per year of range.
        window = timedelta(days=SCHEDULING_WINDOW_DAYS)
        return consecutive_windows(first, today + timedelta(days=int(horizon) + 1), window)
