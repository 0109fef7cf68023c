"""Settings: hosts chosen from region and URL overrides, and what `--about` documents."""

from __future__ import annotations

import json
import typing as t

import pytest

from tap_clockify.settings import resolve_endpoints, retry_backoff_seconds
from tests.tap_runner import run_cli

ISSUE_SETTINGS = (
    "api_key",
    "workspace_ids",
    "region",
    "api_url",
    "reports_url",
    "start_date",
    "lookback_days",
    "page_size",
    "max_requests_per_second",
)


def test_global_hosts_by_default() -> None:
    endpoints = resolve_endpoints({"api_key": "k"})
    assert endpoints.api_url == "https://api.clockify.me/api/v1"
    assert endpoints.reports_url == "https://reports.api.clockify.me/v1"
    assert endpoints.auditlog_url == "https://auditlog-api.api.clockify.me/v1"


@pytest.mark.parametrize("region", ["euc1", "use2", "euw2", "apse2"])
def test_region_selects_regional_hosts(region: str) -> None:
    endpoints = resolve_endpoints({"region": region})
    assert endpoints.api_url == f"https://{region}.clockify.me/api/v1"
    # Regional reports live under the path form /report/v1, not a `reports.` host.
    assert endpoints.reports_url == f"https://{region}.clockify.me/report/v1"


def test_explicit_urls_win_over_region() -> None:
    endpoints = resolve_endpoints(
        {
            "region": "euc1",
            "api_url": "https://acme.clockify.me/api/v1/",
            "reports_url": "https://acme.clockify.me/report/v1",
        },
    )
    assert endpoints.api_url == "https://acme.clockify.me/api/v1"
    assert endpoints.reports_url == "https://acme.clockify.me/report/v1"


@pytest.mark.parametrize(
    ("config", "seconds"),
    [
        ({}, 1.0),
        ({"retry_backoff_ms": 250}, 0.25),
        # Config files written before `retry_backoff_ms` keep their (decimal) seconds.
        ({"retry_backoff_seconds": 0.01}, 0.01),
        ({"retry_backoff_ms": 2000, "retry_backoff_seconds": 0.01}, 2.0),
    ],
)
def test_retry_backoff_in_milliseconds_or_the_older_seconds(
    config: dict[str, t.Any], seconds: float
) -> None:
    assert retry_backoff_seconds(config) == seconds


def test_numeric_settings_are_whole_numbers(tmp_path: t.Any) -> None:
    """Meltano cannot pass a decimal setting from the environment, so the tap has none."""
    result = run_cli(["--about", "--format=json"], tmp_path=tmp_path)
    properties = json.loads(result.stdout)["settings"]["properties"]
    numbers = [name for name, schema in properties.items() if "number" in str(schema.get("type"))]
    assert numbers == []


def test_about_markdown_lists_every_setting(tmp_path: t.Any) -> None:
    result = run_cli(["--about", "--format=markdown"], tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr
    for setting in ISSUE_SETTINGS:
        assert f"| {setting} |" in result.stdout


def test_about_json_marks_the_key_secret(tmp_path: t.Any) -> None:
    result = run_cli(["--about", "--format=json"], tmp_path=tmp_path)
    about = json.loads(result.stdout)
    api_key = about["settings"]["properties"]["api_key"]
    assert api_key.get("secret") is True
    assert about["settings"]["required"] == ["api_key"]
