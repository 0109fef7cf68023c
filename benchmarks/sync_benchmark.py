"""Benchmark: full and incremental syncs against the emulator at a chosen size and latency.

Run from the repository root (docs/benchmarks.md explains the options and the figures):

    python -m benchmarks.sync_benchmark --size medium --latency-ms 20

It starts the emulator with a workspace of the chosen size, runs the tap as a separate
process (as Meltano does) for a full sync and then an incremental one from the full sync's
final state, and prints per run: API calls per stream beside the fewest that could read
the same data, records, wall time, records/s and peak memory. `--compare-cmd` runs any
other Singer tap command against the same emulator in the same run and prints ratios.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.datasets import SIZES, build_sized_dataset, minimum_calls
from tests.emulator import Emulator

#: The streams the Hub's default tap-clockify (1.0.7) has, and the other core streams.
HUB_STREAMS = ("workspaces", "users", "clients", "projects", "tasks", "tags", "time_entries")
CORE_STREAMS = (*HUB_STREAMS, "user_groups", "custom_fields")

#: The stream each emulator route serves (the last path segment names it).
ROUTE_STREAMS = {
    "workspaces": "workspaces",
    "users": "users",
    "user-groups": "user_groups",
    "clients": "clients",
    "projects": "projects",
    "tasks": "tasks",
    "tags": "tags",
    "custom-fields": "custom_fields",
    "time-entries": "time_entries",
    "summary": "summary_report",
    # The change feed (entities/created|updated|deleted) that incremental runs read.
    "created": "(change feed)",
    "updated": "(change feed)",
    "deleted": "(change feed)",
}


@dataclass
class RunResult:
    """What one sync cost and produced."""

    label: str
    seconds: float
    memory: MemorySampler
    exit_code: int
    calls: Counter[str]
    records: Counter[str]
    #: Seconds from the start to the first and to the last request the emulator received.
    first_request: float = 0.0
    last_request: float = 0.0
    keys: dict[str, set[int]] = field(default_factory=dict)
    state: dict | None = None

    @property
    def total_records(self) -> int:
        """Records of every stream."""
        return sum(self.records.values())


def stream_of(route: str | None) -> str:
    """The stream an emulator route template serves."""
    if not route:
        return "?"
    return ROUTE_STREAMS.get(route.rstrip("/").rsplit("/", 1)[-1], route)


def select_streams(catalog: dict, wanted: tuple[str, ...]) -> dict:
    """`catalog` with exactly the `wanted` streams selected."""
    for entry in catalog["streams"]:
        chosen = entry["tap_stream_id"] in wanted
        metadata = entry.setdefault("metadata", [])
        top = next((m for m in metadata if m.get("breadcrumb") == []), None)
        if top is None:
            top = {"breadcrumb": [], "metadata": {}}
            metadata.append(top)
        top["metadata"]["selected"] = chosen
    return catalog


class MemorySampler:
    """Samples the resident memory of a process and its descendants while it runs.

    `wait4`'s `ru_maxrss` is no good here: a child started from this (large) benchmark
    process inherits the benchmark's own high-water mark at exec. `VmHWM` in /proc is the
    peak of each process after its exec; `VmRSS` summed over the tree gives the timeline
    (flat memory: the late samples are no higher than the early ones).
    """

    def __init__(self, pid: int, every: float = 0.05) -> None:
        """Start sampling `pid` every `every` seconds."""
        self.pid = pid
        self.every = every
        self.peak_kb = 0  # the highest VmHWM of a process, or VmRSS of the tree
        self.timeline: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = 0
            for pid in process_tree(self.pid):
                fields = proc_status(pid)
                self.peak_kb = max(self.peak_kb, fields.get("VmHWM", 0))
                rss += fields.get("VmRSS", 0)
            if rss:
                self.peak_kb = max(self.peak_kb, rss)
                self.timeline.append((time.perf_counter() - self._started, rss))
            self._stop.wait(self.every)

    @property
    def peak_mb(self) -> float:
        """Peak resident memory in MB."""
        return self.peak_kb / 1024

    def rss_at(self, fraction: float) -> float:
        """Resident memory (MB) at `fraction` of the run's duration."""
        if not self.timeline:
            return 0.0
        end = self.timeline[-1][0]
        return next(kb for at, kb in self.timeline if at >= fraction * end) / 1024


