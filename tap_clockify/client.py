"""The base stream every Clockify stream inherits: hosts, auth, paging, errors, throttling."""

from __future__ import annotations

import decimal
import logging
import re
import threading
import typing as t
from collections import deque
from functools import cached_property
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import backoff
import requests
from singer_sdk import RESTStream, StreamSchema, metrics
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.exceptions import RetriableAPIError
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.helpers.jsonpath import extract_jsonpath
from singer_sdk.helpers.types import Context
from typing_extensions import override

from tap_clockify.conform import SchemaPruner
from tap_clockify.contexts import partition_of, read_params, with_read_params
from tap_clockify.deadline import DeadlineAdapter
from tap_clockify.errors import (
    ApiKeyRejectedError,
    CatalogError,
    ClockifyRequestError,
    NetworkError,
    PermissionDeniedError,
    RedirectRefusedError,
    UnexpectedResponseError,
    WorkspaceAccessError,
)
from tap_clockify.pagination import ClockifyPaginator
from tap_clockify.prefetch import (
    PREFETCH_DEPTH,
    PartitionPrefetcher,
    partition_state,
)
from tap_clockify.progress import EmittedRecordCounter
from tap_clockify.retries import RetryPolicy, describe_failure, retry_after_seconds
from tap_clockify.schemas import SCHEMA_DIRECTORY
from tap_clockify.settings import (
    DEFAULT_MAX_RATE_LIMIT_WAIT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUEST_TIMEOUT,
    MAX_BACKOFF_SECONDS,
    MAX_PAGE_SIZE,
    api_key,
    resolve_endpoints,
    retry_backoff_seconds,
)
from tap_clockify.timestamps import parse_timestamp

if t.TYPE_CHECKING:
    from collections.abc import Generator

    from backoff.types import Details
    from singer_sdk.singerlib import Catalog
    from singer_sdk.streams.rest import RequestFunc

    from tap_clockify.tap import TapClockify

#: A record as Clockify sends it, or as the tap emits it.
Record = dict[str, t.Any]
Host = t.Literal["api", "reports", "auditlog"]

#: The Singer replication method that re-reads a stream in full.
REPLICATION_FULL_TABLE = "FULL_TABLE"

#: Failures worth another attempt: throttling and server errors (raised as
#: RetriableAPIError by `validate_response`, bad bodies included), timeouts, dropped
#: connections and bodies cut short.
RETRIABLE_ERRORS = (
    RetriableAPIError,
    ConnectionResetError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)

#: SDK log lines that are noise per partition, or repeat what the CLI reports once.
QUIET_SDK_MESSAGES = (
    "Beginning sync of",
    "An unhandled error occurred while syncing",
    "Pagination stopped after",  # logged at the end of every partition's list
)

#: Guards the creation of each stream's prefetcher.
PREFETCHER_LOCK = threading.Lock()

#: `records_jsonpath` forms whose shape the base class checks: `$[*]`, `$.a.b[*]`.
SIMPLE_RECORDS_PATH = re.compile(r"^\$((?:\.[A-Za-z_]\w*)*)\[\*\]$")


