"""Report streams against the emulator: windows, contents, paging, bookmarks, time zones.

Expectations are computed here from the emulator's data (time entries, expenses served by
`GET /expenses`), independently of the tap's and the emulator's report code.
"""

from __future__ import annotations

import itertools
import typing as t
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tap_clockify.errors import ClockifyRequestError
from tap_clockify.settings import MAX_SUMMARY_GROUPS
from tap_clockify.streams.reports import READ_UNTIL_KEY, SummaryReportStream
from tap_clockify.streams.time_entries import OPEN_TIMER_KEY
from tap_clockify.tap import TapClockify
from tap_clockify.timestamps import parse_timestamp
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule, iso_duration
from tests.emulator.routes import reports as report_routes
from tests.tap_runner import sync

if t.TYPE_CHECKING:
    from tests.emulator import WorkspaceData

DETAILED = "/workspaces/{workspaceId}/reports/detailed"
SUMMARY = "/workspaces/{workspaceId}/reports/summary"
ATTENDANCE = "/workspaces/{workspaceId}/reports/attendance"
EXPENSES = "/workspaces/{workspaceId}/reports/expenses/detailed"
REPORTS = ("detailed_report", "summary_report", "attendance_report", "expense_report")
ROUTES = dict(zip(REPORTS, (DETAILED, SUMMARY, ATTENDANCE, EXPENSES), strict=True))

Record = dict[str, t.Any]


# --- Helpers -------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def today(zone: t.Any = UTC) -> date:
    return datetime.now(zone).date()


def window_of(body: Record) -> tuple[date, date]:
    """The days a report body asks for (its wall-clock dates)."""
    return (
        date.fromisoformat(body["dateRangeStart"][:10]),
        date.fromisoformat(body["dateRangeEnd"][:10]),
    )


def workspace_of(path: str) -> str:
    return path.split("/")[2]


def bodies(emulator: Emulator, route: str) -> dict[str, list[Record]]:
    """Bodies of the requests to `route`, per workspace, in order."""
    found: dict[str, list[Record]] = defaultdict(list)
    for request in emulator.matching(route, method="POST", host="reports"):
        found[workspace_of(request.path)].append(request.body)
    return found


def start_of(entry: Record) -> datetime:
    return parse_timestamp(entry["timeInterval"]["start"])


def seconds(entry: Record) -> int:
    interval = entry["timeInterval"]
    return int((parse_timestamp(interval["end"]) - start_of(entry)).total_seconds())


def stopped_entries(
    emulator: Emulator, first: date, last: date, zone: t.Any = UTC
) -> list[tuple[WorkspaceData, Record]]:
    """(workspace, entry) for every stopped entry starting on a day first..last in `zone`."""
    return [
        (ws, entry)
        for ws in (emulator.data.ws[ws_id] for ws_id in emulator.data.visible_workspace_ids)
        for entry in ws.entries()
        if entry["timeInterval"]["end"] is not None
        and first <= start_of(entry).astimezone(zone).date() <= last
    ]


