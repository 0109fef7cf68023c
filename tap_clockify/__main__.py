"""`python -m tap_clockify` runs the tap's command line."""

from tap_clockify.tap import TapClockify

TapClockify.cli()
