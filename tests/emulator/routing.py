"""A small route registry: each route module declares what it serves with ``@route``.

A handler receives the emulator and the parsed :class:`Request` and returns either the
full list of records (the server pages it when the route is ``paged``), any other JSON
value (sent as is with 200), or an explicit :class:`Response`::

    @route("GET", "/workspaces/{workspaceId}/clients", paged=True)
    def list_clients(emu: Emulator, req: Request) -> list[dict]:
        return emu.data.ws[req.workspace_id].clients

Routes whose path has ``{workspaceId}`` are access-checked by the server before the
handler runs, so handlers may index ``emu.data.ws[req.workspace_id]`` directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import errors, rules

if TYPE_CHECKING:
    from .server import Emulator

#: Path prefix of each host; the real hosts differ (docs/clockify.md, Hosts), but one port
#: serves all.
HOST_PREFIXES = {"api": "/api/v1", "reports": "/reports/v1", "auditlog": "/auditlog/v1"}


@dataclass
class Response:
    """An explicit response; ``body`` is JSON-serialised unless it is ``bytes``."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """A parsed request as a handler sees it."""

    method: str
    host: str
    path: str
    route: str
    params: dict[str, str]  # path parameters, e.g. {"workspaceId": "..."}
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    raw_body: bytes = b""
    #: Workspace ids the request's credential can see.
    visible: tuple[str, ...] = ()

    @property
    def workspace_id(self) -> str:
        """The ``{workspaceId}`` path parameter."""
        return self.params["workspaceId"]

    @property
    def body(self) -> Any:
        """The JSON body, ``None`` when empty; malformed JSON is a 400."""
        if not self.raw_body.strip():
            return None
        try:
            return json.loads(self.raw_body)
        except ValueError as exc:
            raise errors.malformed_json() from exc

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def list_arg(self, name: str) -> list[str] | None:
        """A list parameter, sent repeated and/or comma-separated; ``None`` when absent."""
        values = self.query.get(name)
        if values is None:
            return None
        return [item.strip() for value in values for item in value.split(",") if item.strip()]

    def enum_list_arg(self, name: str, allowed: tuple[str, ...]) -> list[str] | None:
        """A list parameter whose items are enum constants; ``None`` when absent."""
        values = self.list_arg(name)
        return None if values is None else [rules.parse_enum(name, v, allowed) for v in values]

    def bool_arg(self, name: str) -> bool | None:
        """A boolean parameter; ``None`` when absent."""
        value = self.arg(name)
        return None if value is None else rules.parse_bool(name, value)

    def enum_arg(self, name: str, allowed: tuple[str, ...]) -> str | None:
        """An enum parameter; ``None`` when absent."""
        value = self.arg(name)
        return None if value is None else rules.parse_enum(name, value, allowed)

    def datetime_arg(self, name: str) -> datetime | None:
        """A date-time parameter (``yyyy-MM-ddTHH:mm:ss[.SSS]Z``); ``None`` when absent."""
        value = self.arg(name)
        return None if value is None else rules.parse_datetime(name, value)


#: What a handler may return: records to page, a JSON value, or a full response.
HandlerResult = Response | list[Any] | dict[str, Any]
Handler = Callable[["Emulator", Request], HandlerResult]


@dataclass(frozen=True)
class Route:
    """One method on one path template of one host."""

    method: str
    template: str
    host: str
    handler: Handler | None
    paged: bool = False
    default_page_size: int = rules.DEFAULT_PAGE_SIZE
    max_page_size: int = rules.MAX_PAGE_SIZE
    max_page: int | None = None

    @property
    def placeholders(self) -> int:
        """Number of ``{param}`` segments; fewer means more specific."""
        return self.template.count("{")

    def match(self, path: str) -> dict[str, str] | None:
        """Path parameters when ``path`` fits the template, else ``None``."""
        found = _compile(self.template).fullmatch(path)
        return None if found is None else found.groupdict()


@dataclass(frozen=True)
class Resolution:
    """Outcome of routing: a route, or why there is none."""

    route: Route | None
    params: dict[str, str]
    template: str | None
    allowed: tuple[str, ...]


_ROUTES: list[Route] = []
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compile(template: str) -> re.Pattern[str]:
    pattern = _PATTERNS.get(template)
    if pattern is None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        pattern = _PATTERNS[template] = re.compile(regex)
    return pattern


def route(
    method: str,
    template: str,
    *,
    host: str = "api",
    paged: bool = False,
    default_page_size: int = rules.DEFAULT_PAGE_SIZE,
    max_page_size: int = rules.MAX_PAGE_SIZE,
    max_page: int | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``method template`` on ``host``."""
    if host not in HOST_PREFIXES:
        raise ValueError(f"unknown host {host!r}")

    def register(handler: Handler) -> Handler:
        _add(
            Route(
                method.upper(),
                template,
                host,
                handler,
                paged=paged,
                default_page_size=default_page_size,
                max_page_size=max_page_size,
                max_page=max_page,
            )
        )
        return handler

    return register


def declare(template: str, *methods: str, host: str = "api") -> None:
    """Record that the real API binds ``template`` for ``methods`` the emulator omits.

    Other methods on the path then answer 405 rather than 404, as live (e.g.
    ``GET /time-entries`` is 405 because only POST is bound there); the declared methods
    themselves answer 501.
    """
    for method in methods:
        _add(Route(method.upper(), template, host, None))


def _add(new: Route) -> None:
    for existing in _ROUTES:
        if (existing.host, existing.method, existing.template) == (
            new.host,
            new.method,
            new.template,
        ):
            raise ValueError(f"duplicate route {new.method} {new.host}{new.template}")
    _ROUTES.append(new)


def routes() -> list[Route]:
    """All registered routes, in registration order."""
    return list(_ROUTES)


def resolve(host: str, method: str, path: str) -> Resolution:
    """Find the route for a request; the most specific matching template wins."""
    candidates = [(r, params) for r in _ROUTES if r.host == host for params in [r.match(path)]]
    matches = [(r, params) for r, params in candidates if params is not None]
    if not matches:
        return Resolution(None, {}, None, ())
    fewest = min(r.placeholders for r, _ in matches)
    best = [(r, params) for r, params in matches if r.placeholders == fewest]
    template = best[0][0].template
    same = [(r, params) for r, params in best if r.template == template]
    allowed = tuple(r.method for r, _ in same)
    for candidate, params in same:
        if candidate.method == method:
            return Resolution(candidate, params or {}, template, allowed)
    return Resolution(None, best[0][1] or {}, template, allowed)
