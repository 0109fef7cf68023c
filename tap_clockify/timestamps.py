"""Clockify's timestamps: the one parser the tap reads them with, and the filter form."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp (`Z` or an offset, optional fractions); naive means UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_timestamp(value: datetime) -> str:
    """Format a filter value the way Clockify documents it: `yyyy-MM-ddTHH:mm:ssZ`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
