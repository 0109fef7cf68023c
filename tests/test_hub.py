"""The Meltano Hub definition and meltano.yml describe the tap exactly as `--about` does."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
import typing as t
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from yamllint import linter
from yamllint.config import YamlLintConfig

from tests.meltano_runner import meltano_executable
from tests.plugin_settings import about, expected_settings, required_settings

ROOT = Path(__file__).resolve().parent.parent
HUB_FILES = sorted((ROOT / "hub" / "extractors").glob("*/*.yml"))

#: Meltano Hub's own JSON schemas and yamllint rules, vendored unmodified (see its README).
HUB_CHECKS = Path(__file__).resolve().parent / "hub_schemas"
MAINTAINERS_FILE = ROOT / "hub" / "maintainers.yml"


def hub_validator() -> Draft7Validator:
    """The Hub's extractor validator: every schema in one registry, formats checked."""
    schemas = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((HUB_CHECKS / "schemas").rglob("*.schema.json"))
    ]
    registry: Registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas
    )
    (extractors,) = [s for s in schemas if s["$id"] == "extractors.schema.json"]
    return Draft7Validator(extractors, registry=registry, format_checker=FormatChecker())


def hub_schema_errors(definition: dict[str, t.Any]) -> list[str]:
    """Every error the Hub's schema validation reports, as `path: message`."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in hub_validator().iter_errors(definition)
    ]


def hub_lint_errors(path: Path) -> list[str]:
    """Every problem the Hub's yamllint configuration finds in `path`."""
    config = YamlLintConfig(file=str(HUB_CHECKS / "yamllint.yaml"))
    problems = linter.run(path.read_text(encoding="utf-8"), config, str(path))
    return [f"{path.name}:{p.line}:{p.column} {p.message} ({p.rule})" for p in problems]


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


def test_hub_definition_passes_the_hubs_schema(hub: dict[str, t.Any]) -> None:
    errors = hub_schema_errors(hub)
    assert errors == [], errors
    # The Hub stores `<name>/<variant>.yml`.
    assert HUB_FILES[0].parent.name == hub["name"]
    assert HUB_FILES[0].stem == hub["variant"]


def test_the_hubs_schema_is_the_real_one(hub: dict[str, t.Any]) -> None:
    """The vendored validator rejects what the Hub rejects (so it cannot pass vacuously)."""
    without_quality = {key: value for key, value in hub.items() if key != "quality"}
    assert hub_schema_errors(without_quality) == ["<root>: 'quality' is a required property"]
    bad_kind = {**hub, "settings": [{**hub["settings"][0], "kind": "secret"}]}
    assert [e for e in hub_schema_errors(bad_kind) if e.startswith("settings/0/kind")]
    assert hub_schema_errors({**hub, "homepage": "https://clockify.me"})


@pytest.mark.parametrize(
    "path", [*HUB_FILES, MAINTAINERS_FILE], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_hub_files_pass_the_hubs_yamllint(path: Path) -> None:
    errors = hub_lint_errors(path)
    assert errors == [], "python -m tests.plugin_settings --write fixes the Hub file's key order"


def test_the_hubs_yamllint_orders_keys(tmp_path: Path) -> None:
    unordered = tmp_path / "unordered.yml"
    unordered.write_text("name: tap-clockify\nlabel: Clockify\n", encoding="utf-8")
    assert [e for e in hub_lint_errors(unordered) if "(key-ordering)" in e]


def test_the_variant_has_a_maintainers_entry(hub: dict[str, t.Any]) -> None:
    maintainers = load_yaml(MAINTAINERS_FILE)
    entry = maintainers[hub["variant"]]
    assert entry["name"] == hub["variant"]
    assert entry["label"]
    assert hub["repo"].startswith(entry["url"])


def test_hub_selects_what_meltano_yml_selects(hub: dict[str, t.Any]) -> None:
    assert hub["select"] == meltano_extractor()["select"]


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
        "`python -m tests.plugin_settings --write`"
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


def test_loaders_are_locked_hub_variants() -> None:
    """Loaders as `meltano add loader NAME --variant V` writes them: a lock file, no inline copy."""
    project = load_yaml(ROOT / "meltano.yml")
    variants = {loader["name"]: loader.get("variant") for loader in project["plugins"]["loaders"]}
    assert variants == {"target-jsonl": "andyh1203", "target-postgres": "meltanolabs"}
    for loader in project["plugins"]["loaders"]:
        # The definition comes from the lock file, as for any Hub plugin.
        assert not {"namespace", "settings", "executable", "capabilities"} & set(loader)
        lock_file = ROOT / "plugins" / "loaders" / f"{loader['name']}--{loader['variant']}.lock"
        lock = json.loads(lock_file.read_text(encoding="utf-8"))
        assert (lock["plugin_type"], lock["name"], lock["variant"]) == (
            "loaders", loader["name"], loader["variant"],
        )  # fmt: skip
        # Hub definitions install the latest release; meltano.yml pins one of the same package.
        assert loader["pip_url"].split("==")[0] == lock["pip_url"]
        assert {setting["name"] for setting in lock["settings"]} >= set(loader["config"])
        assert not [s for s in lock["settings"] if s.get("kind") == "password"]
    locks = sorted(p.name for p in (ROOT / "plugins").rglob("*.lock"))
    assert locks == ["target-jsonl--andyh1203.lock", "target-postgres--meltanolabs.lock"]


def test_meltano_yml_has_one_line_jobs() -> None:
    project = load_yaml(ROOT / "meltano.yml")
    jobs = {job["name"]: job["tasks"] for job in project["jobs"]}
    assert jobs == {
        "clockify-to-jsonl": ["tap-clockify target-jsonl"],
        "clockify-to-postgres": ["tap-clockify target-postgres"],
    }
    assert project["default_environment"] in {env["name"] for env in project["environments"]}


@pytest.mark.meltano
def test_meltano_adds_the_hub_definition(tmp_path: Path, hub: dict[str, t.Any]) -> None:
    """The README's `meltano add … --from-ref` gives a new project the tap from this file."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MELTANO_", "TAP_"))},
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
    }

    def meltano(*args: str, cwd: Path) -> str:
        process = subprocess.run(
            [meltano_executable(), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert process.returncode == 0, (process.stdout + process.stderr)[-3000:]
        return process.stdout

    meltano("init", "project", "--no-usage-stats", cwd=tmp_path)
    project = tmp_path / "project"
    hub_file = str(HUB_FILES[0])
    meltano("add", "--plugin-type", "extractor", "--from-ref", hub_file, "--no-install",
            "tap-clockify", cwd=project)  # fmt: skip
    (added,) = load_yaml(project / "meltano.yml")["plugins"]["extractors"]
    assert (added["name"], added["variant"]) == ("tap-clockify", hub["variant"])
    assert added["pip_url"] == hub["pip_url"]
    listed = meltano("config", "list", "tap-clockify", "--all", cwd=project)
    assert "retry_backoff_ms" in listed
