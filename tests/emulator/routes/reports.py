"""Reports host (docs/clockify.md, Reports), computed from the seeded data.

Every report is ``POST /workspaces/{ws}/reports/...`` on the reports host; a GET is 405.
The rules all four share:

* ``dateRangeStart`` and ``dateRangeEnd`` are required. They are read as a wall clock in
  the body's ``timeZone`` (default: the key owner's zone) whatever suffix they carry,
  and the end is inclusive. An entry belongs to the range its start is in.
* A range may span at most 366 days, or 31 when the workspace's
  ``featureSubscriptionType`` is ``FREE`` (Tiny Co; a test may flip any workspace).
* Response timestamps carry the request zone's offset; durations are integer seconds;
  amounts are floats in minor units (hourly rate in cents x hours).
* Running timers are left out of the detailed and summary reports: Clockify's reports
  show tracked (stopped) time. This is unverified, so ``RUNNING_TIMERS_IN_REPORTS``
  switches them in (end and duration null) for tests of a tap that copes with both.
  The attendance report flags them with ``hasRunningEntry``.

Error messages are the emulator's own wording (no live capture exists), as 400 code 3000.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .. import errors
from ..routing import Request, route
from ..rules import parse_instant

if TYPE_CHECKING:
    from ..dataset import Record, WorkspaceData
    from ..server import Emulator

#: Switch running timers into the detailed and summary reports (see the module notes).
RUNNING_TIMERS_IN_REPORTS = False

MAX_RANGE_DAYS = 366
FREE_PLAN_MAX_RANGE_DAYS = 31
MAX_DETAILED_PAGE_SIZE = 1000
DEFAULT_REPORT_PAGE_SIZE = 50
AMOUNT_TYPES = ("EARNED", "COST", "PROFIT", "HIDE_AMOUNT", "EXPORT")
SUMMARY_GROUPS = ("CLIENT", "PROJECT", "USER", "WEEK", "DATE", "MONTH", "TIMEENTRY", "TASK", "TAG")
MAX_SUMMARY_GROUPS = 3
#: Attendance capacity on a working day (the seeded members have the default 8 hours).
DAILY_CAPACITY = 8 * 3600
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")

_WALL_CLOCK = re.compile(
    r"(?P<clock>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d{1,9}))?(?:Z|[+-]\d{2}:\d{2})?"
)


def _bad(message: str) -> errors.ApiError:
    return errors.invalid_parameter(message)


# --- The common body -----------------------------------------------------------------


@dataclass
class Report:
    """A parsed report request over one workspace."""

    ws: WorkspaceData
    body: dict[str, Any]
    zone: tzinfo
    start: datetime  # aware, in ``zone``
    end: datetime  # aware, in ``zone``, inclusive

    def render(self, instant: str | None) -> str | None:
        """A core-API timestamp in the request zone, with its offset."""
        if instant is None:
            return None
        return _instant(instant).astimezone(self.zone).isoformat()

    def day_of(self, instant: str) -> date:
        """The calendar day an instant falls on in the request zone."""
        return _instant(instant).astimezone(self.zone).date()

    def entries(self, *, running: bool) -> list[Record]:
        """Entries whose start is in the range, oldest first; running ones if ``running``."""
        chosen = [
            e
            for e in self.ws.entries()
            if self.start <= _instant(e["timeInterval"]["start"]) <= self.end
            and (running or e["timeInterval"]["end"] is not None)
        ]
        return sorted(chosen, key=lambda e: (_instant(e["timeInterval"]["start"]), e["id"]))

    def amounts(self, entries: Iterable[Record]) -> list[Record]:
        """The requested amount columns (default EARNED) summed over ``entries``."""
        requested = self.body.get("amounts") or ["EARNED"]
        if not isinstance(requested, list):
            raise _bad("amounts must be a list")
        for kind in requested:
            if kind not in AMOUNT_TYPES:
                raise _bad(f"amounts: No enum constant for value [{kind}]")
        totals = {"EARNED": 0.0, "COST": 0.0, "PROFIT": 0.0}
        for entry in entries:
            for kind, value in _entry_amounts(entry).items():
                totals[kind] += value
        return [
            {"type": kind, "value": round(totals[kind], 2)} for kind in requested if kind in totals
        ]

    def shown_amount(self, entries: Iterable[Record]) -> float:
        """The ``amountShown`` amount (default EARNED) of ``entries``."""
        shown = self.body.get("amountShown") or "EARNED"
        values = [_entry_amounts(e).get(shown, 0.0) for e in entries]
        return round(sum(values), 2)


def _parse_report(emu: Emulator, req: Request) -> Report:
    body = req.body
    if not isinstance(body, dict):
        raise _bad("Request body must be a JSON object")
    ws = emu.data.ws[req.workspace_id]
    zone = _zone(body.get("timeZone") or _owner_zone(emu, ws))
    start = _wall_clock(body, "dateRangeStart", zone)
    end = _wall_clock(body, "dateRangeEnd", zone)
    if end < start:
        raise _bad("dateRangeEnd must not be before dateRangeStart")
    # Measured on the wall clock, so that a DST change does not shorten a month.
    span = end.replace(tzinfo=None) - start.replace(tzinfo=None)
    free = ws.workspace.get("featureSubscriptionType") == "FREE"
    limit = FREE_PLAN_MAX_RANGE_DAYS if free else MAX_RANGE_DAYS
    if span > timedelta(days=limit):
        plan = "on the FREE plan " if free else ""
        raise _bad(f"Report date range is limited to {limit} days {plan}(got {span.days} days)")
    return Report(ws=ws, body=body, zone=zone, start=start, end=end)


def _wall_clock(body: dict[str, Any], name: str, zone: tzinfo) -> datetime:
    value = body.get(name)
    if not value:
        raise _bad(f"{name} is required")
    found = _WALL_CLOCK.fullmatch(str(value).strip())
    if found is None:
        raise _bad(f"{name}: cannot parse [{value}]; expected YYYY-MM-DDTHH:MM:SS.ssssss")
    fraction = (found["frac"] or "").ljust(6, "0")[:6]
    try:
        clock = datetime.fromisoformat(f"{found['clock']}.{fraction}")
    except ValueError as exc:
        raise _bad(f"{name}: cannot parse [{value}]") from exc
    return clock.replace(tzinfo=zone)


def _zone(name: Any) -> tzinfo:
    try:
        return ZoneInfo(str(name))
    except (KeyError, ValueError) as exc:
        raise _bad(f"timeZone: unknown time zone [{name}]") from exc


def _owner_zone(emu: Emulator, ws: WorkspaceData) -> str:
    owner = ws.user(emu.data.key_owner_id) or {}
    settings = owner.get("settings") or {}
    return str(settings.get("timeZone") or "UTC")


def _instant(text: str) -> datetime:
    parsed = parse_instant(text)
    if parsed is None:
        raise ValueError(f"dataset timestamp {text!r} is malformed")
    return parsed


def _seconds(entry: Record) -> int | None:
    interval = entry["timeInterval"]
    if interval["end"] is None:
        return None
    return int((_instant(interval["end"]) - _instant(interval["start"])).total_seconds())


def _entry_amounts(entry: Record) -> dict[str, float]:
    hours = (_seconds(entry) or 0) / 3600
    hourly = entry.get("hourlyRate") or {}
    cost_rate = entry.get("costRate") or {}
    earned = (hourly.get("amount") or 0) * hours if entry.get("billable") else 0.0
    cost = (cost_rate.get("amount") or 0) * hours
    return {"EARNED": earned, "COST": cost, "PROFIT": earned - cost}


def _page(body: dict[str, Any], where: str, max_size: int | None = None) -> tuple[int, int]:
    """``page`` (1-based) and ``pageSize`` of a body (or a nested filter) as numbers."""
    page, size = body.get("page", 1), body.get("pageSize", DEFAULT_REPORT_PAGE_SIZE)
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise _bad(f"{where}page must be a number greater than 0, got {page!r}")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise _bad(f"{where}pageSize must be a number greater than 0, got {size!r}")
    if max_size is not None and size > max_size:
        raise _bad(f"{where}pageSize must be less than or equal to {max_size}, got {size}")
    return page, size


def _slice(rows: list[Record], page: int, size: int) -> list[Record]:
    return rows[(page - 1) * size : page * size]


def _descending(body: dict[str, Any], default: str) -> bool:
    order = body.get("sortOrder") or default
    if order not in ("ASCENDING", "DESCENDING"):
        raise _bad(f"sortOrder: No enum constant for value [{order}]")
    return order == "DESCENDING"


class _Names:
    """Lookups of the names a report joins into its rows."""

    def __init__(self, ws: WorkspaceData) -> None:
        self.users = {u["id"]: u for u in ws.users}
        self.projects = {p["id"]: p for p in ws.projects}
        self.tasks = {t["id"]: t for t in ws.all_tasks()}
        self.tags = {t["id"]: t for t in ws.tags}

    def user(self, entry: Record) -> Record:
        return self.users.get(entry["userId"]) or {}

    def project(self, entry: Record) -> Record:
        return self.projects.get(entry["projectId"] or "") or {}

    def task(self, entry: Record) -> Record:
        return self.tasks.get(entry["taskId"] or "") or {}

    def tag_list(self, entry: Record) -> list[Record]:
        return [
            {"id": tag_id, "name": self.tags[tag_id]["name"]}
            for tag_id in entry["tagIds"] or ()
            if tag_id in self.tags
        ]


# --- Detailed --------------------------------------------------------------------------


@route("POST", "/workspaces/{workspaceId}/reports/detailed", host="reports")
def detailed_report(emu: Emulator, req: Request) -> Record:
    """Time entries in the range, joined with names; rows in lowercase ``timeentries``.

    Paged by ``detailedFilter.page``/``pageSize`` (at most 1000); the request DTO rejects
    unknown fields, so top-level ``page``/``pageSize`` are a 400.
    """
    report = _parse_report(emu, req)
    body = report.body
    for misplaced in ("page", "pageSize"):
        if misplaced in body:
            raise _bad(
                f'Unrecognized field "{misplaced}": detailed report paging belongs in '
                "detailedFilter.page and detailedFilter.pageSize"
            )
    detailed = body.get("detailedFilter")
    if not isinstance(detailed, dict):
        raise _bad("detailedFilter is required")
    page, size = _page(detailed, "detailedFilter.", MAX_DETAILED_PAGE_SIZE)
    entries = report.entries(running=RUNNING_TIMERS_IN_REPORTS)
    column = detailed.get("sortColumn") or "DATE"
    names = _Names(report.ws)
    keys: dict[str, Callable[[Record], Any]] = {
        "ID": lambda e: e["id"],
        "USER": lambda e: (names.user(e).get("name", ""), e["timeInterval"]["start"], e["id"]),
        "DESCRIPTION": lambda e: (e["description"], e["id"]),
        "DURATION": lambda e: (_seconds(e) or 0, e["id"]),
    }
    key = keys.get(column, lambda e: (_instant(e["timeInterval"]["start"]), e["id"]))
    entries.sort(key=key, reverse=_descending(body, "DESCENDING"))
    options = detailed.get("options") or {}
    totals = []
    if options.get("totals") != "EXCLUDE" and entries:
        totals = [_totals(report, entries)]
    rows = [_detailed_row(report, names, e) for e in _slice(entries, page, size)]
    return {"totals": totals, "timeentries": rows}


def _detailed_row(report: Report, names: _Names, entry: Record) -> Record:
    user, project, task = names.user(entry), names.project(entry), names.task(entry)
    interval = entry["timeInterval"]
    return {
        "_id": entry["id"],
        "description": entry["description"],
        "userId": entry["userId"],
        "userName": user.get("name"),
        "userEmail": user.get("email"),
        "projectId": entry["projectId"],
        "projectName": project.get("name"),
        "projectColor": project.get("color"),
        "clientId": project.get("clientId"),
        "clientName": project.get("clientName") or "",
        "taskId": entry["taskId"],
        "taskName": task.get("name"),
        "tags": names.tag_list(entry),
        "billable": entry["billable"],
        "locked": entry["isLocked"],
        "type": entry["type"],
        "approvalRequestId": entry["approvalRequestId"],
        "timeInterval": {
            "start": report.render(interval["start"]),
            "end": report.render(interval["end"]),
            "duration": _seconds(entry),
        },
        "amounts": report.amounts([entry]),
        "customFields": [
            {"customFieldId": v["customFieldId"], "value": v["value"]}
            for v in entry["customFieldValues"]
        ],
    }


def _totals(report: Report, entries: list[Record]) -> Record:
    amounts = report.amounts(entries)
    return {
        "_id": "",
        "totalTime": sum(_seconds(e) or 0 for e in entries),
        "totalBillableTime": sum(_seconds(e) or 0 for e in entries if e["billable"]),
        "entriesCount": len(entries),
        "totalAmount": report.shown_amount(entries),
        "amounts": amounts,
    }


# --- Summary ---------------------------------------------------------------------------


@route("POST", "/workspaces/{workspaceId}/reports/summary", host="reports")
def summary_report(emu: Emulator, req: Request) -> Record:
    """Totals grouped by ``summaryFilter.groups`` (one to three levels); not paged.

    Rows in ``groupOne``, each level's children in ``children``. An entry with several
    tags counts under each (grouped by TAG); entries without a project, client, task or
    tag form a group with ``_id`` "" (its name is the emulator's wording).
    """
    report = _parse_report(emu, req)
    summary = report.body.get("summaryFilter")
    if not isinstance(summary, dict):
        raise _bad("summaryFilter is required")
    groups = summary.get("groups")
    if not isinstance(groups, list) or not groups:
        raise _bad("summaryFilter.groups is required")
    if len(groups) > MAX_SUMMARY_GROUPS:
        raise _bad(f"summaryFilter.groups: at most {MAX_SUMMARY_GROUPS} groups are allowed")
    if len(set(groups)) != len(groups):
        raise _bad("summaryFilter.groups: a group may appear only once")
    for group in groups:
        if group not in SUMMARY_GROUPS:
            raise _bad(f"summaryFilter.groups: No enum constant for value [{group}]")
    entries = report.entries(running=RUNNING_TIMERS_IN_REPORTS)
    names = _Names(report.ws)
    by_duration = summary.get("sortColumn") == "DURATION"
    nodes = _group(report, names, entries, groups, by_duration)
    return {
        "totals": [_totals(report, entries)] if entries else [],
        "groupOne": nodes,
        "donutChart": [],
        "groupTotals": {"groupOneTotalCount": len(nodes)},
    }


def _group(
    report: Report,
    names: _Names,
    entries: list[Record],
    groups: list[str],
    by_duration: bool,
) -> list[Record]:
    buckets: dict[str, list[Record]] = defaultdict(list)
    labels: dict[str, str] = {}
    for entry in entries:
        for group_id, name in _group_values(report, names, entry, groups[0]):
            buckets[group_id].append(entry)
            labels[group_id] = name
    nodes = []
    for group_id, members in buckets.items():
        node: Record = {
            "_id": group_id,
            "name": labels[group_id],
            "duration": sum(_seconds(e) or 0 for e in members),
            "amount": report.shown_amount(members),
            "amounts": report.amounts(members),
        }
        if len(groups) > 1:
            node["children"] = _group(report, names, members, groups[1:], by_duration)
        nodes.append(node)
    if by_duration:
        return sorted(nodes, key=lambda n: (-n["duration"], n["_id"]))
    return sorted(nodes, key=lambda n: (str(n["name"]).casefold(), n["_id"]))


def _group_values(
    report: Report, names: _Names, entry: Record, group: str
) -> list[tuple[str, str]]:
    """The (id, name) groups an entry belongs to at one level (several for TAG)."""
    project = names.project(entry)
    day = report.day_of(entry["timeInterval"]["start"])
    if group == "PROJECT":
        return [(project.get("id", ""), project.get("name", "(Without project)"))]
    if group == "CLIENT":
        return [(project.get("clientId") or "", project.get("clientName") or "(Without client)")]
    if group == "USER":
        return [(entry["userId"], names.user(entry).get("name", ""))]
    if group == "TASK":
        task = names.task(entry)
        return [(task.get("id", ""), task.get("name", "(Without task)"))]
    if group == "TAG":
        tags = names.tag_list(entry)
        return [(t["id"], t["name"]) for t in tags] or [("", "(Without tag)")]
    if group == "DATE":
        return [(day.isoformat(), day.isoformat())]
    if group == "WEEK":
        week_start = WEEKDAYS.index(report.body.get("weekStart") or "MONDAY")
        first = day - timedelta(days=(day.weekday() - week_start) % 7)
        return [(first.isoformat(), first.isoformat())]
    if group == "MONTH":
        return [(day.strftime("%Y-%m"), day.strftime("%Y-%m"))]
    return [(entry["id"], entry["description"])]  # TIMEENTRY


# --- Attendance ------------------------------------------------------------------------


@route("POST", "/workspaces/{workspaceId}/reports/attendance", host="reports")
def attendance_report(emu: Emulator, req: Request) -> Record:
    """One row per user per day with entries; paged by ``attendanceFilter.page``/``pageSize``.

    ``startTime``: the day's first start (a running timer included); ``endTime``: its last
    end; ``break``: BREAK entries; ``totalDuration``: other stopped entries; ``capacity``:
    eight hours on the workspace's working days; ``timeOff``: 0 (no time off is seeded).
    """
    report = _parse_report(emu, req)
    attendance = report.body.get("attendanceFilter")
    if not isinstance(attendance, dict):
        raise _bad("attendanceFilter is required")
    page, size = _page(attendance, "attendanceFilter.")
    names = _Names(report.ws)
    days: dict[tuple[str, date], list[Record]] = defaultdict(list)
    for entry in report.entries(running=True):
        days[(entry["userId"], report.day_of(entry["timeInterval"]["start"]))].append(entry)
    working = set(report.ws.workspace["workspaceSettings"].get("workingDays") or WEEKDAYS[:5])
    rows = [
        _attendance_row(report, names, entries, day, WEEKDAYS[day.weekday()] in working)
        for (_, day), entries in days.items()
    ]
    column = attendance.get("sortColumn") or "USER"
    if column == "DATE":
        rows.sort(key=lambda r: (r["date"], str(r["userName"]).casefold(), r["userId"]))
    else:
        rows.sort(key=lambda r: (str(r["userName"]).casefold(), r["userId"], r["date"]))
    if _descending(report.body, "ASCENDING"):
        rows.reverse()
    totals = {
        "totalDuration": sum(r["totalDuration"] for r in rows),
        "break": sum(r["break"] for r in rows),
        "overtime": sum(r["overtime"] for r in rows),
        "entitiesCount": len(rows),
    }
    return {"totals": totals, "entities": _slice(rows, page, size)}


def _attendance_row(
    report: Report, names: _Names, entries: list[Record], day: date, working: bool
) -> Record:
    stopped = [e for e in entries if e["timeInterval"]["end"] is not None]
    breaks = sum(_seconds(e) or 0 for e in stopped if e["type"] == "BREAK")
    work = sum(_seconds(e) or 0 for e in stopped if e["type"] != "BREAK")
    capacity = DAILY_CAPACITY if working else 0
    user = names.user(entries[0])
    first = min(entries, key=lambda e: _instant(e["timeInterval"]["start"]))
    last = max(stopped, key=lambda e: _instant(e["timeInterval"]["end"]), default=None)
    return {
        "userId": entries[0]["userId"],
        "userName": user.get("name"),
        "imageUrl": user.get("profilePicture") or "",
        "date": day.isoformat(),
        "startTime": report.render(first["timeInterval"]["start"]),
        "endTime": report.render(last["timeInterval"]["end"]) if last else None,
        "break": breaks,
        "totalDuration": work,
        "capacity": capacity,
        "overtime": max(0, work - capacity),
        "remainingCapacity": max(0, capacity - work),
        "timeOff": 0,
        "hasRunningEntry": len(stopped) < len(entries),
    }


# --- Expenses --------------------------------------------------------------------------


@route("POST", "/workspaces/{workspaceId}/reports/expenses/detailed", host="reports")
def expenses_report(emu: Emulator, req: Request) -> Record:
    """The workspace's expenses dated in the range; top-level ``page``/``pageSize``.

    Served from the same expenses as ``GET /expenses``. ``amount`` is the expense's
    ``total`` (same units); ``date`` is midnight of the expense's day in the request zone.
    """
    report = _parse_report(emu, req)
    page, size = _page(report.body, "")
    first, last = report.start.date(), report.end.date()
    names = _Names(report.ws)
    expenses = [
        e for e in _expenses(report.ws) if first <= date.fromisoformat(str(e["date"])[:10]) <= last
    ]
    expenses.sort(key=lambda e: (str(e["date"])[:10], e["id"]))
    if _descending(report.body, "DESCENDING"):
        expenses.reverse()
    rows = [_expense_row(report, names, e) for e in expenses]
    totals = {
        "expensesCount": len(rows),
        "totalAmount": round(sum(r["amount"] or 0 for r in rows), 2),
        "totalAmountBillable": round(sum(r["amount"] or 0 for r in rows if r["billable"]), 2),
    }
    return {"expenses": _slice(rows, page, size), "totals": totals}


def _expenses(ws: WorkspaceData) -> list[Record]:
    """The rows ``GET /expenses`` serves (``ws.more.expenses``; none if not seeded)."""
    more = getattr(ws, "more", None)
    return list(getattr(more, "expenses", None) or [])


def _expense_row(report: Report, names: _Names, expense: Record) -> Record:
    category = expense.get("category") or {}
    project = expense.get("project") or names.projects.get(expense.get("projectId") or "") or {}
    user = names.users.get(expense.get("userId") or "") or {}
    day = date.fromisoformat(str(expense["date"])[:10])
    midnight = datetime(day.year, day.month, day.day, tzinfo=report.zone)
    return {
        "id": expense["id"],
        "date": midnight.isoformat(),
        "amount": expense.get("total"),
        "quantity": expense.get("quantity"),
        "billable": expense.get("billable"),
        "locked": expense.get("locked"),
        "notes": expense.get("notes"),
        "categoryId": category.get("id") or expense.get("categoryId"),
        "categoryName": category.get("name"),
        "categoryUnit": category.get("unit"),
        "categoryHasUnitPrice": category.get("hasUnitPrice"),
        "projectId": project.get("id"),
        "projectName": project.get("name"),
        "projectColor": project.get("color"),
        "userId": expense.get("userId"),
        "userName": user.get("name"),
        "userEmail": user.get("email"),
        "userStatus": user.get("status"),
        "fileId": expense.get("fileId"),
        "fileName": expense.get("fileName"),
        "approvalRequestId": expense.get("approvalRequestId"),
        "invoicingInfo": {"invoiceId": None, "manuallyInvoiced": False},
        "exportFields": None,
        "workspaceId": report.ws.id,
    }
