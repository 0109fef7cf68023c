"""Edits and deletions reach PostgreSQL: `meltano run` twice, with changes in Clockify between.

A full load; then, in the emulator, an entry from 300 days ago is edited, a project renamed,
a time entry, a tag and a client deleted and entries added; then an incremental run. The
live rows (`_sdc_deleted_at IS NULL`) of every table must equal the emulator's data, with
target-postgres's `hard_delete` off and on, and no other row may change.
"""

from __future__ import annotations

import json
import typing as t
from datetime import timedelta
from pathlib import Path

import pytest

from tap_clockify.timestamps import parse_timestamp
from tests.emulator import Emulator
from tests.entity_expectations import expected_entity_keys
from tests.expectations import expected_keys
from tests.meltano_runner import MeltanoProject, discovered_streams, install_plugins
from tests.postgres_server import quoted, target_env

psycopg = pytest.importorskip("psycopg", reason="psycopg is in the `test` extra")

pytestmark = [pytest.mark.postgres, pytest.mark.meltano]

Rows = dict[str, dict[tuple, dict[str, t.Any]]]


def read_tables(conn: t.Any, schema: str) -> Rows:
    """Every table's rows by primary key, each row as {column: value}."""
    tables: Rows = {}
    for stream, entry in discovered_streams().items():
        exists = conn.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            (schema, stream),
        ).fetchone()
        if not exists:
            continue
        cursor = conn.execute(f"SELECT * FROM {quoted(schema)}.{quoted(stream)}")
        columns = [c.name for c in cursor.description]
        rows = {}
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            rows[tuple(row[k] for k in entry["key_properties"])] = row
        tables[stream] = rows
    return tables


def live(rows: dict[tuple, dict[str, t.Any]]) -> dict[tuple, dict[str, t.Any]]:
    return {key: row for key, row in rows.items() if row["_sdc_deleted_at"] is None}


def data_columns(row: dict[str, t.Any]) -> str:
    """A row without the loader's `_sdc_*` columns, comparable across runs."""
    return json.dumps(
        {k: v for k, v in row.items() if not k.startswith("_sdc_")}, default=str, sort_keys=True
    )


def same_value(loaded: t.Any, sent: t.Any) -> bool:
    """A column as PostgreSQL returns it equals the API's value (timestamps, numbers, JSON)."""
    if hasattr(loaded, "isoformat") and isinstance(sent, str):
        return bool(loaded == parse_timestamp(sent))
    if isinstance(sent, bool) or isinstance(loaded, bool):
        return bool(loaded == sent)
    if isinstance(sent, int | float) and loaded is not None:
        return float(loaded) == float(sent)
    return json.loads(json.dumps(loaded, default=str)) == json.loads(json.dumps(sent))


def change_clockify(emulator: Emulator) -> dict[str, set[tuple]]:
    """Make the issue's changes; return the keys whose rows may differ, per table."""
    data, ws = emulator.data, emulator.data.main
    cutoff = data.now - timedelta(days=300)
    old = next(
        e
        for e in data.all_time_entries(ws.id)
        if e["timeInterval"]["end"] and parse_timestamp(e["timeInterval"]["start"]) <= cutoff
    )
    gone_entry = data.all_time_entries(ws.id)[4]
    tag, client, project = ws.tags[0], ws.clients[0], ws.projects[1]
    start = data.now - timedelta(days=1)
    with emulator.lock:
        data.edit_time_entry(ws.id, old["id"], description="Corrected 300 days later")
        data.rename_project(ws.id, project["id"], "Renamed between the runs")
        data.delete_time_entry(ws.id, gone_entry["id"])
        data.delete_tag(ws.id, tag["id"])
        data.delete_client(ws.id, client["id"])
        added = [
            data.add_time_entry(ws.id, user["id"], start, start + timedelta(hours=1))
            for user in ws.users[:2]
        ]
    return {
        "time_entries": {(old["id"],), (gone_entry["id"],), *((e["id"],) for e in added)},
        "projects": {(project["id"],)},
        "tags": {(tag["id"],)},
        "clients": {(client["id"],)},
        "deleted_records": {
            (ws.id, "TIME_ENTRY", gone_entry["id"]),
            (ws.id, "TAGS", tag["id"]),
            (ws.id, "CLIENTS", client["id"]),
        },
    }