def period_of(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def group_paths(ws: WorkspaceData, entry: Record, groups: list[str]) -> list[str]:
    """The summary group paths an entry counts under (one per tag when grouped by TAG)."""
    project = ws.project(entry["projectId"]) if entry["projectId"] else None
    ids = {
        "PROJECT": [entry["projectId"] or ""],
        "CLIENT": [(project or {}).get("clientId") or ""],
        "USER": [entry["userId"]],
        "TASK": [entry["taskId"] or ""],
        "TAG": entry["tagIds"] or [""],
    }
    return [
        "/".join(f"{group}:{group_id}" for group, group_id in zip(groups, combo, strict=True))
        for combo in itertools.product(*(ids[group] for group in groups))
    ]


def served_expenses(emulator: Emulator, ws_id: str) -> list[Record]:
    """The expenses `GET /expenses` serves for a workspace."""
    response = requests.get(
        f"{emulator.api_url}/workspaces/{ws_id}/expenses",
        params={"page-size": 5000},
        headers={"X-Api-Key": emulator.api_key},
        timeout=10,
    )
    response.raise_for_status()
    return list(response.json()["expenses"]["expenses"])


def partitions(state: Record, stream: str) -> dict[str, Record]:
    return {p["context"]["workspace_id"]: p for p in state["bookmarks"][stream]["partitions"]}


# --- Discovery -----------------------------------------------------------------------


def test_report_streams_are_opt_in_and_incremental(config: Record) -> None:
    catalog = TapClockify(config=config, parse_env_config=False).catalog_dict
    entries = {entry["tap_stream_id"]: entry for entry in catalog["streams"]}
    expected = {
        "detailed_report": (["id"], "started_at"),
        "summary_report": (
            ["workspace_id", "period", "period_start", "group_path"],
            "period_start",
        ),
        "attendance_report": (["workspace_id", "userId", "date"], "date"),
        "expense_report": (["id"], "date"),
    }
    for name, (keys, bookmark) in expected.items():
        entry = entries[name]
        (root,) = [m["metadata"] for m in entry["metadata"] if m["breadcrumb"] == []]
        assert root["selected-by-default"] is False
        assert list(entry["key_properties"]) == keys
        assert entry["replication_key"] == bookmark
        assert entry["replication_method"] == "INCREMENTAL"


# --- Detailed ------------------------------------------------------------------------


def test_detailed_report_returns_each_windows_time_entries(emulator: Emulator) -> None:
    start = emulator.data.now - timedelta(days=70)
    first, last = start.date(), today()
    result = sync(emulator_config(emulator, start_date=iso(start)), streams=["detailed_report"])

    # Three windows per workspace: 31 + 31 days, then the rest up to today.
    for ws_id in emulator.data.visible_workspace_ids:
        sent = bodies(emulator, DETAILED)[ws_id]
        assert [window_of(b) for b in sent] == [
            (first, first + timedelta(days=30)),
            (first + timedelta(days=31), first + timedelta(days=61)),
            (first + timedelta(days=62), last),
        ]
        for body in sent:
            assert body["timeZone"] == "UTC"
            assert body["dateRangeStart"].endswith("T00:00:00.000Z")
            assert body["dateRangeEnd"].endswith("T23:59:59.999Z")
            assert body["detailedFilter"]["page"] == 1
            assert body["detailedFilter"]["pageSize"] == 1000
            assert "page" not in body
    assert all(not r.query for r in emulator.matching(DETAILED))

    expected = {entry["id"]: (ws, entry) for ws, entry in stopped_entries(emulator, first, last)}
    records = result.records("detailed_report")
    assert sorted(r["id"] for r in records) == sorted(expected)
    for record in records:
        ws, entry = expected[record["id"]]
        project = ws.project(entry["projectId"]) if entry["projectId"] else None
        task = next((x for x in ws.all_tasks() if x["id"] == entry["taskId"]), None)
        tags = {tag["id"]: tag["name"] for tag in ws.tags}
        interval = record["timeInterval"]
        assert record["workspace_id"] == ws.id
        assert interval["duration"] == seconds(entry)
        assert iso_duration(interval["duration"]) == entry["timeInterval"]["duration"]
        assert parse_timestamp(interval["start"]) == start_of(entry)
        assert interval["start"].endswith("+00:00")  # the offset is kept, not stripped
        assert record["started_at"] == entry["timeInterval"]["start"]
        user = ws.user(entry["userId"])
        assert user is not None, entry["userId"]  # the entry's author is a member
        assert record["userName"] == user["name"]
        assert record["projectName"] == (project["name"] if project else None)
        assert record["clientName"] == (project["clientName"] if project else "")
        assert record["taskName"] == (task["name"] if task else None)
        assert [tag["name"] for tag in record["tags"]] == [tags[i] for i in entry["tagIds"] or ()]
    # Running timers are not in the report (the emulator's reading of Clockify).
    running = {e["id"] for e in emulator.data.running_entries()}
    assert running
    assert running.isdisjoint(r["id"] for r in records)


def test_detailed_report_pages_past_1000_rows(emulator: Emulator) -> None:
    ws = emulator.data.main
    user_id = emulator.data.key_owner_id
    template = ws.time_entries[user_id][-1]
    begin = (emulator.data.now - timedelta(days=3)).replace(hour=0, minute=0, second=0)
    extra = []
    for n in range(1100):
        started = begin + timedelta(seconds=40 * n)
        entry = dict(template, id=emulator.data.new_id(), description=f"Bulk import #{n}")
        entry["timeInterval"] = {
            "start": iso(started),
            "end": iso(started + timedelta(seconds=30)),
            "duration": "PT30S",
        }
        extra.append(entry)
    with emulator.lock:
        ws.time_entries[user_id].extend(extra)
    start = emulator.data.now - timedelta(days=5)
    config = emulator_config(emulator, workspace_ids=[ws.id], start_date=iso(start))

    result = sync(config, streams=["detailed_report"])

    pages = [b["detailedFilter"] for b in bodies(emulator, DETAILED)[ws.id]]
    assert [(p["page"], p["pageSize"]) for p in pages] == [(1, 1000), (2, 1000)]
    ids = [r["id"] for r in result.records("detailed_report")]
    expected = [e["id"] for w, e in stopped_entries(emulator, start.date(), today()) if w is ws]
    assert len(ids) == len(set(ids)) > 1100
    assert sorted(ids) == sorted(expected)
    assert {e["id"] for e in extra} <= set(ids)


def test_page_size_setting_caps_every_paged_report(emulator: Emulator) -> None:
    ws_id = emulator.data.main.id
    start = iso(emulator.data.now - timedelta(days=200))
    paged = ("detailed_report", "attendance_report", "expense_report")
    full = sync(emulator_config(emulator, workspace_ids=[ws_id], start_date=start), streams=paged)
    emulator.reset_log()

    small = sync(
        emulator_config(emulator, workspace_ids=[ws_id], start_date=start, page_size=3),
        streams=paged,
    )

    for stream, route in (("detailed_report", DETAILED), ("attendance_report", ATTENDANCE)):
        filters = [b[f"{stream.split('_')[0]}Filter"] for b in bodies(emulator, route)[ws_id]]
        assert {f["pageSize"] for f in filters} == {3}
        assert max(f["page"] for f in filters) > 1
    expense_pages = bodies(emulator, EXPENSES)[ws_id]
    assert {b["pageSize"] for b in expense_pages} == {3}
    assert max(b["page"] for b in expense_pages) > 1
    for stream in paged:
        assert small.records(stream), stream
        assert Counter(map(repr, small.records(stream))) == Counter(map(repr, full.records(stream)))


# --- Summary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "grain", "days"),
    [
        (["PROJECT", "USER"], "day", 20),
        (["CLIENT", "TAG", "TASK"], "week", 40),
        (["USER"], "month", 75),
    ],
)
def test_summary_totals_are_sums_of_durations_per_period_and_path(
    emulator: Emulator, groups: list[str], grain: str, days: int
) -> None:
    start_date = emulator.data.now - timedelta(days=days)
    config = emulator_config(
        emulator,
        start_date=iso(start_date),
        summary_report_groups=groups,
        summary_report_grain=grain,
    )

    result = sync(config, streams=["summary_report"])

    first = period_of(start_date.date(), grain)
    expected: Counter[tuple[str, str, str]] = Counter()
    for ws, entry in stopped_entries(emulator, first, today()):
        period = period_of(start_of(entry).date(), grain).isoformat()
        for path in group_paths(ws, entry, groups):
            expected[(ws.id, period, path)] += seconds(entry)
    records = result.records("summary_report")
    got = {(r["workspace_id"], r["period_start"], r["group_path"]): r["duration"] for r in records}
    assert len(got) == len(records)  # one row per key
    assert got == dict(expected)
    for record in records:
        assert record["period"] == grain
        assert record["groups"] == groups
        assert period_of(date.fromisoformat(record["period_end"]), grain) == date.fromisoformat(
            record["period_start"]
        )
        for group in groups:
            assert f"{group}:{record[f'{group.lower()}_id'] or ''}" in record["group_path"]
    periods = sorted({period_of(first + timedelta(days=n), grain) for n in range(400)})
    wanted = [p for p in periods if p <= today()]
    for ws_id in emulator.data.visible_workspace_ids:
        sent = bodies(emulator, SUMMARY)[ws_id]
        if len(groups) == MAX_SUMMARY_GROUPS:
            # No level free: one request per period, each for exactly that period.
            assert [window_of(b)[0] for b in sent] == wanted
            assert all(b["summaryFilter"]["groups"] == groups for b in sent)
            continue
        # A level free: Clockify splits whole periods, up to 31 days of them per request.
        level = {"day": "DATE", "week": "WEEK", "month": "MONTH"}[grain]
        assert all(b["summaryFilter"]["groups"] == [level, *groups] for b in sent)
        windows = [window_of(b) for b in sent]
        assert windows[0][0] == wanted[0]
        assert period_of(windows[-1][1], grain) == wanted[-1]
        for (_, end), (start, _) in itertools.pairwise(windows):
            assert start == end + timedelta(days=1)
        for start, end in windows:
            assert period_of(start, grain) == start
            assert (end - start).days < 31 or period_of(end, grain) == start
        assert len(windows) <= len(wanted) // {"day": 31, "week": 4, "month": 1}[grain] + 1


