"""Bad input: one clear line naming the setting or the failure, exit code 1, no traceback."""

from __future__ import annotations

import json
import typing as t
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.tap_runner import (
    assert_fails_in_one_line,
    catalog_selecting,
    run_cli,
    sync,
    warning_lines,
)

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
        ({"start_date": "0001-01-01T00:00:00Z"}, ["start_date", "from 1970-01-01 on"]),
        ({"request_timeout": 1e12}, ["request_timeout", "from 1 to 3600"]),
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
        "start-date-year-1",
        "huge-timeout",
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


@pytest.mark.parametrize(
    ("stream", "route", "body", "fragments"),
    [
        (
            "time_entries",
            "/time-entries",
            [{"id": "e1", "timeInterval": None}],
            ["`timeInterval.start`", "ISO 8601", "'e1'", "got NoneType"],
        ),
        (
            "time_entries",
            "/time-entries",
            [{"id": "e1"}],
            ["`timeInterval.start`", "got NoneType"],
        ),
        (
            "time_entries",
            "/time-entries",
            [{"id": "e1", "timeInterval": {"start": "yesterday", "end": None}}],
            ["`timeInterval.start`", "'yesterday'", "got str"],
        ),
        (
            "approval_requests",
            "/approval-requests",
            [{"approvalRequest": {"id": "a1", "status": None}}],
            ["`approvalRequest.status.updatedAt`", "got NoneType"],
        ),
        (
            "approval_requests",
            "/approval-requests",
            [{"approvalRequest": {"status": {"updatedAt": "2024-01-01T00:00:00Z"}}}],
            ["no `approvalRequest.id`"],
        ),
        (
            "detailed_report",
            "/reports/detailed",
            {"timeentries": [{"_id": "r1", "timeInterval": None}]},
            ["`timeInterval.start`", "got NoneType"],
        ),
        (
            "expense_report",
            "/reports/expenses/detailed",
            {"expenses": [{"id": "x1", "date": 7}]},
            ["`date`", "got int"],
        ),
        (
            "audit_log",
            "/audit-log",
            [{"action": "CREATE_TAG"}],
            ["no `timestamp`"],
        ),
    ],
    ids=[
        "entry-interval-null",
        "entry-interval-missing",
        "entry-start-not-iso",
        "approval-status-null",
        "approval-id-missing",
        "report-interval-null",
        "expense-date-a-number",
        "audit-timestamp-missing",
    ],
)
def test_malformed_records_fail_in_one_line_naming_the_field(
    emulator: Emulator,
    tmp_path: t.Any,
    stream: str,
    route: str,
    body: t.Any,
    fragments: list[str],
) -> None:
    emulator.faults.add(FaultRule("status", status=200, route=route, body=body))
    config = emulator_config(emulator)
    catalog = catalog_selecting(config, [stream])
    result = run_cli([], config=config, catalog=catalog, tmp_path=tmp_path)
    assert_fails_in_one_line(result, f"{stream}: unexpected response from", *fragments)


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


def test_an_integer_setting_from_the_environment_that_is_not_a_number(
    emulator: Emulator, tmp_path: t.Any
) -> None:
    config_path = tmp_path / "base.json"
    config_path.write_text(json.dumps(emulator_config(emulator)))
    result = run_cli(
        ["--config", str(config_path), "--config", "ENV"],
        tmp_path=tmp_path,
        env={"TAP_CLOCKIFY_PAGE_SIZE": "abc"},
    )
    assert_fails_in_one_line(result, "TAP_CLOCKIFY_PAGE_SIZE", "whole number", "page_size", "'abc'")
    assert emulator.count() == 0


@pytest.mark.parametrize(
    ("option", "content", "fragments"),
    [
        ("config", None, ["--config", "no such file"]),
        ("config", "{", ["--config", "not valid JSON"]),
        ("config", "[]", ["--config", "expected a JSON object (got list)"]),
        ("catalog", None, ["--catalog", "no such file"]),
        ("catalog", "{", ["--catalog", "not valid JSON"]),
        ("catalog", '{"streams": {}}', ["--catalog", "streams: expected a list"]),
        ("state", None, ["--state", "no such file"]),
        ("state", "", ["--state", "the file is empty"]),
        ("state", "{", ["--state", "not valid JSON"]),
    ],
    ids=[
        "config-missing",
        "config-not-json",
        "config-a-list",
        "catalog-missing",
        "catalog-not-json",
        "catalog-streams-not-a-list",
        "state-missing",
        "state-empty",
        "state-not-json",
    ],
)
def test_unusable_input_files_fail_in_one_line(
    emulator: Emulator,
    tmp_path: t.Any,
    option: str,
    content: str | None,
    fragments: list[str],
) -> None:
    path = tmp_path / f"given-{option}.json"
    if content is not None:
        path.write_text(content)
    args = [f"--{option}", str(path)]
    if option != "config":
        config_path = tmp_path / "base.json"
        config_path.write_text(json.dumps(emulator_config(emulator)))
        args += ["--config", str(config_path)]
    result = run_cli(args, tmp_path=tmp_path)
    assert_fails_in_one_line(result, str(path), *fragments)
    assert emulator.count() == 0


