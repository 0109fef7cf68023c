"""Projects and their tasks (docs/clockify.md, Endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import errors
from ..routing import Request, route
from ..rules import by_name, filter_archived

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator


@route("GET", "/workspaces/{workspaceId}/projects", paged=True)
def list_projects(emu: Emulator, req: Request) -> list[Record]:
    """Projects by name; ``archived`` absent returns both, despite the spec's default."""
    ws = emu.data.ws[req.workspace_id]
    projects = filter_archived(ws.projects, req.bool_arg("archived"))
    req.bool_arg("hydrated")  # accepted; the emulator always sends the flat shape
    template = req.bool_arg("is-template")
    if template is not None:
        projects = [p for p in projects if bool(p.get("template")) is template]
    billable = req.bool_arg("billable")
    if billable is not None:
        projects = [p for p in projects if p["billable"] is billable]
    clients = req.list_arg("clients")
    if clients is not None:
        projects = [p for p in projects if p["clientId"] in clients]
    name = (req.arg("name") or "").casefold()
    return by_name([p for p in projects if name in p["name"].casefold()])


@route("GET", "/workspaces/{workspaceId}/projects/{projectId}/tasks", paged=True)
def list_tasks(emu: Emulator, req: Request) -> list[Record]:
    """Tasks of one project by name; ``is-active`` true: ACTIVE, false: DONE, absent: all."""
    ws = emu.data.ws[req.workspace_id]
    project_id = req.params["projectId"]
    if ws.project(project_id) is None:
        # Deleted, never existing and other-workspace ids all look the same.
        raise errors.not_in_workspace("Project")
    active = req.bool_arg("is-active")
    tasks = ws.tasks.get(project_id, [])
    if active is not None:
        tasks = [t for t in tasks if t["status"] == ("ACTIVE" if active else "DONE")]
    name = (req.arg("name") or "").casefold()
    return by_name([t for t in tasks if name in t["name"].casefold()])
