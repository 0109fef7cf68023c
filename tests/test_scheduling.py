"""Scheduling assignments: required windows from start_date to a horizon ahead."""

from __future__ import annotations

import collections
import itertools
from datetime import UTC, datetime, timedelta

import requests

from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.entity_expectations import assignments_in, scheduling_range
from tests.tap_runner import sync

ROUTE = "/workspaces/{workspaceId}/scheduling/assignments/all"


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def windows_asked(emulator: Emulator, workspace_id: str) -> list[tuple[datetime, datetime]]:
    calls = [r for r in emulator.matching(route=ROUTE) if workspace_id in r.path]
    return [(instant(r.query["start"][0]), instant(r.query["end"][0])) for r in calls]


def test_windows_cover_start_date_to_the_horizon(emulator: Emulator) -> None:
    main = emulator.data.main
    start_date = (emulator.data.now - timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    config = emulator_config(
        emulator, workspace_ids=[main.id], start_date=start_date, scheduling_horizon_days=120
    )
    result = sync(config, streams=["scheduling_assignments"])
    asked = windows_asked(emulator, main.id)
    first, last = scheduling_range(datetime.now(UTC), start_date, 120)
    assert asked[0][0] == instant(start_date)
    assert asked[-1][1] == last
    assert all(a[1] == b[0] for a, b in itertools.pairwise(asked)), "contiguous"
    assert all(end - start <= timedelta(days=90) for start, end in asked)
    assert len(asked) == 4  # 200 days back + 121 ahead, in quarters
    expected = {a["id"] for a in assignments_in(main, first, last)}
    assert {r["id"] for r in result.records("scheduling_assignments")} == expected


def test_default_range_is_a_year_back_to_a_year_ahead(emulator: Emulator) -> None:
    main = emulator.data.main
    sync(emulator_config(emulator, workspace_ids=[main.id]), streams=["scheduling_assignments"])
    asked = windows_asked(emulator, main.id)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert asked[0][0] == today - timedelta(days=365)
    assert asked[-1][1] == today + timedelta(days=366)
    assert len(asked) == 9


def test_an_assignment_spanning_windows_is_emitted_once(emulator: Emulator) -> None:
    main = emulator.data.main
    result = sync(
        emulator_config(emulator, workspace_ids=[main.id]), streams=["scheduling_assignments"]
    )
    asked = windows_asked(emulator, main.id)
    spans = {
        a["id"]: sum(1 for window in asked if a in assignments_in(main, *window))
        for a in main.more.scheduling_assignments
    }
    assert max(spans.values()) >= 3, "the dataset has an assignment over several windows"
    emitted = collections.Counter(r["id"] for r in result.records("scheduling_assignments"))
    assert set(emitted.values()) == {1}
    assert set(emitted) == {a for a, n in spans.items() if n}
    assert {a for a, n in spans.items() if not n}, "some lie outside the default range"


def test_start_and_end_are_required(emulator: Emulator) -> None:
    url = f"{emulator.api_url}/workspaces/{emulator.data.main.id}/scheduling/assignments/all"
    headers = {"X-Api-Key": emulator.api_key}
    for params in ({}, {"start": "2026-01-01T00:00:00Z"}):
        response = requests.get(url, headers=headers, params=params, timeout=5)
        assert response.status_code == 400
        assert response.json()["code"] == 3001
