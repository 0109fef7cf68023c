"""The Meltano Hub definition and meltano.yml describe the tap exactly as `--about` does."""

from __future__ import annotations

import tomllib
import typing as t
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.plugin_settings import about, expected_settings, required_settings

ROOT = Path(__file__).resolve().parent.parent
HUB_FILES = sorted((ROOT / "hub" / "extractors").glob("*/*.yml"))

#: The parts of Meltano Hub's own validation (meltano/hub `schemas/plugin_definitions`)
#: that a definition can break: the keys it allows, setting kinds, and status values.
SETTING_KINDS = [
    "oauth", "hidden", "password", "date_iso8601", "file", "email", "integer",
    "options", "object", "array", "boolean", "string", "decimal",
]  # fmt: skip
HUB_CAPABILITIES = [
    "properties", "catalog", "discover", "state", "about", "stream-maps",
    "schema-flattening", "activate-version", "batch", "test", "log-based",
    "structured-logging",
]  # fmt: skip
HUB_EXTRACTOR_SCHEMA: dict[str, t.Any] = {
    "type": "object",
    "required": ["name", "namespace", "variant", "label", "description", "repo", "pip_url",
                 "capabilities", "settings", "keywords", "maintenance_status", "domain_url",
                 "logo_url"],
    "additionalProperties": False,
    "properties": {
        **{key: {"type": "string"} for key in (
            "name", "namespace", "variant", "label", "description", "repo", "pip_url",
            "executable", "logo_url", "docs", "log_parser")},
        "domain_url": {"type": "string", "pattern": "^https?://"},
        "maintenance_status": {
            "enum": ["active", "beta", "development", "inactive", "unknown"]},
        "quality": {"enum": ["gold", "silver", "bronze", "unknown"]},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "capabilities": {"type": "array", "items": {"enum": HUB_CAPABILITIES}},
        "supported_python_versions": {
            "type": "array", "items": {"type": "string", "pattern": r"^3\.\d+$"}},
        "settings_group_validation": {
            "type": "array", "items": {"type": "array", "items": {"type": "string"}}},
        "settings": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "kind", "label", "description"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "label": {"type": "string"},
                "kind": {"enum": SETTING_KINDS},
                "description": {"type": "string"},
                "value": {},
                "sensitive": {"type": "boolean"},
                "documentation": {"type": "string"},
                "placeholder": {"type": "string"},
                "options": {"type": "array", "items": {
                    "type": "object", "required": ["label", "value"]}},
            },
        }},
    },
}  # fmt: skip


