"""Rules the tap keeps in one place: the timestamp parser, "a year back", unexpected responses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tap_clockify.errors import UnexpectedResponseError
from tap_clockify.timestamps import consecutive_windows, parse_timestamp
from tap_clockify.validation import config_problems
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.tap_runner import sync

PACKAGE = Path(__file__).resolve().parent.parent / "tap_clockify"
SOURCES = sorted(PACKAGE.rglob("*.py"))

#: Every form Clockify writes timestamps in (docs/clockify.md, Quirks), and what they mean.
CLOCKIFY_FORMS = {
    "2026-05-17T23:51:17Z": "2026-05-17T23:51:17+00:00",
    "2026-05-17T23:51:17.160269150Z": "2026-05-17T23:51:17.160269+00:00",
    "2026-05-20T23:43:40.111Z": "2026-05-20T23:43:40.111000+00:00",
    "2026-05-18T01:51:17+02:00": "2026-05-18T01:51:17+02:00",
    "2026-05-17T23:51:17": "2026-05-17T23:51:17+00:00",
}


def files_matching(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return [str(p.relative_to(PACKAGE)) for p in SOURCES if found.search(p.read_text())]


@pytest.mark.parametrize(("text", "meaning"), CLOCKIFY_FORMS.items())
def test_the_parser_reads_every_form_clockify_sends(text: str, meaning: str) -> None:
    assert parse_timestamp(text).isoformat() == meaning


@pytest.mark.parametrize("text", CLOCKIFY_FORMS)
def test_start_date_accepts_what_the_streams_parse(text: str) -> None:
    assert config_problems({"api_key": "k", "start_date": text}) == []


def test_timestamps_are_parsed_in_one_place() -> None:
    assert files_matching(r"fromisoformat\(") == ["timestamps.py"]


def test_a_year_back_is_one_setting() -> None:
    assert files_matching(r"\b365\b") == ["settings.py"]


def test_unexpected_responses_are_raised_in_one_place() -> None:
    raising = r"(?<!class )UnexpectedResponseError\(|unexpected response from"
    assert files_matching(raising) == ["client.py"]


def test_a_summary_group_that_is_not_an_object_is_unexpected(emulator: Emulator) -> None:
    emulator.add_fault(
        FaultRule("status", status=200, route="/reports/summary", body={"groupOne": [7]})
    )
    config = emulator_config(emulator, workspace_ids=[emulator.data.main.id])
    with pytest.raises(UnexpectedResponseError) as raised:
        sync(config, streams=["summary_report"])
    assert str(raised.value) == (
        "summary_report: unexpected response from POST /workspaces/{workspace_id}/reports/"
        "summary: expected each group to be an object, got int"
    )


def test_one_helper_cuts_dates_and_instants_into_windows() -> None:
    day = timedelta(days=1)
    assert consecutive_windows(date(2024, 1, 1), date(2024, 1, 8), 3 * day) == [
        (date(2024, 1, 1), date(2024, 1, 4)),
        (date(2024, 1, 4), date(2024, 1, 7)),
        (date(2024, 1, 7), date(2024, 1, 8)),
    ]
    noon = datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert consecutive_windows(noon, noon + day, day) == [(noon, noon + day)]
    assert consecutive_windows(noon, noon, day) == []
