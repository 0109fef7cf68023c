"""Keep the API key out of every log line, whatever logged it and however it was escaped."""

from __future__ import annotations

import json
import logging
import typing as t
from urllib.parse import quote, quote_plus

from typing_extensions import override

REDACTED = "***"
#: Shorter strings are not redacted: they would blank out ordinary words.
MIN_SECRET_LENGTH = 4


def secret_forms(secret: t.Any) -> set[str]:
    r"""`secret` as text, stripped, and in the escaped forms errors and logs print it in.

    An exception may show the key through `repr` (`'k\n'`), as bytes (`b'k\n'`, what
    `requests` prints for an invalid header), JSON-escaped, or URL-encoded.
    """
    if secret is None or isinstance(secret, bool):
        return set()
    text = str(secret)
    forms: set[str] = set()
    for value in {text, text.strip()}:
        forms |= {
            value,
            repr(value)[1:-1],
            json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1],
            quote(value, safe=""),
            quote(value),
            quote_plus(value),
            repr(value.encode("utf-8", "backslashreplace"))[2:-1],
            repr(value.encode("latin-1", "backslashreplace"))[2:-1],
        }
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class SecretRedactor(logging.Filter):
    """Replaces each secret in a log record's message and traceback with `***`."""

    def __init__(self, secrets: t.Iterable[t.Any]) -> None:
        """Redact every non-trivial secret in `secrets` (any type), in every form."""
        super().__init__()
        forms = set().union(*map(secret_forms, secrets))
        self.secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    @override
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
