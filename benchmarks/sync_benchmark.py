"""Benchmark: a full sync of the core streams against the emulator, scaled up.

Counts API calls (what Clockify rate-limits) as well as seconds. Run from the repo root:

    python -m benchmarks.sync_benchmark --users 200 --entries-per-user 300

It clones the seeded main workspace's busiest member into `--users` extra members with
`--entries-per-user` entries each, then syncs at two page sizes and prints one line each.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import time
from collections import Counter
from datetime import timedelta

from tap_clockify.tap import TapClockify
from tests.emulator import Emulator
from tests.emulator.dataset import format_instant, time_entry_order

CORE_STREAMS = (
    "workspaces",
    "users",
    "user_groups",
    "clients",
    "projects",
    "tasks",
    "tags",
    "custom_fields",
    "time_entries",
)


def scale_up(emulator: Emulator, users: int, entries_per_user: int) -> int:
    """Add `users` members with `entries_per_user` entries each to the main workspace."""
    data = emulator.data
    ws = data.main
    template_id = max(ws.time_entries, key=lambda uid: len(ws.time_entries[uid]))
    template_user = ws.user(template_id)
    template_entry = ws.time_entries[template_id][0]
    added = 0
    for n in range(users):
        user = copy.deepcopy(template_user)
        user["id"] = data.new_id()
        user["email"] = f"bench{n}@acme.example"
        user["name"] = f"Bench User {n}"
        ws.users.append(user)
        entries = []
        for k in range(entries_per_user):
            start = data.now - timedelta(hours=8 * (k + 1))
            entry = copy.deepcopy(template_entry)
            entry.update(id=data.new_id(), userId=user["id"])
            entry["timeInterval"] = {
                "start": format_instant(start),
                "end": format_instant(start + timedelta(hours=1)),
                "duration": "PT1H",
            }
            entry["customFieldValues"] = []
            entries.append(entry)
        ws.time_entries[user["id"]] = time_entry_order(entries)
        added += entries_per_user
    return added


def run(emulator: Emulator, page_size: int) -> tuple[int, float, Counter[str]]:
    """Sync the core streams once; return (records, seconds, API calls by route)."""
    config = {
        "api_key": emulator.api_key,
        "api_url": emulator.api_url,
        "reports_url": emulator.reports_url,
        "page_size": page_size,
        "max_requests_per_second": 10_000,
    }
    tap = TapClockify(config=config, parse_env_config=False)
    for name, stream in tap.streams.items():
        stream.selected = name in CORE_STREAMS
    emulator.reset_log()
    output = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(output):
        tap.sync_all()
    seconds = time.perf_counter() - started
    records = output.getvalue().count('"type":"RECORD"')
    return records, seconds, Counter(r.route or "?" for r in emulator.requests)


def main() -> None:
    """Parse arguments, scale the dataset, run the syncs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--entries-per-user", type=int, default=300)
    parser.add_argument("--page-sizes", type=int, nargs="+", default=[50, 5000])
    args = parser.parse_args()
    with Emulator() as emulator:
        added = scale_up(emulator, args.users, args.entries_per_user)
        total_entries = len(emulator.data.all_time_entries())
        print(f"dataset: +{args.users} users, +{added:,} entries ({total_entries:,} in all)")
        for page_size in args.page_sizes:
            records, seconds, calls = run(emulator, page_size)
            entry_calls = calls["/workspaces/{workspaceId}/user/{userId}/time-entries"]
            print(
                f"page_size={page_size}: {records:,} records in {seconds:.2f} s "
                f"({records / seconds:,.0f} records/s), {sum(calls.values()):,} API calls "
                f"({entry_calls:,} for time entries)",
            )


if __name__ == "__main__":
    main()
