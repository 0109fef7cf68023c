"""The entity streams (time off to audit log): discovery, a complete and valid sync, the
envelopes, and the 403 that skips one stream in one workspace."""

from __future__ import annotations

import collections
import json
import math
import typing as t

import pytest

from tap_clockify.errors import ClockifyRequestError
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.entity_expectations import (
    DEFAULT_ENTITY_STREAMS,
    ENTITY_KEYS,
    ENTITY_STREAMS,
    OPT_IN_STREAMS,
    entity_key,
    expected_entity_keys,
)
from tests.expectations import PRIMARY_KEYS
from tests.sync_helpers import tap_warnings
from tests.tap_runner import (
    SyncResult,
    assert_each_emitted_once,
    assert_valid_against_schemas,
    run_cli,
    sync,
)

PERMISSION_403 = {"message": "You don't have permission to perform this action."}

#: Catalog rows above the reports: the core streams and these.
CATALOG_STREAMS = [*PRIMARY_KEYS, *ENTITY_STREAMS]


@pytest.fixture(scope="module")
def world() -> t.Iterator[tuple[Emulator, SyncResult]]:
    """One emulator and one sync of every entity stream, opt-in ones included."""
    with Emulator() as emulator:
        yield emulator, sync(emulator_config(emulator), streams=["workspaces", *ENTITY_STREAMS])


def test_discovery_lists_every_stream_of_the_catalog(tmp_path: t.Any) -> None:
    result = run_cli(["--discover"], config={"api_key": "k"}, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-2000:]
    entries = {s["tap_stream_id"]: s for s in json.loads(result.stdout)["streams"]}
    assert set(CATALOG_STREAMS) <= set(entries)
    for stream, key in ENTITY_KEYS.items():
        root = next(m["metadata"] for m in entries[stream]["metadata"] if m["breadcrumb"] == [])
        assert tuple(root["table-key-properties"]) == key, stream
        assert root.get("selected-by-default", True) is (stream not in OPT_IN_STREAMS), stream
    incremental = {
        s: e.get("replication_key") for s, e in entries.items() if e.get("replication_key")
    }
    assert incremental["approval_requests"] == "updated_at"
    assert incremental["audit_log"] == "timestamp"


def test_every_record_of_the_dataset_is_emitted_once(world: tuple[Emulator, SyncResult]) -> None:
    emulator, result = world
    assert_each_emitted_once(
        result, ENTITY_STREAMS, expected_entity_keys(emulator.data), entity_key
    )
    assert emulator.handler_errors == []


def test_every_record_is_valid_against_its_schema(world: tuple[Emulator, SyncResult]) -> None:
    assert_valid_against_schemas(world[1], ENTITY_STREAMS)


def test_every_record_carries_its_workspace(world: tuple[Emulator, SyncResult]) -> None:
    emulator, result = world
    for stream in ENTITY_STREAMS:
        for record in result.records(stream):
            assert record["workspace_id"] in emulator.data.visible_workspace_ids, stream
            if "workspaceId" in record:
                assert record["workspaceId"] == record["workspace_id"], stream


@pytest.mark.parametrize(
    ("stream", "rows"),
    [
        ("holidays", lambda more: more.holidays),
        ("time_off_policies", lambda more: more.time_off_policies),
        ("time_off_requests", lambda more: more.time_off_requests),
        ("time_off_balances", lambda more: more.all_balances()),
        ("expenses", lambda more: more.expenses),
        ("expense_categories", lambda more: more.expense_categories),
        ("invoice_payments", lambda more: more.all_invoice_payments()),
    ],
)
def test_records_are_kept_as_sent(
    world: tuple[Emulator, SyncResult], stream: str, rows: t.Callable[[t.Any], list]
) -> None:
    """Every field the API sends arrives, with its value (money in cents, as sent)."""
    emulator, result = world
    sent = {r["id"]: r for ws in emulator.data.ws.values() for r in rows(ws.more)}
    for record in result.records(stream):
        original = sent[record["id"]]
        assert {k: record[k] for k in original} == original, stream


def test_archived_rows_and_every_status_are_kept(world: tuple[Emulator, SyncResult]) -> None:
    _, result = world
    for stream in ("time_off_policies", "expense_categories"):
        assert {r["archived"] for r in result.records(stream)} == {True, False}, stream
    assert {r["policyArchived"] for r in result.records("time_off_balances")} == {True, False}
    statuses = {r["status"]["statusType"] for r in result.records("time_off_requests")}
    assert statuses == {"PENDING", "APPROVED", "REJECTED"}
    states = {r["approvalRequest"]["status"]["state"] for r in result.records("approval_requests")}
    assert states == {"PENDING", "APPROVED", "WITHDRAWN_APPROVAL"}
    invoice_statuses = {r["status"] for r in result.records("invoices")}
    assert invoice_statuses == {"UNSENT", "SENT", "PAID", "PARTIALLY_PAID", "VOID", "OVERDUE"}


def test_child_records_name_their_parent(world: tuple[Emulator, SyncResult]) -> None:
    emulator, result = world
    for payment in result.records("invoice_payments"):
        more = emulator.data.ws[payment["workspace_id"]].more
        assert payment in [
            {**p, "workspace_id": payment["workspace_id"], "invoice_id": payment["invoice_id"]}
            for p in more.invoice_payments[payment["invoice_id"]]
        ]
    for profile in result.records("member_profiles"):
        more = emulator.data.ws[profile["workspace_id"]].more
        sent = more.member_profiles[profile["user_id"]]
        assert {k: profile[k] for k in sent} == sent


