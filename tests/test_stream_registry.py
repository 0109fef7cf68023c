"""Every registered stream has its schema file, and Meltano selects what the tap selects."""

from __future__ import annotations

import fnmatch
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tap_clockify import schemas
from tap_clockify.streams import STREAM_TYPES

ROOT = Path(__file__).resolve().parent.parent
#: Plugin definitions whose `select` rules must leave out what the tap leaves out.
PLUGIN_FILES = {
    "meltano.yml": lambda doc: next(
        e for e in doc["plugins"]["extractors"] if e["name"] == "tap-clockify"
    ),
    "hub/extractors/tap-clockify/tap-clockify.yml": lambda doc: doc,
}

STREAM_NAMES = [stream.name for stream in STREAM_TYPES]


def selected_by_rules(rules: list[str], stream: str) -> bool:
    """Whether Meltano's `select` rules select `stream` (whole-stream rules only).

    A stream is selected when an include rule names it and no `!stream.*` rule removes it.
    """
    included = excluded = False
    for rule in rules:
        negated = rule.startswith("!")
        stream_pattern, _, property_pattern = rule.removeprefix("!").partition(".")
        assert property_pattern == "*", f"rule {rule!r}: expected `stream.*` rules only"
        if fnmatch.fnmatchcase(stream, stream_pattern):
            excluded, included = (True, included) if negated else (excluded, True)
    return included and not excluded


def test_stream_names_are_unique() -> None:
    assert len(set(STREAM_NAMES)) == len(STREAM_NAMES)


def test_every_stream_has_its_schema_file_and_every_file_a_stream() -> None:
    files = {
        entry.name.removesuffix(".json")
        for entry in resources.files(schemas).iterdir()
        if entry.name.endswith(".json")
    }
    assert set(STREAM_NAMES) - files == set(), "streams without a schema file"
    assert files - set(STREAM_NAMES) == set(), "schema files without a stream"


@pytest.mark.parametrize("plugin_file", sorted(PLUGIN_FILES))
def test_select_rules_leave_out_exactly_the_opt_in_streams(plugin_file: str) -> None:
    document = yaml.safe_load((ROOT / plugin_file).read_text(encoding="utf-8"))
    rules = PLUGIN_FILES[plugin_file](document)["select"]
    by_rules = {name for name in STREAM_NAMES if selected_by_rules(rules, name)}
    by_tap = {stream.name for stream in STREAM_TYPES if stream.selected_by_default}
    assert by_rules == by_tap


def test_rules_are_read_as_meltano_reads_them() -> None:
    rules = ["*.*", "!detailed_*.*", "!audit_log.*"]
    assert selected_by_rules(rules, "projects")
    assert not selected_by_rules(rules, "detailed_report")
    assert not selected_by_rules(rules, "audit_log")
    assert not selected_by_rules(["projects.*"], "tasks")