def proc_status(pid: int) -> dict[str, int]:
    """The kB fields of /proc/`pid`/status (empty once the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = {}
    for line in lines:
        name, _, value = line.partition(":")
        if value.strip().endswith(" kB"):
            fields[name] = int(value.split()[0])
    return fields


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    tree, index = [pid], 0
    while index < len(tree):
        try:
            children = Path(f"/proc/{tree[index]}/task/{tree[index]}/children").read_text()
        except OSError:
            children = ""
        tree.extend(int(child) for child in children.split())
        index += 1
    return tree


@dataclass
class TapRun:
    """How one run of a tap command went."""

    exit_code: int
    #: `time.monotonic()` at the start (the emulator stamps requests with the same clock).
    started: float
    seconds: float
    memory: MemorySampler


def run_tap(command: str, args: list[str], stdout_path: Path) -> TapRun:
    """Run `command args` with stdout to a file; time it and sample its memory."""
    line = f"{command} {' '.join(shlex.quote(a) for a in args)}"
    with stdout_path.open("wb") as out:
        started = time.monotonic()
        process = subprocess.Popen(line, shell=True, stdout=out, stderr=subprocess.PIPE)
        memory = MemorySampler(process.pid)
        _, stderr = process.communicate()
        seconds = time.monotonic() - started
        memory.stop()
    if process.returncode:
        sys.stderr.write(stderr.decode(errors="replace")[-3000:])
    return TapRun(process.returncode, started, seconds, memory)


def read_output(path: Path, result: RunResult) -> None:
    """Count records and distinct primary keys per stream; keep the last STATE."""
    key_fields: dict[str, list[str]] = {}
    with path.open("rb") as lines:
        for line in lines:
            message = json.loads(line)
            kind = message.get("type")
            if kind == "RECORD":
                stream = message["stream"]
                result.records[stream] += 1
                record = message["record"]
                # The record's own id where it has one: taps differ in their key columns.
                fields = ["id"] if "id" in record else key_fields.get(stream, ["id"])
                key = tuple(str(record.get(k)) for k in fields)
                result.keys.setdefault(stream, set()).add(hash(key))
            elif kind == "SCHEMA":
                key_fields[message["stream"]] = message.get("key_properties") or ["id"]
            elif kind == "STATE":
                result.state = message["value"]


def sync(
    emulator: Emulator,
    label: str,
    phase: str,
    command: str,
    streams: tuple[str, ...],
    workdir: Path,
    state: dict | None,
) -> RunResult:
    """Discover, select `streams`, sync once (from `state` when given) and measure it."""
    slug = "".join(c if c.isalnum() else "-" for c in label)
    config_path = workdir / "config.json"
    catalog_path = workdir / f"{slug}-catalog.json"
    if not catalog_path.exists():
        discovered = workdir / f"{slug}-discover.json"
        code = run_tap(command, ["--config", str(config_path), "--discover"], discovered).exit_code
        if code:
            sys.exit(f"{label}: discovery failed (exit {code})")
        catalog = select_streams(json.loads(discovered.read_text()), streams)
        catalog_path.write_text(json.dumps(catalog))
    args = ["--config", str(config_path), "--catalog", str(catalog_path)]
    if state is not None:
        state_path = workdir / f"{slug}-state.json"
        state_path.write_text(json.dumps(state))
        args += ["--state", str(state_path)]
    emulator.reset_log()
    output = workdir / f"{slug}-output.jsonl"
    run = run_tap(command, args, output)
    calls = Counter(stream_of(r.route) for r in emulator.requests)
    arrivals = [r.at - run.started for r in emulator.requests] or [0.0]
    result = RunResult(
        f"{label} {phase}", run.seconds, run.memory, run.exit_code, calls, Counter(),
        first_request=min(arrivals), last_request=max(arrivals),
    )  # fmt: skip
    read_output(output, result)
    output.unlink()
    return result


def print_table(
    results: list[RunResult],
    minimum: dict[str, int],
    streams: tuple[str, ...],
) -> None:
    """Per stream: calls (and the minimum) and records of each run; then the totals."""
    head = f"{'stream':<14} {'min calls':>9}" + "".join(f" | {r.label[:24]:>24}" for r in results)
    print(head)
    print(f"{'':<14} {'':>9}" + "".join(f" | {'calls':>9} {'records':>14}" for _ in results))
    print("-" * len(head))
    called = {stream for r in results for stream in r.calls}
    for stream in [*streams, *sorted(called - set(streams))]:  # other calls last
        cells = "".join(
            f" | {r.calls.get(stream, 0):>9,} {r.records.get(stream, 0):>14,}" for r in results
        )
        print(f"{stream:<14} {minimum.get(stream, 0):>9,}" + cells)
    print("-" * len(head))
    total_min = sum(minimum.get(s, 0) for s in streams)  # the feed has no minimum
    print(
        f"{'total':<14} {total_min:>9,}"
        + "".join(f" | {sum(r.calls.values()):>9,} {r.total_records:>14,}" for r in results)
    )
    rows = {
        "wall time (s)": lambda r: f"{r.seconds:.2f}",
        "records/s": lambda r: f"{r.total_records / r.seconds:,.0f}",
        "first/last request (s)": lambda r: f"{r.first_request:.2f} / {r.last_request:.2f}",
        "peak RSS (MB)": lambda r: f"{r.memory.peak_mb:,.0f}",
        "RSS 1/4, 1/2, 3/4 (MB)": lambda r: " / ".join(
            f"{r.memory.rss_at(f):,.0f}" for f in (0.25, 0.5, 0.75)
        ),
        "exit code": lambda r: str(r.exit_code),
    }
    for name, cell in rows.items():
        print(f"{name:<24}" + "".join(f" | {cell(r):>24}" for r in results))


def print_ratios(ours: RunResult, other: RunResult, streams: tuple[str, ...]) -> None:
    """Wall time and API calls of `ours` relative to `other`, and whether outputs agree."""
    same = all(ours.keys.get(s, set()) == other.keys.get(s, set()) for s in streams)
    print(
        f"{ours.label} / {other.label}: wall time {ours.seconds / other.seconds:.2f}, "
        f"API calls {sum(ours.calls.values()) / max(1, sum(other.calls.values())):.2f}, "
        f"same records (by primary key): {'yes' if same else 'NO'}"
    )
    if not same:
        for stream in streams:
            a, b = ours.keys.get(stream, set()), other.keys.get(stream, set())
            if a != b:
                print(f"  {stream}: {len(a - b)} only in {ours.label}, {len(b - a)} only in other")


def main() -> None:
    """Parse arguments, start the emulator, run the syncs and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="per request")
    parser.add_argument(
        "--streams",
        choices=("hub", "core", "summary"),
        default="hub",
        help=(
            "hub: the seven streams of the Hub's tap 1.0.7; core: also user_groups and "
            "custom_fields; summary: summary_report over a year (this tap only)"
        ),
    )
    parser.add_argument(
        "--tap-cmd",
        default=f"{shlex.quote(sys.executable)} -m tap_clockify",
        help="the command that runs this tap (default: this Python's tap_clockify)",
    )
    parser.add_argument("--label", default="tap-clockify", help="name of --tap-cmd's column")
    parser.add_argument(
        "--compare-cmd",
        action="append",
        default=[],
        help="another Singer tap command to run against the same emulator (repeatable)",
    )
    parser.add_argument("--no-incremental", action="store_true", help="full syncs only")
    parser.add_argument(
        "--hours-between",
        type=float,
        default=1.0,
        help="hours the emulator's clock moves on between the full and the incremental sync",
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="extra tap setting, e.g. max_requests_per_second=50 (value parsed as JSON)",
    )
    args = parser.parse_args()
    streams = {"hub": HUB_STREAMS, "core": CORE_STREAMS, "summary": ("summary_report",)}[
        args.streams
    ]
    size = SIZES[args.size]
    dataset = build_sized_dataset(size)
    emulator = Emulator(dataset=dataset)
    emulator.latency = args.latency_ms / 1000
    commands = [(args.label, args.tap_cmd)] + [
        (f"compare{n + 1}" if len(args.compare_cmd) > 1 else "compare", cmd)
        for n, cmd in enumerate(args.compare_cmd)
    ]
    with emulator, tempfile.TemporaryDirectory(prefix="tap-clockify-bench-") as tmp:
        workdir = Path(tmp)
        workspace_id = dataset.main.id
        config = {
            "api_key": emulator.api_key,
            "api_url": emulator.api_url,
            "reports_url": emulator.reports_url,
            "auditlog_url": emulator.auditlog_url,
            "workspace_ids": [workspace_id],
            # The Hub's tap names its one workspace `workspace`.
            "workspace": workspace_id,
        }
        for setting in args.setting:
            name, _, value = setting.partition("=")
            config[name] = json.loads(value)
        (workdir / "config.json").write_text(json.dumps(config))
        minimum = minimum_calls(dataset.main)
        print(
            f"dataset {args.size}: 1 workspace, {size.members:,} members, {size.projects:,} "
            f"projects, {size.tasks:,} tasks, {size.time_entries:,} time entries; "
            f"latency {args.latency_ms:g} ms per request\n"
        )
        full_results: list[RunResult] = []
        for phase in ("full", "incremental"):
            if phase == "incremental" and args.no_incremental:
                break
            results = []
            if phase == "incremental":
                # As on a schedule: the change feed then has a window to read (nothing in it).
                emulator.clock.advance(hours=args.hours_between)
            for label, command in commands:
                state = None
                if phase == "incremental":
                    state = next(r.state for r in full_results if r.label == f"{label} full")
                results.append(sync(emulator, label, phase, command, streams, workdir, state))
            print(f"== {phase} sync ==")
            print_table(results, minimum if phase == "full" else {}, streams)
            for other in results[1:]:
                print_ratios(results[0], other, streams)
            print()
            if phase == "full":
                full_results = results


if __name__ == "__main__":
    main()
