"""Start Sounding Board: migrate the database, print the addresses, serve (gevent)."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    # gevent must patch the standard library before anything else is imported.
    from gevent import monkey

    monkey.patch_all()

import argparse
import os

from core import create_app
from core.network import lan_address
from core.schema import upgrade_database
from core.security import first_run_notice


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run Sounding Board.")
    parser.add_argument("--host", default=os.environ.get("SOUNDINGBOARD_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SOUNDINGBOARD_PORT", "5000")))
    args = parser.parse_args(argv)

    os.environ.setdefault("SOUNDINGBOARD_ASYNC_MODE", "gevent")
    app = create_app()
    upgrade_database(app)
    shown = lan_address() if args.host in ("0.0.0.0", "::") else args.host
    app.config["SB_JOIN_BASE"] = app.config["SB_PUBLIC_URL"] or f"http://{shown}:{args.port}"
    print(
        f"Sounding Board is running.\n"
        f"  Facilitator: http://127.0.0.1:{args.port}/f/   (on this computer)\n"
        f"  Phones join: {app.config['SB_JOIN_BASE']}/   (same Wi-Fi)\n"
        f"{first_run_notice(app, args.port, app.config['SB_JOIN_BASE'])}"
        f"  Stop with Ctrl+C.",
        flush=True,
    )
    from core.extensions import socketio

    socketio.run(app, host=args.host, port=args.port, log_output=False)


app = None if __name__ == "__main__" else create_app()

if __name__ == "__main__":
    sys.exit(main())
