"""Invoices: the list's summary by default, each invoice's detail on request."""

from __future__ import annotations

import jsonschema

from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.emulator.dataset_more import INVOICE_LIST_FIELDS, invoice_summary
from tests.sync_helpers import tap_warnings
from tests.tap_runner import sync

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
    list_calls = emulator.count(route="/workspaces/{workspaceId}/invoices")
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
