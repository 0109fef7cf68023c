"""Rows deleted in Clockify leave PostgreSQL, and no other row does (docs/deletions.md).

Each test loads the emulator through `meltano run tap-clockify target-postgres` (this
repository's meltano.yml, MeltanoLabs target-postgres 0.8.1), changes the emulator's data
through its mutation methods, and loads again. target-postgres retires rows table-wide on
ACTIVATE_VERSION, so every test also checks that nothing else was touched.
"""

from __future__ import annotations

import json
import subprocess
import typing as t
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.emulator import Emulator, FaultRule
from tests.entity_expectations import expected_entity_keys
from tests.expectations import expected_keys
from tests.meltano_runner import ROOT, MeltanoProject, discovered_streams, install_plugins
from tests.postgres_server import quoted, target_env

psycopg = pytest.importorskip("psycopg", reason="psycopg is in the `test` extra")

pytestmark = [pytest.mark.postgres, pytest.mark.meltano]

#: The core entity streams: enough to see a retirement, or its absence, quickly.
ENTITY_STREAMS = ["workspaces", "users", "clients", "projects", "tasks", "tags"]
PERMISSION_403 = {"message": "You don't have permission to perform this action."}

#: Each table's rows: primary key -> `_sdc_deleted_at` (None while the row is live).
Tables = dict[str, dict[tuple, datetime | None]]


def select(streams: list[str]) -> dict[str, str]:
    """The environment that makes Meltano select exactly `streams`."""
    return {
        "TAP_CLOCKIFY__SELECT": json.dumps([f"{s}.*" for s in streams]),
        # ACTIVATE_VERSION alone: with change tracking, runs after the first read clients,
        # tags... from the change feed (tests/test_change_tracking_postgres.py).
        "TAP_CLOCKIFY_CHANGE_TRACKING": "false",
    }


def load(project: MeltanoProject, *args: str, env: dict[str, str] | None = None) -> None:
    project.run("run", *args, "tap-clockify", "target-postgres", env=env)


def tables(dsn: str, schema: str) -> Tables:
    """Every loaded table of `schema`, read row by row."""
    catalog = discovered_streams()
    found: Tables = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            )
        ]
        for name in sorted(set(names) & set(catalog)):
            keys = ", ".join(quoted(c) for c in catalog[name]["key_properties"])
            rows = conn.execute(f"SELECT {keys}, _sdc_deleted_at FROM {quoted(schema)}.{name}")
            found[name] = {tuple(row[:-1]): row[-1] for row in rows}
    return found


def live(table: dict[tuple, datetime | None]) -> set[tuple]:
    return {key for key, deleted_at in table.items() if deleted_at is None}


def figures(label: str, before: Tables, after: Tables) -> None:
    """Print rows and live rows per table, before and after (for the report)."""
    for name in sorted(after):
        was, now = before.get(name, {}), after[name]
        print(
            f"{label} {name}: rows {len(was)} -> {len(now)}, "
            f"live {len(live(was))} -> {len(live(now))}"
        )


def expected_live(emulator: Emulator, workspace_ids: list[str] | None = None) -> dict[str, set]:
    """Primary keys of every stream with expectations, from the emulator's data."""
    return {
        **expected_keys(emulator.data, workspace_ids),
        **expected_entity_keys(emulator.data, workspace_ids),
    }


