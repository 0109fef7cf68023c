"""The command line's inputs: files, environment and state, each problem one clear line."""

from __future__ import annotations

import json
import logging
import os
import typing as t
from datetime import UTC, datetime
from pathlib import Path

from tap_clockify.errors import InputError, StateError
from tap_clockify.timestamps import format_timestamp, parse_timestamp

#: State keys holding a timestamp the next run starts from (per stream or partition).
TIMESTAMP_STATE_KEYS = ("replication_key_value", "open_timer_started_at", "read_until")


def read_json_object(option: str, path: str) -> dict[str, t.Any]:
    """The JSON object in the file given to `--{option}`; InputError naming the file if not."""
    where = f"--{option} {path}"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{where}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text; expected a JSON object") from None
    except OSError as error:
        raise InputError(f"{where}: cannot be read ({error.strerror})") from None
    if not text.strip():
        raise InputError(f"{where}: the file is empty; expected a JSON object")
    try:
        value = json.loads(text)
    except ValueError as error:
        raise InputError(f"{where}: not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a JSON object (got {type(value).__name__})")
    return value


def check_catalog(catalog: dict[str, t.Any], path: str, logger: logging.Logger) -> None:
    """Refuse a catalog whose streams are not a list of entries; warn when it selects none."""
    entries = catalog.get("streams", [])
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("tap_stream_id"), str) for entry in entries
    ):
        msg = f"--catalog {path}: streams: expected a list of entries, each with a tap_stream_id"
        raise InputError(msg)
    if not entries:
        logger.warning("The catalog lists no streams: nothing will be synced")


def env_problems(
    schema: t.Mapping[str, t.Any], prefix: str, environ: t.Mapping[str, str] = os.environ
) -> list[str]:
    """Integer settings whose environment variable is not a whole number (`--config ENV`)."""
    problems = []
    for name, prop in schema.get("properties", {}).items():
        variable = prefix + name.upper().replace("-", "_")
        declared = prop.get("type")
        types = {declared} if isinstance(declared, str) else set(declared or ())
        if variable in environ and "integer" in types:
            try:
                int(environ[variable])
            except ValueError:
                problems.append(
                    f"{variable}: expected a whole number for {name} (got {environ[variable]!r})"
                )
    return problems


class StateChecker:
    """Checks a state before the sync resumes from it.

    What would break the run or lose data is a StateError naming the stream, the
    partition and the key. What costs only a re-read (a malformed partition, an empty
    `partitions` object) is dropped with a warning; a timestamp in the future is
    clamped to now with a warning, since it would skip everything until then.
    """

    def __init__(self, streams: t.Collection[str], logger: logging.Logger) -> None:
        """Check the bookmarks of `streams`; others are kept as they are."""
        self.streams = streams
        self.logger = logger
        self.now = datetime.now(UTC)

    def checked(self, state: t.Any) -> dict[str, t.Any]:
        """`state`, checked, with ignorable parts dropped and future timestamps clamped."""
        if not isinstance(state, dict):
            raise StateError(f"state: expected a JSON object (got {type(state).__name__})")
        bookmarks = state.get("bookmarks", {})
        if not isinstance(bookmarks, dict):
            msg = (
                "state: bookmarks: expected an object with one entry per stream "
                f"(got {type(bookmarks).__name__})"
            )
            raise StateError(msg)
        for stream, stream_state in bookmarks.items():
            if stream in self.streams:
                self.check_stream(stream, stream_state)
        return state

    def check_stream(self, stream: str, stream_state: t.Any) -> None:
        """Check one stream's state (and its partitions) in place."""
        where = f"state: bookmarks.{stream}"
        if not isinstance(stream_state, dict):
            msg = f"{where}: expected an object (got {type(stream_state).__name__})"
            raise StateError(msg)
        self.check_timestamps(where, stream_state)
        partitions = stream_state.get("partitions")
        if partitions is None:
            return
        if not isinstance(partitions, list):
            if partitions:
                msg = f"{where}.partitions: expected a list (got {type(partitions).__name__})"
                raise StateError(msg)
            self.logger.warning("%s.partitions: empty and not a list; ignored", where)
            stream_state["partitions"] = []
            return
        kept = []
        for partition in partitions:
            if not isinstance(partition, dict) or not isinstance(partition.get("context"), dict):
                self.logger.warning(
                    "%s.partitions: an entry without a context object is ignored (its "
                    "data is read again in full)",
                    where,
                )
                continue
            self.check_timestamps(f"{where}, partition {partition['context']}", partition)
            kept.append(partition)
        stream_state["partitions"] = kept

    def check_timestamps(self, where: str, state: dict[str, t.Any]) -> None:
        """Each timestamp key must parse; one in the future is clamped to now."""
        for key in TIMESTAMP_STATE_KEYS:
            value = state.get(key)
            if value is None:
                continue
            try:
                moment = parse_timestamp(value) if isinstance(value, str) else None
            except ValueError:
                moment = None
            if moment is None:
                msg = f"{where}: {key}: expected an ISO 8601 timestamp (got {value!r})"
                raise StateError(msg)
            if moment > self.now:
                state[key] = format_timestamp(self.now)
                self.logger.warning(
                    "%s: %s %s is in the future; clamped to now (%s) so that nothing "
                    "after it is skipped",
                    where,
                    key,
                    value,
                    state[key],
                )