@pytest.mark.parametrize(
    ("groups", "grain", "days"),
    [
        (["PROJECT", "USER"], "day", 70),
        (["TAG"], "week", 120),
        (["CLIENT", "TASK"], "month", 200),  # in 92-day windows: three months a request
        (["USER", "DATE"], "day", 10),  # the period level is taken: one request per period
    ],
)
def test_summary_split_by_clockify_gives_the_rows_of_one_request_per_period(
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    groups: list[str],
    grain: str,
    days: int,
) -> None:
    start = emulator.data.now - timedelta(days=days)
    config = emulator_config(
        emulator,
        start_date=iso(start),
        summary_report_groups=groups,
        summary_report_grain=grain,
        report_window_days=92 if grain == "month" else 31,
        workspace_ids=[emulator.data.main.id],  # a paid plan: reports may span 92 days
    )
    split = sync(config, streams=["summary_report"]).records("summary_report")
    split_calls = emulator.count(route=SUMMARY)
    emulator.reset_log()
    monkeypatch.setattr(SummaryReportStream, "split_by_period", False)
    per_period = sync(config, streams=["summary_report"]).records("summary_report")
    per_period_calls = emulator.count(route=SUMMARY)

    def by_key(records: list[Record]) -> dict[tuple, Record]:
        keyed = {(r["workspace_id"], r["period_start"], r["group_path"]): r for r in records}
        assert len(keyed) == len(records)
        return keyed

    assert split
    assert by_key(split) == by_key(per_period)
    if "DATE" in groups:
        assert split_calls == per_period_calls
    else:
        assert split_calls < per_period_calls


