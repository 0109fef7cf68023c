"""Bad input: one clear line naming the setting or the failure, exit code 1, no traceback."""

from __future__ import annotations

import json
import typing as t
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.tap_runner import assert_fails_in_one_line, run_cli, sync

#: A key full of characters that need escaping in JSON, URLs, shells and regexes.
AWKWARD_KEY = "k3y/+=&%?#\"'\\<>;|$(ü)*[.]"


FUTURE = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        ({"api_key": ""}, ["api_key", "expected a Clockify API key"]),
        ({"api_key": "   "}, ["api_key"]),
        ({"region": "eu"}, ["region", "euc1, use2, euw2, apse2", "'eu'"]),
        ({"api_url": "api.clockify.me/api/v1"}, ["api_url", "absolute https:// URL"]),
        (
            {"reports_url": "http://reports.example.com/v1"},
            ["reports_url", "only allowed for localhost"],
        ),
        ({"start_date": "last tuesday"}, ["start_date", "ISO 8601"]),
        ({"start_date": FUTURE}, ["start_date", "in the past"]),
        ({"workspace_ids": ["acme"]}, ["workspace_ids", "24-character", "'acme'"]),
        ({"page_size": 0}, ["page_size"]),
        ({"request_timeout": 0.5}, ["request_timeout", "whole number of seconds", "0.5"]),
        ({"max_requests_per_second": 2.5}, ["max_requests_per_second", "whole number", "2.5"]),
        ({"retry_backoff_ms": "fast"}, ["retry_backoff_ms", "whole number", "'fast'"]),
        ({"log_metrics": "yes"}, ["log_metrics", "true or false", "'yes'"]),
    ],
    ids=[
        "empty-key",
        "blank-key",
        "unknown-region",
        "relative-url",
        "plain-http",
        "start-date-not-a-date",
        "start-date-in-future",
        "malformed-workspace-id",
        "page-size-zero",
        "fractional-timeout",
        "fractional-rate",
        "backoff-not-a-number",
        "boolean-as-text",
    ],
)
def test_bad_settings_fail_before_any_request(
    emulator: Emulator,
    tmp_path: t.Any,
    overrides: dict[str, t.Any],
    fragments: list[str],
) -> None:
    config = emulator_config(emulator, **overrides)
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert_fails_in_one_line(result, *fragments)
    assert emulator.count() == 0


def test_missing_api_key(emulator: Emulator, tmp_path: t.Any) -> None:
    config = emulator_config(emulator)
    del config["api_key"]
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert_fails_in_one_line(result, "api_key")
    assert emulator.count() == 0


def test_unknown_workspace_ids_name_the_setting(emulator: Emulator, tmp_path: t.Any) -> None:
    hidden = emulator.data.hidden_workspace_ids[0]
    config = emulator_config(emulator, workspace_ids=[emulator.data.tiny.id, hidden])
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert_fails_in_one_line(result, "workspace_ids", hidden)
    assert [r.route for r in emulator.requests] == ["/workspaces"]


def test_a_wrong_api_key_is_reported_as_rejected(emulator: Emulator, tmp_path: t.Any) -> None:
    wrong = "not-the-key-0123456789"
    config = emulator_config(emulator, api_key=wrong)
    result = run_cli([], config=config, tmp_path=tmp_path)
    line = assert_fails_in_one_line(result, "the API key was rejected", "code 4003", "api_key")
    assert wrong not in result.stderr + result.stdout
    assert wrong not in line


def test_a_workspace_the_key_cannot_see_is_named(emulator: Emulator, tmp_path: t.Any) -> None:
    tiny = emulator.data.tiny.id
    emulator.faults.add(
        FaultRule(
            "status",
            status=403,
            route=f"/workspaces/{tiny}/",
            body={"message": "Access Denied", "code": 501},
        ),
    )
    result = run_cli([], config=emulator_config(emulator), tmp_path=tmp_path)
    assert_fails_in_one_line(result, "cannot access workspace", tiny, "Access Denied")


def test_a_400_shows_clockifys_message(emulator: Emulator, tmp_path: t.Any) -> None:
    message = "Required request parameter 'start' for method parameter type String is not present"
    emulator.faults.add(
        FaultRule("status", status=400, route="/tags", body={"message": message, "code": 3001}),
    )
    result = run_cli([], config=emulator_config(emulator), tmp_path=tmp_path)
    assert_fails_in_one_line(result, "tags", "400", message, "code 3001")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"clients": []}, "expected the body to be a list, got dict"),
        ([{"name": "no id here"}], "a record has no `id`"),
        (["just a string"], "expected each record to be an object"),
    ],
    ids=["object-instead-of-list", "missing-id", "non-object-record"],
)
def test_unexpected_shapes_name_stream_and_endpoint(
    emulator: Emulator,
    tmp_path: t.Any,
    body: t.Any,
    problem: str,
) -> None:
    emulator.faults.add(FaultRule("status", status=200, route="/clients", body=body))
    result = run_cli([], config=emulator_config(emulator), tmp_path=tmp_path)
    assert_fails_in_one_line(
        result,
        "clients: unexpected response from GET /workspaces/{workspace_id}/clients",
        problem,
    )


def test_unknown_extra_fields_never_crash(emulator: Emulator) -> None:
    with emulator.lock:
        for client in emulator.data.main.clients:
            client["brandNewField"] = {"nested": [1, 2, 3]}
    result = sync(emulator_config(emulator), streams=["clients"])
    assert len(result.records("clients")) >= len(emulator.data.main.clients)


def test_an_awkward_api_key_never_leaks(tmp_path: t.Any) -> None:
    """A key with characters that need escaping works, and appears in no output, log or state."""
    with Emulator(api_key=AWKWARD_KEY) as emulator:
        config = emulator_config(emulator, retry_backoff_ms=10, max_retries=1)
        ok = run_cli([], config=config, tmp_path=tmp_path, env={"LOGLEVEL": "DEBUG"})
        assert ok.exit_code == 0, ok.stderr[-2000:]
        assert ok.records("time_entries")
        emulator.faults.add(FaultRule("status", status=500, route="/projects"))
        failed = run_cli([], config=config, tmp_path=tmp_path, env={"LOGLEVEL": "DEBUG"})
        assert failed.exit_code == 1
    for result in (ok, failed):
        everything = result.stdout + result.stderr + json.dumps(result.final_state)
        assert AWKWARD_KEY not in everything
        assert json.dumps(AWKWARD_KEY)[1:-1] not in everything
