"""Report settings: validation before any request, and the windows they plan."""

from __future__ import annotations

import typing as t
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tap_clockify.streams.reports import (
    READ_UNTIL_KEY,
    DetailedReportStream,
    SummaryReportStream,
    day_windows,
    period_windows,
    validate_report_settings,
)
from tap_clockify.tap import TapClockify
from tests.conftest import emulator_config
from tests.tap_runner import run_cli

if t.TYPE_CHECKING:
    from pathlib import Path

    from tests.emulator import Emulator


# --- validate_report_settings --------------------------------------------------------


def test_defaults_and_good_settings_have_no_problems() -> None:
    assert validate_report_settings({}) == []
    assert (
        validate_report_settings(
            {
                "summary_report_groups": ["CLIENT", "TAG", "DATE"],
                "summary_report_grain": "month",
                "report_time_zone": "Europe/Berlin",
                "report_window_days": 366,
            }
        )
        == []
    )


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("summary_report_groups", ["PROJECT", "BOGUS"], ["'BOGUS'", "PROJECT, CLIENT, USER"]),
        ("summary_report_groups", ["PROJECT", "USER", "TAG", "CLIENT"], ["4 groups", "one to 3"]),
        ("summary_report_groups", [], ["0 groups"]),
        ("summary_report_groups", ["USER", "USER"], ["USER given more than once"]),
        ("summary_report_groups", "PROJECT", ["expected a list"]),
        ("summary_report_grain", "year", ["'year'", "day, week, month"]),
        ("report_time_zone", "Mars/Olympus_Mons", ["'Mars/Olympus_Mons'", "IANA"]),
        ("report_window_days", 400, ["1 to 366", "31 on the Free plan"]),
    ],
)
def test_each_problem_is_one_line_naming_the_setting(
    setting: str, value: t.Any, words: list[str]
) -> None:
    (problem,) = validate_report_settings({setting: value})
    assert problem.startswith(f"{setting}: ")
    assert "\n" not in problem
    for word in words:
        assert word in problem


def test_an_unknown_group_fails_before_any_request(emulator: Emulator, tmp_path: Path) -> None:
    config = emulator_config(emulator, summary_report_groups=["PROJECT", "BOGUS"])
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert result.exit_code != 0
    assert [line for line in result.stderr.splitlines() if "summary_report_groups" in line]
    assert "Traceback" not in result.stderr
    assert emulator.requests == []


def test_an_unknown_time_zone_fails_before_any_request(emulator: Emulator, tmp_path: Path) -> None:
    """Needs `validate_report_settings` in the tap's config validation."""
    config = emulator_config(emulator, report_time_zone="Mars/Olympus_Mons")
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert result.exit_code != 0
    (line,) = [line for line in result.stderr.splitlines() if "report_time_zone" in line]
    assert "IANA" in line
    assert "Traceback" not in result.stderr
    assert emulator.requests == []


# --- Windows -------------------------------------------------------------------------


def test_day_windows_cover_every_day_once() -> None:
    windows = day_windows(date(2024, 1, 1), date(2024, 3, 5), 31, UTC)
    assert [(w.first, w.last) for w in windows] == [
        (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 3, 2)),
        (date(2024, 3, 3), date(2024, 3, 5)),
    ]
    assert windows[0].date_range == {
        "dateRangeStart": "2024-01-01T00:00:00.000Z",
        "dateRangeEnd": "2024-01-31T23:59:59.999Z",
    }
    assert day_windows(date(2024, 1, 2), date(2024, 1, 1), 31, UTC) == []


def test_period_windows_are_whole_weeks_and_months() -> None:
    weeks = period_windows(date(2024, 2, 28), date(2024, 3, 12), "week", UTC)
    assert [(w.first, w.last) for w in weeks] == [
        (date(2024, 2, 26), date(2024, 3, 3)),
        (date(2024, 3, 4), date(2024, 3, 10)),
        (date(2024, 3, 11), date(2024, 3, 17)),
    ]
    months = period_windows(date(2023, 12, 15), date(2024, 2, 1), "month", UTC)
    assert [(w.first, w.last) for w in months] == [
        (date(2023, 12, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
    ]
    days = period_windows(date(2024, 2, 28), date(2024, 3, 1), "day", UTC)
    assert [w.days for w in days] == [1, 1, 1]


def test_a_window_ends_at_midnight_in_its_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    (window,) = day_windows(date(2024, 3, 1), date(2024, 3, 31), 31, berlin)
    # Summer time starts on 31 March: the window ends at 22:00 UTC, not 23:00.
    assert window.ends_at.astimezone(UTC) == datetime(2024, 3, 31, 22, tzinfo=UTC)


def stream(cls: type, **settings: t.Any) -> t.Any:
    tap = TapClockify(config={"api_key": "k", **settings}, parse_env_config=False)
    return cls(tap=tap)


def test_first_run_starts_a_year_back_or_on_start_date() -> None:
    now = datetime(2024, 6, 15, 12, tzinfo=UTC)
    plan = stream(DetailedReportStream).plan({}, now)
    assert plan[0].first == date(2023, 6, 16)
    assert plan[-1].last == date(2024, 6, 15)
    assert len(plan) == 12  # 366 days in windows of 31
    later = stream(DetailedReportStream, start_date="2024-06-01T18:00:00Z").plan({}, now)
    assert [(w.first, w.last) for w in later] == [(date(2024, 6, 1), date(2024, 6, 15))]
    # start_date is read as a day in the report zone.
    tokyo = stream(
        DetailedReportStream, start_date="2024-06-01T18:00:00Z", report_time_zone="Asia/Tokyo"
    ).plan({}, now)
    assert tokyo[0].first == date(2024, 6, 2)


def test_a_run_with_state_starts_lookback_days_before_read_until() -> None:
    now = datetime(2024, 6, 15, 12, tzinfo=UTC)
    state = {READ_UNTIL_KEY: "2024-06-10T08:00:00Z"}
    plan = stream(DetailedReportStream, lookback_days=3).plan(state, now)
    assert [(w.first, w.last) for w in plan] == [(date(2024, 6, 7), date(2024, 6, 15))]
    # Without start_date, old state is resumed from, not cut to a year back.
    old = {READ_UNTIL_KEY: "2022-01-10T08:00:00Z"}
    assert stream(DetailedReportStream, lookback_days=0).plan(old, now)[0].first == date(
        2022, 1, 10
    )
    # A later start_date wins over the state.
    cut = stream(DetailedReportStream, lookback_days=0, start_date="2024-01-01T00:00:00Z")
    assert cut.plan(old, now)[0].first == date(2024, 1, 1)
    weeks = stream(SummaryReportStream, lookback_days=3, summary_report_grain="week")
    assert weeks.plan(state, now)[0].first == date(2024, 6, 3)  # the Monday before the 7th


def test_windows_of_a_year_stay_within_the_limits() -> None:
    now = datetime.now(UTC) + timedelta(hours=1)
    for days in (1, 31, 366):
        plan = stream(DetailedReportStream, report_window_days=days).plan({}, now)
        assert max(w.days for w in plan) <= days
        assert sum(w.days for w in plan) == 366
