"""Change tracking over HTTP: reading the entity-change feeds once per workspace and run.

`ChangeTracker` (one per run, `tap.change_tracker`) decides per stream and workspace how
the stream reads (`tap_clockify.changes.plan_for`), asks the three feeds once per workspace
for every type that needs them, and keeps the new bookmarks until the workspace is done.
`ChangeTrackedStream` is what a stream covered by the feed mixes in; streams/deleted_records.py
emits one row per deletion the feeds report. docs/change-tracking.md has the whole story.
"""

from __future__ import annotations

import threading
import typing as t
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_clockify.changes import (
    DEFAULT_FEED_REACH_DAYS,
    FEED_TYPES,
    STATE_KEY,
    TYPE_STREAMS,
    Deletion,
    Plan,
    WorkspaceChanges,
    as_deletion,
    as_record,
    deletion_marker,
    entity_type_of,
    plan_for,
)
from tap_clockify.client import (
    REPLICATION_FULL_TABLE,
    ClockifyStream,
    api_error_text,
    response_json,
)
from tap_clockify.errors import ApiKeyRejectedError, ClockifyRequestError
from tap_clockify.pagination import ClockifyPaginator
from tap_clockify.timestamps import format_timestamp, parse_timestamp

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context

    from tap_clockify.tap import TapClockify

#: Items asked per feed page (the documented default is 50; its maximum is unknown).
FEED_PAGE_LIMIT = 200
FEED_KINDS: tuple[str, ...] = ("created", "updated", "deleted")


class FeedPaginator(ClockifyPaginator):
    """`page` from 0 (the documented default) with `limit`; copes with both readings.

    A server that numbers pages from 1 answers page 1 like page 0: that repeat is allowed
    (the tracker drops items it already has), not taken for a server ignoring `page`. A
    page longer than `limit` means the server ignored `limit` and sent everything.
    """

    def __init__(
        self,
        limit: int,
        count_records: t.Callable[[requests.Response], int],
        where: str,
    ) -> None:
        """Start at page 0."""
        super().__init__(limit, count_records, where=where, start_value=0)

    @override
    def check_new_page(self, response: requests.Response) -> None:
        """A repeat of page 0 on page 1 is allowed once (pages numbered from 1)."""
        if self.current_value == 1:
            self._previous_digest = None
        super().check_new_page(response)

    @override
    def has_more(self, response: requests.Response) -> bool:
        """A full page asks for the next; a short or over-long one is the last."""
        return self._count_records(response) == self.page_size


class FeedRefusedError(ClockifyRequestError):
    """The feed answered 400 (for several types: one of them may be unknown to it)."""


class ChangeFeedStream(ClockifyStream):
    """One entity-change feed of one workspace, for the tracker (not a catalog stream).

    Context: `workspace_id`, `kind` (created, updated or deleted), `types`, `start`, `end`.
    """

    name = "entity_changes"
    path = "/workspaces/{workspace_id}/entities/{kind}"
    primary_keys = ("id",)
    api_id_field = None
    max_page_size = FEED_PAGE_LIMIT

    def __init__(self, tap: TapClockify) -> None:
        """A stream with an open schema: items are checked and reshaped by the tracker."""
        super().__init__(tap=tap, schema={"type": "object", "properties": {}})

    @property
    @override
    def page_size(self) -> int:
        """The feed's `limit`."""
        return FEED_PAGE_LIMIT

    @override
    def get_new_paginator(self) -> FeedPaginator:
        """Pages from 0 (see FeedPaginator)."""
        return FeedPaginator(FEED_PAGE_LIMIT, self._count_records, f"{self.name} ({self.path})")

    @override
    def get_url_params(self, context: Context | None, next_page_token: int | None) -> dict:
        """`type` (repeated), the window, `page` and `limit`."""
        assert context is not None
        return {
            "type": list(context["types"]),
            "start": format_timestamp(context["start"]),
            "end": format_timestamp(context["end"]),
            "page": next_page_token or 0,
            "limit": FEED_PAGE_LIMIT,
        }

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        """Items of a bare array (live) or of `{"response": [...]}` (the official docs)."""
        body = response_json(response)
        if isinstance(body, dict) and isinstance(body.get("response"), list):
            body = body["response"]
        if not isinstance(body, list):
            detail = api_error_text(response) if isinstance(body, dict) else ""
            self.unexpected(f"expected a list of changes {detail}".strip(), body)
        for item in body:
            if not isinstance(item, dict):
                self.unexpected("expected each change to be an object", item)
            yield item

    @override
    def _count_records(self, response: requests.Response) -> int:
        body = response_json(response)
        if isinstance(body, dict):
            body = body.get("response")
        return len(body) if isinstance(body, list) else 0

    @override
    def validate_response(self, response: requests.Response) -> None:
        """A 400 is FeedRefusedError: a type the server does not know, perhaps."""
        if response.status_code == HTTPStatus.BAD_REQUEST:
            raise FeedRefusedError(self.response_error_message(response))
        super().validate_response(response)

    @override
    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        """Every page; failures propagate (the tracker falls back instead of skipping)."""
        yield from super(ClockifyStream, self).request_records(context)


