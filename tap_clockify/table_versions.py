"""Retiring rows that vanished from Clockify: ACTIVATE_VERSION, once per stream, at the end.

A stream read in full (clients, tags, invoices, ...) tells the loader which rows are gone
the Singer way: every RECORD carries this run's table version, and once the stream has been
read completely an ACTIVATE_VERSION message with that version follows. A loader honouring
it (MeltanoLabs target-postgres and other SDK targets) then retires every row of the
table with an older or no version: it sets `_sdc_deleted_at`, or deletes the row with
`hard_delete`. It does so table-wide, whatever workspace a row came from, so the message
is only sent when nothing the loader holds can be missing by accident:

- **once per stream per run, after the last record** of every partition (tasks are read
  per project, most streams per workspace), never at the start: target-postgres retires
  the rows as soon as the message arrives, so a message at the start would empty the table
  before it is refilled, and keep it empty if the run then failed;
- **only when the run covers every workspace the API key can see**: a run narrowed by
  `workspace_ids` (one job per workspace into one schema) never sends it, and its RECORDs
  carry no version;
- **only for streams read completely**: a read skipped after a 403, a read that did not
  finish (an error, a record limit, an interrupted run) or a parent stream read
  incompletely (tasks of projects that could not be listed) keeps the stream's rows;
- **not in BATCH mode**, whose files carry no version.

The version is the time the run started, in milliseconds since the epoch
(`Tap.initialized_at`): it grows from run to run without being kept in the state, so an
interrupted run simply leaves rows with its version behind, and the next complete run
supersedes them.

How streams take part (see `ClockifyStream`):

- `ClockifyStream.retires_missing_rows` says whether a stream may retire rows; by default
  every full-table stream may. A stream that reads only a window (scheduling without
  `start_date`) says no. An incremental stream may say yes for a run in which it re-reads
  everything; it must then call `read_incomplete` for each partition it reads only in
  part (from a bookmark), so that it is activated only when every partition was re-read.
- `ClockifyStream.checked_records` calls `read_started` and `read_finished` around every
  read, and `skip_denied` calls `read_incomplete` (and `read_finished`) after a 403.
- The root stream (`workspaces`) calls `limit_scope` when `workspace_ids` leaves out a
  visible workspace, and `activate` once everything under it has been read.
"""

from __future__ import annotations

import typing as t
from collections import Counter

from singer_sdk.mapper import RemoveRecordTransform
from singer_sdk.singerlib import ActivateVersionMessage, RecordMessage, SchemaMessage
from typing_extensions import override

from tap_clockify.output import SingerOutput

if t.TYPE_CHECKING:
    from singer_sdk.singerlib import Message

    from tap_clockify.client import ClockifyStream
    from tap_clockify.tap import TapClockify


