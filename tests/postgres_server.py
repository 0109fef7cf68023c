"""A PostgreSQL server for the end-to-end tests: the one CI names, or a throwaway one.

Order: `$TAP_CLOCKIFY_TEST_POSTGRES_DSN` (.ci/run and the GitHub workflow set it); else a
server started from Debian's binaries (`/usr/lib/postgresql/*/bin`) in a temp directory,
as the `postgres` user when running as root; else the test is skipped, saying why.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import typing as t
from pathlib import Path
from urllib.parse import unquote, urlsplit

DSN_ENV = "TAP_CLOCKIFY_TEST_POSTGRES_DSN"


class Unavailable(Exception):
    """No server can be had; the message says why (it becomes the skip reason)."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if not found:
        raise Unavailable(
            f"no PostgreSQL: set {DSN_ENV} to a server's DSN, or install Debian's "
            "`postgresql` package (`apt-get install postgresql`) for a throwaway server"
        )
    return Path(found[-1]).parent


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


@contextlib.contextmanager
def throwaway_server() -> t.Iterator[str]:
    """Start a private PostgreSQL on a free port; yield its DSN; stop and delete it."""
    bin_dir = _binaries()
    as_user: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: run the server as Debian's `postgres` user.
        try:
            pwd.getpwnam("postgres")
        except KeyError as error:
            raise Unavailable("running as root and there is no `postgres` user") from error
        runuser = shutil.which("runuser")
        if runuser is None:
            raise Unavailable("running as root and `runuser` is missing")
        as_user = [runuser, "-u", "postgres", "--"]
    data = Path(tempfile.mkdtemp(prefix="tap-clockify-pg-"))
    if as_user:
        shutil.chown(data, "postgres")
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run(
            [*as_user, *command], check=True, capture_output=True, text=True, timeout=120
        )

    try:
        run(str(bin_dir / "initdb"), "-D", str(data / "db"), "-U", "postgres", "--auth=trust")
        run(
            str(bin_dir / "pg_ctl"),
            "-D", str(data / "db"),
            "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-l", str(data / "server.log"),
            "-w", "start",
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        shutil.rmtree(data, ignore_errors=True)
        raise Unavailable(f"could not start a throwaway PostgreSQL: {error.stderr}") from error
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            run(str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def postgres_dsn() -> t.Iterator[str]:
    """A DSN of a reachable server (raises `Unavailable` when there is none)."""
    named = os.environ.get(DSN_ENV)
    if named:
        yield named
        return
    with throwaway_server() as dsn:
        yield dsn


def target_env(dsn: str, schema: str) -> dict[str, str]:
    """target-postgres settings as Meltano reads them from the environment."""
    parts = urlsplit(dsn)
    return {
        "TARGET_POSTGRES_HOST": parts.hostname or "localhost",
        "TARGET_POSTGRES_PORT": str(parts.port or 5432),
        "TARGET_POSTGRES_USER": unquote(parts.username or "postgres"),
        "TARGET_POSTGRES_DATABASE": parts.path.lstrip("/") or "postgres",
        # target-postgres insists on a password with these settings, even an empty one
        # (a server trusting local connections needs none).
        "TARGET_POSTGRES_PASSWORD": unquote(parts.password or ""),
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
    }


def quoted(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
