"""Reading the next partitions of a per-parent stream while the current one is emitted.

Tasks are listed per project and time entries per member: one request (or a few pages)
per partition, each spent mostly waiting for Clockify. The parent stream announces the
child contexts it is about to hand the SDK (it already holds their page); the child's
`PartitionPrefetcher` then keeps up to `PREFETCH_DEPTH` partitions in flight, each read
by its own thread from a copy of the stream, under the same rate limit and retries.

Only the reading overlaps. Records reach the SDK in the same order as without
prefetching, on the main thread, partition by partition, so records, bookmarks and STATE
messages are exactly those of a sequential run, and a killed run resumes the same way.
A partition read ahead holds at most `PAGES_AHEAD` pages until its turn comes.
"""

from __future__ import annotations

import copy
import queue
import threading
import typing as t
from collections import deque
from dataclasses import dataclass, field

from singer_sdk import RESTStream

from tap_clockify.contexts import with_read_params

if t.TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    import requests
    from singer_sdk.helpers.types import Context

    from tap_clockify.client import ClockifyStream

#: Partitions of one stream being read at once (the one emitted included).
PREFETCH_DEPTH = 4
#: Pages a partition read ahead may hold before its reader waits.
PAGES_AHEAD = 2
#: How often a waiting reader checks whether it was cancelled (seconds).
CANCEL_POLL = 0.2

ContextKey = tuple[tuple[str, t.Any], ...]


class Cancelled(Exception):  # noqa: N818 - a signal, not an error
    """The partition is no longer wanted: its reader stops."""


def context_key(context: Mapping[str, t.Any]) -> ContextKey:
    """A hashable form of a partition context."""
    return tuple(sorted(context.items()))


@dataclass
class _Done:
    """The reader finished its partition."""


@dataclass
class _Failed:
    """The reader's partition failed with `error` (raised when its turn comes)."""

    error: BaseException


@dataclass
class PartitionReader:
    """One partition read by a background thread into a small queue of pages."""

    context: Context
    pages: queue.Queue[list[dict] | _Done | _Failed] = field(
        default_factory=lambda: queue.Queue(PAGES_AHEAD)
    )
    cancelled: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)

    def put(self, item: list[dict] | _Done | _Failed) -> None:
        """Hand `item` over, waiting while the queue is full; stop when cancelled."""
        while True:
            if self.cancelled.is_set():
                raise Cancelled
            try:
                self.pages.put(item, timeout=CANCEL_POLL)
            except queue.Full:
                continue
            return

    def records(self) -> Iterator[dict]:
        """The partition's records, page by page, as the reader delivers them."""
        while True:
            item = self.pages.get()
            if isinstance(item, _Done):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield from item