def load_yaml(path: Path) -> dict[str, t.Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def meltano_extractor() -> dict[str, t.Any]:
    project = load_yaml(ROOT / "meltano.yml")
    (plugin,) = [p for p in project["plugins"]["extractors"] if p["name"] == "tap-clockify"]
    return plugin


@pytest.fixture(scope="module", params=HUB_FILES, ids=lambda p: p.stem)
def hub(request: pytest.FixtureRequest) -> dict[str, t.Any]:
    return load_yaml(request.param)


# Both definitions of the extractor: the Hub's and the development project's.
DEFINITIONS = ["hub", "meltano_yml"]


@pytest.fixture(params=DEFINITIONS)
def definition(request: pytest.FixtureRequest, hub: dict[str, t.Any]) -> dict[str, t.Any]:
    return hub if request.param == "hub" else meltano_extractor()


def test_there_is_one_hub_definition() -> None:
    assert [p.relative_to(ROOT).as_posix() for p in HUB_FILES] == [
        "hub/extractors/tap-clockify/tap-clockify.yml"
    ]


def test_hub_definition_passes_hub_validation(hub: dict[str, t.Any]) -> None:
    jsonschema.validate(hub, HUB_EXTRACTOR_SCHEMA)
    # The Hub stores `<name>/<variant>.yml`.
    assert HUB_FILES[0].parent.name == hub["name"]
    assert HUB_FILES[0].stem == hub["variant"]


def test_hub_definition_names_the_published_package(hub: dict[str, t.Any]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # The plugin and command are `tap-clockify`; the distribution has a name of its own,
    # since `tap-clockify` on PyPI is another project.
    assert hub["name"] == about()["name"] == "tap-clockify"
    assert project["name"] == "singer-tap-clockify"
    assert hub["pip_url"] == project["name"]
    assert hub["executable"] in project["scripts"]
    assert hub["repo"] == project["urls"]["Repository"]
    assert hub["supported_python_versions"] == about()["supported_python_versions"]


def test_one_description_everywhere(definition: dict[str, t.Any]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert definition["description"] == project["description"] == about()["description"]


def test_identity_and_capabilities(definition: dict[str, t.Any]) -> None:
    assert definition["name"] == "tap-clockify"
    assert definition["namespace"] == "tap_clockify"
    assert definition["executable"] == "tap-clockify"
    assert sorted(definition["capabilities"]) == sorted(about()["capabilities"])
    # What Meltano relies on to discover, select, resume and map.
    assert {"catalog", "discover", "state", "about", "stream-maps", "schema-flattening"} <= set(
        definition["capabilities"]
    )


def test_every_setting_matches_about(definition: dict[str, t.Any]) -> None:
    declared = {setting["name"]: setting for setting in definition["settings"]}
    expected = {setting["name"]: setting for setting in expected_settings()}
    hint = (
        "settings drifted from `tap-clockify --about`; regenerate them with "
        "`python -m tests.plugin_settings`"
    )
    assert sorted(declared) == sorted(expected), hint
    for name, want in expected.items():
        got = declared[name]
        for key in ("kind", "label", "description"):
            assert got[key] == want[key], f"{name}.{key}: {hint}"
        assert got.get("value") == want.get("value"), f"{name}: default differs; {hint}"
        assert bool(got.get("sensitive")) == bool(want.get("sensitive")), f"{name}: {hint}"
        if want["kind"] == "options":
            assert [o["value"] for o in got["options"]] == [o["value"] for o in want["options"]]


def test_secrets_are_sensitive_strings(definition: dict[str, t.Any]) -> None:
    secrets = [n for n, s in about()["settings"]["properties"].items() if s.get("secret")]
    assert secrets == ["api_key"]
    declared = {setting["name"]: setting for setting in definition["settings"]}
    for name in secrets:
        # `kind: password` is deprecated in Meltano: a string marked sensitive.
        assert declared[name]["kind"] == "string"
        assert declared[name]["sensitive"] is True


def test_no_setting_is_decimal(definition: dict[str, t.Any]) -> None:
    """Meltano 4.4 crashes on a `decimal` setting given as an environment variable."""
    decimals = [s["name"] for s in definition["settings"] if s["kind"] == "decimal"]
    assert decimals == []


def test_required_settings_are_validated(definition: dict[str, t.Any]) -> None:
    required = set(required_settings())
    assert required == {"api_key"}
    groups = definition["settings_group_validation"]
    assert groups, "Meltano needs settings_group_validation to report missing settings"
    for group in groups:
        assert required <= set(group)


def test_meltano_yml_installs_the_checkout_and_pins_loaders() -> None:
    project = load_yaml(ROOT / "meltano.yml")
    assert meltano_extractor()["pip_url"] == "-e ."
    loaders = {loader["name"]: loader for loader in project["plugins"]["loaders"]}
    assert set(loaders) == {"target-jsonl", "target-postgres"}
    assert loaders["target-postgres"]["pip_url"].startswith("meltanolabs-target-postgres==")
    for loader in loaders.values():
        # Every requirement pinned to one version, so runs are reproducible.
        for requirement in loader["pip_url"].split():
            assert "==" in requirement, f"{loader['name']}: {requirement} is not pinned"
    assert loaders["target-postgres"]["config"]["default_target_schema"] == "clockify"


def test_meltano_yml_has_one_line_jobs() -> None:
    project = load_yaml(ROOT / "meltano.yml")
    jobs = {job["name"]: job["tasks"] for job in project["jobs"]}
    assert jobs == {
        "clockify-to-jsonl": ["tap-clockify target-jsonl"],
        "clockify-to-postgres": ["tap-clockify target-postgres"],
    }
    assert project["default_environment"] in {env["name"] for env in project["environments"]}
