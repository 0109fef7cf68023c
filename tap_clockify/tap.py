"""The Clockify tap: its settings, its streams, and how its command line reports errors."""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import signal
import sys
import threading
import typing as t
from functools import cached_property

import click
import requests
from singer_sdk import Stream, Tap
from singer_sdk.exceptions import ConfigValidationError, FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_clockify import redaction
from tap_clockify.errors import InputError
from tap_clockify.inputs import StateChecker, check_catalog, env_problems, read_json_object
from tap_clockify.logs import quiet_sdk_chatter
from tap_clockify.progress import SyncProgress
from tap_clockify.ratelimit import ClockifyRateLimit
from tap_clockify.settings import CONFIG_SCHEMA, DEFAULT_MAX_REQUESTS_PER_SECOND
from tap_clockify.streams import STREAM_TYPES
from tap_clockify.streams.changes import ChangeTracker
from tap_clockify.table_versions import TableVersions, VersionStampingWriter
from tap_clockify.validation import config_problems

if t.TYPE_CHECKING:
    from types import FrameType

#: Failures the command line reports as one line and exit code 1, without a traceback:
#: API errors (after retries), network errors, and configuration errors found mid-run.
REPORTED_ERRORS = (FatalAPIError, RetriableAPIError, requests.RequestException)
#: Options naming JSON files the command reads before the sync (config is read apart).
INPUT_FILES = ("catalog", "state")
#: Prefix of the environment variables `--config ENV` reads settings from.
ENV_PREFIX = "TAP_CLOCKIFY_"


