"""The SDK's standard tap tests, run against the Clockify emulator."""

from __future__ import annotations

import atexit

from singer_sdk.testing import get_tap_test_class

from tap_clockify.tap import TapClockify
from tests.conftest import emulator_config
from tests.emulator import Emulator

# The SDK builds its test class from a static config, so this module runs one emulator
# for all of its tests (the other modules get a fresh one per test).
_EMULATOR = Emulator()
_EMULATOR.start()
atexit.register(_EMULATOR.stop)

TestTapClockify = get_tap_test_class(
    tap_class=TapClockify,
    config=emulator_config(_EMULATOR),
)
