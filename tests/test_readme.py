"""README.md's generated tables are current, and it documents what a newcomer needs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from tests.plugin_settings import about

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    start = README.index(f"<!-- {name}:start -->")
    return README[start : README.index(f"<!-- {name}:end -->", start)]


def test_generated_tables_are_current() -> None:
    process = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update-readme"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr


def test_settings_table_lists_every_setting() -> None:
    settings = about()["settings"]
    table = section("settings")
    for name in settings["properties"]:
        assert f"\n| {name} |" in table, f"{name} missing from the README's settings"
    assert "| api_key | True |" in table


def test_streams_table_names_every_stream() -> None:
    discovered = subprocess.run(
        [sys.executable, "-m", "tap_clockify", "--discover", "--config", "ENV"],
        env={"TAP_CLOCKIFY_API_KEY": "unused", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    table = section("streams")
    for entry in json.loads(discovered.stdout)["streams"]:
        assert f"| `{entry['tap_stream_id']}` |" in table
    assert "| `time_entries` | `id` | incremental on `started_at` | `users` |" in table


def test_documents_the_two_commands_and_the_main_topics() -> None:
    assert "scripts/demo" in README
    assert "scripts/test" in README
    headings = [line for line in README.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Installation",
        "## Try it: two commands",
        "## Capabilities",
        "## Supported Python versions",
        "## Streams",
        "## Settings",
        "## Usage with Meltano",
        "## Usage as a plain Singer tap",
        "## Troubleshooting",
        "## Documentation",
        "## Development",
        "## License",
    ]
    for command in (
        "meltano run tap-clockify target-jsonl",
        "meltano run tap-clockify target-postgres",
        "tap-clockify --config config.json |",
    ):
        assert command in README, command
    assert "--state-id-suffix" in (ROOT / "docs" / "scaling-out.md").read_text(encoding="utf-8")


def test_installation_names_the_real_package_and_variant() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    hub = yaml.safe_load(
        (ROOT / "hub" / "extractors" / "tap-clockify" / "tap-clockify.yml").read_text("utf-8")
    )
    installation = README[README.index("## Installation") : README.index("## Try it")]
    assert f"pip install {project['name']}" in installation
    assert f"meltano add extractor tap-clockify --variant {hub['variant']}" in installation
    # `tap-clockify` on PyPI is another project: no command installs it.
    assert "\npip install tap-clockify" not in README


def test_supported_pythons_and_capabilities_match_the_package() -> None:
    described = about()
    pythons = README[README.index("## Supported Python versions") : README.index("## Streams")]
    assert re.findall(r"3\.\d+", pythons) == described["supported_python_versions"]
    capabilities = README[README.index("## Capabilities") : README.index("## Supported")]
    assert sorted(re.findall(r"`([a-z-]+)`", capabilities)) == sorted(described["capabilities"])


def test_every_doc_is_linked_and_every_link_resolves() -> None:
    documentation = README[README.index("## Documentation") : README.index("## Development")]
    docs = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))
    for doc in docs:
        assert f"]({doc})" in documentation, f"{doc} is not linked from README's Documentation"
    for target in re.findall(r"\]\((?!https?://|#)([^)#]+)", README):
        assert (ROOT / target).exists(), f"README links to a missing {target}"


def test_readme_stays_short() -> None:
    """Deep material lives in docs/; the README is scanned, not read end to end."""
    assert len(README.splitlines()) < 300