#: Failures that make the tracker fall back instead of failing the run: refusals (400,
#: 403, 404, ...), error bodies, unreadable answers and retries that ran out.
FEED_FAILURES = (FatalAPIError, RetriableAPIError)


@dataclass(frozen=True)
class FeedQuery:
    """One window of one workspace's feeds: which kinds, from `start` to `end`."""

    workspace_id: str
    kinds: tuple[str, ...]
    start: str
    end: str


class ChangeTracker:
    """Plans, feed reads and pending bookmarks of one run."""

    def __init__(self, tap: TapClockify) -> None:
        """Track changes for `tap`'s run."""
        self.tap = tap
        config = tap.config
        self.enabled = bool(config.get("change_tracking", True))
        reach_days = config.get("change_feed_reach_days", DEFAULT_FEED_REACH_DAYS)
        self.reach = timedelta(days=int(reach_days))
        self.server_time: datetime | None = None
        self._run_time: datetime | None = None
        self._plans: dict[tuple[str, str], Plan] = {}
        self._changes: dict[str, dict[str, WorkspaceChanges]] = {}
        self._pending: dict[tuple[str, str], str] = {}
        self._fed: set[tuple[str, str]] = set()
        self._warned = False
        self._lock = threading.RLock()  # prefetching parents ask for plans from their threads
        self._feed = ChangeFeedStream(tap)

    # -- time ------------------------------------------------------------------------------

    def observe_server_time(self, response: requests.Response) -> None:
        """Remember Clockify's clock (the `Date` header) from the run's first response."""
        if self.server_time is not None:
            return
        try:
            self.server_time = parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
        except (KeyError, TypeError, ValueError):
            self.server_time = datetime.now(UTC)

    @property
    def run_time(self) -> datetime:
        """The run's reference time: Clockify's clock at the first response, else ours."""
        if self._run_time is None:
            self._run_time = (self.server_time or datetime.now(UTC)).replace(microsecond=0)
        return self._run_time

    # -- plans and bookmarks ---------------------------------------------------------------

    def bookmark(self, stream_name: str, workspace_id: str) -> str | None:
        """The end of the last window applied for this stream and workspace.

        None when the catalog asks an incremental stream for FULL_TABLE: it is read whole.
        """
        stream = self.tap.streams[stream_name]
        if stream.replication_key and stream.replication_method == REPLICATION_FULL_TABLE:
            return None
        # Read without creating the stream's state (plans are also asked ahead of a read).
        stream_state = stream.tap_state.get("bookmarks", {}).get(stream_name, {})
        return stream_state.get(STATE_KEY, {}).get(workspace_id)

    def plan(self, stream_name: str, workspace_id: str) -> Plan:
        """How `stream_name` reads `workspace_id` in this run (decided once)."""
        key = (stream_name, workspace_id)
        with self._lock:
            if key not in self._plans:
                plan = plan_for(
                    self.bookmark(stream_name, workspace_id),
                    enabled=self.enabled,
                    run_time=self.run_time,
                    reach=self.reach,
                )
                if plan.deletions_since is not None:
                    self.tap.warn_once(
                        f"{stream_name}: the last run is older than the change feed is known "
                        f"to reach (change_feed_reach_days={self.reach.days}); reading "
                        f"workspace {workspace_id} in full"
                    )
                self._plans[key] = plan
            return self._plans[key]

    def changes(self, stream_name: str, workspace_id: str) -> WorkspaceChanges | None:
        """What the feed said for this stream's type in the workspace; None if it failed."""
        if workspace_id not in self._changes:
            self._changes[workspace_id] = self._read_workspace(workspace_id)
        return self._changes[workspace_id].get(FEED_TYPES[stream_name])

    def deletions(self, workspace_id: str) -> list[Deletion]:
        """Every deletion read for the workspace in this run, all types."""
        return [
            deletion
            for changes in self._changes.get(workspace_id, {}).values()
            for deletion in changes.deletions
        ]

    def first_feed_partition(self, stream_name: str, workspace_id: str) -> bool:
        """True once per stream and workspace: the partition that emits the feed's records."""
        key = (stream_name, workspace_id)
        if key in self._fed:
            return False
        self._fed.add(key)
        return True

    def done(self, stream_name: str, workspace_id: str, plan: Plan) -> None:
        """The stream applied its plan for the workspace: move the bookmark at commit."""
        if plan.mode == "off":
            return
        if plan.asks_feed and self.changes(stream_name, workspace_id) is None:
            return  # the feed failed: ask the same window again next run
        end = plan.end or self.run_time
        self._pending[(stream_name, workspace_id)] = format_timestamp(end)

    def commit(self, workspace_id: str) -> None:
        """Every stream is done with the workspace: store its new bookmarks in the state."""
        for (stream_name, ws), value in list(self._pending.items()):
            if ws == workspace_id:
                stream = self.tap.streams[stream_name]
                stream.stream_state.setdefault(STATE_KEY, {})[ws] = value
                del self._pending[(stream_name, ws)]

    # -- reading the feeds -----------------------------------------------------------------

    def _wanted_plans(self, workspace_id: str) -> dict[str, Plan]:
        """Plans that need the feed, by entity type, for the selected covered streams."""
        wanted = {}
        for stream_name, entity_type in FEED_TYPES.items():
            stream = self.tap.streams.get(stream_name)
            if stream is None or not stream.selected:
                continue
            plan = self.plan(stream_name, workspace_id)
            if plan.asks_feed:
                wanted[entity_type] = plan
        return wanted

    def _read_workspace(self, workspace_id: str) -> dict[str, WorkspaceChanges]:
        """One read of the feeds per group of types sharing a window."""
        groups: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
        for entity_type, plan in self._wanted_plans(workspace_id).items():
            if plan.mode == "feed":
                start, end, kinds = plan.start, plan.end, FEED_KINDS
            else:
                start, end, kinds = plan.deletions_since, self.run_time, ("deleted",)
            assert start is not None
            assert end is not None
            if end <= start:  # runs within SETTLE_TIME of each other: nothing to ask yet
                kinds = ()
            groups.setdefault((format_timestamp(start), format_timestamp(end), kinds), []).append(
                entity_type
            )
        result: dict[str, WorkspaceChanges] = {}
        for (start_text, end_text, kinds), types in groups.items():
            if not kinds:
                result.update({entity_type: WorkspaceChanges() for entity_type in types})
            else:
                query = FeedQuery(workspace_id, kinds, start_text, end_text)
                result.update(self._read_types(query, types))
        return result

    def _read_types(self, query: FeedQuery, types: list[str]) -> dict[str, WorkspaceChanges]:
        """The types' changes; on a 400 for several types, each type alone."""
        try:
            return self._fetch(query, types)
        except FeedRefusedError as error:
            if len(types) == 1:
                self._fall_back(types, error)
                return {}
        except FEED_FAILURES as error:
            if isinstance(error, ApiKeyRejectedError):
                raise
            self._fall_back(types, error)
            return {}
        result: dict[str, WorkspaceChanges] = {}
        for entity_type in types:
            result.update(self._read_types(query, [entity_type]))
        return result

    def _fetch(self, query: FeedQuery, types: list[str]) -> dict[str, WorkspaceChanges]:
        result = {entity_type: WorkspaceChanges() for entity_type in types}
        for kind in query.kinds:
            context = {
                "workspace_id": query.workspace_id,
                "kind": kind,
                "types": tuple(types),
                "start": parse_timestamp(query.start),
                "end": parse_timestamp(query.end),
            }
            seen: set[tuple[t.Any, ...]] = set()
            for item in self._feed.request_records(context):
                key = (item.get("id"), item.get("_id"), item.get("deletedAt"), entity_type_of(item))
                if key in seen:
                    continue
                seen.add(key)
                entity_type = entity_type_of(item) or (types[0] if len(types) == 1 else None)
                if entity_type not in result:
                    continue
                if kind == "deleted":
                    deletion = as_deletion(item, entity_type)
                    if deletion is not None:
                        result[entity_type].deletions.append(deletion)
                elif item.get("id") or item.get("_id"):
                    result[entity_type].upserts.append(as_record(item))
        return result

    def _fall_back(self, types: list[str], error: Exception) -> None:
        """Warn at the run's first failure; log the others (one line each) at INFO."""
        streams = ", ".join(TYPE_STREAMS[entity_type] for entity_type in types)
        message = (
            f"change feed unavailable for {streams} ({error}); falling back to the lookback "
            "window and full reads, and asking the same window again next run"
        )
        if self._warned:
            self.tap.logger.info(message)
        else:
            self._warned = True
            self.tap.warn_once(message)