class TapClockify(Tap):
    """Singer tap for Clockify: time entries, projects, users, time off, invoices and reports."""

    name = "tap-clockify"
    #: The distribution on PyPI (`tap-clockify` there is another project); the SDK reads
    #: this package's version and Python classifiers for `--version` and `--about`.
    package_name = "singer-tap-clockify"
    config_jsonschema = CONFIG_SCHEMA
    message_writer_class = VersionStampingWriter

    @override
    def __init__(
        self,
        *,
        config: dict | None = None,
        validate_config: bool = True,
        **kwargs: t.Any,
    ) -> None:
        """Create the tap, keeping the API key out of every log handler from the start.

        The SDK checks the settings against `config_jsonschema`; `check_config` then puts
        our clearer messages (one per setting) in front of the schema's.
        """
        quiet_sdk_chatter(self.name)
        if isinstance(config, dict):
            redaction.install(redaction.SecretRedactor([config.get("api_key")]))
        if kwargs.get("parse_env_config") and (
            problems := env_problems(self.config_jsonschema, ENV_PREFIX)
        ):
            raise ConfigValidationError(problems[0], errors=problems)
        try:
            super().__init__(config=config, validate_config=validate_config, **kwargs)
        except ConfigValidationError as error:
            self.check_config(schema_errors=list(error.errors or [str(error)]))
            raise
        redaction.install(redaction.SecretRedactor([self.config.get("api_key")]))
        if isinstance(self.message_writer, VersionStampingWriter):
            self.message_writer.table_versions = self.table_versions
        if validate_config:
            self.check_config()
        known = self.config_jsonschema.get("properties", {})
        for name in sorted(set(self.config) - set(known)):
            self.logger.warning("Unknown setting %r ignored (check its spelling)", name)
        if threading.current_thread() is threading.main_thread():
            for interruption in (signal.SIGTERM, signal.SIGINT):
                signal.signal(interruption, self.handle_interruption)
        if not self.config.get("log_metrics"):
            # The SDK logs a METRIC line per request and partition: noise at INFO for a
            # sync of thousands of users. Our own progress lines replace them.
            logging.getLogger("singer_sdk.metrics").setLevel(logging.WARNING)

    def check_config(self, schema_errors: list[str] | None = None) -> None:
        """Raise ConfigValidationError listing our clear problems first, then the schema's.

        A schema error about a setting our own problems already name is left out.
        """
        problems = config_problems(self.config)
        named = {problem.split(":", 1)[0] for problem in problems}
        problems += [
            error for error in schema_errors or [] if not any(repr(name) in error for name in named)
        ]
        if problems:
            raise ConfigValidationError(problems[0], errors=problems)

    def handle_interruption(self, signum: int, frame: FrameType | None) -> None:  # noqa: ARG002
        """On SIGTERM or SIGINT: emit the state, say so in one line, exit 128 + the signal.

        The SDK's own handler exits 0, so an orchestrator would record an interrupted
        sync as a success. The state emitted is the last complete one: bookmarks move
        only once a partition is read in full, so the next run resumes without a gap.
        """
        self.state_writer.write_state(self.state)
        self.logger.error(
            "Interrupted by %s: the sync stopped before the end; the next run resumes "
            "from the last state emitted",
            signal.Signals(signum).name,
        )
        raise SystemExit(128 + signum)

    @override
    def load_state(self, state: dict[str, t.Any]) -> None:
        """Check the state first: one line naming the stream and key for what cannot be used."""
        if state:
            state = StateChecker(list(self.streams), self.logger).checked(state)
        super().load_state(state)

    @override
    @classmethod
    def cb_config(cls, ctx: click.Context, param: click.Option, value: tuple[str, ...]) -> t.Any:
        """Read the `--config` files, each missing or malformed one reported in one line."""
        for path in value:
            if path != "ENV":
                try:
                    read_json_object("config", path)
                except InputError as error:
                    cls.logger.error("Configuration error: %s", error)
                    ctx.exit(1)
        return super().cb_config(ctx, param, value)

    @override
    def setup_mapper(self) -> None:
        """Map every stream, also those a hand-trimmed catalog leaves out.

        A catalog may hold `tasks` without `projects` or `workspaces`: the parents are
        still read for their children's context (not emitted, as they are not selected),
        and the SDK needs a stream map for each stream it reads.
        """
        super().setup_mapper()
        for stream in self.streams.values():
            if stream.name not in self.mapper.stream_maps:
                self.mapper.register_raw_stream_schema(
                    stream.name, stream.schema, stream.primary_keys
                )

    @cached_property
    def rate_limit(self) -> ClockifyRateLimit:
        """The per-workspace rate limit every stream of this run shares."""
        rate = self.config.get("max_requests_per_second", DEFAULT_MAX_REQUESTS_PER_SECOND)
        return ClockifyRateLimit(float(rate))

    @cached_property
    def table_versions(self) -> TableVersions:
        """The run's table version and which streams may retire rows (docs/deletions.md)."""
        return TableVersions(self)

    @cached_property
    def progress(self) -> SyncProgress:
        """Counts of records, partitions and API calls, logged as the sync goes."""
        return SyncProgress(self.logger)

    @cached_property
    def change_tracker(self) -> ChangeTracker:
        """The run's reads of the entity-change feeds, and their bookmarks."""
        return ChangeTracker(self)

    def warn_once(self, message: str) -> None:
        """Log `message` as a warning the first time it is seen in this run."""
        warned: set[str] = self.__dict__.setdefault("_warned", set())
        if message not in warned:
            warned.add(message)
            self.logger.warning(message)

    @override
    def discover_streams(self) -> list[Stream]:
        """Return one instance of every stream (their per-partition chatter at DEBUG)."""
        streams: list[Stream] = [stream_class(tap=self) for stream_class in STREAM_TYPES]
        quiet_sdk_chatter(*(stream.logger.name for stream in streams))
        return streams

    @classmethod
    @override
    def get_singer_command(cls) -> click.Command:
        """The SDK's command, reporting known failures as one line and exit code 1."""
        command = super().get_singer_command()
        for param in command.params:
            if param.name in INPUT_FILES:  # read by the callback, which reports problems
                param.type = click.STRING
        if command.callback is not None:
            command.callback = _report_errors_in_one_line(command.callback, cls.logger)
        return command


def _report_errors_in_one_line(
    run: t.Callable[..., t.Any],
    logger: logging.Logger,
) -> t.Callable[..., t.Any]:
    @functools.wraps(run)
    def run_reporting_errors(*args: t.Any, **kwargs: t.Any) -> t.Any:
        try:
            for option in INPUT_FILES:
                if kwargs.get(option) is not None:
                    content = read_json_object(option, kwargs[option])
                    if option == "catalog":
                        check_catalog(content, kwargs[option], logger)
                    kwargs[option] = io.StringIO(json.dumps(content))
            return run(*args, **kwargs)
        except ConfigValidationError as error:
            for problem in error.errors or [str(error)]:
                logger.error("Configuration error: %s", problem)
        except InputError as error:
            logger.error("%s", error)
        except BrokenPipeError:
            logger.error(
                "Output closed: the target stopped reading the tap's output (broken "
                "pipe); the sync stopped"
            )
            # Python would fail again flushing stdout at exit: point it at /dev/null.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except REPORTED_ERRORS as error:
            logger.error("Sync failed: %s", error)  # one line, no traceback
        raise SystemExit(1)

    return run_reporting_errors


if __name__ == "__main__":
    TapClockify.cli()
