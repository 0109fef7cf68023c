"""Clockify's timestamps: the one parser the tap reads them with, and the filter form."""

from __future__ import annotations

from datetime import UTC, date, datetime


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
