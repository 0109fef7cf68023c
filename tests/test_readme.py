"""README.md's generated tables are current, and it documents what a newcomer needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    start = README.index(f"<!-- {name}:start -->")
    return README[start : README.index(f"<!-- {name}:end -->", start)]


def test_generated_tables_are_current() -> None:
    process = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update-readme"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr


def test_settings_table_lists_every_setting() -> None:
    about = subprocess.run(
        [sys.executable, "-m", "tap_clockify", "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    settings = json.loads(about.stdout)["settings"]
    table = section("settings")
    for name in settings["properties"]:
        assert f"\n| {name} |" in table, f"{name} missing from the README's settings"
    assert "| api_key | True |" in table


def test_streams_table_names_every_stream() -> None:
    discovered = subprocess.run(
        [sys.executable, "-m", "tap_clockify", "--discover", "--config", "ENV"],
        env={"TAP_CLOCKIFY_API_KEY": "unused", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    table = section("streams")
    for entry in json.loads(discovered.stdout)["streams"]:
        assert f"| `{entry['tap_stream_id']}` |" in table
    assert "| `time_entries` | `id` | incremental on `started_at` | `users` |" in table


def test_documents_the_two_commands_and_the_main_topics() -> None:
    assert "scripts/demo" in README
    assert "scripts/test" in README
    for heading in (
        "## Streams",
        "## Settings",
        "## Using it with Meltano",
        "## Without Meltano: plain Singer",
        "## Regional and subdomain workspaces",
        "## Incremental behaviour and the lookback",
        "## Scaling out: one job per workspace",
        "## Troubleshooting",
    ):
        assert f"\n{heading}\n" in README, heading
    for command in (
        "meltano run tap-clockify target-jsonl",
        "meltano run tap-clockify target-postgres",
        "tap-clockify --config config.json |",
        "--state-id-suffix",
    ):
        assert command in README, command
