"""The audit log (Enterprise plans): who created, changed or deleted what, and when."""

from __future__ import annotations

import hashlib
import json
import typing as t
from datetime import UTC, datetime

from typing_extensions import override

from tap_clockify.pagination import ClockifyPaginator
from tap_clockify.streams._post import ClockifyPostStream

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context

    from tap_clockify.client import Record

#: Every action the audit log records; the search requires at least one (a closed enum).
AUDIT_ACTIONS = (
    "CREATE_TIME_PERSONAL_TIMER", "CREATE_TIME_PERSONAL_MANUAL", "CREATE_TIME_IMPORT",
    "CREATE_TIME_KIOSK", "CREATE_TIME_FOR_OTHER", "RESTORE_TIME", "RESTORE_TIME_FOR_OTHER",
    "UPDATE_TIME_PERSONAL", "UPDATE_TIME_FOR_OTHER", "DELETE_TIME_PERSONAL",
    "DELETE_TIME_FOR_OTHER", "CREATE_PROJECT", "CREATE_PROJECT_IMPORT",
    "CREATE_PROJECT_QUICKBOOKS", "UPDATE_PROJECT", "DELETE_PROJECT", "CREATE_TASK",
    "CREATE_TASK_IMPORT", "UPDATE_TASK", "DELETE_TASK", "CREATE_CLIENT",
    "CREATE_CLIENT_IMPORT", "CREATE_CLIENT_QUICKBOOKS", "UPDATE_CLIENT", "DELETE_CLIENT",
    "CREATE_TAG", "CREATE_TAG_IMPORT", "UPDATE_TAG", "DELETE_TAG", "CREATE_EXPENSE",
    "CREATE_EXPENSE_FOR_OTHER", "RESTORE_EXPENSE", "RESTORE_EXPENSE_FOR_OTHER",
    "UPDATE_EXPENSE", "UPDATE_EXPENSE_FOR_OTHER", "DELETE_EXPENSE", "DELETE_EXPENSE_FOR_OTHER",
)  # fmt: skip
#: The audit log's cap on `page-size` (docs/clockify.md, Paging).
AUDIT_LOG_MAX_PAGE_SIZE = 50
#: Where a first run starts when `start_date` is empty: before Clockify existed, so the
#: whole log (its retention is undocumented) is read once; later runs start at the bookmark.
AUDIT_LOG_EPOCH = datetime(2017, 1, 1, tzinfo=UTC)


def format_millis(moment: datetime) -> str:
    """The audit log's timestamp form, with milliseconds: `2026-05-20T23:43:40.111Z`."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def entry_hash(entry: dict[str, t.Any]) -> str:
    """SHA-256 (hex) of an audit entry as Clockify sent it, keys sorted: its identity."""
    canonical = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class UntilEmptyPaginator(ClockifyPaginator):
    """Pages until an empty page, whatever the size of the last one.

    A probe saw the audit log cap its pages below the `page-size` asked for; ending on a
    short page would then stop after the first. One more request per run is the price.
    """

    @override
    def has_more(self, response: requests.Response) -> bool:
        """Whether the page had any entry (an empty page ends the log)."""
        return self._count_records(response) > 0


class AuditLogStream(ClockifyPostStream):
    """Audit entries of Enterprise workspaces, incremental on `timestamp`.

    Each run asks from the bookmark (inclusive, so the last entry seen is re-emitted, a
    harmless upsert) to the start of the run, for every action and every author. A
    workspace without the audit log (not Enterprise) answers 403: it is skipped with one
    warning and the sync goes on. Entries carry no id: `entry_hash`, a SHA-256 of the
    entry as sent, is the key.
    """

    name = "audit_log"
    host = "auditlog"
    path = "/workspaces/{workspace_id}/audit-log"
    primary_keys = ("workspace_id", "entry_hash")
    replication_key = "timestamp"
    is_sorted = False
    selected_by_default = False
    page_size_field = "page-size"
    max_page_size = AUDIT_LOG_MAX_PAGE_SIZE
    api_id_field = "timestamp"  # entries have no id; every one has a timestamp
    required_timestamps = ("timestamp",)
    paginator_class = UntilEmptyPaginator

    @override
    def request_body(self, context: Context | None) -> dict[str, t.Any]:
        """Every action by every author (nobody excluded), from the bookmark to the run's start.

        Both ends are the same for every page of a partition, with nothing kept on the
        stream: the SDK fixes the starting bookmark when the partition starts, and the run's
        start is the tap's.
        """
        start = self.get_starting_timestamp(context) or AUDIT_LOG_EPOCH
        run_start = datetime.fromtimestamp(self.tap.initialized_at / 1000, UTC)
        return {
            "actions": list(AUDIT_ACTIONS),
            "authors": {"contains": "DOES_NOT_CONTAIN", "authorIds": []},
            "start": format_millis(start),
            "end": format_millis(run_start),
        }

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Add `entry_hash`, computed from the entry exactly as Clockify sent it."""
        digest = entry_hash(row)
        row = super().post_process(row, context) or row
        row["entry_hash"] = digest
        return row
