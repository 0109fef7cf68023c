"""Expenses and expense categories (docs/clockify.md, Endpoints and Quirks).

Both lists are envelopes with Last-Page. The expense rows are hydrated (nested category,
project and task), and ``start``/``end`` are ignored. Categories take ``archived``
with the spec's default of false, so archived ones come only with ``archived=true``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..routing import Request, Response, route
from ..rules import by_name
from ._paging import envelope_page

if TYPE_CHECKING:
    from ..server import Emulator


@route("GET", "/workspaces/{workspaceId}/expenses")
def list_expenses(emu: Emulator, req: Request) -> Response:
    """``{expenses: {count, expenses}, dailyTotals, weeklyTotals}``; newest date first."""
    expenses = emu.data.ws[req.workspace_id].more.expenses
    user_id = req.arg("user-id")
    for ignored in ("start", "end"):
        req.datetime_arg(ignored)  # validated, then ignored
    found = [e for e in expenses if user_id is None or e["userId"] == user_id]
    daily: dict[str, float] = defaultdict(float)
    for expense in found:
        daily[expense["date"]] += expense["total"]
    totals = [
        {"date": day, "dateAsInstant": f"{day}T00:00:00Z", "total": total}
        for day, total in sorted(daily.items(), reverse=True)
    ]
    return envelope_page(
        emu,
        req,
        found,
        lambda rows: {
            "expenses": {"count": len(found), "expenses": rows},
            "dailyTotals": totals,
            "weeklyTotals": [],
        },
    )


@route("GET", "/workspaces/{workspaceId}/expenses/categories")
def list_categories(emu: Emulator, req: Request) -> Response:
    """``{categories, count}`` by name; ``archived`` absent means false (spec default)."""
    archived = req.bool_arg("archived") or False
    name = (req.arg("name") or "").casefold()
    found = by_name(
        [
            c
            for c in emu.data.ws[req.workspace_id].more.expense_categories
            if c["archived"] is archived and name in c["name"].casefold()
        ]
    )
    return envelope_page(emu, req, found, lambda rows: {"categories": rows, "count": len(found)})
