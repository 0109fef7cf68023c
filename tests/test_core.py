"""The SDK's standard tap tests, run against the Clockify emulator."""

from __future__ import annotations

import atexit

from singer_sdk.testing import get_tap_test_class

from tap_clockify.tap import TapClockify
from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.tap_runner import catalog_selecting

# The SDK builds its test class from a static config, so this module runs one emulator
# for all of its tests (the other modules get a fresh one per test).
_EMULATOR = Emulator()
_EMULATOR.start()
atexit.register(_EMULATOR.stop)

# Every stream selected, the opt-in report streams included (the SDK builds the stream
# maps from this catalog before its dry run forces the selection).
TestTapClockify = get_tap_test_class(
    tap_class=TapClockify,
    config=emulator_config(_EMULATOR),
    catalog=catalog_selecting(emulator_config(_EMULATOR)),
)
