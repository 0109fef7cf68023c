"""Deterministic seeded Clockify data, API-shaped (docs/clockify.md, Endpoints and Quirks).

The cast is declared in :mod:`tests.emulator.seed` (people, workspaces, who works where);
the builders here turn it into API-shaped dicts. All randomness comes from one
``random.Random(SEED)``, so ``build_dataset(now)`` is a pure function of ``now``, and
every id except those of time entries is the same for any ``now``.

Times are anchored on ``now``: history reaches about seven years back and the newest
entries are today, including a running timer. Tests may mutate the returned records in
place; the emulator serves whatever the dataset holds at request time.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .changes import ChangeLog
from .dataset_more import MoreData, fill_more
from .seed import (
    CLIENTS,
    CUSTOM_FIELDS,
    DESCRIPTIONS,
    FEATURES,
    GROUPS,
    HIDDEN,
    KEY_OWNER,
    MAIN,
    MEMBERS,
    PEOPLE,
    PROJECTS,
    SECOND,
    SEED,
    TAGS,
    TINY,
    WORKSPACES,
    FieldSpec,
    Member,
    ProjectSpec,
    WorkspaceSpec,
)

Record = dict[str, Any]


# --- Formatting -----------------------------------------------------------------------


def format_instant(moment: datetime) -> str:
    """Core-API timestamp form: UTC, whole seconds, ``Z`` (docs/clockify.md, Quirks)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int) -> str:
    """Java ``Duration.toString()`` as the v1 API sends it: ``PT1H30M``, ``PT26H``, ``PT0S``."""
    if seconds == 0:
        return "PT0S"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}H" if hours else "",
        f"{minutes}M" if minutes else "",
        f"{secs}S" if secs else "",
    ]
    return "PT" + "".join(parts)


def time_entry_order(entries: Iterable[Record]) -> list[Record]:
    """The order of ``GET .../user/{id}/time-entries``: newest start first, ties by id (desc)."""
    return sorted(entries, key=lambda e: (e["timeInterval"]["start"], e["id"]), reverse=True)


class IdFactory:
    """24-hex ObjectId-like ids: 4-byte pseudo timestamp, 5-byte ``machine``, 3-byte counter.

    Factories with different ``machine`` values never collide.
    """

    def __init__(self, machine: int = 0x9AE1F428E7) -> None:
        self.machine = machine
        self.count = 0

    def __call__(self) -> str:
        """A new id, unique within the factory."""
        self.count += 1
        return f"{0x5C32_A000 + self.count * 97:08x}{self.machine:010x}{self.count:06x}"


# --- Dataset ----------------------------------------------------------------------------


@dataclass
class WorkspaceData:
    """Everything one workspace holds, API-shaped. Lists are in the API's default order."""

    workspace: Record
    users: list[Record]
    user_groups: list[Record]
    clients: list[Record]
    projects: list[Record]
    tasks: dict[str, list[Record]]
    tags: list[Record]
    custom_fields: list[Record]
    time_entries: dict[str, list[Record]]
    #: Time off, approvals, scheduling, expenses, invoices, profiles, audit log.
    more: MoreData = field(default_factory=MoreData)

    @property
    def id(self) -> str:
        """The workspace id."""
        return str(self.workspace["id"])

    @property
    def name(self) -> str:
        """The workspace name."""
        return str(self.workspace["name"])

    def user(self, user_id: str) -> Record | None:
        """This workspace's copy of a user, or None when not a member."""
        return next((u for u in self.users if u["id"] == user_id), None)

    def project(self, project_id: str) -> Record | None:
        """A project by id."""
        return next((p for p in self.projects if p["id"] == project_id), None)

    def membership_status(self, user_id: str) -> str | None:
        """The user's WORKSPACE membership status here (ACTIVE, INACTIVE, PENDING, DECLINED)."""
        user = self.user(user_id)
        membership = _workspace_membership(user, self.id) if user else None
        return membership["membershipStatus"] if membership else None

    def entries(self) -> list[Record]:
        """All time entries of the workspace, every user, in API order."""
        return time_entry_order(e for per_user in self.time_entries.values() for e in per_user)

    def all_tasks(self) -> list[Record]:
        """Every task of every project."""
        return [t for per_project in self.tasks.values() for t in per_project]


