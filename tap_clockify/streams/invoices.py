"""Invoices, optionally with their items, taxes and discounts, and their payments."""

from __future__ import annotations

import typing as t

from tap_clockify.errors import PermissionDeniedError, UnexpectedResponseError
from tap_clockify.streams._child import ParentStream, PerParentStream
from tap_clockify.streams._schema import SettingsAwareSchema

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: The fields of an invoice in the list; the others come only from GET /invoices/{id}.
SUMMARY_FIELDS = frozenset(
    {
        "id", "number", "clientId", "clientName", "currency", "amount", "balance", "paid",
        "issuedDate", "dueDate", "status", "workspace_id",
    }
)  # fmt: skip


class InvoicesStream(ParentStream):
    """Invoices of every status; with `invoice_details`, each one's full detail.

    The list gives a summary (number, client, amounts, dates, status). Items, taxes,
    discounts and notes come only from GET /invoices/{id}, one call per invoice, so
    they are fetched only when `invoice_details` is on. The details are fetched once the
    list is read, so that the list's repeated-page check sees only list pages.
    """

    name = "invoices"
    path = "/workspaces/{workspace_id}/invoices"
    primary_keys = ("id",)
    records_jsonpath = "$.invoices[*]"
    schema = SettingsAwareSchema()
    child_context_key = "invoice_id"  # payments are read per invoice

    @property
    def with_details(self) -> bool:
        """The `invoice_details` setting."""
        return bool(self.config.get("invoice_details", False))

    def left_out_properties(self, names: set[str]) -> set[str]:
        """The detail fields, unless `invoice_details` is on."""
        return set() if self.with_details else names - SUMMARY_FIELDS

    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """The list; then, with `invoice_details`, each invoice merged with its detail."""
        if not self.with_details:
            yield from super().get_records(context)
            return
        invoices = list(super().get_records(context))
        for invoice in invoices:
            yield {**invoice, **self.invoice_detail(context, invoice)}

    def invoice_detail(self, context: Context | None, invoice: dict[str, t.Any]) -> dict:
        """GET /invoices/{id}; a 403 keeps the summary and warns once."""
        assert context is not None
        url = f"{self.url_base}/workspaces/{context['workspace_id']}/invoices/{invoice['id']}"
        request = self.build_prepared_request(method="GET", url=url, headers=self.http_headers)
        try:
            response = self.request_decorator(self._request)(request, context)
        except PermissionDeniedError as error:
            self.tap.warn_once(f"{error}: invoices are emitted without their details")
            return {}
        detail = response.json()
        if not isinstance(detail, dict) or detail.get("id") != invoice["id"]:
            msg = (
                f"{self.name}: unexpected response from GET {self.path}/{{id}}: expected "
                f"the invoice {invoice['id']}, got {type(detail).__name__}"
            )
            raise UnexpectedResponseError(msg)
        return detail


class InvoicePaymentsStream(PerParentStream):
    """Payments recorded against each invoice; they do not name it, so `invoice_id` is added."""

    name = "invoice_payments"
    path = "/workspaces/{workspace_id}/invoices/{invoice_id}/payments"
    primary_keys = ("id",)
    parent_stream_type = InvoicesStream
    parent_key = "invoice_id"
