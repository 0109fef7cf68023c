"""The emulator's report routes: the documented rules, over real HTTP."""

from __future__ import annotations

import typing as t
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from tests.emulator import Emulator, build_dataset

NOW = datetime(2026, 5, 20, 12, 0, 0, tzinfo=UTC)
MAY = {"dateRangeStart": "2026-05-01T00:00:00.000Z", "dateRangeEnd": "2026-05-19T23:59:59.999Z"}
FILTERS: dict[str, dict[str, t.Any]] = {
    "detailed": {"detailedFilter": {"page": 1, "pageSize": 50}},
    "summary": {"summaryFilter": {"groups": ["PROJECT"]}},
    "attendance": {"attendanceFilter": {"page": 1, "pageSize": 50}},
    "expenses/detailed": {"page": 1, "pageSize": 50},
}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(dataset=build_dataset(NOW)) as emulator:
        yield emulator


@pytest.fixture
def post(emu: Emulator) -> Iterator[t.Callable[..., requests.Response]]:
    with requests.Session() as session:
        session.headers["X-Api-Key"] = emu.api_key

        def send(report: str, body: t.Any, workspace: str | None = None) -> requests.Response:
            ws = workspace or emu.data.main.id
            url = f"{emu.reports_url}/workspaces/{ws}/reports/{report}"
            return session.post(url, json=body, timeout=5)

        yield send
    assert emu.handler_errors == []


def error(response: requests.Response) -> str:
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 3000
    return str(response.json()["message"])


@pytest.mark.parametrize("report", list(FILTERS))
def test_the_date_range_is_required(post: t.Callable[..., requests.Response], report: str) -> None:
    assert "dateRangeStart is required" in error(post(report, FILTERS[report]))
    body = {**FILTERS[report], "dateRangeStart": MAY["dateRangeStart"]}
    assert "dateRangeEnd is required" in error(post(report, body))
    backwards = {"dateRangeStart": MAY["dateRangeEnd"], "dateRangeEnd": MAY["dateRangeStart"]}
    assert "before" in error(post(report, {**FILTERS[report], **backwards}))
    assert post(report, {**FILTERS[report], **MAY}).status_code == 200


@pytest.mark.parametrize("report", list(FILTERS))
def test_a_range_is_at_most_366_days_or_31_on_free(
    emu: Emulator, post: t.Callable[..., requests.Response], report: str
) -> None:
    year = {"dateRangeStart": "2025-05-01T00:00:00", "dateRangeEnd": "2026-05-01T23:59:59.999"}
    too_long = {"dateRangeStart": "2025-04-30T00:00:00", "dateRangeEnd": "2026-05-01T00:00:01"}
    assert post(report, {**FILTERS[report], **year}).status_code == 200
    assert "366 days" in error(post(report, {**FILTERS[report], **too_long}))
    month = {"dateRangeStart": "2026-03-01T00:00:00", "dateRangeEnd": "2026-03-31T23:59:59.999"}
    over = {"dateRangeStart": "2026-03-01T00:00:00", "dateRangeEnd": "2026-04-01T00:00:01"}
    tiny = emu.data.tiny.id
    assert post(report, {**FILTERS[report], **month}, tiny).status_code == 200
    assert "31 days on the FREE plan" in error(post(report, {**FILTERS[report], **over}, tiny))


def test_detailed_paging_lives_in_the_filter_and_stops_at_1000(
    post: t.Callable[..., requests.Response],
) -> None:
    assert "detailedFilter is required" in error(post("detailed", MAY))
    big = {**MAY, "detailedFilter": {"page": 1, "pageSize": 1001}}
    assert "less than or equal to 1000" in error(post("detailed", big))
    top_level = {**MAY, "page": 1, "pageSize": 50, "detailedFilter": {}}
    assert "detailedFilter.page" in error(post("detailed", top_level))
    zero = {**MAY, "detailedFilter": {"page": 0, "pageSize": 50}}
    assert "greater than 0" in error(post("detailed", zero))
    ok = {**MAY, "detailedFilter": {"page": 1, "pageSize": 1000}}
    assert post("detailed", ok).status_code == 200


def test_detailed_pages_partition_the_rows(post: t.Callable[..., requests.Response]) -> None:
    def page(number: int) -> list[str]:
        body: dict[str, object] = {**MAY, "sortOrder": "ASCENDING"}
        body["detailedFilter"] = {"page": number, "pageSize": 5, "sortColumn": "DATE"}
        return [row["_id"] for row in post("detailed", body).json()["timeentries"]]

    everything = post("detailed", {**MAY, "detailedFilter": {"pageSize": 1000}}).json()
    ids = [row["_id"] for row in everything["timeentries"]]
    pages = [page(n) for n in range(1, 1 + len(ids) // 5 + 2)]
    assert sorted(row for rows in pages for row in rows) == sorted(ids)
    assert pages[-1] == []
    (totals,) = everything["totals"]
    assert totals["entriesCount"] == len(ids)
    assert totals["totalTime"] == sum(
        row["timeInterval"]["duration"] for row in everything["timeentries"]
    )


def test_without_a_time_zone_the_range_is_the_key_owners_wall_clock(
    emu: Emulator, post: t.Callable[..., requests.Response]
) -> None:
    """The key owner (Zoë) lives in Europe/Stockholm: offsets are +02:00 in May."""
    rows = post("detailed", {**MAY, "detailedFilter": {}}).json()["timeentries"]
    assert rows
    assert all(row["timeInterval"]["start"].endswith("+02:00") for row in rows)
    utc = post("detailed", {**MAY, "timeZone": "UTC", "detailedFilter": {}}).json()
    assert all(row["timeInterval"]["start"].endswith("+00:00") for row in utc["timeentries"])
    assert "unknown time zone" in error(
        post("detailed", {**MAY, "timeZone": "Nowhere/Land", "detailedFilter": {}})
    )


def test_summary_groups_are_checked(post: t.Callable[..., requests.Response]) -> None:
    def summary(groups: t.Any) -> requests.Response:
        return post("summary", {**MAY, "summaryFilter": {"groups": groups}})

    assert "at most 3" in error(summary(["PROJECT", "USER", "TAG", "CLIENT"]))
    assert "No enum constant" in error(summary(["PROJECT", "COLOUR"]))
    assert "only once" in error(summary(["USER", "USER"]))
    assert "groups is required" in error(summary([]))
    tree = summary(["USER", "PROJECT"]).json()
    assert tree["groupOne"]
    for user in tree["groupOne"]:
        assert user["duration"] == sum(child["duration"] for child in user["children"])
        assert all("children" not in child for child in user["children"])
    assert tree["totals"][0]["totalTime"] == sum(g["duration"] for g in tree["groupOne"])


def test_reports_are_posts_on_the_reports_host(emu: Emulator) -> None:
    base = f"{emu.reports_url}/workspaces/{emu.data.main.id}/reports/detailed"
    response = requests.get(base, headers={"X-Api-Key": emu.api_key}, timeout=5)
    assert response.status_code == 405
