"""Singer output: messages encoded with msgspec, written in blocks, flushed at each STATE.

The SDK's default writer encodes with simplejson and flushes stdout after every message: a
system call per record (and Python writes unbuffered anyway under `PYTHONUNBUFFERED`,
which many runners set). Here RECORD lines are gathered into blocks of up to
`BLOCK_BYTES` and every other message (SCHEMA, STATE, ACTIVATE_VERSION) writes out the
block before it and is flushed. A loader therefore holds every record a STATE covers when
it receives that STATE, and a run killed between two STATEs loses only records that the
resumed run reads again.
"""

from __future__ import annotations

import atexit
import contextlib
import sys
import typing as t

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import Message, RecordMessage
from typing_extensions import override

#: RECORD lines gathered before they are written.
BLOCK_BYTES = 1 << 16


class SingerOutput(MsgSpecWriter):
    """msgspec-encoded messages on stdout; RECORDs written in blocks before the next other."""

    def __init__(self) -> None:
        """Start with an empty block; whatever is left is written when Python exits."""
        super().__init__()
        self._block = bytearray()
        #: Where the block goes: stdout as it was when the block began.
        self._stdout: t.Any = None
        atexit.register(self.flush)

    @override
    def write_message(self, message: Message) -> None:
        """Add a RECORD to the block; write the block and any other message at once."""
        if not self._block:
            self._stdout = sys.stdout
        self._block += self.format_message(message)
        if not isinstance(message, RecordMessage) or len(self._block) >= BLOCK_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the gathered lines to stdout and flush it."""
        if not self._block:
            return
        block, self._block = bytes(self._block), bytearray()
        stdout = self._stdout or sys.stdout
        buffer = getattr(stdout, "buffer", None)
        with contextlib.suppress(ValueError):  # that stream was closed meanwhile
            if buffer is not None:
                buffer.write(block)
            else:  # a text stream without bytes underneath (tests capture stdout this way)
                stdout.write(block.decode())
            stdout.flush()