class ClockifyStream(RESTStream[int]):
    """A Clockify list endpoint under one of the three hosts.

    Subclasses declare `name`, `path` (with `{workspace_id}`-style placeholders filled from
    the context), `primary_keys`, and where they differ from the defaults: `host`, `paged`,
    `max_page_size` and `records_jsonpath`.
    """

    #: Every subclass sets it in its body, so it is read from the stream classes too.
    name: str

    schema = StreamSchema(SCHEMA_DIRECTORY)

    #: Which Clockify host serves the stream.
    host: t.ClassVar[Host] = "api"
    #: False for endpoints that ignore `page`/`page-size` and return everything at once.
    paged: t.ClassVar[bool] = True
    #: The endpoint's own cap on `page-size`, where lower than the general one.
    max_page_size: t.ClassVar[int] = MAX_PAGE_SIZE
    #: Field every record from the API must carry (None: no check), so a malformed
    #: response fails with a clear message instead of a KeyError downstream.
    api_id_field: t.ClassVar[str | None] = "id"
    #: Fields (dotted paths) each record must hold as an ISO 8601 timestamp, because the
    #: stream computes with them (bookmarks, windows, running timers).
    required_timestamps: t.ClassVar[tuple[str, ...]] = ()
    #: Records are conformed by `pruner` (undeclared fields dropped), not walked by the SDK.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE
    #: Whether the next partitions (per parent record) are read ahead in threads.
    prefetch_partitions: t.ClassVar[bool] = False
    #: False where the records are filtered after reading: the stream announces itself.
    announces_while_reading: t.ClassVar[bool] = True
    #: Partitions read ahead and not yet emitted, at most (small ones may run far ahead).
    prefetch_ahead: t.ClassVar[int] = PREFETCH_DEPTH
    #: How a paged endpoint's pages are counted and ended.
    paginator_class: t.ClassVar[type[ClockifyPaginator]] = ClockifyPaginator
    #: What becomes of the stream when a 403 denies a permission (ends the warning).
    when_denied: t.ClassVar[str] = "skipped; the rest of the sync goes on"
    #: `requests` would re-send `X-Api-Key` to whatever host a redirect names (it strips
    #: only `Authorization`); a redirect is reported instead (`validate_response`).
    allow_redirects = False
    #: Whether a 403 leaves records out (False where it only leaves out their detail):
    #: if so, the stream's rows are not retired this run.
    denial_leaves_out_records: t.ClassVar[bool] = True

    @override
    def __init__(self, tap: TapClockify, *args: t.Any, **kwargs: t.Any) -> None:
        """Create the stream, keeping its tap (the SDK has no public accessor for it)."""
        self.clockify_tap = tap
        super().__init__(tap, *args, **kwargs)

    @property
    def tap(self) -> TapClockify:
        """The tap this stream belongs to."""
        return self.clockify_tap

    @override
    def apply_catalog(self, catalog: Catalog) -> None:
        """Take the catalog's choices, refusing a replication key the stream cannot use.

        Bookmarks are read as timestamps of the stream's own replication key; another
        column (a description, a name) would be stored as the bookmark and break every
        later run.
        """
        supported = self.replication_key
        super().apply_catalog(catalog)
        if self.replication_key in (None, supported):
            return
        expected = (
            f"{supported!r}, or none with FULL_TABLE"
            if supported
            else "none: the stream is re-read in full on every run"
        )
        msg = (
            f"catalog: {self.name}: replication-key {self.replication_key!r} is not "
            f"supported; expected {expected}"
        )
        raise CatalogError(msg)

    def resume_state(self, context: Context | None, *, peek: bool = False) -> dict[str, t.Any]:
        """The partition's state to resume from: empty when the catalog asks for FULL_TABLE.

        `peek` only looks (for a partition read ahead): the state is left as it was.
        """
        if self.replication_method == REPLICATION_FULL_TABLE:
            return {}
        if peek:
            return dict(partition_state(self.tap_state, self.name, context))
        return self.get_context_state(context)

    @property
    @override
    def url_base(self) -> str:
        """Base URL of this stream's host."""
        endpoints = resolve_endpoints(self.config)
        return {
            "api": endpoints.api_url,
            "reports": endpoints.reports_url,
            "auditlog": endpoints.auditlog_url,
        }[self.host]

    @cached_property
    @override
    def authenticator(self) -> APIKeyAuthenticator:
        """Send the API key as `X-Api-Key` (never as a query parameter, so URLs stay clean)."""
        return APIKeyAuthenticator(key="X-Api-Key", value=api_key(self.config))

    @property
    @override
    def http_headers(self) -> dict[str, str]:
        """Headers sent with every request."""
        return {"Accept": "application/json", "User-Agent": self.user_agent}

    @property
    @override
    def user_agent(self) -> str:
        """Identify the tap to Clockify."""
        from tap_clockify import __version__  # noqa: PLC0415

        return f"tap-clockify/{__version__}"

    @property
    def page_size(self) -> int:
        """The configured page size, capped at this endpoint's maximum."""
        return min(int(self.config.get("page_size", MAX_PAGE_SIZE)), self.max_page_size)

    @override
    def get_new_paginator(self) -> ClockifyPaginator | None:
        """Page through paged endpoints with `paginator_class`; read the others once."""
        if not self.paged:
            return None
        return self.paginator_class(
            self.page_size, self._count_records, where=f"{self.name} ({self.path})"
        )

    def _count_records(self, response: requests.Response) -> int:
        return sum(
            1 for _ in extract_jsonpath(self.records_jsonpath, input=response_json(response))
        )

    @override
    def get_url_params(
        self,
        context: Context | None,
        next_page_token: int | None,
    ) -> dict[str, t.Any]:
        """Query parameters: `extra_url_params`, the read's own and the page (if paged)."""
        return {
            **self.extra_url_params(context),
            **read_params(context),
            **self.page_fields(next_page_token, "page-size"),
        }

    def page_fields(self, next_page_token: int | None, size_field: str) -> dict[str, t.Any]:
        """`page` and the page size (named `size_field`) for a paged endpoint; else none."""
        return {"page": next_page_token or 1, size_field: self.page_size} if self.paged else {}

    def extra_url_params(self, context: Context | None) -> dict[str, t.Any]:  # noqa: ARG002
        """Endpoint-specific query parameters (filters); none by default."""
        return {}

    @override
    def request_decorator(self, func: RequestFunc) -> RequestFunc:
        """Retry failed attempts (see RETRIABLE_ERRORS); each attempt waits its turn.

        Every attempt passes the workspace's rate limit, which a 429 slows down and each
        success speeds up again. Built here rather than by the SDK so that backoff itself
        logs nothing: our `backoff_handler` logs each wait once, and the CLI reports a
        final failure once.
        """
        rate_limit = self.tap.rate_limit
        progress = self.tap.progress

        def paced(
            prepared_request: requests.PreparedRequest, context: Context | None
        ) -> requests.Response:
            workspace = workspace_in_path(prepared_request.path_url or "") or ""
            rate_limit.wait(workspace)
            progress.count_call(self.name)
            try:
                response = func(prepared_request, context)
            except RetriableAPIError as error:
                failed = error.response
                if failed is not None and failed.status_code == HTTPStatus.TOO_MANY_REQUESTS:
                    self.slow_down(workspace, failed)
                raise
            rate_limit.succeeded(workspace)
            return response

        retried = backoff.on_exception(
            self.backoff_wait_generator,
            RETRIABLE_ERRORS,
            max_tries=self.backoff_max_tries,
            on_backoff=self.backoff_handler,
            jitter=self.backoff_jitter,
            logger=None,
        )(paced)

        def reported(
            prepared_request: requests.PreparedRequest, context: Context | None
        ) -> requests.Response:
            try:
                return retried(prepared_request, context)
            except requests.RequestException as error:
                raise NetworkError(self.network_failure(prepared_request, error)) from error

        return reported

    def network_failure(
        self, request: requests.PreparedRequest, error: requests.RequestException
    ) -> str:
        """One line on a request that failed on the network after every retry."""
        where = urlsplit(request.url or "")
        attempts = self.backoff_max_tries()
        tried = f"{request.method} {self.path} ({attempts} attempt{'s' * (attempts > 1)})"
        if isinstance(error, requests.exceptions.Timeout):
            return (
                f"{self.name}: no complete answer from {where.netloc} to {tried} within "
                f"request_timeout ({self.timeout} s); raise request_timeout or check the network"
            )
        if isinstance(error, requests.exceptions.ConnectionError):
            reason = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(error))
            cause = reason.group(1).strip() if reason else type(error).__name__
            return (
                f"{self.name}: cannot connect to {where.scheme}://{where.netloc} for {tried}: "
                f"{cause}; check the base URL settings and the network (request_timeout is "
                f"{self.timeout} s)"
            )
        return f"{self.name}: {tried} failed: {type(error).__name__}: {error}"

    def slow_down(self, workspace: str, response: requests.Response) -> None:
        """Clockify's 429: slow the workspace's pace (logged at its first slowdown)."""
        rate_limit = self.tap.rate_limit
        rate = rate_limit.throttled(workspace, retry_after_seconds(response))
        if rate_limit.slowdowns(workspace) == 1:
            self.logger.warning(
                "Clockify's rate limit (429) reached in workspace %s: slowing to %g "
                "requests/s, then speeding up again gradually",
                workspace or "(none)",
                rate,
            )

    @cached_property
    @override
    def requests_session(self) -> requests.Session:
        """A session whose requests are bounded as a whole by `request_timeout`."""
        session = requests.Session()
        adapter = DeadlineAdapter(self.timeout)
        for scheme in ("https://", "http://"):
            session.mount(scheme, adapter)
        return session

    @property
    @override
    def timeout(self) -> int:
        """Seconds to wait for one response (`request_timeout`, whole seconds)."""
        return int(self.config.get("request_timeout", DEFAULT_REQUEST_TIMEOUT))

    @override
    def backoff_wait_generator(self) -> Generator[float, t.Any, None]:
        """Retry-After when Clockify sends it, else exponential backoff with jitter."""
        return RetryPolicy(
            backoff=retry_backoff_seconds(self.config),
            max_backoff=MAX_BACKOFF_SECONDS,
            max_rate_limit_wait=float(
                self.config.get("max_rate_limit_wait_seconds", DEFAULT_MAX_RATE_LIMIT_WAIT),
            ),
            stream_name=self.name,
        ).waits()

    @override
    def backoff_max_tries(self) -> int:
        """One attempt plus `max_retries` retries."""
        return int(self.config.get("max_retries", DEFAULT_MAX_RETRIES)) + 1

    @override
    def backoff_jitter(self, value: float) -> float:
        """No extra jitter: the retry policy adds its own, and Retry-After is exact."""
        return value

    @override
    def backoff_handler(self, details: Details) -> None:
        """Log each wait once, at INFO, naming the stream and the cause."""
        self.log(
            "%s: %s; waiting %.1f s before attempt %d of %d",
            self.name,
            describe_failure(details.get("exception")),
            details.get("wait", 0.0),
            details["tries"] + 1,
            self.backoff_max_tries(),
            level=logging.INFO,
        )

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Turn Clockify's errors into clear ones (the paginator refuses a repeated page).

        429 and 5xx stay retriable (the SDK's classification); 401 and 403 get messages
        that say what to fix; any other 4xx carries Clockify's own message.
        """
        status = response.status_code
        if HTTPStatus.MULTIPLE_CHOICES <= status < HTTPStatus.BAD_REQUEST:
            raise RedirectRefusedError(self.redirect_message(response))
        if status == HTTPStatus.UNAUTHORIZED:
            msg = (
                f"the API key was rejected by Clockify ({api_error_text(response)}); "
                "check the api_key setting (a subdomain workspace needs its own key)"
            )
            raise ApiKeyRejectedError(msg)
        if status == HTTPStatus.FORBIDDEN:
            workspace = workspace_in_path(response.request.path_url) or "?"
            if is_access_denied(response):
                msg = (
                    f"{self.name}: the API key cannot access workspace {workspace} "
                    f"({api_error_text(response)}); check workspace_ids"
                )
                raise WorkspaceAccessError(msg)
            msg = (
                f"{self.name}: the API key has no permission for {self.path} in workspace "
                f"{workspace} ({api_error_text(response)})"
            )
            raise PermissionDeniedError(msg)
        if HTTPStatus.BAD_REQUEST <= status < HTTPStatus.INTERNAL_SERVER_ERROR and (
            status not in self.extra_retry_statuses
        ):
            raise ClockifyRequestError(self.response_error_message(response))
        super().validate_response(response)
        try:
            response_json(response)
        except ValueError as error:
            msg = (
                f"{self.name}: the body Clockify sent for {self.path} is not valid JSON "
                "(truncated or not an API response)"
            )
            raise RetriableAPIError(msg, response) from error

    def redirect_message(self, response: requests.Response) -> str:
        """One line on a refused redirect, naming where it pointed (scheme and host only)."""
        target = urlsplit(urljoin(response.url, response.headers.get("Location", "")))
        where = f"{target.scheme}://{target.netloc}" if target.netloc else "an unknown place"
        return (
            f"{self.name}: {response.request.method} {self.path} was answered "
            f"{response.status_code}, a redirect to {where}; the tap follows no redirects, so "
            "that the API key is only ever sent to the configured host: check api_url, "
            "reports_url and auditlog_url (or a proxy or captive portal in the way)"
        )

    def identity(self, record: dict[str, t.Any]) -> t.Hashable | None:
        """What makes a record of a partition unique: its primary key fields as read.

        Fields the tap adds later (`workspace_id`, computed keys) are the same for the
        whole partition or unknown yet; None (no field read) means no duplicate check.
        """
        key = tuple(record[name] for name in self.primary_keys if name in record)
        return key or None

    @override
    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        """Read the endpoint, each record once; a 403 for a missing permission skips it."""
        try:
            yield from self.checked_records(context)
        except PermissionDeniedError as error:
            self.skip_denied(error)

    def checked_records(self, context: Context | None) -> t.Iterator[dict]:
        """The records of one read, checked, each once; a 403 raises PermissionDeniedError.

        Each read is reported to the run's `TableVersions`: a read never finished, or
        skipped after a 403 (`skip_denied`), keeps the stream's rows in the loader.
        """
        parent = t.cast("str | None", getattr(self.parent_stream_type, "name", None))
        self.tap.progress.partition_started(self.name, partition_of(context), parent)
        self.tap.table_versions.read_started(self.name)
        seen: set[t.Hashable] = set()
        for record in self.read_partition(context):
            self.check_record(record)
            if (key := self.identity(record)) is not None:
                if key in seen:  # pages that overlap (a list that moved while paged)
                    continue
                seen.add(key)
            if dropped := self.pruner.prune(record):
                self.warn_undeclared(dropped)
            yield record
        self.tap.table_versions.read_finished(self.name)

    def skip_denied(self, error: PermissionDeniedError) -> None:
        """End a read that a 403 refused: warn once; keep the stream's rows if it lost some."""
        versions = self.tap.table_versions
        if self.denial_leaves_out_records:
            versions.read_incomplete(self.name, "a 403 skipped part of it")
        self.tap.warn_once(f"{error}: {self.when_denied}")
        versions.read_finished(self.name)

    def read_records(
        self,
        context: Context,
        params: t.Mapping[str, t.Any] | None = None,
    ) -> t.Iterator[Record]:
        """The partition's records as `get_records` gives them, its requests sending `params`.

        `params` (a window, a pass's filter) are this read's own: they travel in the
        request context, so reading another partition meanwhile cannot change them. A 403
        for a missing permission skips the read, as in `request_records`.
        """
        try:
            yield from self.post_processed(
                context, self.checked_records(with_read_params(context, params))
            )
        except PermissionDeniedError as error:
            self.skip_denied(error)

    def post_processed(self, context: Context, records: t.Iterable[Record]) -> t.Iterator[Record]:
        """`records` through `post_process` for the partition `context`, as the SDK does."""
        for record in records:
            row = self.post_process(record, context)
            if row is not None:
                yield row

    @property
    def retires_missing_rows(self) -> bool:
        """Whether rows this stream no longer returns are retired (docs/deletions.md).

        True for full-table streams: each run reads them whole. A stream that reads only
        part of its data on every run (a moving window) must say False.
        """
        return self.replication_method == REPLICATION_FULL_TABLE

    @property
    @override
    def emit_activate_version_messages(self) -> bool:
        """Never from the SDK, which sends ACTIVATE_VERSION at the start of every partition.

        Loaders retire rows on receipt, so that would empty a table before refilling it,
        and retire what a 403 or a failure kept from being read again. `TableVersions`
        sends one per stream instead, at the end of a complete run.
        """
        return False

    @cached_property
    def pruner(self) -> SchemaPruner:
        """Drops undeclared fields; compiled once, in place of the SDK's per-record walk."""
        return SchemaPruner.compile(self.schema)

    def warn_undeclared(self, dropped: list[str]) -> None:
        """Say once per stream and set of fields that Clockify sent fields not in the schema."""
        self.tap.warn_once(
            f"{self.name}: Clockify sent fields the schema does not declare, left out: "
            f"{', '.join(sorted(set(dropped)))}"
        )

    def read_partition(self, context: Context | None) -> t.Iterator[dict]:
        """The partition's records, read ahead by the prefetcher or read now, for children."""
        partition = partition_of(context)
        prefetched = self.prefetcher.records(partition) if self.prefetcher and partition else None
        if prefetched is None:
            records = super().request_records(context)
            if not self.announces_while_reading:
                return iter(records)
            return self.announce_children(partition, records)
        return self.announce_children(partition, prefetched, announced=True)

    @property
    def prefetcher(self) -> PartitionPrefetcher | None:
        """Reads this stream's next partitions ahead, where `prefetch_partitions` is set.

        Created once, under a lock: reader threads of the parent reach it too.
        """
        if not self.prefetch_partitions:
            return None
        with PREFETCHER_LOCK:
            prefetcher = self.__dict__.get("_prefetcher")
            if prefetcher is None:
                prefetcher = PartitionPrefetcher(self, PREFETCH_DEPTH, self.prefetch_ahead)
                self.__dict__["_prefetcher"] = prefetcher
        return t.cast("PartitionPrefetcher", prefetcher)

    def will_request(self, context: Context) -> bool:  # noqa: ARG002
        """Whether reading `context` sends requests (the prefetcher reads ahead only those)."""
        return True

    def read_ahead_params(self, context: Context) -> dict[str, t.Any]:  # noqa: ARG002
        """The request parameters of `context`'s read, for a thread reading it ahead.

        Where they depend on the partition's state (a bookmark), they are worked out from
        the state as it stands, without changing it; none by default.
        """
        return {}

    def announce_children(
        self,
        context: Context | None,
        records: t.Iterable[dict],
        *,
        announced: bool = False,
    ) -> t.Iterator[dict]:
        """Yield `records`, telling prefetching child streams the contexts coming next.

        `announced`: a reader thread announced them already, page by page.
        """
        prefetchers = self.child_prefetchers()
        if not prefetchers:
            yield from records
            return
        try:
            if announced:
                yield from records
                return
            ahead: deque[dict] = deque()
            for record in records:
                ahead.append(record)
                self.announce_page(context, [record])
                if len(ahead) > PREFETCH_DEPTH:
                    yield ahead.popleft()
            while ahead:
                yield ahead.popleft()
        finally:
            for prefetcher in prefetchers:
                prefetcher.close(context)

    def child_prefetchers(self) -> list[PartitionPrefetcher]:
        """The prefetchers of the selected child streams that read ahead."""
        return [
            child.prefetcher
            for child in self.child_streams
            if isinstance(child, ClockifyStream) and child.selected and child.prefetcher
        ]

    def announce_page(self, context: Context | None, records: list[dict]) -> None:
        """Tell prefetching child streams the contexts these records will give them."""
        prefetchers = self.child_prefetchers()
        if not prefetchers:
            return
        contexts = [
            child
            for record in records
            if (child := self.get_child_context(record, context)) is not None
        ]
        for prefetcher in prefetchers:
            prefetcher.announce(contexts)

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        """Records at `records_jsonpath`, after checking the body has the expected shape."""
        body = response_json(response)
        self.check_shape(body)
        records = list(extract_jsonpath(self.records_jsonpath, input=body))
        if not response.__dict__.setdefault("_clockify_counted", False):
            response.__dict__["_clockify_counted"] = True
            self.tap.progress.page_read(self.name, len(records), last=self.is_last_page(response))
        yield from records

    def is_last_page(self, response: requests.Response) -> bool:
        """Whether no page follows `response` (for progress lines only)."""
        paginator = getattr(self, "_paginator", None)
        return paginator is None or not paginator.has_more(response)

    def check_shape(self, body: t.Any) -> None:
        """Fail clearly when the body is not the list or envelope `records_jsonpath` expects."""
        match = SIMPLE_RECORDS_PATH.match(self.records_jsonpath)
        if not match:
            return
        node, where = body, "the body"
        for key in filter(None, match.group(1).split(".")):
            if not isinstance(node, dict) or key not in node:
                self.unexpected(f"expected {where} to be an object with `{key}`", node)
            node, where = node[key], f"`{key}`"
        if not isinstance(node, list) and node is not None:
            self.unexpected(f"expected {where} to be a list", node)

    def check_record(self, record: t.Any) -> None:
        """Fail clearly on a record that is not an object, lacks its id or a timestamp."""
        if not isinstance(record, dict):
            self.unexpected("expected each record to be an object", record)
        if self.api_id_field and field_at(record, self.api_id_field) in (None, ""):
            self.unexpected(f"a record has no `{self.api_id_field}`", record)
        for path in self.required_timestamps:
            value = field_at(record, path)
            try:
                parse_timestamp(value)
            except (TypeError, ValueError, AttributeError):
                shown = f" {value!r:.40}" if isinstance(value, str) else ""
                self.unexpected(
                    f"expected `{path}` of each record to be an ISO 8601 timestamp (record "
                    f"{field_at(record, self.api_id_field or 'id')!r:.40}){shown}",
                    value,
                )

    def unexpected(self, problem: str, got: t.Any) -> t.NoReturn:
        """Raise UnexpectedResponseError naming the stream, the endpoint and what was found."""
        msg = (
            f"{self.name}: unexpected response from {self.http_method} {self.path}: {problem}, "
            f"got {type(got).__name__}"
        )
        raise UnexpectedResponseError(msg)

    @override
    def response_error_message(self, response: requests.Response) -> str:
        """One line naming the stream, the endpoint and Clockify's own message.

        Unlike the SDK's default, it never includes headers or the full URL.
        """
        return (
            f"{self.name}: Clockify answered {response.status_code} to "
            f"{response.request.method} {self.path}: {api_error_text(response)}"
        )

    @override
    def log(self, message: str, *args: t.Any, level: int = logging.INFO, **kwargs: t.Any) -> None:
        """Log as the SDK does, but its per-partition chatter only at DEBUG."""
        if message.startswith(QUIET_SDK_MESSAGES):
            level = min(level, logging.DEBUG)
        super().log(message, *args, level=level, **kwargs)

    @override
    def get_record_counter(
        self,
        *,
        endpoint: str | None = None,
        log_interval: float = metrics.DEFAULT_LOG_INTERVAL,
    ) -> metrics.Counter:
        """The SDK's record counter, also feeding progress lines and the summary."""
        return EmittedRecordCounter(self.tap.progress, self.name, log_interval=log_interval)

    @override
    def log_sync_costs(self) -> None:
        """At the end of the run, one summary line: records, API calls, seconds."""
        if summary := self.tap.progress.summary(self.name):
            self.logger.info("Summary: %s", summary)

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Stamp each record with the workspace it was read from."""
        if context and "workspace_id" in context:
            row["workspace_id"] = context["workspace_id"]
        return row


def response_json(response: requests.Response) -> t.Any:
    """The response body as JSON (decimals kept exact), parsed once per response."""
    cached = response.__dict__.get("_clockify_json", _UNPARSED)
    if cached is _UNPARSED:
        cached = response.json(parse_float=decimal.Decimal)
        response.__dict__["_clockify_json"] = cached
    return cached


_UNPARSED = object()


def field_at(record: t.Any, path: str) -> t.Any:
    """The value at a dotted `path` in `record` (`timeInterval.start`), or None."""
    for key in path.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def workspace_in_path(path: str) -> str | None:
    """The workspace id in a request path, if any."""
    match = re.search(r"/workspaces/([^/?]+)", path)
    return match.group(1) if match else None


def is_access_denied(response: requests.Response) -> bool:
    """Whether a 403 says the workspace itself is off limits, not just this endpoint."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and (
        body.get("code") == 501 or str(body.get("message", "")).startswith("Access Denied")
    )


def api_error_text(response: requests.Response) -> str:
    """Clockify's `{"message", "code"}` error body as text, or the HTTP reason."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("message"):
        code = body.get("code")
        return f"{body['message']} (code {code})" if code is not None else str(body["message"])
    return response.reason or "no message"
