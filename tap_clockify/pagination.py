"""Clockify's `page`/`page-size` paging, ended by the `Last-Page` header or a short page."""

from __future__ import annotations

import hashlib
import typing as t

from singer_sdk.pagination import PageNumberPaginator
from typing_extensions import override

from tap_clockify.errors import RepeatedPageError

if t.TYPE_CHECKING:
    import requests


class ClockifyPaginator(PageNumberPaginator):
    """Page numbers from 1, stopping where Clockify says the last page is.

    Clockify sends `Last-Page: true|false` on most lists (lower-case over HTTP/2; `requests`
    looks headers up case-insensitively). Where the header is absent, a page shorter than
    the page size is the last. A page whose body repeats the previous page's means the
    server ignores `page`: that is an error, never an endless loop.
    """

    def __init__(
        self,
        page_size: int,
        count_records: t.Callable[[requests.Response], int],
        *,
        where: str = "",
        start_value: int = 1,
    ) -> None:
        """Start at page `start_value`; `count_records` counts a response's records.

        `where` names the stream and endpoint in the repeated-page error.
        """
        super().__init__(start_value)
        self.page_size = page_size
        self.where = where
        self._count_records = count_records
        self._previous_digest: bytes | None = None

    def check_new_page(self, response: requests.Response) -> None:
        """Raise RepeatedPageError if `response` repeats the previous page's body."""
        digest = hashlib.sha256(response.content).digest()
        if digest == self._previous_digest:
            msg = (
                f"{self.where}: page {self.current_value} repeated page "
                f"{self.current_value - 1} (the server ignored the `page` parameter); "
                "stopping rather than looping"
            )
            raise RepeatedPageError(msg)
        self._previous_digest = digest

    @override
    def advance(self, response: requests.Response) -> None:
        """Move past `response`, which must not repeat the previous page."""
        self.check_new_page(response)
        super().advance(response)

    @override
    def has_more(self, response: requests.Response) -> bool:
        """Whether another page follows `response`."""
        last_page = response.headers.get("Last-Page")
        if last_page is not None:
            return last_page.strip().lower() != "true"
        return self._count_records(response) >= self.page_size
