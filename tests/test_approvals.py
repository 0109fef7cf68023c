"""Approval requests: every state, totals kept, entries opt-in, and the bookmark."""

from __future__ import annotations

import hashlib
import typing as t
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.emulator.routes import approvals as approval_routes
from tests.sync_helpers import partition_bookmark
from tests.tap_runner import sync

ROUTE = "/workspaces/{workspaceId}/approval-requests"
TOTALS = ("trackedTime", "billableTime", "approvedTime", "pendingTime", "breakTime",
          "billableAmount", "costAmount", "expenseTotal")  # fmt: skip


def main_config(emulator: Emulator, **overrides: t.Any) -> dict[str, t.Any]:
    return emulator_config(emulator, workspace_ids=[emulator.data.main.id], **overrides)


def test_every_state_is_asked_for_newest_change_first(emulator: Emulator) -> None:
    result = sync(main_config(emulator), streams=["approval_requests"])
    calls = emulator.matching(route=ROUTE)
    assert [c.query["status"][0] for c in calls] == ["PENDING", "APPROVED", "WITHDRAWN_APPROVAL"]
    for call in calls:
        assert call.query["sort-column"] == ["UPDATED_AT"]
        assert call.query["sort-order"] == ["DESCENDING"]
    main = emulator.data.main
    assert len(result.records("approval_requests")) == len(main.more.approval_requests)


def test_records_keep_the_totals_and_leave_the_entries_out(emulator: Emulator) -> None:
    result = sync(main_config(emulator), streams=["approval_requests"])
    sent = {a["approvalRequest"]["id"]: a for a in emulator.data.main.more.approval_requests}
    for record in result.records("approval_requests"):
        original = sent[record["id"]]
        assert record["updated_at"] == original["approvalRequest"]["status"]["updatedAt"]
        assert record["approvalRequest"] == original["approvalRequest"]
        assert {k: record[k] for k in TOTALS} == {k: original[k] for k in TOTALS}
        assert record["expenses"] == original["expenses"]
        assert "entries" not in record
    assert "entries" not in result.schemas()["approval_requests"]["schema"]["properties"]
    assert any(r["expenses"] for r in result.records("approval_requests"))


def test_entries_come_with_the_setting(emulator: Emulator) -> None:
    config = main_config(emulator, approval_requests_include_entries=True)
    result = sync(config, streams=["approval_requests"])
    sent = {a["approvalRequest"]["id"]: a for a in emulator.data.main.more.approval_requests}
    assert "entries" in result.schemas()["approval_requests"]["schema"]["properties"]
    for record in result.records("approval_requests"):
        assert record["entries"] == sent[record["id"]]["entries"]
        assert record["entries"]


def test_the_second_run_reads_only_changes_since_the_bookmark(emulator: Emulator) -> None:
    main = emulator.data.main
    config = main_config(emulator, page_size=5)
    first = sync(config, streams=["approval_requests"])
    approvals = main.more.approval_requests
    latest = max(a["approvalRequest"]["status"]["updatedAt"] for a in approvals)
    assert partition_bookmark(first, "approval_requests", main.id) == latest
    first_calls = emulator.count(route=ROUTE)
    assert first_calls > 3 * 2  # several pages per state at 5 a page

    # An approval pending for months is approved now.
    pending = next(a for a in approvals if a["approvalRequest"]["status"]["state"] == "PENDING")
    approved_at = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with emulator.lock:
        pending["approvalRequest"]["status"].update(state="APPROVED", updatedAt=approved_at)
    emulator.reset_log()

    second = sync(config, state=first.final_state, streams=["approval_requests"])
    emitted = {r["id"]: r for r in second.records("approval_requests")}
    at_bookmark = {
        a["approvalRequest"]["id"]
        for a in approvals
        if a["approvalRequest"]["status"]["updatedAt"] == latest
    }
    assert set(emitted) == {pending["approvalRequest"]["id"]} | at_bookmark
    assert emitted[pending["approvalRequest"]["id"]]["approvalRequest"]["status"]["state"] == (
        "APPROVED"
    )
    # One page per state: each ends at the first request older than the bookmark.
    assert emulator.count(route=ROUTE) == 3
    assert partition_bookmark(second, "approval_requests", main.id) == approved_at


def test_unsorted_answers_are_read_to_the_end(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the server ignored the sort, stopping early would lose changes: it reads on."""
    main = emulator.data.main
    config = main_config(emulator, page_size=5)
    first = sync(config, streams=["approval_requests"])
    scrambled = lambda a: hashlib.sha256(a["approvalRequest"]["id"].encode()).hexdigest()  # noqa: E731
    monkeypatch.setitem(approval_routes.SORT_KEYS, "UPDATED_AT", scrambled)
    approved = sorted(
        (
            a
            for a in main.more.approval_requests
            if a["approvalRequest"]["status"]["state"] == "APPROVED"
        ),
        key=scrambled,
    )
    changed = approved[-1]  # last in the (scrambled) order the server now sends
    later = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with emulator.lock:
        changed["approvalRequest"]["status"]["updatedAt"] = later
    emulator.reset_log()
    second = sync(config, state=first.final_state, streams=["approval_requests"])
    emitted = {r["id"] for r in second.records("approval_requests")}
    assert changed["approvalRequest"]["id"] in emitted