class PartitionPrefetcher:
    """Reads the announced partitions of `stream` ahead of the SDK asking for them.

    At most `depth` partitions are being read at once, and at most `ahead` are read and
    not yet emitted (small partitions, such as a project's tasks, may run far ahead).
    Parents announce from the main thread or from their own reader thread: every method
    holds the lock.
    """

    def __init__(self, stream: ClockifyStream, depth: int, ahead: int) -> None:
        """Prefetch for `stream`: `depth` reading at once, `ahead` read and not emitted."""
        self.stream = stream
        self.ahead = ahead
        self.depth = min(depth, ahead)
        self._announced: deque[Context] = deque()
        self._readers: dict[ContextKey, PartitionReader] = {}
        self._lock = threading.RLock()

    def announce(self, contexts: t.Iterable[Context]) -> None:
        """The parent will hand the SDK these contexts next, in this order.

        Contexts the stream will not read over HTTP (served by the change feed) are left out.
        """
        with self._lock:
            known = set(self._readers) | {context_key(c) for c in self._announced}
            for context in contexts:
                key = context_key(context)
                if key not in known and self.stream.will_request(context):  # once is enough
                    known.add(key)
                    self._announced.append(context)
            self._start_readers()

    def records(self, context: Context) -> Iterator[dict] | None:
        """The records of `context` read ahead, or None when it was not announced."""
        key = context_key(context)
        with self._lock:
            if key not in self._readers and not any(context_key(c) == key for c in self._announced):
                return None
            while self._announced and context_key(self._announced[0]) != key:
                self._cancel(context_key(self._announced.popleft()))  # skipped by the SDK
            self._start_readers()
            reader = self._readers[key]
            if self._announced and context_key(self._announced[0]) == key:
                self._announced.popleft()
        return self._drain(key, reader)

    def _drain(self, key: ContextKey, reader: PartitionReader) -> Iterator[dict]:
        """The reader's records; it counts as read ahead until they are all emitted."""
        try:
            yield from reader.records()
        finally:
            reader.cancelled.set()
            with self._lock:
                if self._readers.get(key) is reader:
                    del self._readers[key]
                self._start_readers()

    def reader_finished(self) -> None:
        """A reader finished or was emitted: start the next ones."""
        with self._lock:
            self._start_readers()

    def _start_readers(self) -> None:
        """Start readers for the next announced contexts, within `depth` and `ahead`."""
        reading = sum(1 for r in self._readers.values() if not r.finished.is_set())
        for context in list(self._announced):
            if len(self._readers) >= self.ahead or reading >= self.depth:
                return
            key = context_key(context)
            if key not in self._readers:
                self._readers[key] = self._start(context)
                reading += 1

    def _start(self, context: Context) -> PartitionReader:
        reader = PartitionReader(context)
        request_context = with_read_params(context, self.stream.read_ahead_params(context))
        thread = threading.Thread(
            target=_read_partition,
            args=(shallow_copy(self.stream), reader, request_context, self),
            name=f"prefetch:{self.stream.name}",
            daemon=True,
        )
        thread.start()
        return reader

    def _cancel(self, key: ContextKey) -> None:
        reader = self._readers.pop(key, None)
        if reader is not None:
            reader.cancelled.set()

    def close(self, parent: Context | None) -> None:
        """Stop reading partitions under `parent` (all when None) and forget them."""

        def under(context: Context) -> bool:
            return parent is None or parent.items() <= context.items()

        with self._lock:
            for context in [c for c in self._announced if under(c)]:
                self._announced.remove(context)
            for key in [k for k, r in self._readers.items() if under(r.context)]:
                self._cancel(key)


def _read_partition(
    clone: ClockifyStream,
    reader: PartitionReader,
    request_context: Context,
    prefetcher: PartitionPrefetcher,
) -> None:
    """Thread body: read `reader.context` page by page into the reader's queue.

    `clone` is the reader's own copy of the stream; `request_context` is the partition's
    context with the read's request parameters.
    """
    parse = clone.parse_response

    def hand_over(response: requests.Response) -> Iterator[dict]:
        page = list(parse(response))
        if page:
            clone.announce_page(reader.context, page)
            reader.put(page)
        return iter(page)  # the SDK pages on, or stops at an empty page, as usual

    clone.parse_response = hand_over  # type: ignore[method-assign]
    try:
        for _ in RESTStream.request_records(clone, request_context):
            pass
        reader.put(_Done())
    except Cancelled:
        return
    except BaseException as error:  # raised on the main thread in turn
        try:
            reader.put(_Failed(error))
        except Cancelled:
            return
    finally:
        reader.finished.set()
        prefetcher.reader_finished()


def shallow_copy(stream: ClockifyStream) -> ClockifyStream:
    """A copy of `stream` sharing its tap, session and settings, for one reader thread."""
    stream.requests_session  # noqa: B018 - create the shared session before copying
    stream.authenticator  # noqa: B018 - likewise the authenticator
    return copy.copy(stream)


def partition_state(
    tap_state: Mapping[str, t.Any],
    stream_name: str,
    context: Context | None,
) -> Mapping[str, t.Any]:
    """A partition's state as it stands, without creating it (empty when there is none)."""
    bookmarks = tap_state.get("bookmarks", {}).get(stream_name, {})
    for partition in bookmarks.get("partitions", []):
        if partition.get("context") == context:
            return t.cast("Mapping[str, t.Any]", partition)
    return {}
