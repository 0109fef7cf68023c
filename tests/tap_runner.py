"""Run tap-clockify in-process (or as its CLI) and collect the Singer messages it writes."""

from __future__ import annotations

import collections
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from tap_clockify.tap import TapClockify


@dataclass
class SyncResult:
    """The Singer messages of one sync, with helpers to read them."""

    messages: list[dict[str, t.Any]]
    stderr: str = ""
    exit_code: int = 0
    stdout: str = field(default="", repr=False)

    def records(self, stream: str) -> list[dict[str, t.Any]]:
        """Records emitted for `stream`, in order."""
        return [
            m["record"] for m in self.messages if m["type"] == "RECORD" and m["stream"] == stream
        ]

    def schemas(self) -> dict[str, dict[str, t.Any]]:
        """The last SCHEMA message of each stream."""
        return {m["stream"]: m for m in self.messages if m["type"] == "SCHEMA"}

    @property
    def streams_with_records(self) -> set[str]:
        """Names of the streams that emitted at least one record."""
        return {m["stream"] for m in self.messages if m["type"] == "RECORD"}

    @property
    def final_state(self) -> dict[str, t.Any]:
        """The value of the last STATE message."""
        states = [m["value"] for m in self.messages if m["type"] == "STATE"]
        return states[-1] if states else {}


def catalog_selecting(
    config: dict[str, t.Any],
    streams: t.Iterable[str] | None = None,
) -> dict[str, t.Any]:
    """A discovered catalog with exactly `streams` selected (all when None)."""
    wanted = set(streams) if streams is not None else None
    catalog = TapClockify(config=config, parse_env_config=False).catalog_dict
    for entry in catalog["streams"]:
        selected = wanted is None or entry["tap_stream_id"] in wanted
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = selected
    return catalog


def sync(
    config: dict[str, t.Any],
    *,
    state: dict[str, t.Any] | None = None,
    streams: t.Iterable[str] | None = None,
) -> SyncResult:
    """Run a full sync in this process and return its messages.

    `streams` selects exactly those streams; None keeps the tap's default selection.
    """
    catalog = catalog_selecting(config, streams) if streams is not None else None
    tap = TapClockify(config=config, state=state, catalog=catalog, parse_env_config=False)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    lines = buffer.getvalue().splitlines()
    return SyncResult(messages=[json.loads(line) for line in lines if line.strip()])


def run_cli(
    args: list[str],
    *,
    config: dict[str, t.Any] | None = None,
    state: dict[str, t.Any] | None = None,
    catalog: dict[str, t.Any] | None = None,
    tmp_path: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> SyncResult:
    """Run `tap-clockify` as a subprocess, the way Meltano does, and parse its stdout."""
    command = [sys.executable, "-m", "tap_clockify", *args]
    for option, value in (("config", config), ("state", state), ("catalog", catalog)):
        if value is not None:
            path = tmp_path / f"{option}.json"
            path.write_text(json.dumps(value))
            command += [f"--{option}", str(path)]
    process = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )
    messages = []
    for line in process.stdout.splitlines():
        with contextlib.suppress(ValueError):
            messages.append(json.loads(line))
    return SyncResult(
        messages=[m for m in messages if isinstance(m, dict) and "type" in m],
        stderr=process.stderr,
        exit_code=process.returncode,
        stdout=process.stdout,
    )


def error_lines(result: SyncResult) -> list[str]:
    """The ERROR lines a CLI run logged."""
    return [line for line in result.stderr.splitlines() if " ERROR " in f" {line} "]


def warning_lines(result: SyncResult) -> list[str]:
    """The WARNING lines a CLI run logged."""
    return [line for line in result.stderr.splitlines() if " WARNING " in f" {line} "]


