"""Every numeric and boolean setting works through Meltano from environment variables alone.

CI and orchestrators configure a run through `TAP_CLOCKIFY_*` variables. Meltano 4.4 crashes
on a `decimal` setting given that way, so the tap declares whole numbers and booleans only;
this runs the real `meltano config print` and `meltano run` with all of them in the
environment, none in meltano.yml.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import pytest

from tests.emulator import Emulator
from tests.meltano_runner import MeltanoProject, install_plugins
from tests.plugin_settings import expected_settings

pytestmark = pytest.mark.meltano

#: Values other than the defaults, small enough for a quick run against the emulator.
#: A numeric or boolean setting missing here is still passed, with its default value.
CHOSEN: dict[str, int | bool] = {
    "approval_requests_include_entries": True,
    "invoice_details": True,
    "log_metrics": True,
    "scheduling_horizon_days": 30,
    "lookback_days": 3,
    "page_size": 50,
    "max_requests_per_second": 500,
    "request_timeout": 30,
    "max_retries": 2,
    "retry_backoff_ms": 10,
    "max_rate_limit_wait_seconds": 30,
    "report_window_days": 7,
    # Flattening changes the record shapes; target-jsonl loads only unflattened ones (the
    # SDK flattens the string|number|… custom-field values into strings' schemas).
    "flattening_enabled": False,
    "flattening_max_depth": 1,
    "flattening_max_key_length": 200,
}


def typed_settings() -> dict[str, int | bool]:
    """Every integer and boolean setting the tap declares, with the value the test gives it."""
    values: dict[str, int | bool] = {}
    for setting in expected_settings():
        name = setting["name"]
        if setting["kind"] == "boolean":
            values[name] = CHOSEN[name] if name in CHOSEN else setting.get("value", False)
        elif setting["kind"] == "integer":
            values[name] = CHOSEN[name] if name in CHOSEN else setting.get("value", 1)
    return values


def environment(values: dict[str, int | bool]) -> dict[str, str]:
    """`TAP_CLOCKIFY_<NAME>` variables as a shell would set them."""
    return {
        f"TAP_CLOCKIFY_{name.upper().replace('.', '__')}": (
            str(value).lower() if isinstance(value, bool) else str(value)
        )
        for name, value in values.items()
    }


def test_every_numeric_and_boolean_setting_from_the_environment(
    emulator: Emulator, tmp_path: Path
) -> None:
    values = typed_settings()
    # The settings this test was written for are all covered (others may join them).
    assert set(CHOSEN) <= set(values), sorted(set(CHOSEN) - set(values))
    env = environment(values)
    project = MeltanoProject(tmp_path, emulator, env=env)

    printed = project.run("config", "print", "tap-clockify").stdout
    config: dict[str, t.Any] = json.loads(printed[printed.index("{") :])
    for name, value in values.items():
        assert config[name] == value, f"{name}: {config.get(name)!r} from {env}"
        assert type(config[name]) is type(value), f"{name}: {config[name]!r} is not {value!r}"

    install_plugins(project)
    run = project.run("run", "tap-clockify", "target-jsonl")
    log = run.stdout + run.stderr

    # The tap received the values, as the emulator and the output show.
    page_sizes = {int(r.query["page-size"][0]) for r in emulator.requests if "page-size" in r.query}
    assert 50 in page_sizes, page_sizes
    assert max(page_sizes) <= 50, page_sizes
    assert emulator.count(route="/workspaces/{workspaceId}/invoices/{invoiceId}") > 0
    assert "METRIC" in log
    approvals = (tmp_path / "output" / "approval_requests.jsonl").read_text(encoding="utf-8")
    loaded = [json.loads(line) for line in approvals.splitlines()]
    assert loaded, "no approval requests loaded"
    assert all("entries" in request for request in loaded)
