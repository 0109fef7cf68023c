"""Helpers for sync tests: the tap's warnings (without pytest's logging plugin), bookmarks."""

from __future__ import annotations

import contextlib
import logging
import typing as t
from collections.abc import Iterator

from typing_extensions import override

if t.TYPE_CHECKING:
    from tests.tap_runner import SyncResult


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[int, str]] = []

    @override
    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelno, record.getMessage()))


@contextlib.contextmanager
def tap_warnings() -> Iterator[list[str]]:
    """The WARNING (and worse) lines the tap logs inside the block."""
    handler = _Lines()
    logger = logging.getLogger("tap-clockify")
    logger.addHandler(handler)
    found: list[str] = []
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        found.extend(line for level, line in handler.lines if level >= logging.WARNING)


def partition_bookmark(result: SyncResult, stream: str, workspace_id: str) -> t.Any:
    """The final bookmark of `stream` for one workspace."""
    partitions = result.final_state["bookmarks"][stream]["partitions"]
    return next(
        p["replication_key_value"]
        for p in partitions
        if p["context"]["workspace_id"] == workspace_id
    )
