"""Logs a user can read: a clean sync says what it did, and warns only of what matters."""

from __future__ import annotations

import typing as t

from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.expectations import PRIMARY_KEYS
from tests.sync_helpers import tap_warnings
from tests.tap_runner import catalog_selecting, run_cli, sync, warning_lines

CORE_STREAMS = list(PRIMARY_KEYS)


def test_a_clean_core_sync_logs_one_summary_per_stream_and_at_most_two_warnings(
    emulator: Emulator, tmp_path: t.Any
) -> None:
    config = emulator_config(emulator)
    catalog = catalog_selecting(config, CORE_STREAMS)
    result = run_cli([], config=config, catalog=catalog, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert len(warning_lines(result)) <= 2, warning_lines(result)
    assert "assumed to be unsorted" not in result.stderr
    summaries = [
        line.split("Summary: ")[1] for line in result.stderr.splitlines() if "Summary: " in line
    ]
    assert sorted(summary.split(":")[0] for summary in summaries) == sorted(CORE_STREAMS)
    # Per-partition chatter stays at DEBUG: 15 members, not 15 lines each.
    assert "Starting incremental sync of" not in result.stderr
    assert "Pagination stopped after" not in result.stderr


def test_summary_report_logs_no_line_per_request(emulator: Emulator, tmp_path: t.Any) -> None:
    config = emulator_config(emulator, report_window_days=7)
    catalog = catalog_selecting(config, ["summary_report"])
    result = run_cli([], config=config, catalog=catalog, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert emulator.count() > 50  # a request per week of the year and workspace
    assert "Pagination stopped after" not in result.stderr
    assert len(result.stderr.splitlines()) < 40


def test_expense_report_declares_every_field_clockify_sends(emulator: Emulator) -> None:
    with tap_warnings() as warnings:
        result = sync(emulator_config(emulator), streams=["expense_report"])
    assert result.records("expense_report")
    assert warnings == []
    assert "exportFields" in result.schemas()["expense_report"]["schema"]["properties"]
