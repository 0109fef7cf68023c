"""A bound on a whole HTTP request, body included, not only on each read of it."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import typing as t

import requests
from requests.adapters import HTTPAdapter
from typing_extensions import override


class DeadlineAdapter(HTTPAdapter):
    """Fails a request that takes longer than `seconds` in all with `ReadTimeout`.

    `requests` applies its timeout to each read: a server that sends its headers, then a
    byte every few seconds, would hold a sync for ever. The body is read under a timer
    that shuts the socket down when the time is up; the failure is then a timeout, which
    the streams retry like any other.
    """

    def __init__(self, seconds: float, **kwargs: t.Any) -> None:
        """Bound each request to `seconds`; other arguments as for HTTPAdapter."""
        super().__init__(**kwargs)
        self.seconds = seconds

    @override
    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: t.Any = None,
        verify: bool | str = True,
        cert: t.Any = None,
        proxies: t.Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send `request`; read the body (unless streamed) before the deadline."""
        started = time.monotonic()
        response = super().send(
            request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )
        if stream:
            return response
        expired = threading.Event()
        connection = getattr(response.raw, "connection", None)
        sock = getattr(connection, "sock", None)

        def expire() -> None:
            expired.set()
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(max(0.0, self.seconds - (time.monotonic() - started)), expire)
        timer.daemon = True
        timer.start()
        try:
            _ = response.content  # reads and keeps the whole body
        except (requests.RequestException, OSError) as error:
            if expired.is_set():
                raise self.timed_out(request) from error
            raise
        finally:
            timer.cancel()
        if expired.is_set():
            raise self.timed_out(request)
        return response

    def timed_out(self, request: requests.PreparedRequest) -> requests.exceptions.ReadTimeout:
        """The error of a request past its deadline."""
        return requests.exceptions.ReadTimeout(
            f"the response took longer than {self.seconds:g} s in all (request_timeout)",
            request=request,
        )
