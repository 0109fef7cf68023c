"""Holidays and time off: policies, balances and requests (docs/clockify.md, Endpoints).

Policies and balances cap ``page-size`` at 200 and ``page`` at 1000; the request list is
a POST search with its page in the body and answers 405 to GET.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors, rules
from ..routing import Request, Response, route
from ._paging import body_page, envelope_page, json_body

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

POLICY_STATUSES = ("ACTIVE", "ARCHIVED", "ALL")
#: What the request search accepts in ``statuses``; WITHDRAWN is a 400.
REQUEST_STATUSES = ("PENDING", "APPROVED", "REJECTED", "ALL")


@route("GET", "/workspaces/{workspaceId}/holidays")
def list_holidays(emu: Emulator, req: Request) -> list[Record]:
    """Every holiday at once: page/page-size are ignored and no Last-Page is sent."""
    holidays = emu.data.ws[req.workspace_id].more.holidays
    assigned_to = req.arg("assigned-to")
    if assigned_to is None:
        return holidays
    return [h for h in holidays if h["everyoneIncludingNew"] or assigned_to in h["userIds"]]


@route(
    "GET",
    "/workspaces/{workspaceId}/time-off/policies",
    paged=True,
    max_page_size=rules.TIME_OFF_MAX_PAGE_SIZE,
    max_page=rules.TIME_OFF_MAX_PAGE,
)
def list_policies(emu: Emulator, req: Request) -> list[Record]:
    """Policies by name. Without ``status`` only ACTIVE ones (unverified default: the spec
    names none), so a client must ask for ALL to keep archived policies."""
    status = req.enum_arg("status", POLICY_STATUSES) or "ACTIVE"
    name = (req.arg("name") or "").casefold()
    return [
        p
        for p in emu.data.ws[req.workspace_id].more.time_off_policies
        if (status == "ALL" or p["archived"] is (status == "ARCHIVED"))
        and name in p["name"].casefold()
    ]


@route("GET", "/workspaces/{workspaceId}/time-off/balance/policy/{policyId}")
def list_policy_balances(emu: Emulator, req: Request) -> Response:
    """Envelope ``{balances, count}``; an unknown policy is an empty list, like an unknown
    user on the per-user route."""
    balances = emu.data.ws[req.workspace_id].more.time_off_balances.get(req.params["policyId"], [])
    return envelope_page(
        emu,
        req,
        balances,
        lambda rows: {"balances": rows, "count": len(balances)},
        max_size=rules.TIME_OFF_MAX_PAGE_SIZE,
        max_page=rules.TIME_OFF_MAX_PAGE,
    )


@route("POST", "/workspaces/{workspaceId}/time-off/requests")
def search_requests(emu: Emulator, req: Request) -> Response:
    """Requests, newest ``createdAt`` first, in ``{count, requests}``.

    Body: ``statuses`` (absent: every status; unverified), ``start``/``end`` on
    ``createdAt``, ``users``, ``userGroups``, and ``page``/``pageSize`` (max 200).
    """
    body = json_body(req)
    ws = emu.data.ws[req.workspace_id]
    statuses = _statuses(body.get("statuses"))
    start = _instant(body, "start")
    end = _instant(body, "end")
    users = set(body.get("users") or ())
    for group_id in body.get("userGroups") or ():
        group = next((g for g in ws.user_groups if g["id"] == group_id), None)
        users.update(group["userIds"] if group else ())
    found = [
        r
        for r in ws.more.time_off_requests
        if (statuses is None or r["status"]["statusType"] in statuses)
        and (start is None or _created_at(r) >= start)
        and (end is None or _created_at(r) < end)
        and (not users or r["userId"] in users)
    ]
    return body_page(
        emu,
        body,
        found,
        lambda rows: {"count": len(found), "requests": rows},
        size_key="pageSize",
        default_size=rules.DEFAULT_PAGE_SIZE,
        max_size=rules.TIME_OFF_MAX_PAGE_SIZE,
        max_page=rules.TIME_OFF_MAX_PAGE,
    )


def _statuses(value: Any) -> set[str] | None:
    if value is None or value == []:
        return None
    if not isinstance(value, list):
        raise errors.malformed_json()
    for status in value:
        if status not in REQUEST_STATUSES:
            raise errors.invalid_parameter(
                f"JSON parse error: Cannot deserialize value of type `RequestStatusType` "
                f'from String "{status}": not one of the values accepted for Enum class: '
                f"[{', '.join(REQUEST_STATUSES)}]"
            )
    return None if "ALL" in value else set(value)


def _created_at(request: Record) -> datetime:
    parsed = rules.parse_instant(request["createdAt"])
    if parsed is None:
        raise ValueError(f"dataset request {request['id']} has a malformed createdAt")
    return parsed


def _instant(body: dict[str, Any], key: str) -> datetime | None:
    value = body.get(key)
    if value is None:
        return None
    parsed = rules.parse_instant(str(value))
    if parsed is None:
        raise errors.invalid_parameter(f"{key}: invalid date-time {value!r}")
    return parsed
