"""The Clockify tap: its settings and its streams."""

from __future__ import annotations

from functools import cached_property

from singer_sdk import Stream, Tap

from tap_clockify.settings import CONFIG_SCHEMA, DEFAULT_MAX_REQUESTS_PER_SECOND
from tap_clockify.streams import STREAM_TYPES
from tap_clockify.throttle import RequestThrottle


class TapClockify(Tap):
    """Singer tap for Clockify."""

    name = "tap-clockify"
    config_jsonschema = CONFIG_SCHEMA

    @cached_property
    def throttle(self) -> RequestThrottle:
        """The one request throttle every stream of this run shares."""
        rate = self.config.get("max_requests_per_second", DEFAULT_MAX_REQUESTS_PER_SECOND)
        return RequestThrottle(float(rate))

    def warn_once(self, message: str) -> None:
        """Log `message` as a warning the first time it is seen in this run."""
        warned: set[str] = self.__dict__.setdefault("_warned", set())
        if message not in warned:
            warned.add(message)
            self.logger.warning(message)

    def discover_streams(self) -> list[Stream]:
        """Return one instance of every stream."""
        return [stream_class(tap=self) for stream_class in STREAM_TYPES]


if __name__ == "__main__":
    TapClockify.cli()