def assert_fails_in_one_line(result: SyncResult, *fragments: str, exit_code: int = 1) -> str:
    """The run failed with `exit_code`, one ERROR line holding each fragment, no traceback."""
    assert result.exit_code == exit_code, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr[-3000:]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def assert_each_emitted_once(
    result: SyncResult,
    streams: t.Iterable[str],
    expected: dict[str, set[tuple]],
    key: t.Callable[[str, dict[str, t.Any]], tuple],
) -> None:
    """Each stream emitted exactly the `expected` primary keys, none twice, and some."""
    for stream in streams:
        emitted = [key(stream, r) for r in result.records(stream)]
        duplicates = [k for k, n in collections.Counter(emitted).items() if n > 1]
        assert not duplicates, f"{stream}: duplicate keys {duplicates[:3]}"
        assert set(emitted) == expected[stream], stream
        assert emitted, f"{stream}: the dataset should seed it"


def assert_valid_against_schemas(result: SyncResult, streams: t.Iterable[str]) -> None:
    """Every record of `streams` validates (formats too) and has no undeclared field."""
    schemas = result.schemas()
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    for stream in streams:
        schema = schemas[stream]["schema"]
        validator = jsonschema.Draft7Validator(schema, format_checker=checker)
        for record in result.records(stream):
            errors = list(validator.iter_errors(record))
            assert not errors, f"{stream} {record.get('id')}: {errors[0].message}"
            assert set(record) <= set(schema["properties"]), stream


def run_cli_until_killed(
    config: dict[str, t.Any],
    stall: t.Any,
    tmp_path: Path,
    *,
    grace: float = 0.0,
    interruption: int = signal.SIGKILL,
    state: dict[str, t.Any] | None = None,
) -> SyncResult:
    """Run the CLI (from `state`, if given) until the emulator fault `stall` has fired (plus
    `grace` seconds), then send it `interruption`; return its messages (every line must be
    whole), log and exit."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    state_args = []
    if state is not None:
        state_path = tmp_path / "interrupted-state.json"
        state_path.write_text(json.dumps(state))
        state_args = ["--state", str(state_path)]
    output_path = tmp_path / "interrupted.jsonl"  # files: a full pipe would stall the tap
    log_path = tmp_path / "interrupted.log"
    with output_path.open("w") as output, log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tap_clockify", "--config", str(config_path), *state_args],
            stdout=output,
            stderr=log,
        )
        deadline = time.monotonic() + 60
        while not stall.applied:  # the stalled request has arrived
            assert time.monotonic() < deadline, "the sync never reached the stalled request"
            time.sleep(0.05)
        time.sleep(grace)
        process.send_signal(interruption)
        exit_code = process.wait(timeout=30)
    lines = output_path.read_text().splitlines()
    if interruption == signal.SIGKILL:  # the last line may be cut short
        lines = [line for line in lines if line.startswith("{") and line.endswith("}")]
    return SyncResult(
        messages=[json.loads(line) for line in lines],
        stderr=log_path.read_text(),
        exit_code=exit_code,
    )


def kill_and_resume(
    config: dict[str, t.Any],
    stall: t.Any,
    tmp_path: Path,
    *,
    grace: float = 0.0,
    clear_faults: t.Callable[[], None],
    interruption: int = signal.SIGKILL,
) -> tuple[SyncResult, set[tuple[str, tuple]]]:
    """Interrupt a run at `stall` (see run_cli_until_killed), resume it from its last STATE
    with the faults cleared; return the interrupted run and the records of both by key."""
    from tests.expectations import PRIMARY_KEYS, record_key  # noqa: PLC0415

    first = run_cli_until_killed(config, stall, tmp_path, grace=grace, interruption=interruption)
    states = [m["value"] for m in first.messages if m["type"] == "STATE"]
    assert states, "the interrupted run had emitted no STATE"
    clear_faults()
    resumed = run_cli([], config=config, state=states[-1], tmp_path=tmp_path)
    assert resumed.exit_code == 0, resumed.stderr[-2000:]
    seen = {
        (m["stream"], record_key(m["stream"], m["record"]))
        for m in [*first.messages, *resumed.messages]
        if m["type"] == "RECORD" and m["stream"] in PRIMARY_KEYS
    }
    return first, seen
