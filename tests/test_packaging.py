"""The sdist and wheel build, carry the right metadata, and install into a clean venv.

Slow (builds in an isolated environment, then installs the wheel with its dependencies):
deselect with `-m "not packaging"` while iterating; CI runs it.
"""

from __future__ import annotations

import email
import json
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SCHEMA_FILES = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tap_clockify").rglob("*.json")}

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and wheel `python -m build` makes from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def wheel_metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def discover(command: list[str], config: Path, cwd: Path) -> set[str]:
    """Stream ids in the catalog that `command --discover` prints."""
    process = subprocess.run(
        [*command, "--config", str(config), "--discover"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    return {entry["tap_stream_id"] for entry in json.loads(process.stdout)["streams"]}


def test_file_names_carry_name_and_version(dist: dict[str, Path]) -> None:
    stem = f"{PROJECT['name'].replace('-', '_')}-{PROJECT['version']}"
    assert dist["wheel"].name == f"{stem}-py3-none-any.whl"
    assert dist["sdist"].name == f"{stem}.tar.gz"


def test_wheel_metadata(dist: dict[str, Path]) -> None:
    meta = wheel_metadata(dist["wheel"])
    # `tap-clockify` on PyPI is another project; the command keeps that name.
    assert meta["Name"] == "singer-tap-clockify"
    assert meta["Version"] == PROJECT["version"]
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta["Requires-Python"] == ">=3.11"
    classifiers = meta.get_all("Classifier") or []
    for version in ("3.11", "3.12", "3.13", "3.14"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert set(classifiers) == set(PROJECT["classifiers"])
    # PEP 639: the license expression replaces the deprecated `License ::` classifiers.
    assert not [c for c in classifiers if c.startswith("License ::")]
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Documentation", "Changelog", "Issues"} <= set(urls)
    requires = meta.get_all("Requires-Dist") or []
    assert any(r.startswith("singer-sdk") for r in requires)
    assert meta["Description-Content-Type"] == "text/markdown"
    assert "tap-clockify" in (meta.get_payload() or "")  # the README is the long description


def test_wheel_contents(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["wheel"]) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()
    assert "tap-clockify = tap_clockify.tap:TapClockify.cli" in entry_points
    # Schemas are package data: without them discovery fails after a real install.
    assert SCHEMA_FILES
    assert not SCHEMA_FILES - names, "schemas missing from the wheel"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith("tests/")], "tests leaked into the wheel"


def test_sdist_contents(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as archive:
        top = f"{PROJECT['name'].replace('-', '_')}-{PROJECT['version']}/"
        names = {n.removeprefix(top) for n in archive.getnames()}
    for required in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "meltano.yml",
                     "PKG-INFO", "docs/streams.md", "plugins/loaders/target-jsonl--andyh1203.lock",
                     "tap_clockify/tap.py", "tests/conftest.py",
                     "hub/extractors/tap-clockify/tap-clockify.yml"):  # fmt: skip
        assert required in names, f"{required} missing from the sdist"
    assert not [n for n in names if n.startswith((".venv/", ".meltano/", ".git/"))]


def test_wheel_installs_and_runs_in_a_clean_venv(dist: dict[str, Path], tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    # With its dependencies, from the package index (pip's cache keeps repeat runs fast).
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(dist["wheel"])],
        check=True,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    executable = env_dir / "bin" / "tap-clockify"

    version = subprocess.run(
        [executable, "--version"], check=True, capture_output=True, text=True, timeout=60
    )
    assert version.stdout.startswith(f"tap-clockify v{PROJECT['version']}, Meltano SDK v0.54")
    about = subprocess.run(
        [executable, "--about", "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    info = json.loads(about.stdout)
    assert info["version"] == PROJECT["version"]
    assert info["description"] == PROJECT["description"]
    assert "3.11" in info["supported_python_versions"]

    # Discovery reads the packaged schemas and needs no network; it must find every
    # stream the checkout does.
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"api_key": "not-a-real-key"}))
    installed = discover([str(executable)], config, cwd=tmp_path)
    checkout = discover([sys.executable, "-m", "tap_clockify"], config, cwd=ROOT)
    assert installed == checkout
    assert "time_entries" in installed
    # The installed package is the wheel's, not this checkout.
    where = subprocess.run(
        [python, "-c", "import tap_clockify; print(tap_clockify.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert Path(where.stdout.strip()).is_relative_to(env_dir)
