"""What a sync of the entity streams (time off to audit log) should emit, from the dataset.

Kept apart from `tests/expectations.py` (the core streams). `expected_entity_keys` gives
the primary keys per stream for the default settings; the PostgreSQL end-to-end test can
count rows with it too.
"""

from __future__ import annotations

import typing as t
from datetime import UTC, datetime, timedelta

from tap_clockify.streams.audit_log import entry_hash
from tests.emulator.dataset import Dataset, WorkspaceData
from tests.emulator.dataset_more import has_audit_log

Record = dict[str, t.Any]

#: Primary key of each entity stream, as the catalog declares it.
ENTITY_KEYS: dict[str, tuple[str, ...]] = {
    "holidays": ("id",),
    "time_off_policies": ("id",),
    "time_off_requests": ("id",),
    "time_off_balances": ("id",),
    "approval_requests": ("id",),
    "scheduling_assignments": ("id",),
    "expenses": ("id",),
    "expense_categories": ("id",),
    "invoices": ("id",),
    "invoice_payments": ("id",),
    "member_profiles": ("workspace_id", "user_id"),
    "audit_log": ("workspace_id", "entry_hash"),
}
ENTITY_STREAMS = list(ENTITY_KEYS)
#: One call per member, and Enterprise only: selected only on request.
OPT_IN_STREAMS = frozenset({"member_profiles", "audit_log"})
DEFAULT_ENTITY_STREAMS = [s for s in ENTITY_STREAMS if s not in OPT_IN_STREAMS]


def scheduling_range(
    now: datetime,
    start_date: str | None = None,
    horizon_days: int = 365,
) -> tuple[datetime, datetime]:
    """The range the tap reads assignments in: `start_date` (or a year back) to the horizon."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    first = (
        datetime.fromisoformat(start_date.replace("Z", "+00:00"))
        if start_date
        else today - timedelta(days=365)
    )
    return first, today + timedelta(days=horizon_days + 1)


def assignments_in(ws: WorkspaceData, first: datetime, last: datetime) -> list[Record]:
    """Assignments whose period overlaps [first, last]."""
    return [
        a
        for a in ws.more.scheduling_assignments
        if _instant(a["period"]["start"]) <= last and _instant(a["period"]["end"]) >= first
    ]


def expected_entity_keys(
    data: Dataset,
    workspace_ids: list[str] | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, set[tuple]]:
    """Primary keys of every record a sync of the entity streams must emit by default."""
    keys: dict[str, set[tuple]] = {stream: set() for stream in ENTITY_KEYS}
    first, last = scheduling_range(now or datetime.now(UTC))
    for ws_id in workspace_ids or data.visible_workspace_ids:
        more = data.ws[ws_id].more
        for stream, rows in (
            ("holidays", more.holidays),
            ("time_off_policies", more.time_off_policies),
            ("time_off_requests", more.time_off_requests),
            ("time_off_balances", more.all_balances()),
            ("scheduling_assignments", assignments_in(data.ws[ws_id], first, last)),
            ("expenses", more.expenses),
            ("expense_categories", more.expense_categories),
            ("invoices", more.invoices),
            ("invoice_payments", more.all_invoice_payments()),
        ):
            keys[stream].update((row["id"],) for row in rows)
        keys["approval_requests"].update(
            (a["approvalRequest"]["id"],) for a in more.approval_requests
        )
        keys["member_profiles"].update((ws_id, user_id) for user_id in more.member_profiles)
        if has_audit_log(data.ws[ws_id]):
            keys["audit_log"].update((ws_id, entry_hash(e)) for e in more.audit_log)
    return keys


def entity_key(stream: str, record: Record) -> tuple:
    """The primary key of an emitted record."""
    return tuple(record[field] for field in ENTITY_KEYS[stream])


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
