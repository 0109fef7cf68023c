"""The Meltano setting definitions that `tap-clockify --about --format=json` implies.

Meltano Hub and `meltano.yml` describe the tap's settings in Meltano's own terms (a flat
list of dotted names, each with a `kind`). This module derives that list from the tap's
JSON schema, so tests can hold both files to what the tap really accepts.
"""

from __future__ import annotations

import json
import subprocess
import sys
import typing as t
from functools import cache
from pathlib import Path

import yaml

Setting = dict[str, t.Any]

ROOT = Path(__file__).resolve().parent.parent
HUB_FILE = ROOT / "hub" / "extractors" / "tap-clockify" / "tap-clockify.yml"
MELTANO_FILE = ROOT / "meltano.yml"
HUB_HEADER = """\
# Meltano Hub definition of tap-clockify: submit it to meltano/hub as
# _data/meltano/extractors/tap-clockify/tap-clockify.yml (with hub/maintainers.yml's entry in
# _data/maintainers.yml). tests/test_hub.py validates it with the Hub's own schema and yamllint
# rules, and keeps it equal to `tap-clockify --about`: `python -m tests.plugin_settings --write`
# regenerates it (keys in alphabetical order, as the Hub's yamllint requires).
"""

#: Objects whose sub-properties are free-form (keys are stream names or user keys), so
#: Meltano takes them whole as one `object` setting, as the Hub's own definitions do.
WHOLE_OBJECTS = frozenset({"stream_maps", "stream_map_config"})

SIMPLE_KINDS = {
    "string": "string",
    "integer": "integer",
    "number": "decimal",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}


@cache
def about() -> dict[str, t.Any]:
    """`tap-clockify --about --format=json`, run the way Meltano runs the tap."""
    process = subprocess.run(
        [sys.executable, "-m", "tap_clockify", "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(process.stdout)


def json_types(schema: dict[str, t.Any]) -> set[str]:
    """Every non-null JSON type a schema admits, through `anyOf`/`oneOf` branches."""
    found: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        found.add(declared)
    elif isinstance(declared, list):
        found.update(declared)
    for branch in [*schema.get("anyOf", []), *schema.get("oneOf", [])]:
        if isinstance(branch, dict):
            found |= json_types(branch)
    found.discard("null")
    return found


def setting_kind(schema: dict[str, t.Any]) -> str:
    """Meltano's `kind` for one property schema."""
    if schema.get("secret"):
        # `kind: password` is deprecated: a secret is a string with `sensitive: true`.
        return "string"
    if "enum" in schema:
        return "options"
    types = json_types(schema)
    if types == {"string"} and schema.get("format") == "date-time":
        return "date_iso8601"
    if len(types) == 1:
        return SIMPLE_KINDS[types.pop()]
    # A union such as Faker's locale (a string or a list of them) is entered as a list;
    # any other union (Faker's seed: number, string or boolean) is entered as text.
    return "array" if "array" in types else "string"


def label_from_name(name: str) -> str:
    """`batch_config.encoding.format` -> `Batch Config Encoding Format` (the Hub's style)."""
    return " ".join(word.capitalize() for word in name.replace(".", "_").split("_") if word)


def expected_settings(about_json: dict[str, t.Any] | None = None) -> list[Setting]:
    """Meltano setting definitions for every setting the tap documents, in schema order."""
    schema = (about_json or about())["settings"]
    settings: list[Setting] = []
    _collect(schema.get("properties", {}), "", settings)
    return settings


def _collect(properties: dict[str, t.Any], prefix: str, out: list[Setting]) -> None:
    for key, schema in properties.items():
        name = f"{prefix}{key}"
        nested = schema.get("properties")
        if nested and json_types(schema) == {"object"} and name not in WHOLE_OBJECTS:
            _collect(nested, f"{name}.", out)
            continue
        setting: Setting = {
            "name": name,
            "label": schema.get("title") or label_from_name(name),
            "kind": setting_kind(schema),
            "description": schema.get("description", ""),
        }
        if schema.get("secret"):
            setting["sensitive"] = True
        if "enum" in schema:
            setting["options"] = [{"label": value, "value": value} for value in schema["enum"]]
        if "default" in schema:
            setting["value"] = schema["default"]
        out.append(setting)


def required_settings(about_json: dict[str, t.Any] | None = None) -> list[str]:
    """Names of the settings the tap's schema requires."""
    return list((about_json or about())["settings"].get("required", []))


def with_option_labels(current: list[Setting]) -> list[Setting]:
    """`expected_settings()`, keeping the friendlier option labels `current` gives a value."""
    labels = {
        (setting["name"], option["value"]): option["label"]
        for setting in current
        for option in setting.get("options", [])
    }
    fresh = expected_settings()
    for setting in fresh:
        for option in setting.get("options", []):
            option["label"] = labels.get((setting["name"], option["value"]), option["label"])
    return fresh


def hub_yaml(definition: dict[str, t.Any]) -> str:
    """The Hub file's text: every mapping's keys in order, settings sorted by name."""
    settings = with_option_labels(definition.get("settings", []))
    fresh = {
        **definition,
        "description": about()["description"],
        "settings": sorted(settings, key=lambda setting: setting["name"]),
        "supported_python_versions": about()["supported_python_versions"],
    }
    return HUB_HEADER + yaml.safe_dump(fresh, sort_keys=True, allow_unicode=True, width=100)


def meltano_yml(text: str) -> str:
    """meltano.yml's text with the tap's settings list regenerated (comments kept)."""
    lines = text.split("\n")
    start = lines.index("    settings:") + 1
    end = start
    while lines[end].startswith("    - ") or lines[end].startswith("      "):
        end += 1
    current = next(
        plugin
        for plugin in yaml.safe_load(text)["plugins"]["extractors"]
        if plugin["name"] == "tap-clockify"
    )
    settings = with_option_labels(current["settings"])
    block = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=100)
    lines[start:end] = ["    " + line for line in block.rstrip("\n").split("\n")]
    return "\n".join(lines)


def write() -> None:
    """Rewrite the Hub file and meltano.yml's settings from `tap-clockify --about`."""
    HUB_FILE.write_text(hub_yaml(yaml.safe_load(HUB_FILE.read_text(encoding="utf-8"))))
    MELTANO_FILE.write_text(meltano_yml(MELTANO_FILE.read_text(encoding="utf-8")))


if __name__ == "__main__":
    # `python -m tests.plugin_settings` prints the list to paste into meltano.yml;
    # `--write` regenerates the Hub file and meltano.yml's settings in place.
    if "--write" in sys.argv[1:]:
        write()
    else:
        print(yaml.safe_dump(expected_settings(), sort_keys=False, allow_unicode=True, width=100))
