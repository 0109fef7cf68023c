"""`meltano run tap-clockify target-postgres` against the emulator, into a real PostgreSQL.

The run goes through this repository's meltano.yml exactly as a user's would: Meltano
installs the tap (-e .) and the pinned target, passes settings from environment
variables, and keeps state in its system database between the two runs.
"""

from __future__ import annotations

import time
import typing as t
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.emulator import Emulator
from tests.entity_expectations import expected_entity_keys
from tests.expectations import expected_keys
from tests.meltano_runner import (
    ENVIRONMENT,
    MeltanoProject,
    discovered_streams,
    install_plugins,
)
from tests.postgres_server import quoted, target_env

psycopg = pytest.importorskip("psycopg", reason="psycopg is in the `test` extra")

pytestmark = [pytest.mark.postgres, pytest.mark.meltano]

STATE_ID = f"{ENVIRONMENT}:tap-clockify-to-target-postgres"
EDITED = "Edited after the first load: must replace the row, not add one"


def table_keys(conn: t.Any, schema: str, stream: str, keys: t.Sequence[str]) -> list[tuple]:
    columns = ", ".join(quoted(c) for c in keys)
    return [tuple(row) for row in conn.execute(f"SELECT {columns} FROM {quoted(schema)}.{stream}")]


def column_types(conn: t.Any, schema: str) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT table_name, column_name, udt_name FROM information_schema.columns "
        "WHERE table_schema = %s",
        (schema,),
    )
    return {(table, column): udt for table, column, udt in rows}


def json_types(schema: dict[str, t.Any]) -> set[str]:
    declared = schema.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def assert_tables_match_dataset(conn: t.Any, schema: str, emulator: Emulator) -> None:
    """Every stream has a table without duplicate keys; entity tables hold the dataset."""
    catalog = discovered_streams()
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        )
    }
    assert set(catalog) <= tables, f"missing tables: {sorted(set(catalog) - tables)}"
    expected = {**expected_keys(emulator.data), **expected_entity_keys(emulator.data)}
    for stream, entry in catalog.items():
        loaded = table_keys(conn, schema, stream, entry["key_properties"])
        # deleted_records has rows only once the change feed reports a deletion.
        assert loaded or stream == "deleted_records", f"{stream}: no rows"
        assert len(loaded) == len(set(loaded)), f"{stream}: duplicate primary keys"
        if stream in expected:
            want = expected[stream]
            assert len(loaded) == len(want), f"{stream}: {len(loaded)} rows, want {len(want)}"
            assert set(loaded) == want, f"{stream}: primary keys differ from the dataset"


def edit_recent_entry(emulator: Emulator) -> str:
    """Change the description of a finished entry inside its user's lookback window."""
    with emulator.lock:
        for workspace in emulator.data.ws.values():
            for entries in workspace.time_entries.values():
                if not entries:
                    continue
                newest = max(e["timeInterval"]["start"] for e in entries)
                window_start = _instant(newest) - timedelta(days=13)  # inside the default 14
                for entry in entries:
                    interval = entry["timeInterval"]
                    if interval.get("end") and _instant(interval["start"]) >= window_start:
                        entry["description"] = EDITED
                        return str(entry["id"])
    pytest.fail("the dataset has no finished entry inside a lookback window")


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_meltano_run_into_postgres_then_incremental_update(
    meltano: str, emulator: Emulator, dsn: str, schema: str, tmp_path: Path
) -> None:
    # Every stream, opt-in and report streams included (meltano.yml leaves those out); the
    # lookback path, without change tracking (tests/test_change_tracking_postgres.py has it).
    env = {
        **target_env(dsn, schema),
        "TAP_CLOCKIFY__SELECT": '["*.*"]',
        "TAP_CLOCKIFY_CHANGE_TRACKING": "false",
    }
    project = MeltanoProject(tmp_path, emulator, env=env, executable=meltano)
    install_plugins(project)

    started = time.monotonic()
    project.run("run", "tap-clockify", "target-postgres")
    print(f"first meltano run: {time.monotonic() - started:.1f} s")

    with psycopg.connect(dsn, autocommit=True) as conn:
        assert_tables_match_dataset(conn, schema, emulator)

        types = column_types(conn, schema)
        checked = {"object": 0, "date-time": 0}
        for stream, entry in discovered_streams().items():
            for prop, prop_schema in entry["schema"]["properties"].items():
                udt = types[(stream, prop)]
                if json_types(prop_schema) - {"null"} == {"object"}:
                    assert udt in {"jsonb", "json"}, f"{stream}.{prop} is {udt}, not JSON"
                    checked["object"] += 1
                if prop_schema.get("format") == "date-time":
                    assert udt.startswith("timestamp"), f"{stream}.{prop} is {udt}"
                    checked["date-time"] += 1
        assert types[("time_entries", "timeInterval")] == "jsonb"
        assert types[("time_entries", "started_at")].startswith("timestamp")
        assert checked["object"] >= 5
        assert checked["date-time"] >= 1

    assert STATE_ID in project.state_ids()
    first_state = project.state(STATE_ID)
    assert first_state["bookmarks"]["time_entries"]["partitions"]

    # Second run: Meltano hands the saved state to the tap, which re-reads the lookback
    # window; the edited entry must replace its row.
    entry_id = edit_recent_entry(emulator)
    emulator.reset_log()
    started = time.monotonic()
    project.run("run", "tap-clockify", "target-postgres")
    print(f"incremental meltano run: {time.monotonic() - started:.1f} s")

    bookmarked = {
        partition["context"]["user_id"]
        for partition in first_state["bookmarks"]["time_entries"]["partitions"]
        if partition.get("replication_key_value")
    }
    entry_requests = [
        r for r in emulator.requests
        if r.path.endswith("/time-entries") and r.path.split("/")[-2] in bookmarked
    ]  # fmt: skip
    assert entry_requests, "the second run read no bookmarked user's time entries"
    assert all("start" in r.query for r in entry_requests), "the second run ignored the state"

    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT description FROM {quoted(schema)}.time_entries WHERE id = %s", (entry_id,)
        ).fetchall()
        assert rows == [(EDITED,)]
        assert_tables_match_dataset(conn, schema, emulator)
