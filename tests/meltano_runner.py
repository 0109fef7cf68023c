"""Run `meltano` on this repository's meltano.yml, as users do, against the emulator.

Every test gets its own system database (so its own state), while plugin virtualenvs
live in the project's `.meltano/` and are installed once per test session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent

#: The Meltano environment the tests run in; state ids start with it.
ENVIRONMENT = "emulator"

#: Where a Meltano outside the test venv can be named (e.g. a separate venv).
MELTANO_ENV = "TAP_CLOCKIFY_TEST_MELTANO"

#: Meltano's own variables that must not leak from the developer's shell into a test.
_CLEARED_PREFIXES = ("MELTANO_", "TAP_CLOCKIFY_", "TARGET_POSTGRES_", "TARGET_JSONL_")


def meltano_executable() -> str:
    """The `meltano` to run: $TAP_CLOCKIFY_TEST_MELTANO, else the one beside this Python."""
    named = os.environ.get(MELTANO_ENV)
    if named:
        return named
    beside = Path(sys.executable).parent / "meltano"
    if beside.exists():
        return str(beside)
    pytest.skip(
        f"meltano is not installed beside {sys.executable}: run scripts/test (installs the "
        f"`test` extra), or set {MELTANO_ENV} to a meltano executable"
    )


@dataclass
class MeltanoProject:
    """This repository's Meltano project, with a private system database."""

    workdir: Path
    emulator: Emulator
    env: dict[str, str] = field(default_factory=dict)
    #: Meltano's system directory (plugin venvs, run files); None: the project's `.meltano`.
    sys_dir: Path | None = None
    executable: str = field(default_factory=meltano_executable)

    def base_env(self) -> dict[str, str]:
        """The environment of every `meltano` call: emulator settings, no telemetry."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(_CLEARED_PREFIXES)}
        env.update(
            {
                "MELTANO_DATABASE_URI": f"sqlite:///{self.workdir / 'meltano.db'}",
                "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
                "MELTANO_CLI_LOG_LEVEL": "info",
                # meltano.yml's environment for the emulator (no client-side rate limit).
                "MELTANO_ENVIRONMENT": ENVIRONMENT,
                "TAP_CLOCKIFY_API_KEY": self.emulator.api_key,
                "TAP_CLOCKIFY_API_URL": self.emulator.api_url,
                "TAP_CLOCKIFY_REPORTS_URL": self.emulator.reports_url,
                "TAP_CLOCKIFY_AUDITLOG_URL": self.emulator.auditlog_url,
                "TARGET_JSONL_DESTINATION_PATH": str(self.workdir / "output"),
            }
        )
        if self.sys_dir is not None:
            env["MELTANO_SYS_DIR_ROOT"] = str(self.sys_dir)
        env.update(self.env)
        return env

    def command(self, *args: str) -> list[str]:
        return [self.executable, *args]

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        """Run `meltano ARGS` in the repository; fail the test, with the log, on an error."""
        process = subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env={**self.base_env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        # The whole log stays beside the test's files; a failure shows its tail.
        with (self.workdir / "meltano.log").open("a", encoding="utf-8") as log:
            log.write(f"$ meltano {' '.join(args)}\n{process.stdout}{process.stderr}\n")
        check(process, args)
        return process

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """Start `meltano ARGS` without waiting (for parallel runs); see `wait`."""
        return subprocess.Popen(
            self.command(*args),
            cwd=ROOT,
            env={**self.base_env(), **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def state_ids(self) -> set[str]:
        """Every state id in this project's system database."""
        out = self.run("state", "list").stdout
        return {line.strip() for line in out.splitlines() if line.strip()}

    def state(self, state_id: str) -> dict[str, t.Any]:
        """The stored Singer state of `state_id` (its `singer_state`)."""
        out = self.run("state", "get", state_id).stdout
        return json.loads(out[out.index("{") :])["singer_state"]


def wait(process: subprocess.Popen[str], args: t.Sequence[str], timeout: float = 600) -> str:
    """Wait for a started `meltano` and fail the test, with its log, if it failed."""
    output, _ = process.communicate(timeout=timeout)
    check(subprocess.CompletedProcess(process.args, process.returncode, output, ""), args)
    return output


def check(process: subprocess.CompletedProcess[str], args: t.Sequence[str]) -> None:
    if process.returncode != 0:
        log = (process.stdout + process.stderr)[-6000:]
        pytest.fail(f"`meltano {' '.join(args)}` exited {process.returncode}:\n{log}")


_installed: dict[Path | None, float] = {}


def install_plugins(project: MeltanoProject) -> float:
    """`meltano install` once per session and system directory (seconds it took)."""
    if project.sys_dir not in _installed:
        started = time.monotonic()
        project.run("install", timeout=1200)
        _installed[project.sys_dir] = time.monotonic() - started
        print(f"meltano install: {_installed[project.sys_dir]:.1f} s")
    return _installed[project.sys_dir]


def discovered_streams() -> dict[str, dict[str, t.Any]]:
    """Each stream's catalog entry, from `tap-clockify --discover` (no network needed)."""
    process = subprocess.run(
        [sys.executable, "-m", "tap_clockify", "--discover", "--config", "ENV"],
        env={**os.environ, "TAP_CLOCKIFY_API_KEY": "discovery-needs-no-key"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    catalog = json.loads(process.stdout)
    return {entry["tap_stream_id"]: entry for entry in catalog["streams"]}
