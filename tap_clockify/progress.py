"""Progress lines for long syncs, and a one-line summary per stream at the end."""

from __future__ import annotations

import logging
import threading
import time
import typing as t
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from singer_sdk import metrics
from typing_extensions import override

#: Partition keys and the word a progress line uses for them.
PARTITION_NOUNS = {"user_id": "user", "project_id": "project", "policy_id": "policy"}


@dataclass
class StreamProgress:
    """Counters of one stream."""

    started: float
    last_activity: float
    records: int = 0
    partitions: Counter[str] = field(default_factory=Counter)
    #: Records the stream listed in its current partition, and whether that list is complete.
    listed: int = 0
    listed_complete: bool = False


class SyncProgress:
    """Counts records, partitions and API calls per stream, and logs them at a calm pace.

    A line at most every `interval` seconds per stream, e.g. `time_entries: user 120/500
    (workspace Acme), 240,113 records, 3.1k records/s`; then one summary line per stream.
    """

    def __init__(
        self,
        logger: logging.Logger,
        *,
        interval: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Log through `logger` at most every `interval` seconds per stream."""
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self.calls: Counter[str] = Counter()
        self.streams: dict[str, StreamProgress] = {}
        self.workspace_names: dict[str, str] = {}
        self._last_line: dict[str, float] = {}
        self._lock = threading.Lock()

    def _stream(self, name: str) -> StreamProgress:
        now = self.clock()
        progress = self.streams.get(name)
        if progress is None:
            progress = self.streams[name] = StreamProgress(started=now, last_activity=now)
        progress.last_activity = now
        return progress

    def count_call(self, stream: str) -> None:
        """One HTTP attempt by `stream` (retries count: they cost rate limit too)."""
        with self._lock:  # prefetching threads count their calls too
            self.calls[stream] += 1
            self._stream(stream)

    def partition_started(
        self,
        stream: str,
        context: t.Mapping[str, t.Any] | None,
        parent: str | None,
    ) -> None:
        """`stream` begins reading one partition (one workspace, user, project…)."""
        progress = self._stream(stream)
        progress.listed, progress.listed_complete = 0, False
        workspace = (context or {}).get("workspace_id", "")
        progress.partitions[workspace] += 1
        self._maybe_log(stream, context, parent)

    def page_read(self, stream: str, records: int, *, last: bool) -> None:
        """`stream` read a page of `records`; `last` when no page follows."""
        progress = self._stream(stream)
        progress.listed += records
        progress.listed_complete = last

    def records_emitted(self, stream: str, count: int) -> None:
        """`stream` emitted `count` records (after its own filtering and de-duplication)."""
        self._stream(stream).records += count

    def _maybe_log(
        self,
        stream: str,
        context: t.Mapping[str, t.Any] | None,
        parent: str | None,
    ) -> None:
        now = self.clock()
        if now - self._last_line.get(stream, self.streams[stream].started) < self.interval:
            return
        self._last_line[stream] = now
        self.logger.info("%s", self.describe(stream, context, parent))

    def describe(
        self,
        stream: str,
        context: t.Mapping[str, t.Any] | None,
        parent: str | None,
    ) -> str:
        """The progress line of `stream` in its current partition."""
        progress = self.streams[stream]
        context = context or {}
        workspace = context.get("workspace_id", "")
        parts = [f"{stream}:"]
        noun = next((PARTITION_NOUNS[key] for key in context if key in PARTITION_NOUNS), None)
        if noun:
            done = progress.partitions[workspace]
            listing = self.streams.get(parent) if parent else None
            total = f"/{listing.listed}" if listing and listing.listed_complete else ""
            parts.append(f"{noun} {done}{total}")
        if workspace:
            parts.append(f"(workspace {self.workspace_names.get(workspace, workspace)}),")
        elapsed = max(self.clock() - progress.started, 1e-9)
        parts.append(f"{progress.records:,} records, {_rate(progress.records / elapsed)}/s")
        return " ".join(parts)

    def summary(self, stream: str) -> str | None:
        """`stream`'s records, API calls and seconds, if it ran."""
        progress = self.streams.get(stream)
        if progress is None:
            return None
        seconds = progress.last_activity - progress.started
        return (
            f"{stream}: {progress.records:,} records, {self.calls[stream]:,} API calls, "
            f"{seconds:.1f} s"
        )


class EmittedRecordCounter(metrics.Counter):
    """The SDK's record counter, also telling `SyncProgress` of every record emitted."""

    def __init__(self, progress: SyncProgress, stream: str, **kwargs: t.Any) -> None:
        """Count for `stream`; other arguments as for the SDK's Counter."""
        super().__init__(metrics.Metric.RECORD_COUNT, {metrics.Tag.STREAM: stream}, **kwargs)
        self.progress = progress
        self.stream = stream

    @override
    def increment(self, value: int = 1) -> None:
        """Count `value` records."""
        super().increment(value)
        self.progress.records_emitted(self.stream, value)


def _rate(per_second: float) -> str:
    """`3.1k records` style rate."""
    if per_second >= 1000:
        return f"{per_second / 1000:.1f}k records"
    return f"{per_second:.0f} records"
