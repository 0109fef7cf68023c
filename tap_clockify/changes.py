"""Change tracking, the pure part: windows, bookmarks and the feed's documents as records.

Clockify's entity-change feeds (`GET /workspaces/{ws}/entities/created|updated|deleted`)
list what changed in a time window. docs/change-tracking.md explains how the tap uses them;
this module holds the rules that need no HTTP.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tap_clockify.timestamps import format_timestamp, parse_timestamp

#: The feed's entity type of each stream it covers.
FEED_TYPES = {
    "time_entries": "TIME_ENTRY",
    "clients": "CLIENTS",
    "projects": "PROJECTS",
    "tags": "TAGS",
    "tasks": "TASKS",
    "user_groups": "USER_GROUPS",
    "users": "USER",
}
#: ... and the stream of each type.
TYPE_STREAMS = {entity_type: stream for stream, entity_type in FEED_TYPES.items()}

#: A window ends this long before the server's clock: deletions reach the feed about a
#: minute late, and a window that is only read once everything in it has arrived needs
#: no overlap with the next one (which would hide objects created and deleted in it).
SETTLE_TIME = timedelta(minutes=5)
DEFAULT_FEED_REACH_DAYS = 30

#: Where a stream keeps its feed bookmarks: `bookmarks.<stream>.change_feed.<workspace>`.
STATE_KEY = "change_feed"

#: Keys the feed adds to an entity's document; the entity endpoints do not send them.
FEED_ONLY_KEYS = ("auditMetadata", "documentCode", "documentType", "deletionBinId")

Mode = t.Literal["off", "full", "feed"]


@dataclass(frozen=True)
class Plan:
    """How one stream reads one workspace in this run.

    `off`: change tracking is off (the stream reads as it always did). `full`: a full read
    (first run, or the last one is too old for the feed); `deletions_since`, when set, is
    where the feed's `deleted` list is still asked from, to retire what vanished meanwhile.
    `feed`: only the changes in `[start, end)`.
    """

    mode: Mode
    start: datetime | None = None
    end: datetime | None = None
    deletions_since: datetime | None = None

    @property
    def asks_feed(self) -> bool:
        """Whether this plan needs the feed at all."""
        return self.mode == "feed" or self.deletions_since is not None


def plan_for(
    bookmark: str | None,
    *,
    enabled: bool,
    run_time: datetime,
    reach: timedelta,
) -> Plan:
    """The plan for a stream and workspace whose feed bookmark is `bookmark`."""
    if not enabled:
        return Plan("off")
    if bookmark is None:
        return Plan("full", end=run_time)
    since = parse_timestamp(bookmark)
    oldest = run_time - reach
    if since < oldest:
        # Ask a little inside the known reach, so the server does not refuse the window.
        return Plan("full", end=run_time, deletions_since=oldest + timedelta(hours=1))
    return Plan("feed", start=since, end=max(since, run_time - SETTLE_TIME))


@dataclass
class Deletion:
    """One item of the `deleted` feed."""

    entity_type: str
    entity_id: str
    deleted_at: str
    item_id: str | None
    document: dict[str, t.Any]


@dataclass
class WorkspaceChanges:
    """What the feed said about one entity type in one workspace (None: not asked)."""

    upserts: list[dict[str, t.Any]] = field(default_factory=list)
    deletions: list[Deletion] = field(default_factory=list)


def entity_type_of(item: dict[str, t.Any]) -> str | None:
    """The type an item names: `documentCode` live, `documentType` in the official guide."""
    value = item.get("documentCode") or item.get("documentType")
    return str(value) if value else None


def as_record(document: dict[str, t.Any]) -> dict[str, t.Any]:
    """A feed document in the shape of the entity endpoints: feed-only keys out, `_id` → `id`."""
    record = {key: value for key, value in document.items() if key not in FEED_ONLY_KEYS}
    if "_id" in record:
        record.setdefault("id", record["_id"])
        del record["_id"]
    return record


def as_deletion(item: dict[str, t.Any], entity_type: str) -> Deletion | None:
    """A `deleted` item; the entity's id is `document._id` (the item's `id` is its own)."""
    found = item.get("document")
    document: dict[str, t.Any] = found if isinstance(found, dict) else {}
    entity_id = document.get("_id") or document.get("id") or item.get("id")
    deleted_at = item.get("deletedAt")
    if not entity_id or not deleted_at:
        return None
    item_id = item.get("id") if item.get("id") != entity_id else None
    return Deletion(entity_type, str(entity_id), str(deleted_at), item_id, document)


def deletion_marker(deletion: Deletion) -> dict[str, t.Any]:
    """The record that retires a deleted row: what the feed still knows, plus `_sdc_deleted_at`.

    The loader replaces the whole row with it, so every field the feed's document kept
    is kept; the others become null.
    """
    record = as_record(deletion.document)
    record["id"] = deletion.entity_id
    record["_sdc_deleted_at"] = format_timestamp(parse_timestamp(deletion.deleted_at))
    return record
