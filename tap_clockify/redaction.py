"""Keep the API key out of every log line, whatever logged it."""

from __future__ import annotations

import logging
import typing as t

REDACTED = "***"


class SecretRedactor(logging.Filter):
    """Replaces each secret in a log record's message and traceback with `***`."""

    def __init__(self, secrets: t.Iterable[str]) -> None:
        """Redact every non-trivial string in `secrets`."""
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def install(redactor: SecretRedactor) -> None:
    """Attach `redactor` to every handler that can see the tap's and the SDK's records."""
    loggers = [logging.getLogger(), *map(logging.getLogger, list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if redactor not in handler.filters:
                handler.addFilter(redactor)
