"""Paging for routes whose records sit inside an envelope or whose page is in the body.

The server pages a handler's bare list by itself (``@route(..., paged=True)``); lists
wrapped in an envelope (``{count, requests}``, ``{expenses: {count, expenses}}``...) and
POST searches that take ``page``/``pageSize`` in the body page here, with the same rules
(docs/clockify.md, Paging): 1-based pages, a page past the end is ``[]``, ``Last-Page``
where the live endpoint sends it, and the emulator's ``ignore_paging`` /
``last_page_header`` switches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import errors, rules
from ..routing import Request, Response

if TYPE_CHECKING:
    from ..server import Emulator


def envelope_page(
    emu: Emulator,
    req: Request,
    records: list[Any],
    wrap: Callable[[list[Any]], Any],
    *,
    max_size: int = rules.MAX_PAGE_SIZE,
    max_page: int | None = None,
) -> Response:
    """The page that ``page``/``page-size`` ask for, wrapped by ``wrap``, with Last-Page."""
    page = rules.parse_paging(req.query, rules.DEFAULT_PAGE_SIZE, max_size, max_page)
    return _render(emu, page, records, wrap, last_page_header=True)


def body_page(
    emu: Emulator,
    body: dict[str, Any],
    records: list[Any],
    wrap: Callable[[list[Any]], Any],
    *,
    size_key: str,
    default_size: int,
    max_size: int,
    max_page: int | None = None,
) -> Response:
    """The page that the body's ``page`` and ``size_key`` ask for; no Last-Page header."""
    number = _body_int(body, "page", 1)
    size = _body_int(body, size_key, default_size)
    if not 1 <= size <= max_size:
        raise errors.invalid_parameter(f"{size_key} must be between 1 and {max_size}, got {size}")
    if number < 1 or (max_page is not None and number > max_page):
        raise errors.invalid_parameter(f"page must be between 1 and {max_page}, got {number}")
    return _render(emu, rules.Page(number, size), records, wrap, last_page_header=False)


def json_body(req: Request) -> dict[str, Any]:
    """The request's JSON object body; a missing or non-object body is a 400."""
    body = req.body
    if not isinstance(body, dict):
        raise errors.malformed_json()
    return body


def _body_int(body: dict[str, Any], key: str, default: int) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.malformed_json()
    return value


def _render(
    emu: Emulator,
    page: rules.Page,
    records: list[Any],
    wrap: Callable[[list[Any]], Any],
    *,
    last_page_header: bool,
) -> Response:
    if emu.ignore_paging:
        page = rules.Page(1, page.size)
    rows, last = page.slice(records)
    headers = {}
    if last_page_header and emu.last_page_header:
        headers[rules.LAST_PAGE_HEADER] = "true" if last else "false"
    return Response(200, wrap(rows), headers)
