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

Setting = dict[str, t.Any]

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


if __name__ == "__main__":
    # `python -m tests.plugin_settings` prints the list to paste into meltano.yml or the Hub file.
    import yaml

    print(yaml.safe_dump(expected_settings(), sort_keys=False, allow_unicode=True, width=100))