def time_entries_partition(**values: t.Any) -> dict[str, t.Any]:
    """A time_entries state with one partition holding `values`."""
    context = {"workspace_id": "5c32a54e9ae1f428e700000e", "user_id": "5c32a54e9ae1f428e7000001"}
    return {"bookmarks": {"time_entries": {"partitions": [{"context": context, **values}]}}}


@pytest.mark.parametrize(
    ("state", "fragments"),
    [
        ([], ["state", "expected a JSON object (got list)"]),
        ({"bookmarks": []}, ["state: bookmarks", "expected an object"]),
        ({"bookmarks": {"time_entries": "x"}}, ["bookmarks.time_entries", "expected an object"]),
        (
            {"bookmarks": {"time_entries": {"partitions": {"a": 1}}}},
            ["bookmarks.time_entries.partitions", "expected a list"],
        ),
        (
            time_entries_partition(replication_key="started_at", replication_key_value=5),
            ["time_entries", "replication_key_value", "ISO 8601", "(got 5)"],
        ),
        (
            time_entries_partition(replication_key_value="yesterday"),
            ["time_entries", "replication_key_value", "'yesterday'"],
        ),
        (
            time_entries_partition(open_timer_started_at="not a time"),
            ["time_entries", "open_timer_started_at", "'not a time'"],
        ),
        (
            {
                "bookmarks": {
                    "detailed_report": {
                        "partitions": [{"context": {"workspace_id": "w"}, "read_until": "soon"}]
                    }
                }
            },
            ["detailed_report", "read_until", "'soon'"],
        ),
    ],
    ids=[
        "not-an-object",
        "bookmarks-a-list",
        "stream-state-a-string",
        "partitions-an-object",
        "bookmark-a-number",
        "bookmark-not-a-date",
        "open-timer-garbage",
        "read-until-garbage",
    ],
)
def test_broken_state_fails_in_one_line_naming_stream_and_key(
    emulator: Emulator,
    tmp_path: t.Any,
    state: t.Any,
    fragments: list[str],
) -> None:
    result = run_cli([], config=emulator_config(emulator), state=state, tmp_path=tmp_path)
    assert_fails_in_one_line(result, *fragments)
    assert emulator.count() == 0


def test_an_empty_partitions_object_is_ignored_with_a_warning(
    emulator: Emulator, tmp_path: t.Any
) -> None:
    state: dict[str, t.Any] = {"bookmarks": {"time_entries": {"partitions": {}}}}
    result = run_cli([], config=emulator_config(emulator), state=state, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert any("partitions: empty and not a list; ignored" in w for w in warning_lines(result))
    assert len(result.records("time_entries")) == len(emulator.data.main.entries()) + len(
        emulator.data.second.entries()
    ) + len(emulator.data.tiny.entries())


def test_a_bookmark_in_the_future_is_clamped_with_a_warning(
    emulator: Emulator, tmp_path: t.Any
) -> None:
    ws = emulator.data.main
    user = ws.users[0]["id"]
    state = {
        "bookmarks": {
            "time_entries": {
                "partitions": [
                    {
                        "context": {"workspace_id": ws.id, "user_id": user},
                        "replication_key": "started_at",
                        "replication_key_value": "2099-01-01T00:00:00Z",
                    }
                ]
            }
        }
    }
    # Without change tracking, whose first run would read every member in full.
    config = emulator_config(emulator, change_tracking=False)
    result = run_cli([], config=config, state=state, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert any("2099-01-01T00:00:00Z is in the future; clamped" in w for w in warning_lines(result))
    starts = [
        r.query["start"][0] for r in emulator.requests if f"/user/{user}/time-entries" in r.path
    ]
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert starts
    assert all(start < now for start in starts)
    assert result.final_state["bookmarks"]["time_entries"]["partitions"]


def test_unknown_settings_get_one_warning_each(emulator: Emulator, tmp_path: t.Any) -> None:
    config = emulator_config(emulator, page_sise=100, startdate="2024-01-01")
    result = run_cli([], config=config, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    unknown = [line for line in warning_lines(result) if "Unknown setting" in line]
    assert len(unknown) == 2, unknown
    assert "'page_sise'" in unknown[0]
    assert "'startdate'" in unknown[1]


def test_an_empty_catalog_gets_a_warning(emulator: Emulator, tmp_path: t.Any) -> None:
    result = run_cli(
        [], config=emulator_config(emulator), catalog={"streams": []}, tmp_path=tmp_path
    )
    assert result.exit_code == 0, result.stderr[-3000:]
    assert any("lists no streams" in line for line in warning_lines(result))
    assert emulator.count() == 0


def test_a_key_that_sees_no_workspace_gets_a_warning(emulator: Emulator, tmp_path: t.Any) -> None:
    emulator.api_keys[emulator.api_key] = []
    result = run_cli([], config=emulator_config(emulator), tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-3000:]
    assert not result.records("workspaces")
    warnings = warning_lines(result)
    assert len(warnings) == 1, warnings
    assert "sees no workspace" in warnings[0]