class ChangeTrackedStream(ClockifyStream):
    """A stream the feed covers: per workspace, a full read or only the feed's changes."""

    #: False for parents (users, projects): they are always read in full, and take only
    #: the feed's deletions.
    feed_replaces_full_read: t.ClassVar[bool] = True

    def feed_plan(self, context: Context | None) -> Plan:
        """The stream's plan for the context's workspace."""
        assert context is not None
        return self.tap.change_tracker.plan(self.name, context["workspace_id"])

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """A full read, the feed's changes, or both, as the plan says."""
        assert context is not None
        workspace_id = context["workspace_id"]
        tracker = self.tap.change_tracker
        plan = self.feed_plan(context)
        changes = tracker.changes(self.name, workspace_id) if plan.asks_feed else None
        read_in_full = plan.mode != "feed" or changes is None or not self.feed_replaces_full_read
        if not (read_in_full and self.reads_whole_partition(plan)):
            self.tap.table_versions.read_incomplete(self.name, "read from the change feed")
        if read_in_full:
            yield from self.read_in_full(context, plan, changes)
        if changes is not None and tracker.first_feed_partition(self.name, workspace_id):
            records = [deletion_marker(deletion) for deletion in changes.deletions]
            if plan.mode == "feed" and self.feed_replaces_full_read:
                records = changes.upserts + records
            for record in records:
                if (ready := self.from_feed(dict(record), context)) is not None:
                    yield ready
        tracker.done(self.name, workspace_id, plan)

    def read_in_full(
        self,
        context: Context,
        plan: Plan,  # noqa: ARG002
        changes: WorkspaceChanges | None,  # noqa: ARG002
    ) -> t.Iterable[dict[str, t.Any]]:
        """The stream's own read of the partition (every record)."""
        return super().get_records(context)

    def reads_whole_partition(self, plan: Plan) -> bool:  # noqa: ARG002
        """Whether `read_in_full` reads every record (so rows not seen may be retired)."""
        return True

    @override
    def will_request(self, context: Context) -> bool:
        """False for a partition the change feed is to serve: nothing to read ahead.

        Parents may announce from a reader thread, so this reads no feed: should the feed
        fail, the fallback reads those partitions without reading ahead.
        """
        return self.feed_plan(context).mode != "feed" or not self.feed_replaces_full_read

    @override
    def post_process(
        self,
        row: dict[str, t.Any],
        context: Context | None = None,
    ) -> dict[str, t.Any] | None:
        """Every record says whether it is deleted: `_sdc_deleted_at` null, or when."""
        row = super().post_process(row, context) or row
        row.setdefault("_sdc_deleted_at", None)
        return row

    def from_feed(self, record: dict[str, t.Any], context: Context) -> dict[str, t.Any] | None:  # noqa: ARG002
        """A feed record ready for `post_process`; None leaves it out."""
        return record
