"""Seeded records beyond time tracking, API-shaped (docs/clockify.md, Endpoints and Quirks).

:func:`fill_more` runs once the core dataset is built and gives every workspace a
:class:`MoreData`: holidays, time-off policies, balances and requests, approval requests
(made from the time entries that carry an ``approvalRequestId``), scheduling assignments,
expense categories and expenses, invoices with their payments, member profiles and the
audit log. The cast is declared in :mod:`tests.emulator.seed_more`.

All randomness comes from its own ``random.Random(SEED_MORE)`` and runs after the core
builder, so no core id changes. Times follow the API's forms: whole seconds with ``Z`` on
the core API, nanoseconds on time off, milliseconds on the audit log.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .seed import MEMBERS, PEOPLE, WORKSPACES, Member
from .seed_more import (
    ASSIGNMENT_NOTES,
    ASSIGNMENTS,
    AUDIT_ENTRIES,
    CATEGORIES,
    EXPENSE_NOTES,
    EXPENSES,
    HOLIDAYS,
    INVOICES,
    PART_TIME_DAYS,
    POLICIES,
    SEED_MORE,
    SUNDAY_WEEK,
    TIME_OFF_NOTES,
    TIME_OFF_REQUESTS,
    WORK_CAPACITY,
    InvoiceSpec,
    PolicySpec,
)

if TYPE_CHECKING:
    from .dataset import WorkspaceData, _Builder

Record = dict[str, Any]

#: The fields of an invoice in the list; GET /invoices/{id} sends every field.
INVOICE_LIST_FIELDS = (
    "id", "number", "clientId", "clientName", "currency", "amount", "balance", "paid",
    "issuedDate", "dueDate", "status",
)  # fmt: skip


@dataclass
class MoreData:
    """One workspace's records beyond time tracking, each list in the API's default order."""

    holidays: list[Record] = field(default_factory=list)
    time_off_policies: list[Record] = field(default_factory=list)
    #: Balances by policy id.
    time_off_balances: dict[str, list[Record]] = field(default_factory=dict)
    time_off_requests: list[Record] = field(default_factory=list)
    approval_requests: list[Record] = field(default_factory=list)
    scheduling_assignments: list[Record] = field(default_factory=list)
    expense_categories: list[Record] = field(default_factory=list)
    expenses: list[Record] = field(default_factory=list)
    #: Full invoices (GET /invoices/{id} shape); the list sends INVOICE_LIST_FIELDS.
    invoices: list[Record] = field(default_factory=list)
    #: Payments by invoice id.
    invoice_payments: dict[str, list[Record]] = field(default_factory=dict)
    #: Member profiles by user id.
    member_profiles: dict[str, Record] = field(default_factory=dict)
    audit_log: list[Record] = field(default_factory=list)

    def all_balances(self) -> list[Record]:
        """Every balance of every policy."""
        return [b for per_policy in self.time_off_balances.values() for b in per_policy]

    def all_invoice_payments(self) -> list[Record]:
        """Every payment of every invoice."""
        return [p for per_invoice in self.invoice_payments.values() for p in per_invoice]


def has_audit_log(ws: WorkspaceData) -> bool:
    """Only Enterprise workspaces have an audit log."""
    return str(ws.workspace["featureSubscriptionType"]).startswith("ENTERPRISE")


def invoice_summary(invoice: Record) -> Record:
    """An invoice as GET /invoices lists it."""
    return {key: invoice[key] for key in INVOICE_LIST_FIELDS}


# --- Formatting ------------------------------------------------------------------------


def instant(moment: datetime) -> str:
    """Core-API form: ``2026-05-20T12:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def nano_instant(moment: datetime, nanos: int) -> str:
    """Time-off form, nanoseconds: ``2026-05-17T23:51:17.160269150Z``."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.{nanos:09d}Z"


def milli_instant(moment: datetime, millis: int) -> str:
    """Audit-log form, milliseconds: ``2026-05-20T23:43:40.111Z``."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"


def fill_more(builder: _Builder, data: dict[str, WorkspaceData]) -> None:
    """Give every workspace of ``data`` its :class:`MoreData`."""
    maker = _MoreMaker(builder)
    plans = {spec.name: spec for spec in WORKSPACES}
    for ws in data.values():
        ws.more = maker.workspace(ws, plans[ws.name].currency)


