"""One Meltano job per workspace, run in parallel, each with its own state id.

This is the README's recipe for spreading a large account over several orchestrator
workers: `TAP_CLOCKIFY_WORKSPACE_IDS` narrows each run to one workspace and
`--state-id-suffix` keeps its bookmarks apart from the others'.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.emulator import Emulator
from tests.expectations import expected_keys
from tests.meltano_runner import ENVIRONMENT, MeltanoProject, install_plugins, wait

pytestmark = pytest.mark.meltano


def test_parallel_per_workspace_runs_keep_separate_state(
    emulator: Emulator, tmp_path: Path
) -> None:
    workspaces = emulator.data.visible_workspace_ids[:2]
    assert len(workspaces) == 2
    # One system database holds every run's state, as a shared PostgreSQL would in
    # production; it is migrated once, before the fan-out.
    project = MeltanoProject(tmp_path, emulator)
    project.run("upgrade", "database")
    # Each run gets its own system directory: runs in one directory share their plugins'
    # config, catalog and state files and break each other.
    workers = {ws: replace(project, sys_dir=tmp_path / f"meltano-{ws}") for ws in workspaces}
    for worker in workers.values():
        install_plugins(worker)

    args = ["run", "--state-id-suffix"]
    runs = {
        ws: worker.start(
            *args, ws, "tap-clockify", "target-jsonl",
            env={
                "TAP_CLOCKIFY_WORKSPACE_IDS": json.dumps([ws]),
                "TARGET_JSONL_DESTINATION_PATH": str(tmp_path / ws),
            },
        )
        for ws, worker in workers.items()
    }  # fmt: skip
    for ws, process in runs.items():
        wait(process, [*args, ws, "tap-clockify", "target-jsonl"])

    state_ids = {f"{ENVIRONMENT}:tap-clockify-to-target-jsonl:{ws}" for ws in workspaces}
    assert state_ids <= project.state_ids()

    for ws in workspaces:
        partitions = project.state(f"{ENVIRONMENT}:tap-clockify-to-target-jsonl:{ws}")["bookmarks"][
            "time_entries"
        ]["partitions"]
        assert partitions, f"{ws}: no time-entry bookmarks"
        assert {p["context"]["workspace_id"] for p in partitions} == {ws}

        # Each run loaded exactly its workspace's records.
        expected = expected_keys(emulator.data, [ws])
        for stream, keys in expected.items():
            path = tmp_path / ws / f"{stream}.jsonl"
            lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            assert len(lines) == len(keys), f"{ws} {stream}: {len(lines)} rows, want {len(keys)}"
            assert all(json.loads(line)["workspace_id"] == ws for line in lines)
