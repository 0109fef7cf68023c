"""Benchmark datasets: the emulator's main workspace, reshaped to a chosen size.

Every size is one workspace (Acme Analytics) whose members, projects, tasks and time
entries are replaced by clones of seeded records, all ACTIVE, so that any Clockify tap
(whatever filters it sends) sees the same data. The other workspaces are hidden.
Time entries of the large size are generated per request (never held in memory), so
that the emulator stays small while a tap reads a million of them.
"""

from __future__ import annotations

import copy
import math
import typing as t
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from typing_extensions import override

from tests.emulator import Dataset, build_dataset
from tests.emulator.dataset import format_instant

if t.TYPE_CHECKING:
    from tests.emulator.dataset import Record, WorkspaceData

#: Clockify's largest page for every entity list the core streams read.
MAX_PAGE = 5000


@dataclass(frozen=True)
class Size:
    """How big the benchmark workspace is."""

    members: int
    projects: int
    tasks: int
    time_entries: int


SIZES = {
    "small": Size(members=10, projects=20, tasks=60, time_entries=2_000),
    "medium": Size(members=50, projects=200, tasks=1_000, time_entries=18_403),
    "large": Size(members=500, projects=200, tasks=1_000, time_entries=1_000_000),
}


class GeneratedEntries(Sequence["Record"]):
    """One member's time entries, newest first, made on demand from a template.

    Entry `k` starts `8 * (k + 1)` hours before `latest`; ids, projects and tasks are a pure
    function of (member, k), so every read returns the same records.
    """

    def __init__(
        self,
        template: Record,
        user_id: str,
        member: int,
        count: int,
        latest: datetime,
        projects: list[tuple[str, str | None]],
    ) -> None:
        """`count` entries of `user_id`; `projects` are (project id, task id) to cycle."""
        self.template = template
        self.user_id = user_id
        self.member = member
        # Not `count`: that name is `Sequence.count(value)`, which this must not shadow.
        self.length = count
        self.latest = latest
        self.projects = projects

    @override
    def __len__(self) -> int:
        """How many entries the member has."""
        return self.length

    @t.overload
    def __getitem__(self, index: int) -> Record: ...
    @t.overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    @override
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        """Entry `index` (or a slice of them)."""
        if isinstance(index, slice):
            return [self.entry(k) for k in range(*index.indices(self.length))]
        if not -self.length <= index < self.length:
            raise IndexError(index)
        return self.entry(index % self.length)

    @override
    def __iter__(self) -> Iterator[Record]:
        """Every entry, newest first."""
        return (self.entry(k) for k in range(self.length))

    def entry(self, k: int) -> Record:
        """The member's `k`-th newest entry."""
        start = self.latest - timedelta(hours=8 * (k + 1))
        project_id, task_id = self.projects[(self.member * 7 + k) % len(self.projects)]
        entry = {
            **self.template,
            "id": f"e{self.member:07x}{k:016x}",
            "userId": self.user_id,
            "projectId": project_id,
            "taskId": task_id,
            "description": f"Work item {k}",
            "timeInterval": {
                "start": format_instant(start),
                "end": format_instant(start + timedelta(minutes=45)),
                "duration": "PT45M",
            },
        }
        entry["customFieldValues"] = []
        return entry


def build_sized_dataset(size: Size) -> Dataset:
    """The seeded dataset with only the main workspace visible, reshaped to `size`."""
    data = build_dataset()
    ws = data.main
    data.hidden_workspaces = [w for w in data.workspaces if w["id"] != ws.id]
    data.workspaces = [ws.workspace]
    clone_members(data, ws, size.members)
    clone_projects(data, ws, size.projects, size.tasks)
    add_entries(data, ws, size.time_entries)
    return data


def clone_members(data: Dataset, ws: WorkspaceData, count: int) -> None:
    """Replace the members with `count` ACTIVE clones of the key owner."""
    template = ws.user(data.key_owner_id)
    assert template is not None
    users = []
    for n in range(count):
        user = copy.deepcopy(template)
        if n:
            user["id"] = data.new_id()
            user["email"] = f"member{n:04d}@acme.example"
            user["name"] = f"Member {n:04d}"
        user["status"] = "ACTIVE"
        user["memberships"] = [
            {**m, "userId": user["id"], "membershipStatus": "ACTIVE"}
            for m in user["memberships"]
            if m["membershipType"] == "WORKSPACE"
        ]
        users.append(user)
    ws.users = sorted(users, key=lambda u: u["email"])
    ws.workspace["memberships"] = [u["memberships"][0] for u in ws.users]
    ws.time_entries = {}


def clone_projects(data: Dataset, ws: WorkspaceData, projects: int, tasks: int) -> None:
    """Replace projects and tasks with clones, tasks spread evenly over projects."""
    template = ws.projects[0]
    template_task = ws.all_tasks()[0]
    ws.projects, ws.tasks = [], {}
    for n in range(projects):
        project = {**copy.deepcopy(template), "id": data.new_id(), "name": f"Project {n:04d}"}
        project["memberships"] = []
        ws.projects.append(project)
        share = tasks // projects + (1 if n < tasks % projects else 0)
        ws.tasks[project["id"]] = [
            {
                **copy.deepcopy(template_task),
                "id": data.new_id(),
                "name": f"Task {k:03d}",
                "projectId": project["id"],
            }
            for k in range(share)
        ]


def add_entries(data: Dataset, ws: WorkspaceData, total: int) -> None:
    """Give the members `total` time entries between them, generated on demand."""
    template = next(e for per_user in build_dataset().main.time_entries.values() for e in per_user)
    template = {**template, "tagIds": [], "approvalRequestId": None, "kioskId": None}
    pairs = [
        (project["id"], tasks[0]["id"] if (tasks := ws.tasks[project["id"]]) else None)
        for project in ws.projects
    ]
    latest = data.now.replace(minute=0, second=0)
    members = len(ws.users)
    for n, user in enumerate(ws.users):
        share = total // members + (1 if n < total % members else 0)
        ws.time_entries[user["id"]] = t.cast(
            "list[Record]",
            GeneratedEntries(
                {**template, "workspaceId": ws.id}, user["id"], n, share, latest, pairs
            ),
        )


def minimum_calls(ws: WorkspaceData) -> dict[str, int]:
    """The fewest calls that can read each stream of `ws` (5,000 records per page)."""

    def pages(count: int) -> int:
        return max(1, math.ceil(count / MAX_PAGE))

    return {
        "workspaces": 1,
        "users": pages(len(ws.users)),
        "user_groups": pages(len(ws.user_groups)),
        "clients": pages(len(ws.clients)),
        "projects": pages(len(ws.projects)),
        "tasks": sum(pages(len(tasks)) for tasks in ws.tasks.values()),
        "tags": pages(len(ws.tags)),
        "custom_fields": 1,
        "time_entries": sum(pages(len(entries)) for entries in ws.time_entries.values()),
        # The default history (366 days up to today) in the default 31-day report windows.
        "summary_report": math.ceil(366 / 31),
    }
