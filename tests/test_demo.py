"""The README's first command, `scripts/demo`, works on a machine with only Python."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.emulator import DEFAULT_API_KEY, build_dataset
from tests.expectations import expected_keys

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.meltano


def test_demo_loads_the_emulator_dataset(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELTANO_", "TAP_CLOCKIFY_", "TARGET_", "CLOCKIFY_"))
    }
    env.update({"DEMO_DIR": str(tmp_path / "demo"), "PYTHON": sys.executable})
    process = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo")],
        cwd=tmp_path,  # the script finds the repository itself
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = process.stdout + process.stderr
    assert process.returncode == 0, output[-4000:]

    # The table of row counts it prints matches the seeded dataset, stream by stream.
    for stream, keys in expected_keys(build_dataset()).items():
        assert re.search(rf"^{stream} +{len(keys)}$", process.stdout, re.MULTILINE), (
            f"{stream}: expected {len(keys)} rows in:\n{process.stdout}"
        )
    assert "emulator:tap-clockify-to-target-jsonl" in process.stdout
    assert DEFAULT_API_KEY not in output
    assert (tmp_path / "demo" / "output" / "time_entries.jsonl").exists()
