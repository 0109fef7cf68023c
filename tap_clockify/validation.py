"""Configuration checks run before any request: one message per problem, naming the setting."""

from __future__ import annotations

import ipaddress
import re
import typing as t
from datetime import UTC, datetime
from urllib.parse import urlparse

from tap_clockify.settings import CONFIG_SCHEMA, REGIONS
from tap_clockify.streams.reports import validate_report_settings
from tap_clockify.timestamps import parse_timestamp

URL_SETTINGS = ("api_url", "reports_url", "auditlog_url")
LOCAL_HOSTS = {"localhost"}
#: HTTP header values are sent as Latin-1: the API key must be printable within it.
LATIN_1_MAX = 0xFF
#: The earliest `start_date` accepted: older dates hold no Clockify data, and the
#: earliest (year 1) would overflow the date arithmetic of the request windows.
EARLIEST_START = datetime(1970, 1, 1, tzinfo=UTC)
#: Clockify ids are 24-hex Mongo ObjectIds.
CLOCKIFY_ID = re.compile(r"[0-9a-fA-F]{24}")


def config_problems(config: t.Mapping[str, t.Any]) -> list[str]:
    """Everything wrong with `config`, each as `setting: what is expected (got …)`."""
    problems: list[str] = []
    problems.append(api_key_problem(config.get("api_key")))
    region = config.get("region")
    if region and region not in REGIONS:
        problems.append(f"region: expected one of {', '.join(REGIONS)} (got {region!r})")
    problems.extend(url_problem(name, config[name]) for name in URL_SETTINGS if config.get(name))
    if config.get("start_date"):
        problems.append(start_date_problem(config["start_date"]))
    problems.extend(workspace_id_problems(config.get("workspace_ids")))
    problems.extend(validate_report_settings(config))
    reported = {problem.split(":", 1)[0] for problem in problems if problem}
    problems.extend(
        typed_setting_problem(name, config[name], schema)
        for name, schema in CONFIG_SCHEMA["properties"].items()
        if config.get(name) is not None and name not in reported
    )
    return [problem for problem in problems if problem]


def typed_setting_problem(name: str, value: t.Any, schema: t.Mapping[str, t.Any]) -> str:
    """What is wrong with an integer or boolean setting, or '' (other types pass)."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or ())
    if "boolean" in types:
        return "" if isinstance(value, bool) else f"{name}: expected true or false (got {value!r})"
    if "integer" not in types:
        return ""
    low, high = schema.get("minimum"), schema.get("maximum")
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and float(value).is_integer()
        and (low is None or value >= low)
        and (high is None or value <= high)
    ):
        return ""
    unit = re.search(r"\((\w+)\)$", schema.get("title", ""))
    expected = "a whole number" + (f" of {unit.group(1)}" if unit else "")
    if low is not None and high is not None:
        expected += f" from {low} to {high}"
    elif low is not None:
        expected += f", at least {low}"
    return f"{name}: expected {expected} (got {value!r})"


def api_key_problem(value: t.Any) -> str:
    """What is wrong with `api_key`, or '' (the key itself never appears in the message)."""
    expected = "api_key: expected a Clockify API key (Clockify → Profile settings → API)"
    if not isinstance(value, str):
        return f"{expected}; it is {'missing' if value is None else 'not text'}"
    key = value.strip()
    if not key:
        return f"{expected}; it is missing or empty"
    if not all(char.isprintable() and ord(char) <= LATIN_1_MAX for char in key):
        return (
            f"{expected}; it contains a character an HTTP header cannot carry (a control "
            "character, or a letter outside Latin-1): check it was copied whole and alone"
        )
    return ""


def url_problem(name: str, value: t.Any) -> str:
    """What is wrong with a base URL setting, or ''."""
    parsed = urlparse(str(value))
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        return (
            f"{name}: expected an absolute https:// URL such as "
            f"https://api.clockify.me/api/v1 (got {value!r})"
        )
    if parsed.scheme == "http" and not is_local(parsed.hostname):
        return (
            f"{name}: expected an https:// URL; plain http:// is only allowed for localhost "
            f"(got {value!r})"
        )
    return ""


def is_local(host: str) -> bool:
    """Whether `host` is this machine (localhost or a loopback address)."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start_date_problem(value: t.Any) -> str:
    """What is wrong with `start_date`, or ''."""
    try:
        moment = parse_timestamp(str(value))
    except ValueError:
        return f"start_date: expected an ISO 8601 date such as 2024-01-01T00:00:00Z (got {value!r})"
    if moment > datetime.now(UTC):
        return f"start_date: expected a date in the past (got {value!r}, which is in the future)"
    if moment < EARLIEST_START:
        return (
            f"start_date: expected a date from {EARLIEST_START:%Y-%m-%d} on (got {value!r}); "
            "leave it empty to read all history"
        )
    return ""


def workspace_id_problems(value: t.Any) -> list[str]:
    """What is wrong with `workspace_ids` as given (whether the key sees them is checked later)."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [f"workspace_ids: expected a list of workspace ids (got {value!r})"]
    return [
        f"workspace_ids: expected 24-character Clockify workspace ids (got {item!r})"
        for item in value
        if not isinstance(item, str) or not CLOCKIFY_ID.fullmatch(item)
    ]