class _MoreMaker:
    """Builds :class:`MoreData`; generation order fixes every id."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.now = builder.now
        self.today = builder.today
        self.rng = random.Random(SEED_MORE)

    def workspace(self, ws: WorkspaceData, currency: str) -> MoreData:
        self.ws = ws
        self.currency = currency
        self.members = {m.person: m for m in MEMBERS[ws.name]}
        more = MoreData()
        more.holidays = [self.holiday(spec) for spec in HOLIDAYS[ws.name]]
        policies = [(spec, self.policy(spec)) for spec in POLICIES[ws.name]]
        more.time_off_policies = sorted((p for _, p in policies), key=lambda p: p["name"])
        more.time_off_requests = self.time_off_requests(policies)
        more.time_off_balances = {
            p["id"]: self.balances(spec, p, more.time_off_requests) for spec, p in policies
        }
        more.expense_categories = sorted(
            (self.category(spec) for spec in CATEGORIES[ws.name]), key=lambda c: c["name"]
        )
        more.expenses = self.expenses(more.expense_categories)
        more.approval_requests = self.approval_requests(more.expenses)
        more.scheduling_assignments = [self.assignment(*a) for a in ASSIGNMENTS[ws.name]]
        for spec in INVOICES[ws.name]:
            invoice, payments = self.invoice(spec, len(more.invoices) + 1)
            more.invoices.append(invoice)
            more.invoice_payments[invoice["id"]] = payments
        pending = {
            a["approvalRequest"]["owner"]["userId"]
            for a in more.approval_requests
            if a["approvalRequest"]["status"]["state"] == "PENDING"
        }
        more.member_profiles = {u["id"]: self.member_profile(u, pending) for u in ws.users}
        more.audit_log = self.audit_log(AUDIT_ENTRIES.get(ws.name, 0))
        return more

    # -- helpers --------------------------------------------------------------------------

    def person_id(self, person: str) -> str:
        return str(self.b.person_ids[person])

    def project_named(self, name: str) -> Record:
        return next(p for p in self.ws.projects if p["name"] == name)

    def group_named(self, name: str) -> Record:
        return next(g for g in self.ws.user_groups if g["name"] == name)

    def owner(self) -> str:
        """The workspace's owner (or first admin): approves, invoices, records payments."""
        ranked = sorted(self.members.values(), key=lambda m: "OWNER" not in m.roles)
        return ranked[0].person

    def days_ago(self, days: int, hour: int = 0) -> datetime:
        return self.today - timedelta(days=days) + timedelta(hours=hour)

    def history_days(self, member: Member) -> tuple[int, int]:
        """(newest, oldest) days ago the member was around: their entry history."""
        if not member.eras:
            return 1, 365
        return min(e.newest for e in member.eras), max(e.oldest for e in member.eras)

    # -- holidays and time off ------------------------------------------------------------

    def holiday(self, spec: Any) -> Record:
        if spec.month_day:
            start = datetime.fromisoformat(f"{self.today.year}-{spec.month_day}").date()
        else:
            start = (self.today + timedelta(days=spec.days_from_now)).date()
        end = start + timedelta(days=spec.length_days - 1)
        project = self.project_named(spec.time_entries_on) if spec.time_entries_on else None
        return {
            "id": self.b.ids(),
            "name": spec.name,
            "workspaceId": self.ws.id,
            "datePeriod": {"startDate": start.isoformat(), "endDate": end.isoformat()},
            "occursAnnually": spec.annual,
            "everyoneIncludingNew": spec.everyone,
            "automaticTimeEntryCreation": project is not None,
            "projectId": project["id"] if project else None,
            "taskId": None,
            "userIds": [self.person_id(p) for p in spec.members],
            "userGroupIds": [self.group_named(g)["id"] for g in spec.groups],
        }

    def policy(self, spec: PolicySpec) -> Record:
        project = self.project_named(spec.time_entries_on) if spec.time_entries_on else None
        return {
            "id": self.b.ids(),
            "name": spec.name,
            "workspaceId": self.ws.id,
            "archived": spec.archived,
            "timeUnit": spec.unit,
            "color": spec.color,
            "icon": spec.icon,
            "allowHalfDay": spec.half_day,
            "allowNegativeBalance": spec.negative,
            "approve": {
                "requiresApproval": spec.approval,
                "specificMembers": bool(spec.approvers),
                "teamManagers": spec.approval and not spec.approvers,
                "userIds": [self.person_id(p) for p in spec.approvers],
            },
            "automaticAccrual": (
                {"amount": spec.accrual, "period": "MONTH", "timeUnit": spec.unit}
                if spec.accrual
                else None
            ),
            "negativeBalance": (
                {"amount": 8.0, "period": "YEAR", "shouldReset": True, "timeUnit": spec.unit}
                if spec.negative
                else None
            ),
            "automaticTimeEntryCreation": {
                "enabled": project is not None,
                "defaultEntities": (
                    {"projectId": project["id"], "taskId": None} if project else None
                ),
            },
            "everyoneIncludingNew": not spec.archived,
            "userIds": [],
            "userGroupIds": [],
            "projectId": project["id"] if project else None,
        }

    def time_off_requests(self, policies: list[tuple[PolicySpec, Record]]) -> list[Record]:
        active = [(s, p) for s, p in policies if not s.archived]
        archived = [(s, p) for s, p in policies if s.archived]
        requests: list[Record] = []
        for person, count in TIME_OFF_REQUESTS[self.ws.name].items():
            newest, oldest = self.history_days(self.members[person])
            for _ in range(count):
                created_days = self.rng.randint(newest, oldest)
                old = archived and created_days > 730 and self.rng.random() < 0.1
                pool = archived if old else active
                weights = [s.weight for s, _ in pool]
                spec, policy = self.rng.choices(pool, weights)[0]
                requests.append(self.time_off_request(person, spec, policy, created_days))
        # Requested long ago for a date still ahead, and decided only in the last days:
        # a sync that bookmarked on `createdAt` would never see the new status.
        if active and self.ws.name == "Acme Analytics":
            spec, policy = active[0]
            for person, state, decided in (("zoe", "APPROVED", 2), ("renee", "REJECTED", 1)):
                request = self.time_off_request(person, spec, policy, 200, lead_days=230)
                self.decide(request, state, self.now - timedelta(days=decided, hours=3))
                requests.append(request)
        return sorted(requests, key=lambda r: (r["createdAt"], r["id"]), reverse=True)

    def time_off_request(
        self,
        person: str,
        spec: PolicySpec,
        policy: Record,
        created_days: int,
        lead_days: int | None = None,
    ) -> Record:
        rng = self.rng
        profile = PEOPLE[person]
        created = self.days_ago(created_days, rng.randint(7, 18)) + timedelta(
            minutes=rng.randrange(60), seconds=rng.randrange(60)
        )
        created = min(created, self.now - timedelta(minutes=5))
        first_day = self.today + timedelta(
            days=(lead_days if lead_days is not None else rng.randint(1, 60)) - created_days
        )
        half_day = spec.half_day and rng.random() < 0.2
        if spec.unit == "HOURS":
            start = first_day + timedelta(hours=9)
            end = start + timedelta(hours=rng.randint(2, 8))
            diff = (end - start).total_seconds() / 3600
        else:
            length = 1 if half_day else rng.randint(1, 10)
            start = first_day
            end = first_day + timedelta(days=length) - timedelta(seconds=1)
            diff = 0.5 if half_day else float(length)
        requester = person if rng.random() < 0.85 else self.owner()
        user_id = self.person_id(person)
        request = {
            "id": self.b.ids(),
            "workspaceId": self.ws.id,
            "policyId": policy["id"],
            "policyName": policy["name"],
            "userId": user_id,
            "userName": profile.name,
            "userEmail": profile.email,
            "userTimeZone": profile.time_zone or "Etc/UTC",
            "requesterUserId": self.person_id(requester),
            "requesterUserName": PEOPLE[requester].name,
            "status": {
                "statusType": "PENDING",
                "changedAt": None,
                "changedByUserId": None,
                "changedByUserName": None,
                "changedForUserName": profile.name,
                "note": None,
            },
            "timeOffPeriod": {
                "period": {"start": instant(start), "end": instant(end)},
                "halfDay": half_day,
                "halfDayPeriod": rng.choice(("FIRST_HALF", "SECOND_HALF"))
                if half_day
                else "NOT_DEFINED",
                "halfDayHours": (
                    {
                        "start": instant(start + timedelta(hours=8)),
                        "end": instant(start + timedelta(hours=12)),
                    }
                    if half_day
                    else None
                ),
            },
            "timeUnit": spec.unit,
            "balance": round(rng.uniform(0, 25), 2),
            "balanceDiff": diff,
            "note": rng.choice(TIME_OFF_NOTES),
            "createdAt": nano_instant(created, rng.randrange(10**9)),
        }
        if lead_days is None:
            decided = created + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
            ahead = start > self.now
            roll = rng.random()
            if not spec.approval:
                self.decide(request, "APPROVED", created + timedelta(seconds=1))
            elif decided < self.now and roll < (0.35 if ahead else 0.82):
                self.decide(request, "APPROVED", decided)
            elif decided < self.now and roll < (0.40 if ahead else 0.95):
                self.decide(request, "REJECTED", decided)
        return request

    def decide(self, request: Record, state: str, when: datetime) -> None:
        approver = self.owner()
        request["status"].update(
            statusType=state,
            changedAt=nano_instant(when, self.rng.randrange(10**9)),
            changedByUserId=self.person_id(approver),
            changedByUserName=PEOPLE[approver].name,
            note="Enjoy! 🌴" if state == "APPROVED" and self.rng.random() < 0.3 else None,
        )
        if state == "REJECTED":
            request["status"]["note"] = "Release week — sorry"

    def balances(self, spec: PolicySpec, policy: Record, requests: list[Record]) -> list[Record]:
        used: dict[str, float] = defaultdict(float)
        for request in requests:
            approved = request["status"]["statusType"] == "APPROVED"
            if approved and request["policyId"] == policy["id"]:
                used[request["userId"]] += request["balanceDiff"]
        total = 40.0 if spec.unit == "HOURS" else 25.0
        rows = []
        for user in sorted(self.ws.users, key=lambda u: u["name"]):
            if self.ws.membership_status(user["id"]) not in ("ACTIVE", "INACTIVE"):
                continue
            spent = round(used[user["id"]], 2)
            rows.append(
                {
                    "id": self.b.ids(),
                    "userId": user["id"],
                    "userName": user["name"],
                    "policyId": policy["id"],
                    "policyName": policy["name"],
                    "policyTimeUnit": spec.unit,
                    "policyArchived": spec.archived,
                    "balance": round(total - spent, 2),
                    "used": spent,
                    "total": total,
                    "negativeBalanceAmount": 8.0 if spec.negative else 0.0,
                    "negativeBalanceLimit": spec.negative,
                    "negativeBalanceUsed": round(max(0.0, spent - total), 2),
                    "workspaceId": self.ws.id,
                }
            )
        return rows

    # -- approvals ------------------------------------------------------------------------

    def approval_requests(self, expenses: list[Record]) -> list[Record]:
        groups: dict[str, list[Record]] = defaultdict(list)
        for entry in self.ws.entries():
            if entry["approvalRequestId"]:
                groups[entry["approvalRequestId"]].append(entry)
        approvals = []
        for approval_id, entries in sorted(groups.items()):
            approvals.append(self.approval(approval_id, entries, expenses))
        # Long-closed weeks re-opened or re-approved in the last days: their
        # `status.updatedAt` moves past any bookmark taken before.
        old = [a for a in approvals if a["approvalRequest"]["status"]["state"] == "APPROVED"]
        recent = (("WITHDRAWN_APPROVAL", 3), ("APPROVED", 2), ("APPROVED", 1))
        for approval, (state, days) in zip(old[:3], recent, strict=False):
            status = approval["approvalRequest"]["status"]
            status.update(state=state, updatedAt=instant(self.now - timedelta(days=days)))
            self.fill_totals(approval)
        return approvals

    def approval(self, approval_id: str, entries: list[Record], expenses: list[Record]) -> Record:
        rng = self.rng
        user = self.ws.user(entries[0]["userId"])
        assert user is not None
        first = datetime.fromisoformat(min(e["timeInterval"]["start"] for e in entries))
        monday = (first - timedelta(days=first.weekday())).replace(hour=0, minute=0, second=0)
        sunday = monday + timedelta(days=7) - timedelta(seconds=1)
        roll = rng.random()
        state = "APPROVED" if roll < 0.78 else "PENDING" if roll < 0.9 else "WITHDRAWN_APPROVAL"
        submitted = sunday + timedelta(days=rng.randint(1, 3), hours=rng.randint(1, 8))
        updated = submitted
        if state == "APPROVED":
            updated = submitted + timedelta(days=rng.randint(1, 7))
        elif state == "WITHDRAWN_APPROVAL":
            updated = submitted + timedelta(days=rng.randint(10, 40))
        updated = min(updated, self.now - timedelta(hours=1))
        approver = self.owner() if state != "PENDING" else None
        person = next(p for p, m in self.members.items() if self.person_id(p) == user["id"])
        week_expenses = [
            self.approval_expense(e, approval_id, state)
            for e in expenses
            if e["userId"] == user["id"]
            and monday.date().isoformat() <= e["date"] <= sunday.date().isoformat()
        ]
        approval: Record = {
            "approvalRequest": {
                "id": approval_id,
                "workspaceId": self.ws.id,
                "dateRange": {"start": instant(monday), "end": instant(sunday)},
                "owner": {
                    "userId": user["id"],
                    "userName": user["name"],
                    "timeZone": PEOPLE[person].time_zone or "Etc/UTC",
                    "startOfWeek": "MONDAY",
                },
                "creator": {
                    "userId": user["id"],
                    "userName": user["name"],
                    "userEmail": user["email"],
                },
                "status": {
                    "state": state,
                    "updatedAt": instant(updated),
                    "updatedBy": self.person_id(approver) if approver else user["id"],
                    "updatedByUserName": PEOPLE[approver].name if approver else user["name"],
                    "note": rng.choice((None, "Looks good 👍", "Bitte Projekt prüfen")),
                },
                "type": "TIMESHEET_AND_EXPENSE" if week_expenses else "TIMESHEET",
            },
            "entries": [self.approval_entry(e) for e in entries],
            "expenses": week_expenses,
        }
        self.fill_totals(approval)
        return approval

    def fill_totals(self, approval: Record) -> None:
        """Durations as ISO strings; amounts as floats in minor units (cents)."""
        state = approval["approvalRequest"]["status"]["state"]
        tracked = billable = breaks = 0
        billable_amount = cost_amount = 0.0
        for entry in approval["entries"]:
            seconds = _seconds(entry["timeInterval"])
            tracked += seconds
            if entry["type"] == "BREAK":
                breaks += seconds
            if entry["billable"]:
                billable += seconds
                billable_amount += (entry["hourlyRate"] or {}).get("amount", 0) * seconds / 3600
            cost_amount += (entry["costRate"] or {}).get("amount", 0) * seconds / 3600
        approval.update(
            trackedTime=iso_duration(tracked),
            billableTime=iso_duration(billable),
            approvedTime=iso_duration(tracked if state == "APPROVED" else 0),
            pendingTime=iso_duration(tracked if state == "PENDING" else 0),
            breakTime=iso_duration(breaks),
            billableAmount=round(billable_amount, 2),
            costAmount=round(cost_amount, 2),
            expenseTotal=round(sum(e["total"] for e in approval["expenses"]), 2),
        )
        for expense in approval["expenses"]:
            expense["approvalStatus"] = expense["detailedApprovalStatus"] = state

    def approval_entry(self, entry: Record) -> Record:
        """A time entry as approval requests embed it: hydrated, zoned interval."""
        project = self.ws.project(entry["projectId"]) if entry["projectId"] else None
        task = next((t for t in self.ws.all_tasks() if t["id"] == entry["taskId"]), None)
        interval = entry["timeInterval"]
        return {
            "id": entry["id"],
            "description": entry["description"],
            "approvalRequestId": entry["approvalRequestId"],
            "billable": entry["billable"],
            "isLocked": entry["isLocked"],
            "type": entry["type"],
            "hourlyRate": entry["hourlyRate"],
            "costRate": entry["costRate"],
            "customFieldValues": [
                {
                    "customFieldId": v["customFieldId"],
                    "sourceType": "TIMEENTRY",
                    "timeEntryId": entry["id"],
                    "value": v["value"],
                }
                for v in entry["customFieldValues"]
            ],
            "project": _project_info(project),
            "task": {"id": task["id"], "name": task["name"]} if task else None,
            "tags": [
                {k: t[k] for k in ("id", "name", "archived", "workspaceId")}
                for t in self.ws.tags
                if t["id"] in (entry["tagIds"] or ())
            ],
            "timeInterval": {
                "start": interval["start"],
                "end": interval["end"],
                "duration": interval["duration"],
                "offsetStart": 0,
                "offsetEnd": 0,
                "timeZone": "Etc/UTC",
                "zonedStart": interval["start"],
                "zonedEnd": interval["end"],
            },
        }

    def approval_expense(self, expense: Record, approval_id: str, state: str) -> Record:
        return {
            **expense,
            "approvalRequestId": approval_id,
            "approvalStatus": state,
            "detailedApprovalStatus": state,
            "currency": self.currency,
            "fileUrl": (
                f"https://files.clockify.me/expenses/{expense['fileId']}"
                if expense["fileId"]
                else ""
            ),
        }

    # -- scheduling -----------------------------------------------------------------------

    def assignment(self, person: str, project_name: str, first: int, last: int) -> Record:
        rng = self.rng
        project = self.project_named(project_name)
        tasks = self.ws.tasks.get(project["id"], [])
        task = rng.choice(tasks) if tasks and rng.random() < 0.5 else None
        start = self.today + timedelta(days=first)
        end = self.today + timedelta(days=last)
        return {
            "id": self.b.ids(),
            "userId": self.person_id(person),
            "userName": PEOPLE[person].name,
            "projectId": project["id"],
            "projectName": project["name"],
            "projectColor": project["color"],
            "projectArchived": project["archived"],
            "projectBillable": project["billable"],
            "clientId": project["clientId"],
            "clientName": project["clientName"] or None,
            "taskId": task["id"] if task else None,
            "taskName": task["name"] if task else None,
            "billable": project["billable"] and rng.random() < 0.8,
            "hoursPerDay": rng.choice((8.0, 7.5, 4.0, 2.25, 6.0)),
            "startTime": rng.choice(("09:00:00", "08:30:00", "10:00:00")),
            "period": {"start": instant(start), "end": instant(end)},
            "note": rng.choice(ASSIGNMENT_NOTES),
            "workspaceId": self.ws.id,
        }

    # -- expenses -------------------------------------------------------------------------

    def category(self, spec: Any) -> Record:
        return {
            "id": self.b.ids(),
            "name": spec.name,
            "unit": spec.unit,
            "priceInCents": spec.price or 0,
            "hasUnitPrice": spec.price is not None,
            "archived": spec.archived,
            "workspaceId": self.ws.id,
            "status": None,  # live responses carry status: null
        }

    def expenses(self, categories: list[Record]) -> list[Record]:
        rng = self.rng
        current = [c for c in categories if not c["archived"]]
        rows = []
        for person, count in EXPENSES[self.ws.name].items():
            user_id = self.person_id(person)
            for _ in range(count):
                days = rng.randint(1, 730)
                pool = categories if days > 365 else current
                category = rng.choice(pool) if pool and rng.random() < 0.9 else None
                if category and category["hasUnitPrice"]:
                    quantity = float(rng.choice((1, 2, 3, 12.5, 42, 120)))
                    total = quantity * category["priceInCents"]
                else:
                    quantity = 1.0
                    total = rng.choice((2350.0, 10500.5, 899.99, 15000.0, 4275.25))
                project = rng.choice(self.ws.projects) if rng.random() < 0.7 else None
                tasks = self.ws.tasks.get(project["id"], []) if project else []
                task = rng.choice(tasks) if tasks and rng.random() < 0.4 else None
                receipt = rng.random()
                file_id: str | None = ""
                file_name = None
                if receipt < 0.35:
                    file_id = self.b.ids()
                    file_name = rng.choice(("receipt.png", "Quittung — März.pdf", "发票.jpg"))
                elif receipt < 0.40:
                    file_id = None  # some rows carry null instead of ""
                rows.append(
                    {
                        "id": self.b.ids(),
                        "userId": user_id,
                        "workspaceId": self.ws.id,
                        "date": (self.today - timedelta(days=days)).date().isoformat(),
                        "billable": bool(project and project["billable"] and rng.random() < 0.7),
                        "locked": days > 365 and self.ws.name == "Acme Analytics",
                        "notes": rng.choice(EXPENSE_NOTES),
                        "quantity": quantity,
                        "total": total,
                        "category": (
                            {k: category[k] for k in _CATEGORY_INFO} if category else None
                        ),
                        "project": _project_info(project),
                        "task": {"id": task["id"], "name": task["name"]} if task else None,
                        "fileId": file_id,
                        "fileName": file_name,
                    }
                )
        return sorted(rows, key=lambda e: (e["date"], e["id"]), reverse=True)

    # -- invoices -------------------------------------------------------------------------

    def invoice(self, spec: InvoiceSpec, sequence: int) -> tuple[Record, list[Record]]:
        rng = self.rng
        client = next(c for c in self.ws.clients if c["name"] == spec.client)
        issued = self.days_ago(spec.issued_days_ago)
        entries = [e for e in self.ws.entries() if e["billable"]][:3]
        items: list[Record] = []
        for order, (description, quantity, unit_price) in enumerate(spec.items, start=1):
            imported = order == 1 and bool(entries) and spec.status != "VOID"
            items.append(
                {
                    "order": order,
                    "description": description,
                    "itemType": "Service" if quantity > 1 else "Product",
                    "quantity": quantity,
                    # Hundredths of a cent: amount = unitPrice * quantity / 100.
                    "unitPrice": unit_price * 100,
                    "amount": unit_price * quantity,
                    "applyTaxes": "TAX1" if spec.tax_percent else "NONE",
                    "importType": "TIME_ENTRY_IMPORT" if imported else "NOT_IMPORTED",
                    "timeEntryIds": [e["id"] for e in entries] if imported else [],
                    "expenseIds": [],
                }
            )
        subtotal = sum(i["amount"] for i in items)
        discount = round(subtotal * spec.discount_percent / 100)
        tax = round((subtotal - discount) * spec.tax_percent / 100)
        amount = subtotal - discount + tax
        paid = {"PAID": amount, "PARTIALLY_PAID": amount * 2 // 5}.get(spec.status, 0)
        invoice_id = self.b.ids()
        owner = self.owner()
        payments = []
        for n in range(spec.payments):
            share = paid // spec.payments + (paid % spec.payments if n == 0 else 0)
            when = min(issued + timedelta(days=10 + 15 * n, hours=14), self.now)
            payments.append(
                {
                    "id": self.b.ids(),
                    "amount": share,
                    "date": instant(when),
                    "author": PEOPLE[owner].name,
                    "note": rng.choice((None, "Wire transfer", "Überweisung — Teilzahlung")),
                }
            )
        payments.sort(key=lambda p: (p["date"], p["id"]), reverse=True)
        invoice = {
            "id": invoice_id,
            "number": f"INV-{self.today.year}-{sequence:03d}",
            "clientId": client["id"],
            "clientName": client["name"],
            "currency": self.currency,
            "amount": amount,
            "balance": amount - paid,
            "paid": paid,
            "issuedDate": instant(issued),
            "dueDate": instant(issued + timedelta(days=30)),
            "status": spec.status,
            "billFrom": f"{self.ws.name}\nMain Street 1",
            "clientAddress": client["address"],
            "companyId": self.b.ids(),
            "calculationType": "INVOICE_BASED",
            "taxType": "SIMPLE" if spec.tax_percent else "NONE",
            # Percent x100: 20 % is 2000.0.
            "tax": spec.tax_percent * 100,
            "tax2": 0.0,
            "discount": spec.discount_percent * 100,
            "taxAmount": tax,
            "tax2Amount": 0,
            "discountAmount": discount,
            "subtotal": subtotal,
            "items": items,
            "containsImportedTimes": any(i["importType"] == "TIME_ENTRY_IMPORT" for i in items),
            "containsImportedExpenses": False,
            "subject": f"Services for {client['name']}",
            "note": rng.choice((None, "Thank you — danke — merci!")),
            "userId": self.person_id(owner),
            "visibleZeroFields": ["TAX"] if not spec.tax_percent else [],
        }
        return invoice, payments

    # -- member profiles and the audit log ------------------------------------------------

    def member_profile(self, user: Record, pending: set[str]) -> Record:
        person = next(p for p in self.members if self.person_id(p) == user["id"])
        fields = {f["id"]: f for f in self.ws.custom_fields}
        return {
            "email": user["email"],
            "name": user["name"],
            "imageUrl": user["profilePicture"],
            "weekStart": "SUNDAY" if person in SUNDAY_WEEK else "MONDAY",
            "workCapacity": WORK_CAPACITY.get(person, "PT8H"),
            "workingDays": list(
                PART_TIME_DAYS.get(person, ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"))
            ),
            "hasPassword": user["status"] not in ("NOT_REGISTERED", "PENDING_EMAIL_VERIFICATION"),
            "hasPendingApprovalRequest": user["id"] in pending,
            "userCustomFieldValues": [
                {
                    "customFieldId": value["customFieldId"],
                    "customField": dict(fields[value["customFieldId"]]),
                    "name": value["customFieldName"],
                    "type": value["customFieldType"],
                    "sourceType": "USER",
                    "userId": user["id"],
                    "value": value["value"],
                }
                for value in user["customFields"]
            ],
            "workspaceNumber": sum(
                1 for members in MEMBERS.values() for m in members if m.person == person
            ),
        }

    def audit_log(self, count: int) -> list[Record]:
        rng = self.rng
        authors = [p for p, m in self.members.items() if m.status == "ACTIVE"]
        entries = []
        for _ in range(count):
            person = rng.choice(authors)
            action, content, previous = self.audit_change(rng.choice(_AUDITED))
            moment = self.now - timedelta(seconds=rng.randrange(400 * 86400))
            entries.append(
                {
                    "action": action,
                    "content": json.dumps(content, ensure_ascii=False),
                    "previousContent": (
                        json.dumps(previous, ensure_ascii=False) if previous else None
                    ),
                    "timestamp": milli_instant(moment, rng.randrange(1000)),
                    "userId": self.person_id(person),
                    "userName": PEOPLE[person].name,
                    "userEmail": PEOPLE[person].email,
                    "workspaceId": self.ws.id,
                }
            )
        return sorted(entries, key=lambda e: e["timestamp"], reverse=True)

    def audit_change(self, kind: str) -> tuple[str, Record, Record | None]:
        rng = self.rng
        project = rng.choice(self.ws.projects)
        if kind == "TIME":
            action = rng.choice(_TIME_ACTIONS)
            content: Record = {
                "description": rng.choice(("Code review", "设计评审", "Café meeting ☕")),
                "project": project["name"],
                "duration": rng.choice(("PT1H", "PT30M", "PT2H15M")),
                "billable": project["billable"],
            }
        elif kind == "PROJECT":
            action = rng.choice(("CREATE_PROJECT", "UPDATE_PROJECT"))
            content = {"projectName": project["name"], "archived": project["archived"]}
        elif kind == "CLIENT":
            action = rng.choice(("CREATE_CLIENT", "UPDATE_CLIENT"))
            content = {"clientName": rng.choice(self.ws.clients)["name"]}
        elif kind == "TAG":
            action = rng.choice(("CREATE_TAG", "UPDATE_TAG", "DELETE_TAG"))
            content = {"tagName": rng.choice(self.ws.tags)["name"] if self.ws.tags else "x"}
        else:
            action = rng.choice(("CREATE_EXPENSE", "UPDATE_EXPENSE", "DELETE_EXPENSE_FOR_OTHER"))
            content = {"total": rng.choice((2350.0, 10500.5)), "project": project["name"]}
        previous = dict(content, edited=False) if action.startswith("UPDATE_") else None
        return action, content, previous


#: Kinds of audited change, weighted by how often they happen.
_AUDITED = ("TIME",) * 6 + ("PROJECT", "CLIENT", "TAG", "EXPENSE")
_TIME_ACTIONS = (
    "CREATE_TIME_PERSONAL_TIMER", "CREATE_TIME_PERSONAL_MANUAL", "UPDATE_TIME_PERSONAL",
    "UPDATE_TIME_FOR_OTHER", "DELETE_TIME_PERSONAL", "CREATE_TIME_KIOSK",
)  # fmt: skip
_CATEGORY_INFO = (
    "id", "name", "priceInCents", "unit", "hasUnitPrice", "archived", "workspaceId",
)  # fmt: skip


def _project_info(project: Record | None) -> Record | None:
    """A project as hydrated rows embed it."""
    if project is None:
        return None
    return {
        "id": project["id"],
        "name": project["name"],
        "clientId": project["clientId"],
        "clientName": project["clientName"],
        "color": project["color"],
    }


def iso_duration(seconds: int) -> str:
    """The v1 API's ISO-8601 durations, as the core dataset writes them."""
    from .dataset import iso_duration as core  # noqa: PLC0415 (dataset imports this module)

    return core(seconds)


def _seconds(interval: Record) -> int:
    if interval["end"] is None:
        return 0
    start = datetime.fromisoformat(interval["start"])
    end = datetime.fromisoformat(interval["end"])
    return int((end - start).total_seconds())
