"""Tests of the Clockify emulator itself, over real HTTP."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.emulator import Emulator, FaultRule, build_dataset, iso_duration, time_entry_order

NOW = datetime(2026, 5, 20, 12, 0, 0, tzinfo=UTC)
ENTRIES_ROUTE = "/workspaces/{workspaceId}/user/{userId}/time-entries"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(dataset=build_dataset(NOW)) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def _clean(emu: Emulator) -> Iterator[None]:
    yield
    emu.faults.clear()
    emu.reset_log()
    emu.last_page_header = True
    emu.ignore_paging = False
    assert emu.handler_errors == []


@pytest.fixture
def http(emu: Emulator) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["X-Api-Key"] = emu.api_key
        yield session


def get(http: requests.Session, emu: Emulator, path: str, **params: str | int) -> requests.Response:
    return http.get(emu.api_url + path, params=params, timeout=5)


def zoe_entries_path(emu: Emulator) -> str:
    return f"/workspaces/{emu.data.main.id}/user/{emu.data.key_owner_id}/time-entries"


# --- Authentication and errors ----------------------------------------------------------


def test_missing_or_both_auth_headers_is_1000(emu: Emulator) -> None:
    url = f"{emu.api_url}/workspaces"
    for headers in (
        {},
        {"X-Api-Key": emu.api_key, "X-Addon-Token": "t"},
        {"Authorization": f"Bearer {emu.api_key}"},
    ):
        response = requests.get(url, headers=headers, timeout=5)
        assert response.status_code == 401
        assert response.json() == {"message": "Multiple or none auth tokens present", "code": 1000}


def test_unknown_key_is_4003_and_header_names_are_case_insensitive(emu: Emulator) -> None:
    url = f"{emu.api_url}/workspaces"
    response = requests.get(url, headers={"X-Api-Key": "nope"}, timeout=5)
    assert response.status_code == 401
    assert response.json() == {"message": "Api key does not exist", "code": 4003}
    assert requests.get(url, headers={"x-api-key": emu.api_key}, timeout=5).status_code == 200


def test_addon_tokens(emu: Emulator) -> None:
    url = f"{emu.api_url}/workspaces"
    response = requests.get(url, headers={"X-Addon-Token": "bad"}, timeout=5)
    assert response.json() == {"message": "Token is not valid", "code": 4017}
    emu.addon_tokens["addon"] = [emu.data.tiny.id]
    try:
        response = requests.get(url, headers={"X-Addon-Token": "addon"}, timeout=5)
        assert [w["name"] for w in response.json()] == ["Tiny Co"]
    finally:
        del emu.addon_tokens["addon"]


def test_foreign_workspace_is_403(http: requests.Session, emu: Emulator) -> None:
    for workspace_id in (emu.data.hidden.id, "0123456789abcdef01234567"):
        response = get(http, emu, f"/workspaces/{workspace_id}/clients")
        assert response.status_code == 403
        assert response.json() == {"message": "Access Denied", "code": 501}


def test_unbound_route_is_404_and_wrong_method_is_405(
    http: requests.Session, emu: Emulator
) -> None:
    ws = emu.data.main.id
    response = get(http, emu, f"/workspaces/{ws}/balance")
    assert response.status_code == 404
    assert response.json() == {
        "message": f"No static resource v1/workspaces/{ws}/balance.",
        "code": 3000,
    }
    # Reports live only on the reports host.
    assert get(http, emu, f"/workspaces/{ws}/reports/detailed").status_code == 404

    response = get(http, emu, f"/workspaces/{ws}/time-entries")
    assert response.status_code == 405
    assert response.json() == {"message": "Request method 'GET' is not supported", "code": 3000}
    response = http.post(f"{emu.api_url}/workspaces", json={}, timeout=5)
    assert response.json() == {"message": "Request method 'POST' is not supported", "code": 3000}
    response = http.get(f"{emu.reports_url}/workspaces/{ws}/reports/detailed", timeout=5)
    assert response.status_code == 405


def test_bad_parameters_are_400_3000_echoing_the_value(
    http: requests.Session, emu: Emulator
) -> None:
    ws = emu.data.main.id
    response = get(http, emu, f"/workspaces/{ws}/clients", page="abc")
    assert response.status_code == 400
    assert response.json()["code"] == 3000
    assert "'page'" in response.json()["message"]
    assert "abc" in response.json()["message"]
    response = get(http, emu, f"/workspaces/{ws}/clients", **{"page-size": 5001})
    assert response.status_code == 400
    assert "page-size" in response.json()["message"]
    assert get(http, emu, f"/workspaces/{ws}/clients", **{"page-size": 5000}).status_code == 200
    response = get(http, emu, f"/workspaces/{ws}/clients", archived="maybe")
    assert response.status_code == 400
    assert "[maybe]" in response.json()["message"]
    response = get(http, emu, zoe_entries_path(emu), start="2024-01-01")
    assert response.status_code == 400
    assert response.json()["code"] == 3000
    assert "[2024-01-01]" in response.json()["message"]


def test_unknown_project_tasks_is_400(http: requests.Session, emu: Emulator) -> None:
    ws = emu.data.main.id
    response = get(
        http, emu, f"/workspaces/{ws}/projects/{emu.data.second.projects[0]['id']}/tasks"
    )
    assert response.status_code == 400
    assert response.json() == {"message": "Project doesn't belong to Workspace", "code": 501}


# --- Paging -------------------------------------------------------------------------------


def test_paging_with_last_page(http: requests.Session, emu: Emulator) -> None:
    expected = emu.data.main.time_entries[emu.data.key_owner_id]
    assert len(expected) == 150
    seen, flags = [], []
    for page in (1, 2, 3, 4):
        response = get(http, emu, zoe_entries_path(emu), page=page)  # default page-size 50
        seen += response.json()
        flags.append(response.headers["Last-Page"])
    assert flags == ["false", "false", "true", "true"]
    assert seen == expected  # page 4 was []
    assert "X-Total-Count" not in response.headers


def test_page_beyond_end_and_short_last_page(http: requests.Session, emu: Emulator) -> None:
    ws = emu.data.main.id
    response = get(http, emu, f"/workspaces/{ws}/clients", page=999)
    assert (response.json(), response.headers["Last-Page"]) == ([], "true")
    response = get(http, emu, f"/workspaces/{ws}/clients", page=2, **{"page-size": 3})
    assert [c["name"] for c in response.json()] == ["Umbrella Corp"]
    assert response.headers["Last-Page"] == "true"


def test_unpaged_endpoints_return_everything_without_last_page(
    http: requests.Session, emu: Emulator
) -> None:
    response = get(http, emu, "/workspaces", **{"page-size": 1})
    assert len(response.json()) == 3
    assert "Last-Page" not in response.headers
    response = get(http, emu, f"/workspaces/{emu.data.main.id}/custom-fields", **{"page-size": 1})
    assert len(response.json()) == len(emu.data.main.custom_fields) > 1
    assert "Last-Page" not in response.headers


def test_paging_switches(http: requests.Session, emu: Emulator) -> None:
    emu.last_page_header = False
    response = get(http, emu, zoe_entries_path(emu), page=3)
    assert "Last-Page" not in response.headers
    emu.last_page_header = True
    emu.ignore_paging = True
    first = get(http, emu, zoe_entries_path(emu), page=1).json()
    assert get(http, emu, zoe_entries_path(emu), page=2).json() == first


# --- Filters --------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["clients", "projects", "tags"])
def test_archived_filter(http: requests.Session, emu: Emulator, resource: str) -> None:
    path = f"/workspaces/{emu.data.main.id}/{resource}"
    both = get(http, emu, path).json()
    archived = get(http, emu, path, archived="true").json()
    active = get(http, emu, path, archived="false").json()
    assert archived
    assert active
    assert all(r["archived"] for r in archived)
    assert not any(r["archived"] for r in active)
    assert sorted(r["id"] for r in both) == sorted(r["id"] for r in archived + active)


def test_users_status_filters(http: requests.Session, emu: Emulator) -> None:
    path = f"/workspaces/{emu.data.main.id}/users"

    def names(**params: str) -> list[str]:
        return [u["name"] for u in get(http, emu, path, **params).json()]

    # Default: ACTIVE members with ACTIVE/PENDING_EMAIL_VERIFICATION/NOT_REGISTERED accounts,
    # so the LIMITED (kiosk) user is hidden; sorted by email.
    assert names() == ["李雷", "Renée 🚀", "Zoë Ångström"]
    assert names(status="INACTIVE") == ["Oskar Øberg"]
    assert names(status="PENDING") == ["Priya Natarajan"]
    assert "José Müller" in names(**{"account-statuses": "ACTIVE,LIMITED"})
    everyone = get(
        http, emu, path, status="ALL", **{"account-statuses": "ACTIVE,LIMITED,NOT_REGISTERED"}
    )
    emails = [u["email"] for u in everyone.json()]
    assert len(emails) == 6
    assert emails == sorted(emails)
    assert get(http, emu, path, status="BOGUS").status_code == 400
    # ``memberships`` defaults to NONE (spec): served lists are empty unless asked for.
    assert {len(u["memberships"]) for u in get(http, emu, path).json()} == {0}
    served = get(http, emu, path, memberships="WORKSPACE").json()
    assert all([m["membershipType"] for m in u["memberships"]] == ["WORKSPACE"] for u in served)


def test_tasks_is_active(http: requests.Session, emu: Emulator) -> None:
    ws = emu.data.main
    project = next(p for p in ws.projects if p["name"] == "Data Pipeline")
    path = f"/workspaces/{ws.id}/projects/{project['id']}/tasks"

    def statuses(**params: str) -> set[str]:
        return {t["status"] for t in get(http, emu, path, **params).json()}

    assert statuses() == {"ACTIVE", "DONE"}
    assert statuses(**{"is-active": "true"}) == {"ACTIVE"}
    assert statuses(**{"is-active": "false"}) == {"DONE"}


def test_time_entry_window_and_order(http: requests.Session, emu: Emulator) -> None:
    expected = emu.data.main.time_entries[emu.data.key_owner_id]
    pivot, newer_bound = (
        expected[40]["timeInterval"]["start"],
        expected[10]["timeInterval"]["start"],
    )
    # start inclusive, end exclusive; fractional seconds are accepted.
    fractional_end = newer_bound.replace("Z", ".000Z")
    response = get(http, emu, zoe_entries_path(emu), start=pivot, end=fractional_end)
    starts = [e["timeInterval"]["start"] for e in response.json()]
    assert starts == [e["timeInterval"]["start"] for e in expected[11:41]]
    assert starts == sorted(starts, reverse=True)
    assert response.json() == time_entry_order(response.json())


def test_in_progress_entries(http: requests.Session, emu: Emulator) -> None:
    running = emu.data.running_entries(emu.data.main.id)
    assert len(running) == 1
    entry = running[0]
    path = f"/workspaces/{entry['workspaceId']}/user/{entry['userId']}/time-entries"
    assert get(http, emu, path, **{"in-progress": "true"}).json() == [entry]
    assert entry["timeInterval"]["duration"] is None


# --- Faults ---------------------------------------------------------------------------


def test_429_with_and_without_retry_after(http: requests.Session, emu: Emulator) -> None:
    emu.faults.add(FaultRule("status", status=429, route="/workspaces", times=1, retry_after="2"))
    emu.faults.add(FaultRule("status", status=429, route="/workspaces", times=1))
    first, second, third = (get(http, emu, "/workspaces") for _ in range(3))
    assert (first.status_code, first.headers["Retry-After"]) == (429, "2")
    assert first.json() == {"message": "Too many requests", "code": 429}
    assert second.status_code == 429
    assert "Retry-After" not in second.headers
    assert third.status_code == 200
    assert [r.status for r in emu.requests] == [429, 429, 200]


def test_every_and_times_count_matching_requests(http: requests.Session, emu: Emulator) -> None:
    rule = emu.faults.add(FaultRule("status", status=503, route=ENTRIES_ROUTE, every=2, times=2))
    statuses = [get(http, emu, zoe_entries_path(emu)).status_code for _ in range(6)]
    get(http, emu, "/workspaces")  # does not match, not counted
    assert statuses == [200, 503, 200, 503, 200, 200]
    assert (rule.seen, rule.applied) == (4, 2)


def test_drop_and_truncate(http: requests.Session, emu: Emulator) -> None:
    emu.faults.add(FaultRule("drop", route="/workspaces", method="GET", times=1))
    with pytest.raises(requests.ConnectionError):
        get(http, emu, "/workspaces")
    assert emu.requests[-1].status == 0
    emu.faults.add(FaultRule("truncate", route="/workspaces", times=1))
    with pytest.raises(requests.RequestException):
        get(http, emu, "/workspaces").json()
    assert emu.requests[-1].status == 200
    assert get(http, emu, "/workspaces").status_code == 200


def test_delay(http: requests.Session, emu: Emulator) -> None:
    emu.faults.add(FaultRule("delay", delay=0.2, times=1))
    began = time.monotonic()
    assert get(http, emu, "/workspaces").status_code == 200
    assert time.monotonic() - began >= 0.2


# --- Recording, reports, bodies ---------------------------------------------------------


def test_request_log_and_counter(http: requests.Session, emu: Emulator) -> None:
    get(http, emu, zoe_entries_path(emu), page=2)
    get(http, emu, "/workspaces")
    http.post(f"{emu.reports_url}/workspaces/{emu.data.main.id}/reports/summary", json={"a": 1})
    assert emu.count() == 3
    assert emu.count(route=ENTRIES_ROUTE) == 1
    assert emu.count(method="POST", host="reports") == 1
    entry = emu.requests[0]
    assert entry.path == zoe_entries_path(emu)
    assert entry.query == {"page": ["2"]}
    assert entry.headers["X-Api-Key"] == "***"
    assert emu.requests[2].body == {"a": 1}
    emu.reset_log()
    assert emu.count() == 0


def test_reports_have_their_shapes(http: requests.Session, emu: Emulator) -> None:
    """Rows and totals keys of each report; tests/test_reports*.py check their contents."""
    base = f"{emu.reports_url}/workspaces/{emu.data.main.id}/reports"
    day = {"dateRangeStart": "2026-05-19T00:00:00", "dateRangeEnd": "2026-05-19T23:59:59.999"}
    reports: dict[str, tuple[dict[str, object], str, type]] = {
        "detailed": ({"detailedFilter": {}}, "timeentries", list),
        "summary": ({"summaryFilter": {"groups": ["PROJECT"]}}, "groupOne", list),
        "attendance": ({"attendanceFilter": {}}, "entities", dict),
        "expenses/detailed": ({}, "expenses", dict),
    }
    for name, (body, rows, totals) in reports.items():
        response = http.post(f"{base}/{name}", json={**day, **body}, timeout=5)
        assert response.status_code == 200
        assert isinstance(response.json()[rows], list)
        assert isinstance(response.json()["totals"], totals)
        # The date range is required.
        assert http.post(f"{base}/{name}", json=body, timeout=5).status_code == 400


def test_json_is_utf8_with_non_ascii_kept(http: requests.Session, emu: Emulator) -> None:
    response = get(http, emu, "/workspaces")
    assert response.headers["Content-Type"] == "application/json"
    assert "Ünïcødé Studio 🎨".encode() in response.content


def test_in_place_mutation_is_served() -> None:
    with Emulator(dataset=build_dataset(NOW)) as emu:
        client = emu.data.main.clients[0]
        with emu.lock:
            client["name"] = "Renamed Ünïcode"
        response = requests.get(
            f"{emu.api_url}/workspaces/{emu.data.main.id}/clients",
            headers={"X-Api-Key": emu.api_key},
            timeout=5,
        )
        assert "Renamed Ünïcode" in [c["name"] for c in response.json()]


def test_mutations_are_served() -> None:
    with Emulator(dataset=build_dataset(NOW)) as emu, requests.Session() as http:
        http.headers["X-Api-Key"] = emu.api_key
        main = emu.data.main
        ws = main.id
        project = next(p for p in main.projects if main.tasks[p["id"]])
        task = main.tasks[project["id"]][0]
        entry = main.entries()[-1]
        with emu.lock:
            client = emu.data.delete_client(ws, main.clients[0]["id"])
            tag = emu.data.delete_tag(ws, main.tags[0]["id"])
            group = emu.data.delete_user_group(ws, main.user_groups[0]["id"])
            emu.data.delete_task(ws, project["id"], task["id"])
            emu.data.rename_project(ws, project["id"], "Renamed project")
            emu.data.edit_time_entry(ws, entry["id"], description="Edited")

        def ids(path: str) -> set[str]:
            return {r["id"] for r in get_all(http, emu, f"/workspaces/{ws}/{path}")}

        assert client["id"] not in ids("clients")
        assert tag["id"] not in ids("tags")
        assert group["id"] not in ids("user-groups")
        assert task["id"] not in ids(f"projects/{project['id']}/tasks")
        assert "Renamed project" in {
            p["name"] for p in get_all(http, emu, f"/workspaces/{ws}/projects")
        }
        user = entry["userId"]
        served = get_all(http, emu, f"/workspaces/{ws}/user/{user}/time-entries")
        assert {e["id"]: e for e in served}[entry["id"]]["description"] == "Edited"

        with emu.lock:
            emu.data.delete_time_entry(ws, entry["id"])
            emu.data.delete_project(ws, project["id"])
        served = get_all(http, emu, f"/workspaces/{ws}/user/{user}/time-entries")
        assert entry["id"] not in {e["id"] for e in served}
        assert project["id"] not in ids("projects")
        with pytest.raises(KeyError):
            emu.data.delete_tag(ws, tag["id"])


def get_all(http: requests.Session, emu: Emulator, path: str) -> list[dict]:
    """Every record of a paged list."""
    records: list[dict] = []
    page = 1
    while True:
        response = http.get(
            f"{emu.api_url}{path}", params={"page": page, "page-size": 5000}, timeout=10
        )
        response.raise_for_status()
        records += response.json()
        if len(response.json()) < 5000:
            return records
        page += 1


# --- Dataset ------------------------------------------------------------------------------


def test_dataset_is_deterministic_and_consistent() -> None:
    first, second = build_dataset(NOW), build_dataset(NOW)
    assert first.ws == second.ws
    entries = first.all_time_entries()
    assert 300 <= len(entries) <= 400
    ids = [e["id"] for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in ids)
    for entry in entries:
        interval = entry["timeInterval"]
        if interval["end"] is None:
            continue
        start = datetime.fromisoformat(interval["start"])
        end = datetime.fromisoformat(interval["end"])
        assert iso_duration(int((end - start).total_seconds())) == interval["duration"]
        assert end <= NOW
    years = {e["timeInterval"]["start"][:4] for e in entries}
    assert "2019" in years
    assert any(e["timeInterval"]["start"].startswith("2026-05-20") for e in entries)
    for running in first.running_entries():
        assert NOW - datetime.fromisoformat(running["timeInterval"]["start"]) < timedelta(days=2)
