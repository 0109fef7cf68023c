"""Time-off requests: a POST search paged in the body, every status, always current."""

from __future__ import annotations

import math
import typing as t
from datetime import timedelta

import pytest
import requests

from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.tap_runner import sync

REQUESTS_ROUTE = "/workspaces/{workspaceId}/time-off/requests"


def searches(emulator: Emulator, workspace_id: str) -> list[t.Any]:
    return [r for r in emulator.matching(route=REQUESTS_ROUTE) if workspace_id in r.path]


@pytest.mark.parametrize("page_size", [5000, 50, 7])
def test_requests_page_in_the_body(emulator: Emulator, page_size: int) -> None:
    main = emulator.data.main
    total = len(main.more.time_off_requests)
    assert total > 200, "the dataset needs more than one page of 200"
    config = emulator_config(emulator, workspace_ids=[main.id], page_size=page_size)
    result = sync(config, streams=["time_off_requests"])
    assert {r["id"] for r in result.records("time_off_requests")} == {
        r["id"] for r in main.more.time_off_requests
    }
    size = min(page_size, 200)
    calls = searches(emulator, main.id)
    pages = math.ceil(total / size) + (total % size == 0)  # a full last page asks once more
    assert len(calls) == pages
    for number, call in enumerate(calls, start=1):
        assert call.method == "POST"
        assert call.query == {}
        assert call.body == {"statuses": ["ALL"], "page": number, "pageSize": size}


def test_a_full_last_page_is_followed_by_an_empty_one(emulator: Emulator) -> None:
    main = emulator.data.main
    total = len(main.more.time_off_requests)
    size = next(n for n in range(100, 200) if total % n == 0 and total // n > 1)
    config = emulator_config(emulator, workspace_ids=[main.id], page_size=size)
    result = sync(config, streams=["time_off_requests"])
    assert len(result.records("time_off_requests")) == total
    assert len(searches(emulator, main.id)) == total // size + 1


def test_an_old_request_decided_since_shows_its_new_status(emulator: Emulator) -> None:
    """Full table: a request filed months ago and approved today is current next run."""
    main = emulator.data.main
    config = emulator_config(emulator, workspace_ids=[main.id])
    first = sync(config, streams=["time_off_requests"])
    now = emulator.data.now
    old = next(
        r
        for r in main.more.time_off_requests
        if r["status"]["statusType"] == "PENDING"
        and r["createdAt"] < (now - timedelta(days=90)).isoformat()
    )
    with emulator.lock:
        old["status"].update(
            statusType="APPROVED",
            changedAt=f"{now:%Y-%m-%dT%H:%M:%S}.123456789Z",
            changedByUserId=emulator.data.key_owner_id,
            changedByUserName="Zoë Ångström",
        )
    second = sync(config, state=first.final_state, streams=["time_off_requests"])
    emitted = {r["id"]: r for r in second.records("time_off_requests")}
    assert emitted[old["id"]]["status"]["statusType"] == "APPROVED"
    assert len(emitted) == len(main.more.time_off_requests)


def test_the_dataset_has_old_requests_decided_recently(emulator: Emulator) -> None:
    now = emulator.data.now.isoformat()
    recent = [
        r
        for r in emulator.data.main.more.time_off_requests
        if r["status"]["changedAt"]
        and r["status"]["changedAt"] > (emulator.data.now - timedelta(days=7)).isoformat()
        and r["createdAt"] < (emulator.data.now - timedelta(days=100)).isoformat()
    ]
    assert {r["status"]["statusType"] for r in recent} >= {"APPROVED", "REJECTED"}
    assert all(r["status"]["changedAt"] < now for r in recent)


def test_the_emulator_answers_like_the_api(emulator: Emulator) -> None:
    url = f"{emulator.api_url}/workspaces/{emulator.data.main.id}/time-off/requests"
    headers = {"X-Api-Key": emulator.api_key}
    assert requests.get(url, headers=headers, timeout=5).status_code == 405
    withdrawn = requests.post(url, headers=headers, json={"statuses": ["WITHDRAWN"]}, timeout=5)
    assert withdrawn.status_code == 400
    too_big = requests.post(url, headers=headers, json={"pageSize": 201}, timeout=5)
    assert too_big.status_code == 400
    body = requests.post(url, headers=headers, json={"pageSize": 2}, timeout=5).json()
    assert set(body) == {"count", "requests"}
    assert body["count"] == len(emulator.data.main.more.time_off_requests)
    assert len(body["requests"]) == 2
