"""Start Sounding Board: migrate the database, print the addresses, serve (gevent)."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.network import Addresses


class Stopped(SystemExit):
    """Ctrl+C or SIGTERM before the server serves (the imports alone take seconds on a slow laptop).

    A SystemExit rather than a KeyboardInterrupt: a signal may land while gevent's hub runs (the
    start-up waits on a socket), and the hub prints a KeyboardInterrupt's traceback before passing
    it on to the main greenlet; a SystemExit it passes on quietly.
    """


_STARTING: Any = None  # the greenlet that runs start-up (the main one), set by launch()


def stop_starting(_number: int, _frame: object) -> None:
    """Stop start-up in the greenlet running it, whichever greenlet the signal interrupted.

    Under gevent a handler runs in whichever greenlet runs Python code when the signal comes: a
    rate limiter's expiry timer, say. Raised there, Stopped ended the timer and start-up carried
    on to serve (seen in the suite under load: the server ran on after Ctrl+C).
    """
    from greenlet import getcurrent

    if _STARTING is None or getcurrent() is _STARTING:
        raise Stopped(0)
    _STARTING.throw(Stopped(0))


def launch(argv: list[str] | None = None) -> int:
    """`python run.py`: stopped at any point of its start-up, it says so in one line and exits with 0."""
    global _STARTING
    from greenlet import getcurrent

    _STARTING = getcurrent()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop_starting)  # until serve() hands both to the server
    try:
        # gevent must patch the standard library before the application is imported (in main()).
        from gevent import monkey

        monkey.patch_all()
        return main(argv)
    except Stopped:
        print("\nSounding Board stopped.", flush=True)
        return 0


def phones_line(found: Addresses, host: str) -> str:
    """How phones join, said plainly when they cannot."""
    if found.phones:
        return f"  Phones join: {found.phones}/   (phones on the same network as this computer)"
    if host in ("0.0.0.0", "::"):
        return (
            "  Phones: this computer has no network address (no Wi-Fi or cable connected?), so phones\n"
            "          cannot reach it. Connect it to the meeting's network and restart, or set\n"
            "          SOUNDINGBOARD_PUBLIC_URL. Until then only this computer can join."
        )
    return (
        f"  Phones: the server listens on {host} only, which phones cannot reach.\n"
        f"          Restart with --host 0.0.0.0 to let them join."
    )


def port_is_free(host: str, port: int) -> bool:
    """Checked before saying "running": a second run.py on the same port would only fail later."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Sounding Board.")
    parser.add_argument("--host", default=os.environ.get("SOUNDINGBOARD_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SOUNDINGBOARD_PORT", "5000")))
    args = parser.parse_args(argv)

    from core import create_app
    from core.config import ConfigError
    from core.network import addresses, forget_server, record_server
    from core.schema import upgrade_database
    from core.security import first_run_notice

    os.environ.setdefault("SOUNDINGBOARD_ASYNC_MODE", "gevent")
    try:
        app = create_app()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    upgrade_database(app)
    found = addresses(args.host, args.port, app.config["SB_PUBLIC_URL"])
    app.config["SB_JOIN_BASE"] = found.phones or found.local
    from core.extensions import socketio

    if not port_is_free(args.host, args.port):
        print(f"Port {args.port} is in use by another program: choose another with --port.", file=sys.stderr)
        return 1
    record = record_server(app.config["SB_INSTANCE"], found)
    print(
        f"Sounding Board is running.\n"
        f"  Facilitator: {found.local}/f/   (on this computer)\n"
        f"{phones_line(found, args.host)}\n"
        f"{first_run_notice(app, args.host, found)}"
        f"{open_files_line()}"
        f"  Stop with Ctrl+C.",
        flush=True,
    )
    from core import collector, ticker

    try:
        ticker.start(app)
        collector.start()  # full garbage collections when the room is quiet, not mid-burst
        serve(app, socketio, args.host, args.port)
    finally:
        forget_server(record)
    print("\nSounding Board stopped.", flush=True)
    return 0


def serve(app: Any, socketio: Any, host: str, port: int) -> None:
    """Serve until stopped: under gevent with bounded messages and a cap per address (core/serving.py)."""
    if socketio.server.eio.async_mode != "gevent":
        socketio.run(app, host=host, port=port, log_output=False)
        return
    from core.serving import Server

    server = socketio.wsgi_server = Server(  # socketio.stop() stops it
        (host, port),
        app,
        max_message=socketio.server.eio.max_http_buffer_size,
        per_address=app.config["SB_MAX_CONNECTIONS_PER_ADDRESS"],
    )
    stop_on_signals(server)
    server.serve_forever()


def open_files_line() -> str:
    """Raise the open-files limit to what the system allows, and say so (each phone holds a socket)."""
    from core.serving import raise_open_files_limit

    old, new = raise_open_files_limit()
    if new > old:
        return f"  Open files: limit raised from {old} to {new} (each phone holds one connection).\n"
    return f"  Open files: limit {new} (each phone holds one connection; the system allows no more).\n"


def stop_on_signals(server: Any) -> None:
    """Ctrl+C (or SIGTERM) stops the server in one line, not a traceback from whichever greenlet ran.

    gevent runs the handler in its own greenlet, where stopping the server is safe, even before
    it listens (core/serving.py).
    """
    import gevent

    for number in (signal.SIGINT, signal.SIGTERM):
        gevent.signal_handler(number, server.stop)


if __name__ == "__main__":
    sys.exit(launch())
else:  # `flask --app run ...`, a WSGI server on `run:app`
    from core import create_app

    app = create_app()
