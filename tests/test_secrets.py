"""The API key goes to the configured host only, and never into logs, errors or state."""

from __future__ import annotations

import json
import logging
import typing as t
from urllib.parse import quote, quote_plus

from tap_clockify.redaction import SecretRedactor
from tests.conftest import emulator_config
from tests.emulator import Emulator, FaultRule
from tests.tap_runner import SyncResult, assert_fails_in_one_line, run_cli

#: A key like those read from files and secret stores: with a trailing newline.
KEY = "s3cr3t-k3y/with+chars"


def escaped_forms(key: str) -> list[str]:
    """The forms an error or log line could print `key` in."""
    return [
        key,
        repr(key)[1:-1],
        json.dumps(key)[1:-1],
        quote(key, safe=""),
        quote_plus(key),
        repr(key.encode())[2:-1],
    ]


def assert_never_shown(result: SyncResult, key: str) -> None:
    everything = result.stdout + result.stderr + json.dumps(result.final_state)
    for form in escaped_forms(key) + escaped_forms(key.strip()):
        assert form not in everything, form


def test_a_redirect_to_another_host_is_refused_and_never_carries_the_key(
    tmp_path: t.Any,
) -> None:
    with Emulator(api_key=KEY) as emulator, Emulator(api_key="other") as elsewhere:
        emulator.faults.add(FaultRule("redirect", route="/workspaces", location=elsewhere.base_url))
        result = run_cli([], config=emulator_config(emulator, api_key=KEY), tmp_path=tmp_path)
        assert_fails_in_one_line(
            result, "workspaces", "302", f"redirect to {elsewhere.base_url}", "api_url"
        )
        assert elsewhere.requests == []
        assert [r.status for r in emulator.requests] == [302]
    assert_never_shown(result, KEY)


def test_a_key_with_surrounding_whitespace_is_stripped_and_never_shown(tmp_path: t.Any) -> None:
    with Emulator(api_key=KEY) as emulator:
        config = emulator_config(emulator, api_key=f" {KEY}\n", retry_backoff_seconds=0.01)
        ok = run_cli([], config=config, tmp_path=tmp_path, env={"LOGLEVEL": "DEBUG"})
        assert ok.exit_code == 0, ok.stderr[-2000:]
        assert ok.records("time_entries")
        emulator.faults.add(FaultRule("status", status=500, route="/projects"))
        failed = run_cli(
            [], config={**config, "max_retries": 0}, tmp_path=tmp_path, env={"LOGLEVEL": "DEBUG"}
        )
        assert failed.exit_code == 1
    for result in (ok, failed):
        assert_never_shown(result, f" {KEY}\n")


def test_redaction_covers_the_escaped_forms_of_the_key() -> None:
    secret = f"{KEY}\n"
    redactor = SecretRedactor([secret])
    for form in escaped_forms(secret) + escaped_forms(KEY):
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "header %s", (form,), None)
        redactor.filter(record)
        assert record.getMessage() == "header ***", form


def test_an_integer_api_key_still_discovers_without_showing_it(tmp_path: t.Any) -> None:
    config = {"api_key": 987654321}
    result = run_cli(["--discover"], config=config, tmp_path=tmp_path)
    assert result.exit_code == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["streams"]
    assert "987654321" not in result.stderr


def test_an_integer_api_key_fails_a_sync_in_one_line(emulator: Emulator, tmp_path: t.Any) -> None:
    config = emulator_config(emulator, api_key=987654321)
    result = run_cli([], config=config, tmp_path=tmp_path)
    line = assert_fails_in_one_line(result, "api_key", "not text")
    assert "987654321" not in line
    assert emulator.count() == 0


def test_a_key_outside_latin_1_is_refused_in_one_line(emulator: Emulator, tmp_path: t.Any) -> None:
    key = "ключ-0123456789"
    result = run_cli([], config=emulator_config(emulator, api_key=key), tmp_path=tmp_path)
    assert_fails_in_one_line(result, "api_key", "outside Latin-1")
    assert emulator.count() == 0
    assert_never_shown(result, key)