def hard_deleting_project(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> MeltanoProject:
    """The Meltano project loading the entity streams with hard_delete on, installed."""
    env = {
        **target_env(dsn, schema),
        **select(ENTITY_STREAMS),
        "TARGET_POSTGRES_HARD_DELETE": "true",
    }
    project = MeltanoProject(tmp_path, emulator, env=env, executable=meltano)
    install_plugins(project)
    return project


def delete_a_client_and_a_tag(emulator: Emulator) -> tuple[tuple, tuple]:
    """Delete one client and one tag of the main workspace; their primary keys."""
    main = emulator.data.main
    with emulator.lock:
        client = emulator.data.delete_client(main.id, main.clients[0]["id"])
        tag = emulator.data.delete_tag(main.id, main.tags[0]["id"])
    return (client["id"],), (tag["id"],)


def load_delete_and_load_again(
    project: MeltanoProject,
    emulator: Emulator,
    dsn: str,
    schema: str,
    label: str,
    fault: FaultRule | None = None,
) -> tuple[Tables, Tables, tuple, tuple]:
    """Load; delete a client and a tag (and add `fault`); load again.

    Returns the tables before and after the second load, and the deleted rows' keys.
    """
    load(project)
    before = tables(dsn, schema)
    client, tag = delete_a_client_and_a_tag(emulator)
    if fault is not None:
        emulator.add_fault(fault)
    load(project)
    after = tables(dsn, schema)
    figures(label, before, after)
    return before, after, client, tag


def test_deleted_rows_are_marked_and_nothing_else_changes(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    """hard_delete off (the default), every stream meltano.yml selects (ACTIVATE_VERSION
    alone: without change tracking, see tests/test_change_tracking_postgres.py)."""
    env = {**target_env(dsn, schema), "TAP_CLOCKIFY_CHANGE_TRACKING": "false"}
    project = MeltanoProject(tmp_path, emulator, env=env, executable=meltano)
    install_plugins(project)
    before, after, client, tag = load_delete_and_load_again(project, emulator, dsn, schema, "soft")
    assert all(live(rows) == set(rows) for rows in before.values())

    assert after["clients"][client] is not None
    assert after["tags"][tag] is not None
    assert set(after) == set(before)
    for name, rows in after.items():
        gone = {client} if name == "clients" else {tag} if name == "tags" else set()
        assert set(rows) >= set(before[name]), f"{name}: rows disappeared"
        assert live(rows) == set(before[name]) - gone, f"{name}: other rows were retired"
    want = expected_live(emulator)
    for name in set(after) & set(want):
        if name != "scheduling_assignments":  # its window follows the clock
            assert live(after[name]) == want[name], name

    # A row that comes back is live again.
    with emulator.lock:
        emulator.data.main.clients.append({"id": client[0], "name": "Back again",
                                           "workspaceId": emulator.data.main.id,
                                           "archived": False})  # fmt: skip
    load(project)
    assert tables(dsn, schema)["clients"][client] is None


def test_hard_delete_removes_the_deleted_rows_only(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    project = hard_deleting_project(meltano, emulator, dsn, schema, tmp_path)
    before, after, client, tag = load_delete_and_load_again(project, emulator, dsn, schema, "hard")

    assert set(after["clients"]) == set(before["clients"]) - {client}
    assert set(after["tags"]) == set(before["tags"]) - {tag}
    for name in set(ENTITY_STREAMS) - {"clients", "tags"}:
        assert after[name] == before[name], name
    want = expected_live(emulator)
    for name in ENTITY_STREAMS:
        assert set(after[name]) == want[name], name


def test_per_workspace_jobs_into_one_schema_keep_each_others_rows(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    """The README's scale-out, with hard_delete on so that a wrong retirement shows."""
    project = hard_deleting_project(meltano, emulator, dsn, schema, tmp_path)
    visible = emulator.data.visible_workspace_ids
    assert len(visible) >= 2

    def job(workspace_id: str) -> None:
        load(project, "--state-id-suffix", workspace_id,
             env={"TAP_CLOCKIFY_WORKSPACE_IDS": json.dumps([workspace_id])})  # fmt: skip

    for workspace_id in visible:
        job(workspace_id)
    both = tables(dsn, schema)
    want = expected_live(emulator)
    for name in ENTITY_STREAMS:
        assert set(both[name]) == want[name], f"{name}: a job retired another's rows"
    print("scale-out rows after one job per workspace:", {n: len(both[n]) for n in ENTITY_STREAMS})

    # A deletion in the first workspace: the jobs cannot retire it (docs/deletions.md) ...
    client, tag = delete_a_client_and_a_tag(emulator)
    assert emulator.data.main.id in visible
    for workspace_id in reversed(visible):
        job(workspace_id)
    again = tables(dsn, schema)
    figures("scale-out", both, again)
    assert {name: set(rows) for name, rows in again.items()} == {
        name: set(rows) for name, rows in both.items()
    }

    # ... a run over every workspace does, and touches nothing else.
    load(project)
    full = tables(dsn, schema)
    figures("scale-out then full run", again, full)
    assert set(full["clients"]) == set(again["clients"]) - {client}
    assert set(full["tags"]) == set(again["tags"]) - {tag}
    for name in ENTITY_STREAMS:
        assert set(full[name]) == expected_live(emulator)[name], name


def test_a_stream_skipped_after_a_403_keeps_its_rows(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    project = hard_deleting_project(meltano, emulator, dsn, schema, tmp_path)
    second = emulator.data.second
    deny_tags = FaultRule("status", status=403, route=f"/workspaces/{second.id}/tags",
                          body=PERMISSION_403, method="GET")  # fmt: skip
    before, after, client, tag = load_delete_and_load_again(
        project, emulator, dsn, schema, "403", fault=deny_tags
    )

    # tags were skipped in one workspace: none of their rows retire, not even the deleted
    # one; clients were read in full and lose the deleted row.
    assert after["tags"] == before["tags"]
    assert tag in after["tags"]
    assert set(after["clients"]) == set(before["clients"]) - {client}
    for name in set(ENTITY_STREAMS) - {"clients", "tags"}:
        assert set(after[name]) == set(before[name]), name


def test_tables_have_the_version_column(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    """Rows of full-table streams carry the run's version; incremental ones carry none."""
    env = {**target_env(dsn, schema), **select(["clients", "time_entries"])}
    project = MeltanoProject(tmp_path, emulator, env=env, executable=meltano)
    install_plugins(project)
    load(project)
    with psycopg.connect(dsn, autocommit=True) as conn:
        versions: dict[str, t.Any] = {
            name: conn.execute(
                f"SELECT DISTINCT _sdc_table_version FROM {quoted(schema)}.{name}"
            ).fetchall()
            for name in ("clients", "time_entries")
        }
    [(client_version,)] = versions["clients"]
    assert client_version > 1_700_000_000_000  # milliseconds since 1970
    assert versions["time_entries"] == [(None,)]


def test_target_postgres_retires_table_wide_on_receipt(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    """The loader's rules the tap is built around, with hand-written Singer messages."""
    project = MeltanoProject(tmp_path, emulator, executable=meltano)
    install_plugins(project)
    target = ROOT / ".meltano" / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres"
    parts = urlsplit(dsn)
    config = tmp_path / "target.json"
    config.write_text(
        json.dumps(
            {
                "host": parts.hostname, "port": parts.port or 5432,
                "user": unquote(parts.username or "postgres"),
                "password": unquote(parts.password or ""),
                "database": parts.path.lstrip("/") or "postgres",
                "default_target_schema": schema, "hard_delete": True,
            }
        )
    )  # fmt: skip

    def send(*messages: dict[str, t.Any]) -> set[str]:
        lines = "".join(json.dumps(m) + "\n" for m in messages)
        subprocess.run(
            [str(target), "--config", str(config)], input=lines, text=True, check=True,
            capture_output=True, timeout=120,
        )  # fmt: skip
        with psycopg.connect(dsn, autocommit=True) as conn:
            return {row[0] for row in conn.execute(f"SELECT id FROM {quoted(schema)}.tags")}

    schema_message = {
        "type": "SCHEMA", "stream": "tags", "key_properties": ["id"],
        "schema": {"type": "object", "properties": {"id": {"type": "string"},
                                                    "workspace_id": {"type": "string"}}},
    }  # fmt: skip

    def record(tag_id: str, workspace_id: str, version: int) -> dict[str, t.Any]:
        return {"type": "RECORD", "stream": "tags", "version": version,
                "record": {"id": tag_id, "workspace_id": workspace_id}}  # fmt: skip

    def activate(version: int) -> dict[str, t.Any]:
        return {"type": "ACTIVATE_VERSION", "stream": "tags", "version": version}

    assert send(schema_message, record("a", "ws1", 1), record("b", "ws2", 1), activate(1)) == {
        "a", "b"
    }  # fmt: skip
    # Only ws1 was read again, yet ws2's row goes: retirement is table-wide.
    assert send(schema_message, record("a", "ws1", 2), activate(2)) == {"a"}
    # An ACTIVATE_VERSION before the records retires everything at once.
    assert send(schema_message, activate(3)) == set()
