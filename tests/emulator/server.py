"""The Clockify emulator: a real local HTTP server over a :class:`Dataset`.

One port serves all three hosts by path prefix (``/api/v1``, ``/reports/v1``,
``/auditlog/v1``). Each request goes through, in order: fault injection, authentication
(401), routing (404/405), workspace access (403), paging parameters (400), the route
handler, then paging of the handler's records.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from typing_extensions import override

from . import errors, rules
from .changes import Clock, FeedOptions
from .dataset import Dataset, build_dataset
from .faults import FaultRule, FaultSet
from .routes import load_all
from .routing import HOST_PREFIXES, Request, Resolution, Response, Route, resolve

load_all()

DEFAULT_API_KEY = "emulator-api-key"


@dataclass
class RecordedRequest:
    """One request as the emulator saw it, with credentials masked as ``***``."""

    method: str
    host: str | None  # "api", "reports", "auditlog"; None for an unknown prefix
    path: str  # relative to the host base, e.g. "/workspaces/<id>/clients"; no query
    route: str | None  # the matched template, None when unbound
    query: dict[str, list[str]]
    body: Any
    status: int  # 0 for a dropped connection
    headers: dict[str, str]
    full_path: str  # with the host prefix, e.g. "/api/v1/workspaces/<id>/clients"
    #: ``time.monotonic()`` when the request arrived (rates are measured from these).
    at: float = 0.0


class Emulator:
    """Serve the Clockify API on 127.0.0.1 for tests and demos.

    ``api_keys`` maps every accepted ``X-Api-Key`` to the workspace ids it may see
    (``None``: every workspace in ``data.workspaces``); ``addon_tokens`` does the same for
    ``X-Addon-Token`` and starts empty. Tests may mutate ``data`` in place, preferably
    while holding ``lock`` (handlers run under it; do not make requests while holding it).
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        dataset: Dataset | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        self.api_key = api_key
        self.data = dataset if dataset is not None else build_dataset()
        self.lock = threading.RLock()
        self.requests: list[RecordedRequest] = []
        self.faults = FaultSet()
        #: False: never send Last-Page (clients must fall back to short/empty pages).
        self.last_page_header = True
        #: True: paged routes ignore ``page`` and always serve page 1 (a server bug).
        self.ignore_paging = False
        self.api_keys: dict[str, list[str] | None] = {api_key: None}
        self.addon_tokens: dict[str, list[str] | None] = {}
        #: Seconds every request waits before it is answered, like a distant server.
        self.latency = 0.0
        #: Tracebacks of handler crashes (answered 500); a test can assert it is empty.
        self.handler_errors: list[str] = []
        self.verbose = verbose
        self._bind = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._log_lock = threading.Lock()
        self._connections: set[socket.socket] = set()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Emulator:
        """Bind (a free port by default) and serve in a daemon thread."""
        if self._server is not None:
            return self
        server = _Server(self._bind, _Handler)
        server.emulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"clockify-emulator:{server.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._log_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- the clock and the change feeds ----------------------------------------------

    @property
    def clock(self) -> Clock:
        """The emulator's clock (change stamps, deletion delay, ``Date`` header)."""
        return self.data.changes.clock

    @property
    def feed(self) -> FeedOptions:
        """How the entity-change feeds answer (forms, delay, paging); see changes.py."""
        return self.data.changes.options

    # -- addresses ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (the emulator must be started)."""
        if self._server is None:
            raise RuntimeError("emulator is not running; call start()")
        return int(self._server.server_port)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:{port}``."""
        return f"http://{self._bind[0]}:{self.port}"

    @property
    def api_url(self) -> str:
        """Main API base URL, like ``https://api.clockify.me/api/v1``."""
        return self.base_url + HOST_PREFIXES["api"]

    @property
    def reports_url(self) -> str:
        """Reports base URL, like ``https://reports.api.clockify.me/v1``."""
        return self.base_url + HOST_PREFIXES["reports"]

    @property
    def auditlog_url(self) -> str:
        """Audit-log base URL, like ``https://auditlog-api.api.clockify.me/v1``."""
        return self.base_url + HOST_PREFIXES["auditlog"]

    # -- request log ---------------------------------------------------------------------

    def matching(
        self, route: str | None = None, method: str | None = None, host: str | None = None
    ) -> list[RecordedRequest]:
        """Recorded requests with this route template, method and host (None: any)."""
        with self._log_lock:
            return [
                r
                for r in self.requests
                if (route is None or r.route == route)
                and (method is None or r.method == method.upper())
                and (host is None or r.host == host)
            ]

    def count(
        self, route: str | None = None, method: str | None = None, host: str | None = None
    ) -> int:
        """Number of recorded requests matching (see :meth:`matching`)."""
        return len(self.matching(route, method, host))

    def reset_log(self) -> None:
        """Forget recorded requests (the list object stays the same)."""
        with self._log_lock:
            self.requests.clear()

    def add_fault(self, rule: FaultRule) -> FaultRule:
        """Shorthand for ``faults.add``."""
        return self.faults.add(rule)

    # -- request processing ------------------------------------------------------------

    def visible_workspaces(self, credential: rules.Credential) -> tuple[str, ...]:
        """Workspace ids a credential may use; an unknown one is 401 (4003 / 4017)."""
        is_key = credential.header == rules.API_KEY_HEADER
        table = self.api_keys if is_key else self.addon_tokens
        if credential.value not in table:
            raise errors.unknown_api_key() if is_key else errors.invalid_addon_token()
        allowed = table[credential.value]
        if allowed is None:
            return tuple(w["id"] for w in self.data.workspaces)
        existing = self.data.workspaces + self.data.hidden_workspaces
        return tuple(w["id"] for w in existing if w["id"] in allowed)

    def dispatch(
        self,
        method: str,
        host: str | None,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        raw_body: bytes,
        resolution: Resolution,
    ) -> Response:
        """Answer a request that no fault intercepted; ``headers`` have lower-case names."""
        try:
            visible = self.visible_workspaces(rules.credential_of(headers))
            if host is None or resolution.template is None:
                resource = "v1" + path.rstrip("/") if host else path.lstrip("/")
                raise errors.no_static_resource(resource)
            route = resolution.route
            if route is None:
                error = errors.method_not_supported(method)
                error.headers["Allow"] = ", ".join(resolution.allowed)
                raise error
            workspace_id = resolution.params.get("workspaceId")
            if workspace_id is not None and workspace_id not in visible:
                raise errors.access_denied()
            if route.handler is None:
                raise errors.not_emulated(method, route.template)
            page = None
            if route.paged:
                page = rules.parse_paging(
                    query, route.default_page_size, route.max_page_size, route.max_page
                )
            request = Request(
                method=method,
                host=host,
                path=path,
                route=route.template,
                params=resolution.params,
                query=query,
                headers=headers,
                raw_body=raw_body,
                visible=visible,
            )
            with self.lock:
                return self._render(route, page, route.handler(self, request))
        except errors.ApiError as exc:
            return Response(exc.status, _encode(exc.body), exc.headers)
        except Exception:  # a bug in a handler or in test data
            trace = traceback.format_exc()
            self.handler_errors.append(trace)
            print(trace, file=sys.stderr)
            return Response(500, _encode({"message": "Emulator handler crashed", "code": 500}))

    def _render(self, route: Route, page: rules.Page | None, result: Any) -> Response:
        """Page a handler's records and serialise, still under ``lock``."""
        if isinstance(result, Response):
            body = result.body if isinstance(result.body, bytes) else _encode(result.body)
            return Response(result.status, body, dict(result.headers))
        headers: dict[str, str] = {}
        if page is not None and isinstance(result, list):
            if self.ignore_paging:
                page = rules.Page(1, page.size)
            result, last = page.slice(result)
            if self.last_page_header:
                headers[rules.LAST_PAGE_HEADER] = "true" if last else "false"
        return Response(200, _encode(result), headers)

    def record(self, entry: RecordedRequest) -> None:
        """Append to the request log."""
        with self._log_lock:
            self.requests.append(entry)

    def log(self, message: str) -> None:
        """Print a line when verbose."""
        if self.verbose:
            print(message, file=sys.stderr, flush=True)