def test_opt_in_streams_are_left_out_by_default(emulator: Emulator) -> None:
    result = sync(emulator_config(emulator))
    assert set(DEFAULT_ENTITY_STREAMS) <= result.streams_with_records
    assert not result.streams_with_records & OPT_IN_STREAMS
    assert emulator.count(host="auditlog") == 0
    assert emulator.count(route="/workspaces/{workspaceId}/member-profile/{userId}") == 0


def test_member_profiles_cost_one_call_per_member(emulator: Emulator) -> None:
    sync(emulator_config(emulator), streams=["member_profiles"])
    members = sum(len(emulator.data.ws[w].users) for w in emulator.data.visible_workspace_ids)
    assert emulator.count(route="/workspaces/{workspaceId}/member-profile/{userId}") == members


def test_unpaged_and_capped_endpoints(emulator: Emulator) -> None:
    """Holidays ignore paging; time-off lists cap page-size at 200 whatever page_size says."""
    sync(emulator_config(emulator), streams=["holidays", "time_off_policies", "time_off_balances"])
    holidays = emulator.matching(route="/workspaces/{workspaceId}/holidays")
    assert holidays
    assert all("page" not in r.query for r in holidays)
    for route in (
        "/workspaces/{workspaceId}/time-off/policies",
        "/workspaces/{workspaceId}/time-off/balance/policy/{policyId}",
    ):
        requests = emulator.matching(route=route)
        assert requests, route
        assert {r.query["page-size"][0] for r in requests} == {"200"}, route
        assert all(r.status == 200 for r in requests), route
    policies = emulator.matching(route="/workspaces/{workspaceId}/time-off/policies")
    assert {r.query["status"][0] for r in policies} == {"ALL"}


@pytest.mark.parametrize(
    ("stream", "route", "rows"),
    [
        (
            "time_off_balances",
            "/workspaces/{workspaceId}/time-off/balance/policy/{policyId}",
            lambda more: max(len(b) for b in more.time_off_balances.values()),
        ),
        ("expenses", "/workspaces/{workspaceId}/expenses", lambda more: len(more.expenses)),
        ("invoices", "/workspaces/{workspaceId}/invoices", lambda more: len(more.invoices)),
    ],
)
def test_envelopes_are_paged(
    emulator: Emulator, stream: str, route: str, rows: t.Callable[[t.Any], int]
) -> None:
    """Records inside `{balances}`, `{expenses: {expenses}}`, `{invoices}` page with Last-Page."""
    main = emulator.data.main
    config = emulator_config(emulator, workspace_ids=[main.id], page_size=3)
    result = sync(config, streams=[stream])
    keys = [entity_key(stream, r) for r in result.records(stream)]
    assert len(keys) == len(set(keys))
    pages = emulator.matching(route=route)
    if stream == "time_off_balances":  # one policy: the one with the most balances
        policy = max(main.more.time_off_balances, key=lambda p: len(main.more.time_off_balances[p]))
        pages = [r for r in pages if policy in r.path]
    assert len(pages) == math.ceil(rows(main.more) / 3)
    assert [r.query["page"][0] for r in pages] == [str(n) for n in range(1, len(pages) + 1)]


def test_archived_categories_need_their_own_request(emulator: Emulator) -> None:
    sync(emulator_config(emulator), streams=["expense_categories"])
    requests = emulator.matching(route="/workspaces/{workspaceId}/expenses/categories")
    asked = collections.Counter(r.query["archived"][0] for r in requests)
    workspaces = len(emulator.data.visible_workspace_ids)
    assert asked == {"false": workspaces, "true": workspaces}


def test_a_missing_permission_skips_one_stream_in_one_workspace(emulator: Emulator) -> None:
    main = emulator.data.main
    denied = emulator.add_fault(
        FaultRule("status", status=403, route=f"/workspaces/{main.id}/time-off/policies",
                  body=PERMISSION_403)
    )  # fmt: skip
    streams = ["time_off_policies", "time_off_balances", "expenses"]
    with tap_warnings() as warnings:
        result = sync(emulator_config(emulator), streams=streams)
    assert denied.applied == 1
    assert len(warnings) == 1, warnings
    assert "time_off_policies" in warnings[0]
    assert main.id in warnings[0]
    assert "You don't have permission" in warnings[0]
    expected = expected_entity_keys(emulator.data)
    others = set(emulator.data.visible_workspace_ids) - {main.id}
    for stream in streams:
        emitted = {entity_key(stream, r) for r in result.records(stream)}
        workspaces = {r["workspace_id"] for r in result.records(stream)}
        if stream == "expenses":
            assert emitted == expected[stream]
        else:  # main's policies, hence its balances, are skipped; the others' are kept
            assert main.id not in workspaces
            assert others & workspaces
    assert not [r for r in emulator.requests if f"{main.id}/time-off/balance" in r.path]


def test_any_other_client_error_fails_the_run(emulator: Emulator) -> None:
    emulator.add_fault(
        FaultRule("status", status=400, route="/workspaces/{workspaceId}/holidays",
                  body={"message": "Bad request", "code": 3000})
    )  # fmt: skip
    with pytest.raises(ClockifyRequestError, match="holidays: Clockify answered 400"):
        sync(emulator_config(emulator), streams=["holidays"])
