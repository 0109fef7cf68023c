"""Expenses and their categories."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.streams._passes import MultiPassStream
from tap_clockify.streams.workspace import WorkspaceChildStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class ExpensesStream(WorkspaceChildStream):
    """Every member's expenses, with their category, project and task nested.

    The list ignores `start`/`end` (docs/clockify.md, Endpoints) and the rows carry no
    modified time, so the stream is re-read in full on each run.
    """

    name = "expenses"
    path = "/workspaces/{workspace_id}/expenses"
    primary_keys = ("id",)
    records_jsonpath = "$.expenses.expenses[*]"


class ExpenseCategoriesStream(MultiPassStream):
    """Expense categories, archived ones included.

    `archived` defaults to false on this list (unlike projects or tags), so the stream
    asks once for active and once for archived categories.
    """

    name = "expense_categories"
    path = "/workspaces/{workspace_id}/expenses/categories"
    primary_keys = ("id",)
    records_jsonpath = "$.categories[*]"

    @override
    def passes(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Active categories, then archived ones."""
        yield {"archived": "false"}
        yield {"archived": "true"}