def test_a_year_of_summary_costs_one_request_per_report_window(emulator: Emulator) -> None:
    """365 days by day, in 31-day windows: 12 or 13 requests per workspace, not 366."""
    start = emulator.data.now - timedelta(days=365)
    config = emulator_config(emulator, start_date=iso(start), summary_report_grain="day")
    records = sync(config, streams=["summary_report"]).records("summary_report")
    assert records
    for ws_id in emulator.data.visible_workspace_ids:
        windows = [window_of(body) for body in bodies(emulator, SUMMARY)[ws_id]]
        assert len(windows) == -(-((today() - windows[0][0]).days + 1) // 31)
        assert len(windows) <= 13


# --- Attendance ----------------------------------------------------------------------


def test_attendance_is_one_row_per_user_and_day(emulator: Emulator) -> None:
    start = emulator.data.now - timedelta(days=40)
    result = sync(emulator_config(emulator, start_date=iso(start)), streams=["attendance_report"])

    work: Counter[tuple[str, str, str]] = Counter()
    breaks: Counter[tuple[str, str, str]] = Counter()
    for ws, entry in stopped_entries(emulator, start.date(), today()):
        key = (ws.id, entry["userId"], start_of(entry).date().isoformat())
        (breaks if entry["type"] == "BREAK" else work)[key] += seconds(entry)
    running = {
        (e["workspaceId"], e["userId"], start_of(e).date().isoformat())
        for e in emulator.data.running_entries()
        if start_of(e).date() >= start.date()
    }
    records = {
        (r["workspace_id"], r["userId"], r["date"]): r for r in result.records("attendance_report")
    }
    assert set(records) == set(work) | set(breaks) | running
    for key, record in records.items():
        capacity = 28800 if date.fromisoformat(key[2]).weekday() < 5 else 0
        assert record["totalDuration"] == work[key]
        assert record["break"] == breaks[key]
        assert record["capacity"] == capacity
        assert record["overtime"] == max(0, work[key] - capacity)
        assert record["hasRunningEntry"] is (key in running)
        assert parse_timestamp(record["startTime"]).date().isoformat() == key[2]
    assert running


# --- Expenses ------------------------------------------------------------------------


def test_expense_report_has_the_expenses_the_entity_endpoint_serves(emulator: Emulator) -> None:
    start = emulator.data.now - timedelta(days=200)
    result = sync(emulator_config(emulator, start_date=iso(start)), streams=["expense_report"])

    expected = {
        expense["id"]: (ws_id, expense)
        for ws_id in emulator.data.visible_workspace_ids
        for expense in served_expenses(emulator, ws_id)
        if start.date() <= date.fromisoformat(expense["date"]) <= today()
    }
    records = result.records("expense_report")
    assert expected
    assert sorted(r["id"] for r in records) == sorted(expected)
    for record in records:
        ws_id, expense = expected[record["id"]]
        assert record["workspace_id"] == ws_id
        assert record["date"][:10] == expense["date"]
        assert parse_timestamp(record["date"]).tzinfo is not None
        assert record["amount"] == expense["total"]
        assert record["quantity"] == expense["quantity"]
        assert record["categoryName"] == (expense["category"] or {}).get("name")
        assert record["projectName"] == (expense["project"] or {}).get("name")
    for body in itertools.chain(*bodies(emulator, EXPENSES).values()):
        assert (body["page"], body["pageSize"]) == (1, 1000)


# --- Incremental ---------------------------------------------------------------------


def test_second_run_rereads_only_the_lookback_window(emulator: Emulator) -> None:
    config = emulator_config(
        emulator, lookback_days=3, start_date=iso(emulator.data.now - timedelta(days=100))
    )
    first = sync(config, streams=REPORTS)
    first_counts = {stream: len(first.records(stream)) for stream in REPORTS}
    emulator.reset_log()

    second = sync(config, state=first.final_state, streams=REPORTS)

    for stream in REPORTS:
        marks = partitions(first.final_state, stream)
        for ws_id, sent in bodies(emulator, ROUTES[stream]).items():
            resume = (parse_timestamp(marks[ws_id][READ_UNTIL_KEY]) - timedelta(days=3)).date()
            windows = [window_of(body) for body in sent]
            assert windows[0][0] == resume, stream
            assert windows == [(resume, today())], stream  # four days fit one window
        new_marks = partitions(second.final_state, stream)
        for ws_id, mark in marks.items():
            assert new_marks[ws_id][READ_UNTIL_KEY] >= mark[READ_UNTIL_KEY]
        assert len(second.records(stream)) < first_counts[stream] / 4 or not first_counts[stream]
    resume_days = {
        ws_id: (parse_timestamp(p[READ_UNTIL_KEY]) - timedelta(days=3)).date()
        for ws_id, p in partitions(first.final_state, "detailed_report").items()
    }
    for record in second.records("detailed_report"):
        assert parse_timestamp(record["started_at"]).date() >= resume_days[record["workspace_id"]]


def test_an_edit_inside_the_lookback_is_re_emitted(emulator: Emulator) -> None:
    config = emulator_config(
        emulator, lookback_days=7, start_date=iso(emulator.data.now - timedelta(days=30))
    )
    first = sync(config, streams=["detailed_report", "summary_report"])
    entry = next(
        e
        for _, e in stopped_entries(emulator, today() - timedelta(days=3), today())
        if e["projectId"]
    )
    with emulator.lock:
        entry["description"] = "Edited after the first sync ✍️"

    second = sync(config, state=first.final_state, streams=["detailed_report"])

    edited = [r for r in second.records("detailed_report") if r["id"] == entry["id"]]
    assert [r["description"] for r in edited] == ["Edited after the first sync ✍️"]


def test_a_running_timer_is_reread_until_stopped_when_reports_include_it(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If Clockify's report lists running timers, the tap reaches back to them."""
    monkeypatch.setattr(report_routes, "RUNNING_TIMERS_IN_REPORTS", True)
    ws = emulator.data.main
    user_id = emulator.data.key_owner_id
    started = (emulator.data.now - timedelta(days=20)).replace(microsecond=0)
    timer = dict(ws.time_entries[user_id][0], id=emulator.data.new_id())
    timer["timeInterval"] = {"start": iso(started), "end": None, "duration": None}
    with emulator.lock:
        ws.time_entries[user_id].append(timer)
    config = emulator_config(
        emulator,
        workspace_ids=[ws.id],
        lookback_days=1,
        start_date=iso(emulator.data.now - timedelta(days=30)),
    )
    first = sync(config, streams=["detailed_report"])
    (row,) = [r for r in first.records("detailed_report") if r["id"] == timer["id"]]
    assert row["timeInterval"]["end"] is None
    assert row["timeInterval"]["duration"] is None
    mark = partitions(first.final_state, "detailed_report")[ws.id]
    assert mark[OPEN_TIMER_KEY] == timer["timeInterval"]["start"]

    with emulator.lock:
        timer["timeInterval"]["end"] = iso(emulator.data.now - timedelta(days=19))
        timer["timeInterval"]["duration"] = "PT24H"
    emulator.reset_log()
    second = sync(config, state=first.final_state, streams=["detailed_report"])

    (window, *_) = [window_of(b) for b in bodies(emulator, DETAILED)[ws.id]]
    assert window[0] == started.date()
    (row,) = [r for r in second.records("detailed_report") if r["id"] == timer["id"]]
    assert row["timeInterval"]["duration"] == 24 * 3600
    # Now the earliest timer still running is the seeded one of today.
    still_running = min(start_of(e) for e in emulator.data.running_entries(ws.id))
    mark = partitions(second.final_state, "detailed_report")[ws.id]
    assert mark[OPEN_TIMER_KEY] == iso(still_running)


# --- Time zone, plan limits, permissions ----------------------------------------------


def test_report_time_zone_sets_the_days_and_the_offsets(emulator: Emulator) -> None:
    zone = ZoneInfo("Asia/Tokyo")
    ws = emulator.data.main
    start = emulator.data.now - timedelta(days=20)
    config = emulator_config(
        emulator, workspace_ids=[ws.id], start_date=iso(start), report_time_zone="Asia/Tokyo"
    )

    result = sync(config, streams=["detailed_report", "attendance_report"])

    first, last = start.astimezone(zone).date(), today(zone)
    for route in (DETAILED, ATTENDANCE):
        (body,) = bodies(emulator, route)[ws.id]
        assert body["timeZone"] == "Asia/Tokyo"
        assert window_of(body) == (first, last)
    expected = {e["id"]: e for w, e in stopped_entries(emulator, first, last, zone) if w is ws}
    records = result.records("detailed_report")
    assert sorted(r["id"] for r in records) == sorted(expected)
    for record in records:
        assert record["timeInterval"]["start"].endswith("+09:00")
        assert parse_timestamp(record["timeInterval"]["start"]) == start_of(expected[record["id"]])
    for record in result.records("attendance_report"):
        assert record["startTime"].endswith("+09:00")
        assert (
            parse_timestamp(record["startTime"]).astimezone(zone).date().isoformat()
            == (record["date"])
        )


def test_a_paid_plan_reads_a_year_in_one_request_per_report(emulator: Emulator) -> None:
    paid = [emulator.data.main.id, emulator.data.second.id]
    config = emulator_config(
        emulator,
        workspace_ids=paid,
        report_window_days=366,
        start_date=iso(emulator.data.now - timedelta(days=365)),
    )
    sync(config, streams=["detailed_report", "attendance_report", "expense_report"])
    for route in (DETAILED, ATTENDANCE, EXPENSES):
        sent = bodies(emulator, route)
        assert {ws_id: len(b) for ws_id, b in sent.items()} == dict.fromkeys(paid, 1)


def test_a_free_workspace_refuses_windows_over_31_days(emulator: Emulator) -> None:
    tiny = emulator.data.tiny
    assert tiny.workspace["featureSubscriptionType"] == "FREE"
    config = emulator_config(
        emulator,
        workspace_ids=[tiny.id],
        report_window_days=60,
        start_date=iso(emulator.data.now - timedelta(days=90)),
    )
    with pytest.raises(ClockifyRequestError, match="report_window_days to 31 or less"):
        sync(config, streams=["detailed_report"])
    assert [r.status for r in emulator.matching(DETAILED)] == [400]


def test_a_report_without_permission_is_skipped_for_the_workspace(emulator: Emulator) -> None:
    emulator.add_fault(
        FaultRule(
            "status",
            status=403,
            route=ATTENDANCE,
            body={"message": "You don't have permission to perform this action."},
        )
    )
    config = emulator_config(emulator, start_date=iso(emulator.data.now - timedelta(days=90)))

    result = sync(config, streams=["attendance_report", "detailed_report"])

    assert result.records("attendance_report") == []
    assert result.records("detailed_report")
    # One refused request per workspace, not one per window.
    assert Counter(workspace_of(r.path) for r in emulator.matching(ATTENDANCE)) == dict.fromkeys(
        emulator.data.visible_workspace_ids, 1
    )
    state = result.final_state["bookmarks"]
    assert all(READ_UNTIL_KEY not in p for p in state["attendance_report"]["partitions"])


def test_an_entry_two_windows_return_is_emitted_once(emulator: Emulator) -> None:
    """Windows meant not to overlap may still both return an entry (one spanning their
    boundary): the run emits it once."""
    row = {
        "_id": "5c32ffff9ae1f428e7ffffff",
        "description": "across midnight",
        "timeInterval": {
            "start": "2026-01-31T23:30:00Z",
            "end": "2026-02-01T00:30:00Z",
            "duration": 3600,
        },
    }
    emulator.faults.add(
        FaultRule(
            "status", status=200, route="/reports/detailed", body={"timeentries": [row]}, times=2
        )
    )
    config = emulator_config(emulator, workspace_ids=[emulator.data.main.id])
    result = sync(config, streams=["detailed_report"])
    ids = [r["id"] for r in result.records("detailed_report")]
    assert ids.count(row["_id"]) == 1
    assert len(ids) == len(set(ids))
