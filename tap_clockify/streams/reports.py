"""Reports from the reports host: detailed, summary, attendance and expense reports.

Every report is a POST whose body names a date range; Clockify requires one and caps it at
31 days on the Free plan and 366 on paid plans. A report stream therefore walks, per
workspace, from `start_date` (default: a year back) to today in windows of whole days in
`report_time_zone` (`report_window_days` long; for the summary report, one window per
period). After each window it records how far it has read (`read_until`), so the next run
starts `lookback_days` before that and re-reads only the recent windows.

The body carries `timeZone` and the range as a wall clock in that zone (Clockify reads
`dateRangeStart`/`dateRangeEnd` that way); timestamps come back with the zone's offset and
are kept as sent.
"""

from __future__ import annotations

import json
import typing as t
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from http import HTTPStatus
from zoneinfo import ZoneInfo

from singer_sdk.exceptions import ConfigValidationError
from typing_extensions import override

from tap_clockify.contexts import read_params
from tap_clockify.errors import ClockifyRequestError
from tap_clockify.settings import (
    DEFAULT_HISTORY_DAYS,
    DEFAULT_REPORT_TIME_ZONE,
    DEFAULT_REPORT_WINDOW_DAYS,
    DEFAULT_SUMMARY_GRAIN,
    DEFAULT_SUMMARY_GROUPS,
    MAX_REPORT_WINDOW_DAYS,
    MAX_SUMMARY_GROUPS,
    SUMMARY_GRAINS,
    SUMMARY_GROUPS,
)
from tap_clockify.streams._passes import MultiPassStream
from tap_clockify.streams._post import ClockifyPostStream
from tap_clockify.streams.time_entries import OpenTimerMemory, resume_point
from tap_clockify.timestamps import (
    consecutive_windows,
    format_timestamp,
    parse_period_start,
    parse_timestamp,
)

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context

    from tap_clockify.client import Record

#: Partition-state key: the instant up to which every window has been read completely.
READ_UNTIL_KEY = "read_until"
#: Clockify's cap on `pageSize` in a detailed report; also used for the other report pages.
MAX_REPORT_PAGE_SIZE = 1000
#: The longest range a Free-plan workspace may ask one report for.
FREE_PLAN_MAX_DAYS = 31
#: Amount columns asked of the detailed and summary reports (floats, in minor units).
AMOUNT_TYPES = ("EARNED", "COST", "PROFIT")
#: Zone names that need no time-zone database.
UTC_NAMES = frozenset({"UTC", "Etc/UTC"})


def validate_report_settings(config: Mapping[str, t.Any]) -> list[str]:
    """Problems with the report settings, one line each naming the setting and the fix."""
    problems = group_problems(config.get("summary_report_groups", list(DEFAULT_SUMMARY_GROUPS)))
    grain = config.get("summary_report_grain", DEFAULT_SUMMARY_GRAIN)
    if grain not in SUMMARY_GRAINS:
        problems.append(
            f"summary_report_grain: unknown grain {grain!r}; expected one of "
            f"{', '.join(SUMMARY_GRAINS)}"
        )
    zone = config.get("report_time_zone", DEFAULT_REPORT_TIME_ZONE)
    if load_zone(zone) is None:
        problems.append(
            f"report_time_zone: unknown time zone {zone!r}; expected an IANA name such as "
            "UTC or Europe/Berlin"
        )
    days = config.get("report_window_days", DEFAULT_REPORT_WINDOW_DAYS)
    if type(days) is not int or not 1 <= days <= MAX_REPORT_WINDOW_DAYS:
        problems.append(
            f"report_window_days: expected a whole number of days from 1 to "
            f"{MAX_REPORT_WINDOW_DAYS} (at most {FREE_PLAN_MAX_DAYS} on the Free plan), "
            f"got {days!r}"
        )
    return problems