def _encode(body: Any) -> bytes:
    """JSON as UTF-8, non-ASCII kept (names may hold any Unicode, emoji included)."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: Emulator

    @override
    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up (expected with drop/truncate faults)."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so client sessions reuse connections
    server_version = "ClockifyEmulator/1.0"
    timeout = 30  # idle keep-alive connections are closed after this many seconds

    @property
    def emulator(self) -> Emulator:
        return cast(_Server, self.server).emulator

    @override
    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle plus the client's
        # delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.emulator._log_lock:
            self.emulator._connections.add(self.connection)

    @override
    def finish(self) -> None:
        with self.emulator._log_lock:
            self.emulator._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    @override
    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header, read from the emulator's (shiftable) clock."""
        if timestamp is None:
            timestamp = self.emulator.clock.now().timestamp()
        return super().date_time_string(timestamp)

    @override
    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        emu = self.emulator
        method = self.command.upper()
        split = urlsplit(self.path)
        full_path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length > 0 else b""
        headers = dict(self.headers.items())
        lowered = {name.lower(): value for name, value in headers.items()}

        host, path = _split_host(full_path)
        resolution = resolve(host, method, path) if host else Resolution(None, {}, None, ())
        entry = RecordedRequest(
            method=method,
            host=host,
            path=path,
            route=resolution.template,
            query=query,
            body=_parse_json(raw_body),
            status=0,
            headers={
                name: "***" if name.lower() in rules.SECRET_HEADERS else value
                for name, value in headers.items()
            },
            full_path=full_path,
            at=time.monotonic(),
        )
        emu.record(entry)
        if emu.latency:
            time.sleep(emu.latency)

        rule = emu.faults.pick(method, host, resolution.template, path)
        truncate = False
        if rule is not None:
            if rule.kind == "drop":
                emu.log(f"{method} {full_path} -> dropped")
                self.close_connection = True
                return
            if rule.kind == "status":
                body = rule.body if rule.body is not None else errors.fault_body(rule.status)
                fault_headers = {}
                if rule.retry_after is not None:
                    fault_headers["Retry-After"] = rule.retry_after
                entry.status = rule.status
                self._send(Response(rule.status, _encode(body), fault_headers))
                emu.log(f"{method} {full_path} -> {rule.status} (fault)")
                return
            if rule.kind == "redirect":
                status = rule.status if 300 <= rule.status < 400 else 302
                target = str(rule.location).rstrip("/") + self.path
                entry.status = status
                self._send(Response(status, b"", {"Location": target}))
                emu.log(f"{method} {full_path} -> {status} to {target} (fault)")
                return
            if rule.kind == "delay":
                time.sleep(rule.delay)
            truncate = rule.kind == "truncate"

        response = emu.dispatch(method, host, path, query, lowered, raw_body, resolution)
        entry.status = response.status
        trickle = rule.delay if rule is not None and rule.kind == "trickle" else None
        self._send(response, truncate=truncate, trickle=trickle)
        emu.log(f"{method} {self.path} -> {response.status}{' (truncated)' if truncate else ''}")

    def _send(
        self, response: Response, *, truncate: bool = False, trickle: float | None = None
    ) -> None:
        """Send `response`; cut short (`truncate`) or a byte every `trickle` seconds."""
        payload = response.body if isinstance(response.body, bytes) else _encode(response.body)
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if truncate:
            # The declared Content-Length stays; the connection ends mid-body.
            self.wfile.write(payload[: len(payload) // 2])
            self.close_connection = True
        elif trickle is not None:
            self.close_connection = True
            for index in range(len(payload)):
                if self.emulator._server is None:  # stopping
                    return
                try:
                    self.wfile.write(payload[index : index + 1])
                except OSError:  # the client gave up
                    return
                time.sleep(trickle)
        else:
            self.wfile.write(payload)


def _split_host(full_path: str) -> tuple[str | None, str]:
    """``/api/v1/workspaces`` -> (``"api"``, ``/workspaces``); unknown prefix -> None."""
    for host, prefix in HOST_PREFIXES.items():
        if full_path == prefix or full_path.startswith(prefix + "/"):
            return host, full_path[len(prefix) :] or "/"
    return None, full_path


def _parse_json(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
