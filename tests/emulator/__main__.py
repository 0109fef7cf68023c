"""Run the emulator in the foreground: ``python -m tests.emulator --port 8765``."""

from __future__ import annotations

import argparse
import threading

from .server import DEFAULT_API_KEY, Emulator


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, start the emulator and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the accepted X-Api-Key")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)

    emu = Emulator(api_key=args.api_key, host=args.host, port=args.port, verbose=not args.quiet)
    emu.start()
    print(f"api_url:      {emu.api_url}")
    print(f"reports_url:  {emu.reports_url}")
    print(f"auditlog_url: {emu.auditlog_url}")
    print(f"api_key:      {emu.api_key}")
    for workspace in emu.data.workspaces:
        print(f"workspace:    {workspace['id']}  {workspace['name']}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