class TableVersions:
    """A run's table version, and which streams were read completely enough to retire rows."""

    def __init__(self, tap: TapClockify) -> None:
        """Start tracking for `tap`'s run; the version is the run's start in milliseconds."""
        self.tap = tap
        #: The table version of this run: RECORDs carry it, ACTIVATE_VERSION sends it.
        self.version: int = tap.initialized_at
        self._scope_limits: list[str] = []
        self._open_reads: Counter[str] = Counter()
        self._incomplete: dict[str, str] = {}
        self._schemas_sent: set[str] = set()
        self._streams_by_alias: dict[str, ClockifyStream] | None = None
        self._activated = False

    # -- what streams report while they are read -----------------------------------------

    def limit_scope(self, reason: str) -> None:
        """The run does not read every workspace the key can see: retire nothing."""
        self._scope_limits.append(reason)

    def read_started(self, stream_name: str) -> None:
        """A read of `stream_name` (one partition, or one pass of it) begins."""
        self._open_reads[stream_name] += 1

    def read_finished(self, stream_name: str) -> None:
        """That read reached its end (a read never finished keeps the stream incomplete)."""
        self._open_reads[stream_name] -= 1

    def read_incomplete(self, stream_name: str, reason: str) -> None:
        """Part of `stream_name` was not read this run: its rows must all stay."""
        self._incomplete.setdefault(stream_name, reason)

    # -- what the message writer and the root stream ask ---------------------------------

    @property
    def retires_rows(self) -> bool:
        """Whether this run may retire rows at all (full scope, RECORD messages)."""
        return not self._scope_limits and not self.tap.config.get("batch_config")

    def observe(self, message: Message) -> None:
        """Note a SCHEMA on its way out; stamp a RECORD of a retiring stream with the version."""
        if isinstance(message, SchemaMessage):
            self._schemas_sent.add(message.stream)
        elif isinstance(message, RecordMessage) and message.version is None:
            stream = self.stream_of(message.stream)
            if stream is not None and stream.retires_missing_rows and self.retires_rows:
                message.version = self.version

    def stream_of(self, alias: str) -> ClockifyStream | None:
        """The stream whose messages go out under `alias` (its name, or a stream-map alias)."""
        if self._streams_by_alias is None:
            self._streams_by_alias = {
                stream_map.stream_alias: stream
                for stream in self.streams()
                for stream_map in stream.stream_maps
            }
        return self._streams_by_alias.get(alias)

    def streams(self) -> list[ClockifyStream]:
        """Every stream of the tap."""
        return t.cast("list[ClockifyStream]", list(self.tap.streams.values()))

    def why_incomplete(self, stream: ClockifyStream) -> str | None:
        """Why `stream` (or a stream it is read under) was not read completely, if it was not."""
        by_type = {type(s): s for s in self.streams()}
        current: ClockifyStream | None = stream
        while current is not None:
            if reason := self._incomplete.get(current.name):
                return reason if current is stream else f"{current.name}: {reason}"
            if self._open_reads[current.name] > 0:
                return f"a read of {current.name} did not finish"
            parent_type = current.parent_stream_type
            current = by_type.get(parent_type) if parent_type else None  # type: ignore[arg-type]
        return None

    def activate(self) -> list[str]:
        """Send ACTIVATE_VERSION for every selected stream that may retire rows; once per run.

        A stream whose SCHEMA was not sent this run (a child stream without any parent
        record left, e.g. tasks once every project is gone) gets its SCHEMA first, so that
        the loader knows the stream. Returns the names of the streams activated.
        """
        if self._activated:
            return []
        self._activated = True
        logger = self.tap.logger
        if not self.retires_rows:
            why = "; ".join(self._scope_limits) or "BATCH messages carry no table version"
            logger.info("No rows are retired by this run: %s", why)
            return []
        activated: list[str] = []
        for stream in self.streams():
            if not (stream.selected and stream.retires_missing_rows):
                continue
            if reason := self.why_incomplete(stream):
                logger.info("%s: rows not seen this run are kept (%s)", stream.name, reason)
                continue
            for stream_map in stream.stream_maps:
                if isinstance(stream_map, RemoveRecordTransform):
                    continue
                alias = stream_map.stream_alias
                if alias not in self._schemas_sent:
                    self.tap.write_message(
                        SchemaMessage(
                            alias,
                            stream_map.transformed_schema,
                            stream_map.transformed_key_properties,
                            [stream.replication_key] if stream.replication_key else None,
                        )
                    )
                self.tap.write_message(ActivateVersionMessage(alias, self.version))
            activated.append(stream.name)
        if activated:
            logger.info(
                "Table version %d activated for %s: the loader retires their rows not seen "
                "this run",
                self.version,
                ", ".join(activated),
            )
        return activated


class VersionStampingWriter(SingerOutput):
    """The tap's writer (`SingerOutput`); the run's `TableVersions` sees each message first."""

    #: Set by the tap once it is created.
    table_versions: TableVersions | None = None

    @override
    def write_message(self, message: Message) -> None:
        """Stamp the version on RECORDs of retiring streams, then write as the SDK does."""
        if self.table_versions is not None:
            self.table_versions.observe(message)
        super().write_message(message)