def check_live_rows_equal_the_dataset(tables: Rows, emulator: Emulator) -> None:
    data = emulator.data
    expected = {**expected_keys(data), **expected_entity_keys(data)}
    for stream, keys in expected.items():
        assert set(live(tables[stream])) == keys, stream
    # The core tables, column by column against the emulator's records.
    sources = {
        "time_entries": {(e["id"],): e for e in data.all_time_entries()},
        "projects": {(p["id"],): p for ws in data.ws.values() for p in ws.projects},
        "clients": {(c["id"],): c for ws in data.ws.values() for c in ws.clients},
        "tags": {(tg["id"],): tg for ws in data.ws.values() for tg in ws.tags},
        "user_groups": {(g["id"],): g for ws in data.ws.values() for g in ws.user_groups},
        "tasks": {(tk["id"],): tk for ws in data.ws.values() for tk in ws.all_tasks()},
    }
    for stream, records in sources.items():
        for key, row in live(tables[stream]).items():
            for field, value in records[key].items():
                assert same_value(row[field], value), f"{stream} {key} {field}"


@pytest.mark.parametrize("hard_delete", [False, True], ids=["soft-delete", "hard-delete"])
def test_edits_and_deletions_reach_postgres(
    meltano: str,
    emulator: Emulator,
    dsn: str,
    schema: str,
    tmp_path: Path,
    hard_delete: bool,
) -> None:
    env = {
        **target_env(dsn, schema),
        "TAP_CLOCKIFY__SELECT": '["*.*"]',
        "TARGET_POSTGRES_HARD_DELETE": str(hard_delete).lower(),
    }
    project = MeltanoProject(tmp_path, emulator, env=env, executable=meltano)
    install_plugins(project)
    project.run("run", "tap-clockify", "target-postgres")
    with psycopg.connect(dsn, autocommit=True) as conn:
        before = read_tables(conn, schema)
    check_live_rows_equal_the_dataset(before, emulator)

    changed = change_clockify(emulator)
    emulator.clock.advance(minutes=10)  # past the feed's deletion delay and settle time
    emulator.reset_log()
    project.run("run", "tap-clockify", "target-postgres")

    with psycopg.connect(dsn, autocommit=True) as conn:
        after = read_tables(conn, schema)
    check_live_rows_equal_the_dataset(after, emulator)
    ws = emulator.data.main.id
    entries = after["time_entries"]
    for table, keys in changed.items():
        if table == "deleted_records":
            assert set(after[table]) == keys
            continue
        for key in keys:
            if key not in expected_keys(emulator.data)[table]:
                row = after[table][key]  # deleted: marked, kept, never dropped by a marker
                assert row["_sdc_deleted_at"] is not None, (table, key)
                assert row["workspace_id"] == ws
    assert any(r["description"] == "Corrected 300 days later" for r in live(entries).values())
    # No other row changed, in any table: same keys, same data columns. (Reports are
    # computed from the entries, which changed, a running timer included.)
    for table, rows in after.items():
        if table.endswith("_report"):
            continue
        unchanged = {k: data_columns(r) for k, r in rows.items() if k not in changed.get(table, ())}
        kept = {
            k: data_columns(r)
            for k, r in before.get(table, {}).items()
            if k not in changed.get(table, ())
        }
        assert unchanged == kept, table
    # Only the feed's three calls per workspace, not every member's entries, were needed.
    assert not emulator.matching("/workspaces/{workspaceId}/user/{userId}/time-entries")
