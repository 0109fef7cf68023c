"""The tap uses the Singer SDK through its public API, and marks every hook it overrides."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import typing as t
from functools import cached_property
from pathlib import Path

import singer_sdk
from singer_sdk import RESTStream, Tap
from singer_sdk import typing as th
from typing_extensions import override

import tap_clockify
from tap_clockify.client import ClockifyStream
from tap_clockify.streams import STREAM_TYPES
from tap_clockify.tap import TapClockify

PACKAGE = Path(tap_clockify.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
MODULES = [
    importlib.import_module(info.name)
    for info in pkgutil.walk_packages(tap_clockify.__path__, "tap_clockify.")
    if info.name != "tap_clockify.__main__"
]
CLASSES = [
    member
    for module in MODULES
    for _, member in inspect.getmembers(module, inspect.isclass)
    if member.__module__ == module.__name__
]


class ProbeStream(RESTStream[t.Any]):
    """A bare SDK stream: what the SDK itself puts on a stream."""

    name = "probe"
    path = "/"
    url_base = "http://localhost"
    schema: t.ClassVar[dict[str, t.Any]] = {"type": "object", "properties": {}}


class ProbeTap(Tap):
    """A bare SDK tap."""

    name = "probe"
    config_jsonschema = th.PropertiesList().to_dict()

    @override
    def discover_streams(self) -> list[ProbeStream]:
        return [ProbeStream(self)]


def sdk_private_names() -> set[str]:
    """Underscore names the SDK defines on taps, streams and their helpers."""
    tap = ProbeTap(config={}, parse_env_config=False, validate_config=False)
    holders: list[t.Any] = [tap, tap.streams["probe"], *vars(singer_sdk.pagination).values()]
    names = {name for holder in holders for name in dir(holder)}
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def function_of(attribute: t.Any) -> t.Any:
    """The function behind a method, property, cached property or class method."""
    if isinstance(attribute, property):
        return attribute.fget
    if isinstance(attribute, cached_property):
        return attribute.func
    if isinstance(attribute, classmethod | staticmethod):
        return attribute.__func__
    return attribute


def test_no_private_name_of_the_sdk_is_used() -> None:
    private = sdk_private_names()
    assert {"_tap", "_request", "_validate_config"} <= private  # the probe sees them
    used = [
        f"{path.relative_to(PACKAGE)}:{number}: {name}"
        for path in SOURCES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if not line.lstrip().startswith(("from ", "import "))
        for name in re.findall(r"\.(_[A-Za-z]\w*)\b", line)
        if name in private
    ]
    assert used == []


def test_sdk_names_come_from_the_package_itself() -> None:
    """`from singer_sdk import StreamSchema`, not `from singer_sdk.schema.source import ...`."""
    public = set(singer_sdk.__all__)
    deep = [
        f"{path.relative_to(PACKAGE)}: from {node.module} import {alias.name}"
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("singer_sdk.")
        for alias in node.names
        if alias.name in public
    ]
    assert deep == []


def test_every_override_is_marked() -> None:
    unmarked = []
    for cls in CLASSES:
        for name, attribute in vars(cls).items():
            if name.startswith("__") or not inspect.isfunction(function_of(attribute)):
                continue
            overridden = any(name in vars(base) for base in cls.__mro__[1:])
            marks = (getattr(a, "__override__", False) for a in (attribute, function_of(attribute)))
            if overridden and not any(marks):
                unmarked.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert unmarked == []


def test_the_streams_share_one_schema_directory() -> None:
    sources = {id(inspect.getattr_static(s, "schema").schema_source) for s in STREAM_TYPES}
    assert len(sources) == 1


def test_every_stream_knows_its_tap() -> None:
    tap = TapClockify(config={"api_key": "k"}, parse_env_config=False)
    # `Tap.streams` is typed with the SDK's `Stream`; the tap's are all `ClockifyStream`s.
    assert all(t.cast("ClockifyStream", stream).tap is tap for stream in tap.streams.values())