@dataclass
class Dataset:
    """The emulator's whole world.

    ``workspaces`` are the API-shaped workspaces the default API key can see, in the
    order ``GET /workspaces`` returns them; ``hidden_workspaces`` exist but the key gets
    403 for them. ``ws`` maps every workspace id (hidden ones too) to its data.
    """

    now: datetime
    workspaces: list[Record]
    hidden_workspaces: list[Record]
    ws: dict[str, WorkspaceData]
    key_owner_id: str
    key_owner_roles: dict[str, list[str]]
    ids: IdFactory = field(repr=False)
    #: Every change made through the mutation methods, for the entity-change feeds.
    changes: ChangeLog = field(default_factory=ChangeLog, repr=False)

    @property
    def visible_workspace_ids(self) -> list[str]:
        """Ids of the workspaces the default key can see."""
        return [w["id"] for w in self.workspaces]

    @property
    def hidden_workspace_ids(self) -> list[str]:
        """Ids of workspaces that exist but the default key cannot see (403)."""
        return [w["id"] for w in self.hidden_workspaces]

    def by_name(self, name: str) -> WorkspaceData:
        """A workspace's data by its name (e.g. ``dataset.MAIN``)."""
        return next(d for d in self.ws.values() if d.name == name)

    @property
    def main(self) -> WorkspaceData:
        """Acme Analytics, the big workspace."""
        return self.by_name(MAIN)

    @property
    def second(self) -> WorkspaceData:
        """Ünïcødé Studio 🎨."""
        return self.by_name(SECOND)

    @property
    def tiny(self) -> WorkspaceData:
        """Tiny Co: no tags, groups or custom fields."""
        return self.by_name(TINY)

    @property
    def hidden(self) -> WorkspaceData:
        """Secret Labs, invisible to the key."""
        return self.by_name(HIDDEN)

    def all_time_entries(self, workspace_id: str | None = None) -> list[Record]:
        """Entries of one workspace, or of every visible workspace when None (API order)."""
        ids = [workspace_id] if workspace_id else self.visible_workspace_ids
        return time_entry_order(e for wid in ids for e in self.ws[wid].entries())

    def running_entries(self, workspace_id: str | None = None) -> list[Record]:
        """Entries whose timer is still running (``timeInterval.end`` null)."""
        return [e for e in self.all_time_entries(workspace_id) if e["timeInterval"]["end"] is None]

    def new_id(self) -> str:
        """A fresh id, unique across the dataset (for records a test adds)."""
        return self.ids()

    # -- Mutations: every edit or deletion a test makes between runs goes through these --
    #
    # Each takes the workspace id and the record's id, changes the data in place and
    # returns the record as it was served last (a deleted one is gone from every list).
    # Records elsewhere that refer to a deleted one (an entry's tagIds, a project's
    # clientId) are left as they are. Call them while holding the emulator's `lock`.
    # Each one lands in `changes`, stamped by the emulator's clock, for the change feeds.

    def delete_client(self, workspace_id: str, client_id: str) -> Record:
        """Delete a client."""
        return self._deleted(
            "CLIENTS", workspace_id, _remove(self.ws[workspace_id].clients, client_id)
        )

    def delete_tag(self, workspace_id: str, tag_id: str) -> Record:
        """Delete a tag."""
        return self._deleted("TAGS", workspace_id, _remove(self.ws[workspace_id].tags, tag_id))

    def delete_user_group(self, workspace_id: str, group_id: str) -> Record:
        """Delete a user group."""
        groups = self.ws[workspace_id].user_groups
        return self._deleted("USER_GROUPS", workspace_id, _remove(groups, group_id))

    def delete_user(self, workspace_id: str, user_id: str) -> Record:
        """Remove a member from a workspace (their entries stay, as the other deletions)."""
        return self._deleted("USER", workspace_id, _remove(self.ws[workspace_id].users, user_id))

    def delete_project(self, workspace_id: str, project_id: str) -> Record:
        """Delete a project and, with it, its tasks."""
        data = self.ws[workspace_id]
        for task in data.tasks.pop(project_id, []):
            self._deleted("TASKS", workspace_id, task)
        return self._deleted("PROJECTS", workspace_id, _remove(data.projects, project_id))

    def delete_task(self, workspace_id: str, project_id: str, task_id: str) -> Record:
        """Delete one task of a project."""
        tasks = self.ws[workspace_id].tasks[project_id]
        return self._deleted("TASKS", workspace_id, _remove(tasks, task_id))

    def delete_time_entry(self, workspace_id: str, entry_id: str) -> Record:
        """Delete a time entry, whoever it belongs to."""
        for entries in self.ws[workspace_id].time_entries.values():
            if any(e["id"] == entry_id for e in entries):
                return self._deleted("TIME_ENTRY", workspace_id, _remove(entries, entry_id))
        raise KeyError(entry_id)

    def rename_project(self, workspace_id: str, project_id: str, name: str) -> Record:
        """Give a project a new name."""
        project = self.ws[workspace_id].project(project_id)
        if project is None:
            raise KeyError(project_id)
        project["name"] = name
        self.changes.record("updated", "PROJECTS", workspace_id, project)
        return project

    def edit_time_entry(self, workspace_id: str, entry_id: str, **changes: Any) -> Record:
        """Change top-level fields of a time entry (e.g. `description`)."""
        for entries in self.ws[workspace_id].time_entries.values():
            for entry in entries:
                if entry["id"] == entry_id:
                    entry.update(changes)
                    entries[:] = time_entry_order(entries)
                    self.changes.record("updated", "TIME_ENTRY", workspace_id, entry)
                    return entry
        raise KeyError(entry_id)

    def add_time_entry(
        self,
        workspace_id: str,
        user_id: str,
        start: datetime,
        end: datetime | None,
        **fields: Any,
    ) -> Record:
        """Create a finished (or, with `end` None, running) entry; no project or tags."""
        data = self.ws[workspace_id]
        seconds = None if end is None else int((end - start).total_seconds())
        entry: Record = {
            "id": self.new_id(),
            "description": "",
            "userId": user_id,
            "workspaceId": workspace_id,
            "projectId": None,
            "taskId": None,
            "tagIds": None,
            "billable": False,
            "isLocked": False,
            "type": "REGULAR",
            "kioskId": None,
            "timeInterval": {
                "start": format_instant(start),
                "end": format_instant(end) if end else None,
                "duration": iso_duration(seconds) if seconds is not None else None,
            },
            "hourlyRate": {"amount": 0, "currency": data.workspace["hourlyRate"]["currency"]},
            "costRate": None,
            "customFieldValues": [],
            "approvalRequestId": None,
            **fields,
        }
        entries = data.time_entries.setdefault(user_id, [])
        entries[:] = time_entry_order([*entries, entry])
        self.changes.record("created", "TIME_ENTRY", workspace_id, entry)
        return entry

    def _deleted(self, entity_type: str, workspace_id: str, record: Record) -> Record:
        self.changes.record("deleted", entity_type, workspace_id, record)
        return record


