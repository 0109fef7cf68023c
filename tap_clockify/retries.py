"""How long to wait before retrying a request: Retry-After when Clockify sends it, else backoff."""

from __future__ import annotations

import random
import typing as t
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from singer_sdk.exceptions import RetriableAPIError

from tap_clockify.errors import RateLimitCeilingError

if t.TYPE_CHECKING:
    from collections.abc import Generator

    import requests


def retry_after_seconds(
    response: requests.Response | None,
    now: datetime | None = None,
) -> float | None:
    """Seconds a response's `Retry-After` asks for (delta-seconds or an HTTP date), if any."""
    if response is None:
        return None
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def failed_response(error: BaseException | None) -> requests.Response | None:
    """The HTTP response behind a retriable error, if there was one."""
    return error.response if isinstance(error, RetriableAPIError) else None


def describe_failure(error: BaseException | None) -> str:
    """A short phrase for a log line: what went wrong with the last attempt."""
    response = failed_response(error)
    if response is not None:
        if response.status_code == HTTPStatus.TOO_MANY_REQUESTS:
            return "Clockify's rate limit (429)"
        if response.status_code < HTTPStatus.BAD_REQUEST:
            return "an unreadable response body"
        return f"a {response.status_code} from Clockify"
    return f"a network error ({type(error).__name__})"


@dataclass(frozen=True)
class RetryPolicy:
    """Waits between attempts of one request.

    A 429 with `Retry-After` waits exactly that long (stopping the sync when it exceeds
    `max_rate_limit_wait`); everything else backs off exponentially from `backoff` seconds
    with "equal jitter" (half fixed, half random), capped at `max_backoff`.
    """

    backoff: float
    max_backoff: float
    max_rate_limit_wait: float
    stream_name: str

    def waits(self) -> Generator[float, BaseException | None, None]:
        """A `backoff` wait generator: send it each failure, it yields the next wait."""
        error = yield 0.0
        attempt = 0
        while True:
            attempt += 1
            asked = retry_after_seconds(failed_response(error))
            if asked is not None:
                if asked > self.max_rate_limit_wait:
                    msg = (
                        f"{self.stream_name}: Clockify asked to wait {asked:.0f} s before the "
                        "next request, longer than max_rate_limit_wait_seconds "
                        f"({self.max_rate_limit_wait:.0f}); the workspace's rate limit is "
                        "exhausted (free plans allow few requests per hour): run again later "
                        "or raise max_rate_limit_wait_seconds"
                    )
                    raise RateLimitCeilingError(msg)
                error = yield asked
                continue
            ceiling = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
            error = yield ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter
