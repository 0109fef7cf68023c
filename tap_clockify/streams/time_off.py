"""Holidays and time off: policies, their balances, and every request with its status."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.streams._child import PerParentStream
from tap_clockify.streams._post import ClockifyPostStream
from tap_clockify.streams.workspace import ParentStream, WorkspaceChildStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: Time-off lists cap `page-size` (`pageSize` for requests) at 200 (docs/clockify.md, Paging).
TIME_OFF_MAX_PAGE_SIZE = 200


class HolidaysStream(WorkspaceChildStream):
    """Holidays of the workspace, past and coming."""

    name = "holidays"
    path = "/workspaces/{workspace_id}/holidays"
    primary_keys = ("id",)
    paged = False  # the endpoint ignores paging and sends no Last-Page header.


class TimeOffPoliciesStream(ParentStream):
    """Time-off policies, archived ones included (`status=ALL`)."""

    name = "time_off_policies"
    path = "/workspaces/{workspace_id}/time-off/policies"
    primary_keys = ("id",)
    max_page_size = TIME_OFF_MAX_PAGE_SIZE
    child_context_key = "policy_id"  # balances are read per policy

    @override
    def extra_url_params(self, context: Context | None) -> dict[str, t.Any]:
        """Active and archived policies alike."""
        return {"status": "ALL"}


class TimeOffBalancesStream(PerParentStream):
    """Each member's balance in each policy, archived policies included."""

    name = "time_off_balances"
    path = "/workspaces/{workspace_id}/time-off/balance/policy/{policy_id}"
    primary_keys = ("id",)
    records_jsonpath = "$.balances[*]"
    max_page_size = TIME_OFF_MAX_PAGE_SIZE
    parent_stream_type = TimeOffPoliciesStream


class TimeOffRequestsStream(ClockifyPostStream):
    """Every time-off request, whatever its status, re-read in full on each run.

    The search filters only on `createdAt`, and a request's status changes long after it
    was created (a vacation asked for in January, approved in June). An incremental read
    on `createdAt` would keep the old status for ever, and `status.changedAt` cannot be
    filtered on; re-reading everything (200 per request) is the only way to stay exact.
    """

    name = "time_off_requests"
    path = "/workspaces/{workspace_id}/time-off/requests"
    primary_keys = ("id",)
    records_jsonpath = "$.requests[*]"
    max_page_size = TIME_OFF_MAX_PAGE_SIZE

    @override
    def request_body(self, context: Context | None) -> dict[str, t.Any]:
        """Every status: ALL is the widest filter the search accepts (WITHDRAWN is a 400)."""
        return {"statuses": ["ALL"]}