def _remove(records: list[Record], record_id: str) -> Record:
    """Remove the record with `record_id` from `records` and return it (KeyError if absent)."""
    for index, record in enumerate(records):
        if record["id"] == record_id:
            return records.pop(index)
    raise KeyError(record_id)


def _workspace_membership(user: Record, workspace_id: str) -> Record | None:
    return next(
        (
            m
            for m in user["memberships"]
            if m["membershipType"] == "WORKSPACE" and m["targetId"] == workspace_id
        ),
        None,
    )


# --- Builders ---------------------------------------------------------------------------


def build_dataset(now: datetime | None = None) -> Dataset:
    """Build the seeded dataset; ``now`` (default: current UTC time) anchors recent entries."""
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    now = now.astimezone(UTC).replace(microsecond=0)
    return _Builder(now).build()


class _Builder:
    """Turns the cast above into records. Order of generation fixes every id."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = now.replace(hour=0, minute=0, second=0)
        self.rng = random.Random(SEED)
        self.ids = IdFactory()
        # Entries get their own id series so that every other id is the same whatever
        # ``now`` is (approval ids depend on the calendar weeks entries fall in).
        self.entry_ids = IdFactory(0x9AE1F428E8)
        self.person_ids = {key: self.ids() for key in PEOPLE}
        self.home: dict[str, str] = {}  # person -> first workspace id (active/default)

    def build(self) -> Dataset:
        workspace_ids = {spec.name: self.ids() for spec in WORKSPACES}
        for spec in WORKSPACES:
            for member in MEMBERS[spec.name]:
                self.home.setdefault(member.person, workspace_ids[spec.name])
        data = {
            workspace_ids[spec.name]: self.workspace(spec, workspace_ids[spec.name])
            for spec in WORKSPACES
        }
        fill_more(self, data)
        visible = [d.workspace for d in data.values() if d.name != HIDDEN]
        hidden = [d.workspace for d in data.values() if d.name == HIDDEN]
        owner_roles = {
            workspace_ids[name]: list(member.roles)
            for name, members in MEMBERS.items()
            for member in members
            if member.person == KEY_OWNER
        }
        return Dataset(
            now=self.now,
            workspaces=visible,
            hidden_workspaces=hidden,
            ws=data,
            key_owner_id=self.person_ids[KEY_OWNER],
            key_owner_roles=owner_roles,
            ids=self.ids,
        )

    # -- one workspace ------------------------------------------------------------------

    def workspace(self, spec: WorkspaceSpec, ws_id: str) -> WorkspaceData:
        name = spec.name
        members = MEMBERS[name]
        currency = spec.currency
        clients = [self.client(ws_id, currency, *c) for c in CLIENTS[name]]
        client_ids = {c["name"]: c["id"] for c in clients}
        projects: list[Record] = []
        tasks: dict[str, list[Record]] = {}
        member_rates = {m.person: m for m in members}
        for pspec in PROJECTS[name]:
            project = self.project(ws_id, currency, pspec, client_ids, member_rates)
            projects.append(project)
            tasks[project["id"]] = [
                self.task(project, currency, task, members) for task in pspec.tasks
            ]
        tags = [
            {"id": self.ids(), "name": tag, "workspaceId": ws_id, "archived": archived}
            for tag, archived in TAGS[name]
        ]
        groups = [self.group(ws_id, *g) for g in GROUPS[name]]
        fields = [self.custom_field(ws_id, f, projects) for f in CUSTOM_FIELDS[name]]
        users = [
            self.user(ws_id, currency, m, projects, groups, fields)
            for m in sorted(members, key=lambda m: PEOPLE[m.person].email)
        ]
        workspace = self.workspace_record(spec, ws_id, users)
        data = WorkspaceData(
            workspace=workspace,
            users=users,
            user_groups=groups,
            clients=clients,
            projects=projects,
            tasks=tasks,
            tags=tags,
            custom_fields=fields,
            time_entries={},
        )
        kiosk_id = self.ids()
        for member in members:
            entries = _EntryMaker(self, data, spec, member, kiosk_id).make()
            data.time_entries[self.person_ids[member.person]] = time_entry_order(entries)
        self.fill_durations(data, spec)
        return data

    def workspace_record(self, spec: WorkspaceSpec, ws_id: str, users: list[Record]) -> Record:
        currency = spec.currency
        other = "EUR" if currency == "USD" else "USD"
        lock = None
        if spec.locked_after_days is not None:
            lock = format_instant(self.today - timedelta(days=spec.locked_after_days))
        return {
            "id": ws_id,
            "name": spec.name,
            "hourlyRate": {"amount": 10000, "currency": currency},
            "costRate": {"amount": 5000, "currency": currency},
            "memberships": [
                dict(m)
                for u in users
                for m in u["memberships"]
                if m["membershipType"] == "WORKSPACE"
            ],
            "workspaceSettings": {
                "timeRoundingInReports": False,
                "onlyAdminsSeeBillableRates": True,
                "onlyAdminsCreateProject": True,
                "onlyAdminsSeeDashboard": False,
                "defaultBillableProjects": True,
                "lockTimeEntries": lock,
                "lockTimeZone": "Etc/UTC" if lock else None,
                "round": {"round": "Round to nearest", "minutes": "15"},
                "projectFavorites": True,
                "canSeeTimeSheet": True,
                "canSeeTracker": True,
                "projectPickerSpecialFilter": False,
                "forceProjects": False,
                "forceTasks": False,
                "forceTags": False,
                "forceDescription": False,
                "onlyAdminsSeeAllTimeEntries": False,
                "onlyAdminsSeePublicProjectsEntries": False,
                "trackTimeDownToSecond": True,
                "projectGroupingLabel": "client",
                "adminOnlyPages": [],
                "automaticLock": None,
                "onlyAdminsCreateTag": False,
                "onlyAdminsCreateTask": False,
                "timeTrackingMode": "DEFAULT",
                "isProjectPublicByDefault": True,
                "durationFormat": "FULL",
                "numberFormat": "COMMA_PERIOD",
                "currencyFormat": "CURRENCY_SPACE_VALUE",
                "multiFactorEnabled": False,
                "workingDays": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
            },
            "features": [] if spec.plan == "FREE" else list(FEATURES),
            "currencies": [
                {"id": self.ids(), "code": currency, "isDefault": True},
                {"id": self.ids(), "code": other, "isDefault": False},
            ],
            "subdomain": {"enabled": spec.subdomain[0], "name": spec.subdomain[1]},
            "featureSubscriptionType": spec.plan,
            "cakeOrganizationId": self.ids(),
            "imageUrl": spec.image,
        }

    def client(self, ws_id: str, currency: str, name: str, archived: bool, contact: bool) -> Record:
        slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "client"
        # address, email, note and ccEmails are null when never set (docs/clockify.md, Quirks).
        return {
            "id": self.ids(),
            "name": name,
            "workspaceId": ws_id,
            "archived": archived,
            "address": f"{name}, Hauptstraße 1, 10115 Berlin" if contact else None,
            "email": f"billing@{slug}.example" if contact else None,
            "note": f"Key account — {name}" if contact else None,
            "ccEmails": [f"finance@{slug}.example"] if contact else None,
            "currencyId": self.ids() if contact else None,
            "currencyCode": currency,
        }

    def project(
        self,
        ws_id: str,
        currency: str,
        spec: ProjectSpec,
        client_ids: dict[str, str],
        rates: dict[str, Member],
    ) -> Record:
        project_id = self.ids()
        budget = spec.budgeted
        return {
            "id": project_id,
            "name": spec.name,
            "workspaceId": ws_id,
            "clientId": client_ids[spec.client] if spec.client else None,
            "clientName": spec.client or "",
            "color": spec.color,
            "billable": spec.billable,
            "archived": spec.archived,
            "public": spec.public,
            "template": False,
            "note": f"Notes for {spec.name}" if budget else "",
            "duration": "PT0S",  # filled from the entries once they exist
            "hourlyRate": {"amount": 12000, "currency": currency} if spec.billable else None,
            "costRate": {"amount": 6000, "currency": currency} if budget else None,
            "estimate": {
                "estimate": "PT500H" if budget else "PT0S",
                "type": "MANUAL" if budget else "AUTO",
            },
            "budgetEstimate": (
                {
                    "estimate": 5000000,
                    "type": "MANUAL",
                    "resetOption": "MONTHLY",
                    "active": True,
                    "includeExpenses": False,
                }
                if budget
                else None
            ),
            "timeEstimate": (
                {
                    "estimate": "PT120H",
                    "type": "MANUAL",
                    "resetOption": "MONTHLY",
                    "active": True,
                    "includeNonBillable": True,
                }
                if budget
                else None
            ),
            "estimateReset": (
                {
                    "interval": "MONTHLY",
                    "dayOfMonth": 1,
                    "dayOfWeek": None,
                    "month": None,
                    "hour": 0,
                }
                if budget
                else None
            ),
            "memberships": [
                {
                    "userId": self.person_ids[person],
                    "hourlyRate": (
                        {"amount": rates[person].hourly, "currency": currency} if budget else None
                    ),
                    "costRate": None,
                    "targetId": project_id,
                    "membershipType": "PROJECT",
                    "membershipStatus": "ACTIVE",
                }
                for person in spec.members
            ],
        }

    def task(
        self,
        project: Record,
        currency: str,
        spec: tuple[str, str, bool],
        members: tuple[Member, ...],
    ) -> Record:
        name, status, billable = spec
        project_members = [m["userId"] for m in project["memberships"]]
        assignees = project_members[: 1 + self.rng.randrange(2)] if status == "ACTIVE" else []
        return {
            "id": self.ids(),
            "name": name,
            "projectId": project["id"],
            "assigneeIds": assignees,
            "assigneeId": assignees[0] if assignees else None,
            "userGroupIds": [],
            "estimate": "PT2H" if status == "ACTIVE" else "PT0S",
            "status": status,
            "duration": "PT0S",  # filled from the entries
            "billable": billable,
            "budgetEstimate": 50000 if billable else 0,
            "hourlyRate": {"amount": 13000, "currency": currency} if billable else None,
            "costRate": None if billable else {"amount": 4000, "currency": currency},
        }

    def group(
        self, ws_id: str, name: str, members: tuple[str, ...], managers: tuple[str, ...]
    ) -> Record:
        return {
            "id": self.ids(),
            "name": name,
            "workspaceId": ws_id,
            "userIds": [self.person_ids[p] for p in members],
            "teamManagers": [{"id": self.person_ids[p], "name": PEOPLE[p].name} for p in managers],
        }

    def custom_field(self, ws_id: str, spec: FieldSpec, projects: list[Record]) -> Record:
        project_defaults = []
        if spec.type == "TXT" and spec.status == "VISIBLE" and projects:
            project_defaults = [
                {"projectId": projects[0]["id"], "status": "VISIBLE", "value": "CC-200"}
            ]
        return {
            "id": self.ids(),
            "name": spec.name,
            "type": spec.type,
            "entityType": spec.entity,
            "status": spec.status,
            "allowedValues": list(spec.allowed),
            "required": False,
            "onlyAdminCanEdit": spec.entity == "USER",
            "placeholder": spec.name,
            "description": f"{spec.name} ({spec.type.lower()})",
            "workspaceDefaultValue": spec.default,
            "projectDefaultValues": project_defaults,
            "workspaceId": ws_id,
        }

    def user(
        self,
        ws_id: str,
        currency: str,
        member: Member,
        projects: list[Record],
        groups: list[Record],
        fields: list[Record],
    ) -> Record:
        person = PEOPLE[member.person]
        user_id = self.person_ids[member.person]
        memberships: list[Record] = [
            {
                "userId": user_id,
                "hourlyRate": {"amount": member.hourly, "currency": currency},
                "costRate": {"amount": member.cost, "currency": currency},
                "targetId": ws_id,
                "membershipType": "WORKSPACE",
                "membershipStatus": member.status,
            }
        ]
        memberships += [
            dict(m) for p in projects for m in p["memberships"] if m["userId"] == user_id
        ]
        memberships += [
            {
                "userId": user_id,
                "hourlyRate": None,
                "costRate": None,
                "targetId": g["id"],
                "membershipType": "USERGROUP",
                "membershipStatus": "ACTIVE",
            }
            for g in groups
            if user_id in g["userIds"]
        ]
        custom_values = [
            {
                "customFieldId": f["id"],
                "customFieldName": f["name"],
                "customFieldType": f["type"],
                "userId": user_id,
                "value": f["allowedValues"][: 1 + len(person.name) % 2],
            }
            for f in fields
            if f["entityType"] == "USER" and member.status == "ACTIVE"
        ]
        registered = person.account not in ("NOT_REGISTERED", "PENDING_EMAIL_VERIFICATION")
        return {
            "id": user_id,
            "email": person.email,
            "name": person.name,
            "memberships": memberships,
            "profilePicture": (
                f"https://img.clockify.me/profile/{user_id}.png"
                if registered
                else "https://img.clockify.me/no-user-image.png"
            ),
            "activeWorkspace": self.home[member.person],
            "defaultWorkspace": self.home[member.person],
            # ``settings`` is always present and null when never set (docs/clockify.md, Endpoints).
            "settings": _settings(person.time_zone) if person.time_zone else None,
            "status": person.account,
            "customFields": custom_values,
        }

    # -- derived figures -----------------------------------------------------------------

    def fill_durations(self, data: WorkspaceData, spec: WorkspaceSpec) -> None:
        """Project and task ``duration``: the sum of their completed entries."""
        totals: dict[str, int] = {}
        for entry in data.entries():
            seconds = _entry_seconds(entry)
            for key in (entry["projectId"], entry["taskId"]):
                if key and seconds is not None:
                    totals[key] = totals.get(key, 0) + seconds
        specs = {p.name: p for p in PROJECTS[spec.name]}
        for project in data.projects:
            seconds = totals.get(project["id"], 0)
            # One project keeps a string of milliseconds (docs/clockify.md, Quirks).
            project["duration"] = (
                str(seconds * 1000) if specs[project["name"]].duration_ms else iso_duration(seconds)
            )
        for task in data.all_tasks():
            task["duration"] = iso_duration(totals.get(task["id"], 0))


class _EntryMaker:
    """Time entries of one member in one workspace."""

    def __init__(
        self,
        builder: _Builder,
        data: WorkspaceData,
        spec: WorkspaceSpec,
        member: Member,
        kiosk: str,
    ) -> None:
        self.b = builder
        self.rng = builder.rng
        self.data = data
        self.spec = spec
        self.member = member
        self.user_id = builder.person_ids[member.person]
        self.kiosk = kiosk if PEOPLE[member.person].account == "LIMITED" else None
        self.currency = spec.currency
        self.approvals: dict[tuple[int, int], str] = {}
        self.fields = [
            f
            for f in data.custom_fields
            if f["entityType"] == "TIMEENTRY" and f["status"] == "VISIBLE"
        ]
        self.choices = {f.name: f.choices for f in CUSTOM_FIELDS[spec.name]}

    def make(self) -> list[Record]:
        entries: list[Record] = []
        for era in self.member.eras:
            slots = [(day, slot) for day in range(era.newest, era.oldest + 1) for slot in (0, 1)]
            for day, slot in sorted(self.rng.sample(slots, era.count), reverse=True):
                start = (
                    self.b.today
                    - timedelta(days=day)
                    + timedelta(
                        hours=(7 if slot == 0 else 13) + self.rng.randrange(3),
                        minutes=self.rng.choice((0, 15, 30, 45)),
                        seconds=self.rng.randrange(60) if self.rng.random() < 0.2 else 0,
                    )
                )
                minutes = 15 * (1 + self.rng.randrange(12))
                extra = self.rng.randrange(1, 60) if self.rng.random() < 0.15 else 0
                entries.append(self.entry(start, start + timedelta(minutes=minutes, seconds=extra)))
        entries += self.specials()
        return entries

    def specials(self) -> list[Record]:
        """Entries pinned to ``now``: today's work, running timers, a same-start pair."""
        now, today = self.b.now, self.b.today
        ws, person = self.spec.name, self.member.person
        if ws == MAIN and person == "zoe":
            # A completed entry today (or an empty one when now is exactly midnight).
            elapsed = now - today
            start = now - timedelta(hours=2) if elapsed >= timedelta(hours=2) else today
            end = start + min(timedelta(hours=1), (now - start) / 2)
            return [self.entry(start, end.replace(microsecond=0))]
        if ws == MAIN and person == "lilei":
            return [self.entry(now - timedelta(minutes=45), None)]
        if ws == SECOND and person == "dmitri":
            # Forgot to stop it: running since (usually) yesterday.
            return [self.entry((now - timedelta(hours=20)).replace(second=0), None)]
        if ws == MAIN and person == "renee":
            # Two entries with the same start: the sort falls back to the id.
            start = today - timedelta(days=10) + timedelta(hours=18)
            return [self.entry(start, start + timedelta(minutes=30)) for _ in range(2)]
        return []

    def entry(self, start: datetime, end: datetime | None) -> Record:
        rng = self.rng
        entry_id = self.b.entry_ids()
        days_ago = (self.b.today - start.replace(hour=0, minute=0, second=0)).days
        is_break = end is not None and rng.random() < 0.04
        project = None if is_break or rng.random() < 0.1 else self.pick_project(days_ago)
        tasks = self.data.tasks.get(project["id"], []) if project else []
        task = rng.choice(tasks) if tasks and rng.random() < 0.6 else None
        tags = [t for t in self.data.tags if not t["archived"] or days_ago > 730]
        tag_ids = None
        if tags and not is_break and rng.random() < 0.65:
            tag_ids = [t["id"] for t in rng.sample(tags, min(len(tags), 1 + rng.randrange(2)))]
        billable = bool(project and project["billable"] and rng.random() < 0.85)
        seconds = None if end is None else int((end - start).total_seconds())
        lock_days = self.spec.locked_after_days
        week = start.isocalendar()
        approval = None
        if (
            self.spec.name == MAIN
            and 31 <= days_ago <= 365
            and self.member.person in ("zoe", "lilei")
        ):
            key = (week.year, week.week)
            if key not in self.approvals:
                self.approvals[key] = self.b.entry_ids()
            approval = self.approvals[key]
        return {
            "id": entry_id,
            "description": "Lunch break" if is_break else rng.choice(DESCRIPTIONS),
            "userId": self.user_id,
            "workspaceId": self.data.id,
            "projectId": project["id"] if project else None,
            "taskId": task["id"] if task else None,
            "tagIds": tag_ids,  # null, never [] (docs/clockify.md, Quirks)
            "billable": billable,
            "isLocked": lock_days is not None and days_ago > lock_days,
            "type": "BREAK" if is_break else "REGULAR",
            "kioskId": self.kiosk,
            "timeInterval": {
                "start": format_instant(start),
                "end": format_instant(end) if end else None,
                "duration": iso_duration(seconds) if seconds is not None else None,
            },
            "hourlyRate": None
            if is_break
            else {"amount": self.member.hourly if billable else 0, "currency": self.currency},
            "costRate": None
            if is_break
            else {"amount": self.member.cost, "currency": self.currency},
            "customFieldValues": [] if is_break else self.custom_values(entry_id),
            "approvalRequestId": approval,
        }

    def pick_project(self, days_ago: int) -> Record | None:
        user = self.data.user(self.user_id) or {"memberships": []}
        member_of = {m["targetId"] for m in user["memberships"]}
        pool = [
            p
            for p in self.data.projects
            if (p["id"] in member_of or p["public"]) and (not p["archived"] or days_ago > 730)
        ]
        return self.rng.choice(pool) if pool else None

    def custom_values(self, entry_id: str) -> list[Record]:
        if not self.fields or self.rng.random() < 0.4:
            return []
        return [
            {
                "customFieldId": f["id"],
                "timeEntryId": entry_id,
                "name": f["name"],
                "type": f["type"],  # live: the field type, e.g. "TXT", "NUMBER"
                "value": self.rng.choice(self.choices[f["name"]]),
            }
            for f in self.fields
        ]