def group_problems(groups: t.Any) -> list[str]:
    """What is wrong with `summary_report_groups`: unknown, too many, repeated."""
    expected = f"one to {MAX_SUMMARY_GROUPS} of {', '.join(SUMMARY_GROUPS)}"
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        return [f"summary_report_groups: expected a list of {expected}, got {groups!r}"]
    problems = []
    unknown = [g for g in groups if g not in SUMMARY_GROUPS]
    if unknown:
        problems.append(
            f"summary_report_groups: unknown group {', '.join(map(repr, unknown))}; "
            f"expected {expected}"
        )
    if not 1 <= len(groups) <= MAX_SUMMARY_GROUPS:
        problems.append(
            f"summary_report_groups: {len(groups)} groups given; Clockify groups a summary "
            f"report by one to {MAX_SUMMARY_GROUPS} levels"
        )
    repeated = sorted({g for g in groups if groups.count(g) > 1})
    if repeated:
        problems.append(
            f"summary_report_groups: {', '.join(repeated)} given more than once; each group "
            "may appear once"
        )
    return problems


def load_zone(name: t.Any) -> tzinfo | None:
    """The time zone called `name`, or None when there is none by that name."""
    if not isinstance(name, str) or not name:
        return None
    if name in UTC_NAMES:
        return UTC
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return None


# --- Windows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The whole days `first` to `last` (inclusive) in the report time zone."""

    first: date
    last: date
    zone: tzinfo

    @property
    def days(self) -> int:
        """Number of days covered."""
        return (self.last - self.first).days + 1

    @property
    def date_range(self) -> dict[str, str]:
        """`dateRangeStart`/`dateRangeEnd`: the window as a wall clock in the request zone.

        The `Z` suffix satisfies the strict RFC 3339 form some report DTOs document;
        Clockify reads the digits as wall-clock time in `timeZone`, which the body names.
        """
        return {
            "dateRangeStart": f"{self.first.isoformat()}T00:00:00.000Z",
            "dateRangeEnd": f"{self.last.isoformat()}T23:59:59.999Z",
        }

    @property
    def ends_at(self) -> datetime:
        """The instant the window ends: midnight after `last`, in the zone."""
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=self.zone)


def day_windows(first: date, last: date, days: int, zone: tzinfo) -> list[Window]:
    """Consecutive windows of `days` days from `first` to `last` (the last may be shorter)."""
    day = timedelta(days=1)
    cut = consecutive_windows(first, last + day, timedelta(days=days))
    return [Window(start, stop - day, zone) for start, stop in cut]


