"""The GitHub workflows test every supported Python, PostgreSQL, and publish on a tag."""

from __future__ import annotations

import tomllib
import typing as t
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, t.Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def commands(job: dict[str, t.Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_matrix_covers_every_supported_python() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    supported = [
        c.rsplit(" ", 1)[-1]
        for c in project["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    ]
    job = workflow("test.yml")["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == supported
    assert "scripts/test" in commands(job)


def test_lint_job_runs_ruff_and_mypy() -> None:
    run = commands(workflow("test.yml")["jobs"]["lint"])
    assert "ruff check" in run
    assert "mypy" in run


def test_postgres_job_uses_a_service_container() -> None:
    job = workflow("test.yml")["jobs"]["postgres"]
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    step = next(s for s in job["steps"] if "scripts/test" in s.get("run", ""))
    assert "-m postgres" in step["run"]
    assert step["env"]["TAP_CLOCKIFY_TEST_POSTGRES_DSN"].startswith("postgresql://")


def test_release_publishes_with_trusted_publishing_on_a_version_tag() -> None:
    release = workflow("release.yml")
    assert release["on"]["push"]["tags"] == ["v*"]
    build = commands(release["jobs"]["build"])
    assert "python -m build" in build
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert publish["environment"]["url"] == f"https://pypi.org/p/{project['name']}"


def test_dependabot_updates_the_sdk_and_the_actions() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    assert updates["pip"]["groups"]["singer-sdk"]["patterns"] == ["singer-sdk"]
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] in {"daily", "weekly"}
    # Trusted publishing: no API token is passed anywhere.
    assert "password" not in (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