def _entry_seconds(entry: Record) -> int | None:
    interval = entry["timeInterval"]
    if interval["end"] is None:
        return None
    start = datetime.fromisoformat(interval["start"])
    end = datetime.fromisoformat(interval["end"])
    return int((end - start).total_seconds())


def _settings(time_zone: str) -> Record:
    return {
        "weekStart": "MONDAY",
        "timeZone": time_zone,
        "timeFormat": "HOUR24",
        "dateFormat": "yyyy-MM-dd",
        "sendNewsletter": False,
        "weeklyUpdates": False,
        "longRunning": True,
        "scheduledReports": True,
        "approval": False,
        "pto": False,
        "alerts": True,
        "reminders": False,
        "invoiceReminders": False,
        "timeTrackingManual": False,
        "summaryReportSettings": {"group": "PROJECT", "subgroup": "CLIENT"},
        "isCompactViewOn": False,
        "dashboardSelection": "ME",
        "dashboardViewType": "PROJECT",
        "dashboardPinToTop": False,
        "projectListCollapse": 50,
        "collapseAllProjectLists": False,
        "groupSimilarEntriesDisabled": False,
        "myStartOfDay": "09:00",
        "projectPickerTaskFilter": False,
        "lang": "EN",
        "multiFactorEnabled": False,
        "scheduling": False,
        "onboarding": False,
        "showOnlyWorkingDays": False,
        "theme": "DEFAULT",
    }
