"""Cross-cutting API rules: authentication, parameter conversion and paging.

The behaviour they copy is described in docs/clockify.md (Authentication and errors, Paging).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import errors

# --- Authentication ------------------------------------------------------------------

API_KEY_HEADER = "x-api-key"
ADDON_TOKEN_HEADER = "x-addon-token"
#: Headers whose values are credentials; recorded requests show them as ``***``.
SECRET_HEADERS = frozenset({API_KEY_HEADER, ADDON_TOKEN_HEADER})


@dataclass(frozen=True)
class Credential:
    """The one auth header a request carried."""

    header: str
    value: str


def credential_of(headers: Mapping[str, str]) -> Credential:
    """Exactly one of X-Api-Key / X-Addon-Token; none or both is 401 code 1000.

    ``headers`` must have lower-cased names. ``Authorization: Bearer`` counts as none.
    """
    present = [
        Credential(name, headers[name])
        for name in (API_KEY_HEADER, ADDON_TOKEN_HEADER)
        if headers.get(name, "").strip()
    ]
    if len(present) != 1:
        raise errors.auth_missing_or_multiple()
    return present[0]


# --- Parameter conversion (Spring semantics; a bad type is a 400) -------------------

_TRUE = frozenset({"true", "on", "yes", "1"})
_FALSE = frozenset({"false", "off", "no", "0"})


def parse_bool(name: str, value: str) -> bool:
    """Spring's lenient boolean conversion; anything else is 400 code 3000."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise errors.conversion_failed(
        name, value, "java.lang.Boolean", f"Invalid boolean value [{value}]"
    )


def parse_int(name: str, value: str) -> int:
    """A base-10 int; ``abc`` or ``1.5`` is 400 code 3000 echoing the value."""
    if re.fullmatch(r"[+-]?\d{1,10}", value.strip()):
        number = int(value)
        if -(2**31) <= number < 2**31:
            return number
    raise errors.conversion_failed(name, value, "int", f'For input string: "{value}"')


def parse_enum(name: str, value: str, allowed: Iterable[str]) -> str:
    """An enum constant, case-sensitive like Java's ``Enum.valueOf``."""
    if value in set(allowed):
        return value
    raise errors.conversion_failed(
        name, value, "java.lang.Enum", f"No enum constant for value [{value}]"
    )


_INSTANT = re.compile(
    r"(?P<base>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d{1,9}))?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})"
)


def parse_instant(text: str) -> datetime | None:
    """``yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)`` as an aware UTC datetime, else None."""
    found = _INSTANT.fullmatch(text.strip())
    if found is None:
        return None
    frac = (found["frac"] or "").ljust(6, "0")[:6]
    zone = "+00:00" if found["zone"] == "Z" else found["zone"]
    try:
        parsed = datetime.fromisoformat(f"{found['base']}.{frac}{zone}")
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def parse_datetime(name: str, value: str) -> datetime:
    """A date-time query parameter (``start``/``end``); malformed is 400 code 3000.

    The live API reads these as wall-clock time in the account's time zone
    (docs/clockify.md, Endpoints); the emulator reads them literally (UTC), which
    equals live behaviour for the UTC accounts the tap's tests use.
    """
    parsed = parse_instant(value)
    if parsed is None:
        raise errors.conversion_failed(
            name,
            value,
            "java.time.Instant",
            "Failed to convert from type [java.lang.String] to type "
            f"[@org.springframework.web.bind.annotation.RequestParam java.time.Instant] "
            f"for value [{value}]",
        )
    return parsed


# --- Paging --------------------------------------------------------------------------

DEFAULT_PAGE_SIZE = 50
#: Clockify support: 5000 on all non-report endpoints (docs/clockify.md, Paging).
MAX_PAGE_SIZE = 5000
#: Time-off policies and balances: page-size max 200, page max 1000.
TIME_OFF_MAX_PAGE_SIZE = 200
TIME_OFF_MAX_PAGE = 1000
LAST_PAGE_HEADER = "Last-Page"


@dataclass(frozen=True)
class Page:
    """A requested page: 1-based number and size."""

    number: int
    size: int

    def slice(self, records: list[Any]) -> tuple[list[Any], bool]:
        """The records on this page and whether it is the last one.

        A page past the end is ``[]`` and last, as live.
        """
        start = (self.number - 1) * self.size
        return records[start : start + self.size], start + self.size >= len(records)


def parse_paging(
    query: Mapping[str, list[str]],
    default_size: int = DEFAULT_PAGE_SIZE,
    max_size: int = MAX_PAGE_SIZE,
    max_page: int | None = None,
) -> Page:
    """Read ``page`` (1-based, default 1) and ``page-size`` (hyphenated, default 50).

    ``pageSize`` (camelCase) is not a v1 list parameter and is ignored, as live.
    """
    page_values = query.get("page")
    size_values = query.get("page-size")
    number = parse_int("page", page_values[0]) if page_values else 1
    size = parse_int("page-size", size_values[0]) if size_values else default_size
    if size < 1:
        raise errors.invalid_parameter(f"page-size must be greater than 0, got {size}")
    if size > max_size:
        raise errors.invalid_parameter(
            f"page-size must be less than or equal to {max_size}, got {size}"
        )
    # Undocumented for page 0; the emulator is strict so an off-by-one in a client shows.
    if number < 1:
        raise errors.invalid_parameter(f"page must be greater than 0, got {number}")
    if max_page is not None and number > max_page:
        raise errors.invalid_parameter(
            f"page must be less than or equal to {max_page}, got {number}"
        )
    return Page(number, size)


# --- Common list filters --------------------------------------------------------------


def filter_archived(records: list[dict[str, Any]], archived: bool | None) -> list[dict[str, Any]]:
    """``archived`` absent returns both archived and active rows.

    That is what projects, clients and tags do live, although the spec declares
    ``default: false`` for projects.
    """
    if archived is None:
        return list(records)
    return [r for r in records if bool(r.get("archived")) is archived]


def by_name(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Name order, case-insensitive, ties by id: the default list order (sort-column NAME)."""
    return sorted(records, key=lambda r: (str(r.get("name", "")).casefold(), r.get("id", "")))
