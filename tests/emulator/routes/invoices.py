"""Invoices and their payments (docs/clockify.md, Endpoints and Quirks).

The list is an envelope ``{invoices, total}`` of summaries; GET by id adds items, taxes
and discounts. Money is in minor units; tax and discount are percent x100; an item's
``unitPrice`` is in hundredths of a cent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import errors
from ..dataset_more import invoice_summary
from ..routing import Request, Response, route
from ._paging import envelope_page

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

STATUSES = ("UNSENT", "SENT", "PAID", "PARTIALLY_PAID", "VOID", "OVERDUE")


@route("GET", "/workspaces/{workspaceId}/invoices")
def list_invoices(emu: Emulator, req: Request) -> Response:
    """Summaries by id (the default sort column), optionally of some statuses."""
    statuses = req.enum_list_arg("statuses", STATUSES)
    found = [
        invoice_summary(i)
        for i in emu.data.ws[req.workspace_id].more.invoices
        if statuses is None or i["status"] in statuses
    ]
    found.sort(key=lambda i: i["id"])
    return envelope_page(emu, req, found, lambda rows: {"invoices": rows, "total": len(found)})


@route("GET", "/workspaces/{workspaceId}/invoices/{invoiceId}")
def get_invoice(emu: Emulator, req: Request) -> Record:
    """The full invoice; a missing or foreign id is 400, never 404."""
    return _invoice(emu, req)


@route("GET", "/workspaces/{workspaceId}/invoices/{invoiceId}/payments", paged=True)
def list_payments(emu: Emulator, req: Request) -> list[Record]:
    """Payments of one invoice, newest first, as a bare list."""
    invoice = _invoice(emu, req)
    return emu.data.ws[req.workspace_id].more.invoice_payments.get(invoice["id"], [])


def _invoice(emu: Emulator, req: Request) -> Record:
    invoice_id = req.params["invoiceId"]
    invoices = emu.data.ws[req.workspace_id].more.invoices
    found = next((i for i in invoices if i["id"] == invoice_id), None)
    if found is None:
        raise errors.not_in_workspace("Invoice")
    return found
