"""tap-clockify: a Singer tap for the Clockify time-tracking API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("singer-tap-clockify")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
