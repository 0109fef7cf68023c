"""What a sync should emit, computed from the emulator's dataset."""

from __future__ import annotations

import typing as t

from tests.emulator.dataset import Dataset

Record = dict[str, t.Any]

#: Primary key of each stream, as the catalog declares it.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "workspaces": ("id",),
    "users": ("workspace_id", "id"),
    "user_groups": ("id",),
    "clients": ("id",),
    "projects": ("id",),
    "tasks": ("id",),
    "tags": ("id",),
    "custom_fields": ("id",),
    "time_entries": ("id",),
}


def expected_keys(data: Dataset, workspace_ids: list[str] | None = None) -> dict[str, set[tuple]]:
    """Primary keys of every record a full sync of the core streams must emit."""
    keys: dict[str, set[tuple]] = {stream: set() for stream in PRIMARY_KEYS}
    for ws_id in workspace_ids or data.visible_workspace_ids:
        ws = data.ws[ws_id]
        keys["workspaces"].add((ws_id,))
        keys["users"].update((ws_id, user["id"]) for user in ws.users)
        for stream, rows in (
            ("user_groups", ws.user_groups),
            ("clients", ws.clients),
            ("projects", ws.projects),
            ("tasks", ws.all_tasks()),
            ("tags", ws.tags),
            ("custom_fields", ws.custom_fields),
            ("time_entries", ws.entries()),
        ):
            keys[stream].update((row["id"],) for row in rows)
    return keys


def record_key(stream: str, record: Record) -> tuple:
    """The primary key of an emitted record."""
    return tuple(record[field] for field in PRIMARY_KEYS[stream])
