"""Clockify's timestamps: the one parser the tap reads them with, the filter form, windows."""

from __future__ import annotations

import typing as t
from datetime import UTC, date, datetime, timedelta

#: A day or an instant: windows are cut the same way for both.
Moment = t.TypeVar("Moment", date, datetime)


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp (`Z` or an offset, optional fractions); naive means UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_period_start(value: str) -> date | None:
    """The first day a report's period group names, or None when it names none.

    `yyyy-MM-dd` is a day or the start of a week (a time of day is ignored), `yyyy-MM` a month.
    """
    try:
        if len(value) >= len("yyyy-MM-dd"):
            return date.fromisoformat(value[:10])
        if len(value) == len("yyyy-MM"):
            return date.fromisoformat(f"{value}-01")
    except ValueError:
        return None
    return None


def format_timestamp(value: datetime) -> str:
    """Format a filter value the way Clockify documents it: `yyyy-MM-ddTHH:mm:ssZ`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def consecutive_windows(
    start: Moment, end: Moment, length: timedelta
) -> list[tuple[Moment, Moment]]:
    """`start` to `end` in consecutive half-open windows of `length`; the last may be shorter."""
    windows = []
    while start < end:
        stop = min(start + length, end)
        windows.append((start, stop))
        start = stop
    return windows