def period_start(day: date, grain: str) -> date:
    """The first day of the day, week (from Monday) or month containing `day`."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def period_windows(first: date, last: date, grain: str, zone: tzinfo) -> list[Window]:
    """One window per whole period from the period containing `first` to that of `last`."""
    windows = []
    start = period_start(first, grain)
    while start <= last:
        if grain == "week":
            following = start + timedelta(days=7)
        elif grain == "month":
            following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            following = start + timedelta(days=1)
        windows.append(Window(start, following - timedelta(days=1), zone))
        start = following
    return windows


def as_seconds(value: t.Any) -> t.Any:
    """A duration in whole seconds as an int (reports send integers; JSON may say 7200.0)."""
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    return value


# --- Streams -----------------------------------------------------------------------------


class ReportStream(MultiPassStream, ClockifyPostStream):
    """A report of one workspace: a POST read once per window (each window a pass).

    Subclasses give `report_filter` (the report-specific body fields and the page) and,
    where needed, `plan` (the windows). Records carry `workspace_id`; the partition state
    (per workspace) keeps `read_until` next to the SDK's bookmark.
    """

    host = "reports"
    # Reports overlap the entity streams (time entries, expenses): opt in with `select`.
    selected_by_default = False
    max_page_size = MAX_REPORT_PAGE_SIZE
    is_sorted = False

    @property
    def zone_name(self) -> str:
        """The `report_time_zone` setting."""
        return str(self.config.get("report_time_zone", DEFAULT_REPORT_TIME_ZONE))

    @property
    def zone(self) -> tzinfo:
        """The report time zone; an unknown name is a configuration error."""
        zone = load_zone(self.zone_name)
        if zone is None:
            problems = validate_report_settings(self.config)
            raise ConfigValidationError(problems[0], errors=problems)
        return zone

    @property
    def run_started(self) -> datetime:
        """When the run started: reports are read up to then (`read_until`)."""
        return datetime.fromtimestamp(self.tap.initialized_at / 1000, UTC)

    def window_of(self, date_range: Mapping[str, t.Any]) -> Window:
        """The window that `date_range` (`Window.date_range`'s fields) stands for."""
        first = parse_period_start(str(date_range.get("dateRangeStart")))
        last = parse_period_start(str(date_range.get("dateRangeEnd")))
        if first is None or last is None:
            msg = f"{self.name}: a report request without a date range: {dict(date_range)}"
            raise RuntimeError(msg)
        return Window(first, last, self.zone)

    def requested_window(self, response: requests.Response) -> Window:
        """The window the request behind `response` asked for (its body says)."""
        return self.window_of(json.loads(response.request.body or b"{}"))

    @override
    def prepare_request_payload(
        self,
        context: Context | None,
        next_page_token: int | None,
    ) -> dict[str, t.Any]:
        """The window (the pass's parameters), the time zone, JSON output and the filter."""
        return {
            **read_params(context),
            "timeZone": self.zone_name,
            "exportType": "JSON",
            **self.report_filter(next_page_token or 1),
        }

    def report_filter(self, page: int) -> dict[str, t.Any]:
        """Report-specific body fields for `page`."""
        raise NotImplementedError

    def plan(self, state: Mapping[str, t.Any], now: datetime) -> list[Window]:
        """The windows to read this run, oldest first."""
        zone = self.zone
        today = now.astimezone(zone).date()
        days = int(self.config.get("report_window_days", DEFAULT_REPORT_WINDOW_DAYS))
        return day_windows(self.first_day(state, today), today, days, zone)

    def first_day(self, state: Mapping[str, t.Any], today: date) -> date:
        """The first day to read: `lookback_days` before `read_until`, else the start.

        The start is the day of `start_date` in the report zone, or a year back when it is
        unset; with state and no `start_date`, nothing older than the state is skipped.
        """
        zone = self.zone
        start_date = self.config.get("start_date")
        floor = parse_timestamp(start_date).astimezone(zone).date() if start_date else None
        read_until = state.get(READ_UNTIL_KEY)
        if read_until is None:
            return floor or today - timedelta(days=DEFAULT_HISTORY_DAYS)
        first = resume_point(state, read_until, self.config).astimezone(zone).date()
        return max(first, floor) if floor else first

    @override
    def passes(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """One pass per window of the plan up to the run's start; the window goes in the body."""
        for window in self.plan(self.resume_state(context), self.run_started):
            yield window.date_range

    @override
    def pass_read(self, context: Context, params: dict[str, t.Any]) -> None:
        """Record how far the report is read: to the window's end, or the start of the run."""
        state = self.get_context_state(context)
        ends_at = self.window_of(params).ends_at
        state[READ_UNTIL_KEY] = format_timestamp(min(ends_at, self.run_started))

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Explain range limits (a 403 skips the workspace's other windows: MultiPassStream)."""
        try:
            super().validate_response(response)
        except ClockifyRequestError as error:
            if (
                response.status_code == HTTPStatus.BAD_REQUEST
                and (window := self.requested_window(response)).days > FREE_PLAN_MAX_DAYS
            ):
                msg = (
                    f"{error}; the request covered {window.days} days and a Free-plan "
                    f"workspace allows at most {FREE_PLAN_MAX_DAYS} per report: set "
                    f"report_window_days to {FREE_PLAN_MAX_DAYS} or less"
                )
                raise ClockifyRequestError(msg) from error
            raise

    def paged_filter(self, page: int, sort_column: str) -> dict[str, t.Any]:
        """`page`, `pageSize` and an oldest-first sort, for a body-paged report."""
        return {"page": page, "pageSize": self.page_size, "sortColumn": sort_column}


class DetailedReportStream(OpenTimerMemory, ReportStream):
    """One record per time entry, with the names the report joins in.

    Running timers, if the report returns them (`timeInterval.end` null), are remembered
    like in `time_entries`: the next run reaches back to the earliest one.
    """

    name = "detailed_report"
    path = "/workspaces/{workspace_id}/reports/detailed"
    primary_keys = ("id",)
    replication_key = "started_at"
    required_timestamps = ("timeInterval.start",)
    # The official DTO uses `timeentries`; `timeEntries` is accepted as well.
    records_jsonpath = "$['timeentries','timeEntries'][*]"

    @override
    def report_filter(self, page: int) -> dict[str, t.Any]:
        """`detailedFilter` with the page (top-level page fields are rejected)."""
        return {
            "amounts": list(AMOUNT_TYPES),
            "sortOrder": "ASCENDING",
            "detailedFilter": {
                **self.paged_filter(page, "DATE"),
                "options": {"totals": "EXCLUDE"},
            },
        }

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        """Rows with `id` for the report's `_id`."""
        for row in super().parse_response(response):
            if isinstance(row, dict) and "_id" in row:
                renamed = {key: value for key, value in row.items() if key != "_id"}
                yield {"id": row["_id"], **renamed}
            else:
                yield row

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Read the windows; then remember the earliest timer still running, if any."""
        yield from self.remember_open_timers(context, super().get_records(context))

    @override
    def running_timer_start(self, record: dict[str, t.Any]) -> str | None:
        """The start in UTC, while `timeInterval.end` is null."""
        interval = record.get("timeInterval") or {}
        if interval.get("start") and interval.get("end") is None:
            return format_timestamp(parse_timestamp(interval["start"]))
        return None

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Durations as whole seconds; `started_at` is the start in UTC (the bookmark)."""
        row = super().post_process(row, context) or row
        interval = row.get("timeInterval") or {}
        if "duration" in interval:
            interval["duration"] = as_seconds(interval["duration"])
        row["started_at"] = format_timestamp(parse_timestamp(interval["start"]))
        return row


class SummaryReportStream(ReportStream):
    """Totals per leaf of the `summary_report_groups` tree, per day, week or month.

    The summary report has no per-period breakdown of its own. When the groups leave a
    level free (at most three are allowed), the tap adds the period as the outermost level
    (DATE, WEEK or MONTH) and lets Clockify split a whole report window of periods in one
    request; with three groups it asks once per period. Both give the same rows.
    """

    name = "summary_report"
    path = "/workspaces/{workspace_id}/reports/summary"
    primary_keys = ("workspace_id", "period", "period_start", "group_path")
    replication_key = "period_start"
    records_jsonpath = "$.groupOne[*]"
    paged = False
    api_id_field = None
    #: False reads one period per request even when a group level is free.
    split_by_period = True

    @property
    def groups(self) -> list[str]:
        """The `summary_report_groups` setting."""
        return list(self.config.get("summary_report_groups", DEFAULT_SUMMARY_GROUPS))

    @property
    def grain(self) -> str:
        """The `summary_report_grain` setting."""
        return str(self.config.get("summary_report_grain", DEFAULT_SUMMARY_GRAIN))

    @property
    def period_level(self) -> str | None:
        """The group level that splits a request into periods, when a level is free."""
        level = PERIOD_LEVELS[self.grain]
        groups = self.groups
        if not self.split_by_period or len(groups) >= MAX_SUMMARY_GROUPS or level in groups:
            return None
        return level

    @override
    def plan(self, state: Mapping[str, t.Any], now: datetime) -> list[Window]:
        """Whole periods from the one holding the first day; several per request if possible."""
        zone = self.zone
        today = now.astimezone(zone).date()
        periods = period_windows(self.first_day(state, today), today, self.grain, zone)
        if self.period_level is None:
            return periods
        days = int(self.config.get("report_window_days", DEFAULT_REPORT_WINDOW_DAYS))
        return join_periods(periods, days)

    @override
    def report_filter(self, page: int) -> dict[str, t.Any]:
        """`summaryFilter` with the period level, if any, and the configured groups."""
        level = self.period_level
        return {
            "amounts": list(AMOUNT_TYPES),
            "weekStart": "MONDAY",
            "summaryFilter": {
                "groups": [level, *self.groups] if level else self.groups,
                "sortColumn": "GROUP",
            },
        }

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        """One row per leaf of the group tree (under each period node when split)."""
        level = self.period_level
        window = self.requested_window(response)
        for node in super().parse_response(response):
            if level is None:
                yield from self.leaves(node, [], window)
                continue
            if not isinstance(node, dict):
                self.unexpected("expected each group to be an object", node)
            period = self.period_of(node, window)
            for child in node.get("children") or []:
                yield from self.leaves(child, [], period)

    def period_of(self, node: dict[str, t.Any], window: Window) -> Window:
        """The period a DATE, WEEK or MONTH node stands for, inside the `window` asked for."""
        value = str(node.get("_id") or node.get("name") or "")
        first = parse_period_start(value)
        if first is None or not window.first <= first <= window.last:
            self.unexpected(
                f"expected each {self.period_level} group to name a day in "
                f"{window.first}..{window.last}",
                value,
            )
        period = period_windows(first, first, self.grain, window.zone)[0]
        return Window(period.first, min(period.last, window.last), window.zone)

    def leaves(
        self,
        node: t.Any,
        path: list[tuple[str, t.Any, t.Any]],
        period: Window,
    ) -> Iterator[dict]:
        """The rows under `node`, whose ancestors are `path` (group, id, name)."""
        if not isinstance(node, dict):
            self.unexpected("expected each group to be an object", node)
        groups = self.groups
        level = groups[len(path)]
        path = [*path, (level, node.get("_id", node.get("id")), node.get("name"))]
        if len(path) < len(groups):
            for child in node.get("children") or []:
                yield from self.leaves(child, path, period)
            return
        row: dict[str, t.Any] = {
            "period": self.grain,
            "period_start": period.first.isoformat(),
            "period_end": period.last.isoformat(),
            "groups": groups,
            "group_path": "/".join(f"{group}:{group_id or ''}" for group, group_id, _ in path),
        }
        # Every group's columns, null where the group is not a level: one shape for all rows.
        for group in SUMMARY_GROUPS:
            row[f"{group.lower()}_id"] = row[f"{group.lower()}_name"] = None
        for group, group_id, name in path:
            row[f"{group.lower()}_id"] = group_id or None
            row[f"{group.lower()}_name"] = name
        row["duration"] = as_seconds(node.get("duration"))
        row["amount"] = node.get("amount")
        row["amounts"] = node.get("amounts")
        yield row


#: The summary group that splits a report into periods of each grain.
PERIOD_LEVELS = {"day": "DATE", "week": "WEEK", "month": "MONTH"}


def join_periods(periods: list[Window], max_days: int) -> list[Window]:
    """Consecutive whole periods joined into windows of at most `max_days` (or one period)."""
    windows: list[Window] = []
    for period in periods:
        if windows and (period.last - windows[-1].first).days < max_days:
            windows[-1] = Window(windows[-1].first, period.last, period.zone)
        else:
            windows.append(period)
    return windows


class AttendanceReportStream(ReportStream):
    """One record per user per day: first start, last end, break, work, overtime, time off."""

    name = "attendance_report"
    path = "/workspaces/{workspace_id}/reports/attendance"
    primary_keys = ("workspace_id", "userId", "date")
    replication_key = "date"
    records_jsonpath = "$.entities[*]"
    api_id_field = None

    @override
    def report_filter(self, page: int) -> dict[str, t.Any]:
        """`attendanceFilter` with the page."""
        return {"sortOrder": "ASCENDING", "attendanceFilter": self.paged_filter(page, "DATE")}

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Durations as whole seconds."""
        row = super().post_process(row, context) or row
        for field in ATTENDANCE_DURATIONS:
            if field in row:
                row[field] = as_seconds(row[field])
        return row


ATTENDANCE_DURATIONS = (
    "break", "totalDuration", "capacity", "overtime", "remainingCapacity", "timeOff",
)  # fmt: skip


class ExpenseReportStream(ReportStream):
    """The detailed expense report: one record per expense, with names joined in."""

    name = "expense_report"
    path = "/workspaces/{workspace_id}/reports/expenses/detailed"
    primary_keys = ("id",)
    replication_key = "date"
    required_timestamps = ("date",)
    records_jsonpath = "$.expenses[*]"

    @override
    def report_filter(self, page: int) -> dict[str, t.Any]:
        """Top-level page fields: this report takes no nested filter."""
        return {"sortOrder": "ASCENDING", **self.paged_filter(page, "DATE")}
