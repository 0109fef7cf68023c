"""Invoices: the list's summary by default, each invoice's detail on request."""

from __future__ import annotations

import jsonschema
import pytest

from tap_clockify.errors import UnexpectedResponseError
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.emulator.dataset_more import INVOICE_LIST_FIELDS, invoice_summary
from tests.sync_helpers import tap_warnings
from tests.tap_runner import sync

LIST_ROUTE = "/workspaces/{workspaceId}/invoices"
DETAIL_ROUTE = "/workspaces/{workspaceId}/invoices/{invoiceId}"
PAYMENTS_ROUTE = "/workspaces/{workspaceId}/invoices/{invoiceId}/payments"


def all_invoices(emulator: Emulator) -> dict[str, dict]:
    data = emulator.data
    return {i["id"]: i for w in data.visible_workspace_ids for i in data.ws[w].more.invoices}


def test_by_default_the_list_is_enough(emulator: Emulator) -> None:
    result = sync(emulator_config(emulator), streams=["invoices"])
    invoices = all_invoices(emulator)
    assert emulator.count(route=DETAIL_ROUTE) == 0
    properties = result.schemas()["invoices"]["schema"]["properties"]
    assert set(properties) == {*INVOICE_LIST_FIELDS, "workspace_id"}
    for record in result.records("invoices"):
        assert record == {
            **invoice_summary(invoices[record["id"]]),
            "workspace_id": record["workspace_id"],
        }


def test_invoice_details_cost_one_call_per_invoice(emulator: Emulator) -> None:
    result = sync(emulator_config(emulator, invoice_details=True), streams=["invoices"])
    invoices = all_invoices(emulator)
    assert emulator.count(route=DETAIL_ROUTE) == len(invoices)
    list_calls = emulator.count(route=LIST_ROUTE)
    assert list_calls == len(emulator.data.visible_workspace_ids)
    schema = result.schemas()["invoices"]["schema"]
    assert {"items", "tax", "discount", "subtotal"} <= set(schema["properties"])
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    for record in result.records("invoices"):
        assert record == {**invoices[record["id"]], "workspace_id": record["workspace_id"]}
        assert not list(validator.iter_errors(record))
    assert any(r["items"] and r["discount"] for r in result.records("invoices"))


def test_a_detail_refused_keeps_the_summary(emulator: Emulator) -> None:
    main = emulator.data.main
    refused = main.more.invoices[0]["id"]
    emulator.add_fault(
        FaultRule(
            "status",
            status=403,
            route=f"/invoices/{refused}",
            method="GET",
            body={"message": "You don't have permission to perform this action."},
            times=1,
        )
    )
    config = emulator_config(emulator, workspace_ids=[main.id], invoice_details=True)
    with tap_warnings() as warnings:
        result = sync(config, streams=["invoices"])
    emitted = {r["id"]: r for r in result.records("invoices")}
    assert set(emitted) == {i["id"] for i in main.more.invoices}
    assert "items" not in emitted[refused]
    assert all("items" in r for i, r in emitted.items() if i != refused)
    assert len(warnings) == 1
    assert "without their details" in warnings[0]


def test_payments_are_read_per_invoice(emulator: Emulator) -> None:
    result = sync(emulator_config(emulator), streams=["invoice_payments"])
    invoices = all_invoices(emulator)
    assert emulator.count(route=PAYMENTS_ROUTE) == len(invoices)
    for payment in result.records("invoice_payments"):
        more = emulator.data.ws[payment["workspace_id"]].more
        assert payment["id"] in {p["id"] for p in more.invoice_payments[payment["invoice_id"]]}
    paid = {p["invoice_id"] for p in result.records("invoice_payments")}
    assert {invoices[i]["status"] for i in paid} == {"PAID", "PARTIALLY_PAID"}


def test_details_follow_the_list_page_by_page(emulator: Emulator) -> None:
    """Each page's invoices get their details before the next page is asked for."""
    main = emulator.data.main
    config = emulator_config(emulator, workspace_ids=[main.id], invoice_details=True, page_size=2)
    result = sync(config, streams=["invoices"])
    assert len(result.records("invoices")) == len(main.more.invoices) > 2
    routes = [r.route for r in emulator.requests if r.route in (LIST_ROUTE, DETAIL_ROUTE)]
    assert routes[:4] == [LIST_ROUTE, DETAIL_ROUTE, DETAIL_ROUTE, LIST_ROUTE]


def test_details_are_read_only_for_a_selected_invoices_stream(emulator: Emulator) -> None:
    config = emulator_config(emulator, invoice_details=True)
    result = sync(config, streams=["invoice_payments"])
    assert result.records("invoice_payments")
    assert emulator.count(route=DETAIL_ROUTE) == 0


def test_a_detail_of_another_invoice_is_an_unexpected_response(emulator: Emulator) -> None:
    main = emulator.data.main
    first, other = main.more.invoices[:2]
    emulator.add_fault(
        FaultRule("status", status=200, route=f"/invoices/{first['id']}", method="GET", body=other)
    )
    config = emulator_config(emulator, workspace_ids=[main.id], invoice_details=True)
    with pytest.raises(UnexpectedResponseError) as raised:
        sync(config, streams=["invoices"])
    assert str(raised.value) == (
        "invoices: unexpected response from GET /workspaces/{workspace_id}/invoices/"
        f"{{invoice_id}}: expected the invoice {first['id']}, got dict"
    )
