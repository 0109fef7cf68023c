"""SDK log lines that repeat per stream or partition and say nothing the user can act on."""

from __future__ import annotations

import logging

from typing_extensions import override

#: Beginnings of SDK messages logged at DEBUG instead of INFO or WARNING:
#: - the warning for each partition of an unsorted stream: the tap's unsorted streams
#:   move a bookmark only once a partition is read in full, so an interrupted run
#:   resumes without a gap; one warning per member of every workspace would bury the
#:   warnings that matter;
#: - one line per parent and child stream at start-up, one per partition's bookmark.
SDK_CHATTER = (
    "Stream is assumed to be unsorted",
    "Added '%s' as child stream",
    "Starting incremental sync of",
)


class SdkChatter(logging.Filter):
    """Logs `SDK_CHATTER` records at DEBUG: dropped unless the logger shows DEBUG.

    A filter on a logger sees the records logged on that logger only, before any handler.
    """

    def __init__(self, logger: logging.Logger) -> None:
        """Filter the records of `logger`."""
        super().__init__()
        self.logger = logger

    @override
    def filter(self, record: logging.LogRecord) -> bool:
        """Demote chatter, kept only where DEBUG is on; let every other record through."""
        if not str(record.msg).startswith(SDK_CHATTER):
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return self.logger.isEnabledFor(logging.DEBUG)


def quiet_sdk_chatter(*logger_names: str) -> None:
    """Install `SdkChatter` on the SDK's logger and on `logger_names` (once each)."""
    for name in ("singer_sdk", *logger_names):
        logger = logging.getLogger(name)
        if not any(isinstance(f, SdkChatter) for f in logger.filters):
            logger.addFilter(SdkChatter(logger))
