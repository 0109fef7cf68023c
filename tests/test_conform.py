"""Records keep exactly the fields their schema declares, however many Clockify sends."""

from __future__ import annotations

import pytest

from tap_clockify.conform import SchemaPruner
from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.tap_runner import assert_valid_against_schemas, sync


def test_undeclared_fields_are_left_out_with_one_warning(
    emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ws = emulator.data.main
    for client in ws.clients:
        client["brandNewField"] = {"nested": 1}
    for entries in ws.time_entries.values():
        for entry in entries:
            entry["timeInterval"]["zone"] = "UTC"
            for value in entry["customFieldValues"]:
                value["extra"] = True
    result = sync(
        emulator_config(emulator), streams=["workspaces", "clients", "users", "time_entries"]
    )
    assert_valid_against_schemas(result, ["clients", "time_entries"])
    assert result.records("clients")
    assert result.records("time_entries")
    assert all("brandNewField" not in r for r in result.records("clients"))
    assert all("zone" not in r["timeInterval"] for r in result.records("time_entries"))
    warnings = [r.getMessage() for r in caplog.records if "does not declare" in r.getMessage()]
    assert any("clients" in w and "brandNewField" in w for w in warnings)
    assert any("timeInterval.zone" in w for w in warnings)
    assert len(warnings) == len(set(warnings))


def test_a_schema_open_to_any_property_keeps_them() -> None:
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "open": {"type": ["object", "null"], "properties": {}, "additionalProperties": True},
            "rows": {
                "type": "array",
                "items": {"anyOf": [{"type": "object", "properties": {"a": {}}}]},
            },
        },
    }
    record = {"id": "x", "open": {"any": 1}, "rows": [{"a": 1, "b": 2}], "gone": 3}
    dropped = SchemaPruner.compile(schema).prune(record)
    assert record == {"id": "x", "open": {"any": 1}, "rows": [{"a": 1}]}
    assert sorted(dropped) == ["gone", "rows.b"]
