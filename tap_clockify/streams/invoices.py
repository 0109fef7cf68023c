"""Invoices, optionally with their items, taxes and discounts, and their payments."""

from __future__ import annotations

import typing as t
from functools import cached_property

from typing_extensions import override

from tap_clockify.client import ClockifyStream
from tap_clockify.streams._child import PerParentStream
from tap_clockify.streams._schema import SettingsAwareSchema
from tap_clockify.streams.workspace import ParentStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: The fields of an invoice in the list; the others come only from GET /invoices/{id}.
SUMMARY_FIELDS = frozenset(
    {
        "id", "number", "clientId", "clientName", "currency", "amount", "balance", "paid",
        "issuedDate", "dueDate", "status", "workspace_id",
    }
)  # fmt: skip


class InvoiceDetailStream(ClockifyStream):
    """One invoice in full, read per invoice of the list (with `invoice_details` on).

    Not in the catalog: `InvoicesStream` merges its record into the invoice's, so it
    counts its calls and names its failures as `invoices`. A 403 yields nothing (the
    invoice keeps its summary) after one warning.
    """

    name = "invoices"
    path = "/workspaces/{workspace_id}/invoices/{invoice_id}"
    primary_keys = ("id",)
    records_jsonpath = "$"
    paged = False
    when_denied = "invoices are emitted without their details"
    denial_leaves_out_records = False  # the list read them all


class InvoicesStream(ParentStream):
    """Invoices of every status; with `invoice_details`, each one's full detail.

    The list gives a summary (number, client, amounts, dates, status). Items, taxes,
    discounts and notes come only from GET /invoices/{id}, one call per invoice, so
    they are fetched only when `invoice_details` is on and the stream is selected.
    """

    name = "invoices"
    path = "/workspaces/{workspace_id}/invoices"
    primary_keys = ("id",)
    records_jsonpath = "$.invoices[*]"
    schema = SettingsAwareSchema()
    child_context_key = "invoice_id"  # payments and details are read per invoice

    @property
    def with_details(self) -> bool:
        """The `invoice_details` setting."""
        return bool(self.config.get("invoice_details", False))

    @cached_property
    def details(self) -> InvoiceDetailStream:
        """The stream reading each invoice's detail."""
        return InvoiceDetailStream(tap=self.tap)

    def left_out_properties(self, names: set[str]) -> set[str]:
        """The detail fields, unless `invoice_details` is on."""
        return set() if self.with_details else names - SUMMARY_FIELDS

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """The list; with `invoice_details`, each invoice merged with its detail.

        Only a selected stream reads details: for `invoice_payments` alone, the list is
        enough.
        """
        read_details = self.with_details and self.selected
        for invoice in super().get_records(context):
            yield {**invoice, **self.detail(invoice, context)} if read_details else invoice

    def detail(self, invoice: dict[str, t.Any], context: Context | None) -> dict[str, t.Any]:
        """The invoice's detail record; empty when a 403 refused it."""
        found = list(self.details.get_records(self.get_child_context(invoice, context)))
        for detail in found:
            if detail["id"] != invoice["id"]:
                self.details.unexpected(f"expected the invoice {invoice['id']}", detail)
        return found[0] if found else {}


class InvoicePaymentsStream(PerParentStream):
    """Payments recorded against each invoice; they do not name it, so `invoice_id` is added."""

    name = "invoice_payments"
    path = "/workspaces/{workspace_id}/invoices/{invoice_id}/payments"
    primary_keys = ("id",)
    parent_stream_type = InvoicesStream
    parent_key = "invoice_id"
