"""Security plumbing: headers, sign-in throttling, the first-run guard, files kept private."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request
from flask_talisman import Talisman

from core.extensions import limiter
from core.network import LOOPBACK_HOSTS, Addresses
from services import users

# Failed sign-ins allowed per account and per network address, each over a moving window. The
# ladder makes the wait grow: a minute after 5 failures, up to 10 minutes after 10, an hour after
# 20, a day after 50. An address gets more: a venue's facilitators may share one.
ACCOUNT_LIMITS = "5 per minute;10 per 10 minutes;20 per hour;50 per day"
ADDRESS_LIMITS = "20 per minute;40 per 10 minutes;80 per hour;200 per day"

# No inline script or style anywhere (handlers are attached from static JS), so nothing else is needed.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

FORWARDING_HEADERS = ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded", "X-Real-IP")
UPLOAD_MAX_AGE = 24 * 60 * 60  # an upload never confirmed is deleted after a day
SWEEP_EVERY = 60 * 60


def init_app(app: Flask) -> None:
    """Headers on every response, throttling storage, private files, the proxy check."""
    secure = app.config["SB_SECURE_COOKIES"]
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,  # the meeting-room laptop serves plain HTTP on the local network
        session_cookie_secure=secure,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        strict_transport_security=True,  # Talisman sends it on HTTPS requests only
        strict_transport_security_include_subdomains=False,
    )
    app.config.setdefault("RATELIMIT_FAIL_ON_FIRST_BREACH", False)  # report the longest wait
    # Flask-Limiter notes each breach at INFO with its key: an e-mail or an address. Not logged.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    limiter.init_app(app)
    protect_database_file(app.config["SQLALCHEMY_DATABASE_URI"])
    sweep_uploads(Path(app.config["SB_INSTANCE"]))
    app.extensions["sb_last_sweep"] = time.monotonic()
    app.before_request(_housekeeping)


def _housekeeping() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if time.monotonic() - app.extensions["sb_last_sweep"] > SWEEP_EVERY:
        app.extensions["sb_last_sweep"] = time.monotonic()
        sweep_uploads(Path(app.config["SB_INSTANCE"]))
    if (
        not app.config["SB_PROXIES"]
        and request.headers.get("X-Forwarded-Proto") == "https"
        and not app.extensions.get("sb_proxy_warned")
    ):
        app.extensions["sb_proxy_warned"] = True
        app.logger.warning(
            "A request came over HTTPS through a proxy, but SOUNDINGBOARD_PROXIES is 0: "
            "cookies are not marked Secure and client addresses are the proxy's. "
            "Set SOUNDINGBOARD_PROXIES=1 (see docs/deploy.md)."
        )


# Sign-in throttling ---------------------------------------------------------------------------


def account_key() -> str:
    return "account:" + users.throttle_key(request.form.get("email", "")[:254])


def address_key() -> str:
    return "address:" + (request.remote_addr or "unknown")


def count_failure() -> None:
    """Mark this sign-in as failed: only failures count towards the limits."""
    request.environ["sb.sign_in_failed"] = True  # per request (`g` may outlive one in tests)


def is_failed_sign_in(_response: Any) -> bool:
    return bool(request.environ.get("sb.sign_in_failed"))


def sign_in_limits() -> Any:
    """The decorators for the sign-in view: failures per account and per address."""
    common = {"methods": ["POST"], "deduct_when": is_failed_sign_in}
    by_account = limiter.limit(ACCOUNT_LIMITS, key_func=account_key, scope="sign-in-account", **common)
    by_address = limiter.limit(ADDRESS_LIMITS, key_func=address_key, scope="sign-in-address", **common)
    return lambda view: by_account(by_address(view))


# Join throttling ------------------------------------------------------------------------------


def is_unknown_code(response: Any) -> bool:
    return bool(getattr(response, "status_code", 0) == 404)


def count_join() -> None:
    """Mark this request as one that created a participant (only those count as joins)."""
    request.environ["sb.joined"] = True


def is_join(_response: Any) -> bool:
    return bool(request.environ.get("sb.joined"))


def _guess_limit() -> Any:
    """Unknown codes per address, shared by every view that tells whether a code exists."""
    return limiter.shared_limit(
        lambda: current_app.config["SB_JOIN_GUESS_LIMITS"],
        scope="join-guess",
        key_func=address_key,
        deduct_when=is_unknown_code,
    )


def join_limits() -> Any:
    """Decorators for the join views: unknown codes and accepted joins, per address."""
    guesses = _guess_limit()
    joins = limiter.shared_limit(
        lambda: current_app.config["SB_JOIN_LIMITS"],
        scope="join",
        key_func=address_key,
        methods=["POST"],
        deduct_when=is_join,
    )
    return lambda view: guesses(joins(view))


def code_guess_limits() -> Any:
    """Decorator for views that tell whether a code exists (unknown codes count)."""
    return _guess_limit()


def minutes_to_wait() -> int:
    """How long until the longest breached sign-in limit lets the next attempt through."""
    breached = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    seconds = max(breached, default=0) - time.time() - 1  # reset_at is rounded up by a second
    return max(1, math.ceil(seconds / 60))


# Sign-out everywhere ----------------------------------------------------------------------------


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def disconnect_user(user_id: int) -> None:
    """Close the dashboard and projector sockets of a user who signed out, in every process."""
    from core import socket_rooms
    from core.live import FACILITATOR_NS

    socket_rooms.close(FACILITATOR_NS, user_room(user_id))


# First run -------------------------------------------------------------------------------------


def is_local_request() -> bool:
    """True when the request comes from the machine itself, not through a proxy we were not told of.

    Behind an untrusted proxy every request seems to come from 127.0.0.1, so any forwarding header
    makes a request remote unless SOUNDINGBOARD_PROXIES says whose headers to believe (ProxyFix has
    then put the real client's address in remote_addr).
    """
    if not current_app.config["SB_PROXIES"] and any(h in request.headers for h in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _setup_token_path(app: Flask) -> Path:
    return Path(app.config["SB_INSTANCE"]) / "setup_token"


def setup_token(app: Flask) -> str:
    """The one-time token that lets another machine create the first account (made on first use)."""
    path = _setup_token_path(app)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def is_setup_token(given: str | None) -> bool:
    path = _setup_token_path(current_app)  # type: ignore[arg-type]
    if not given or not path.exists():
        return False
    return hmac.compare_digest(path.read_text().strip().encode(), given.encode())


def forget_setup_token() -> None:
    _setup_token_path(current_app).unlink(missing_ok=True)  # type: ignore[arg-type]


def may_set_up() -> bool:
    return is_local_request() or is_setup_token(request.args.get("token"))


def first_run_notice(app: Flask, host: str, found: Addresses) -> str:
    """What run.py prints while no account exists: where to create the administrator.

    The page answers requests from this computer (127.0.0.1) without a token. The one-time link
    is printed with an address that other computers can reach; when there is none (the server
    listens on 127.0.0.1 only), it is offered for a proxy or SSH tunnel on this computer, whose
    forwarded requests do not count as local.
    """
    with app.app_context():
        if users.has_users():
            return ""
        token = setup_token(app)
    if host not in LOOPBACK_HOSTS:  # a request from this computer to its own LAN address is not local
        link = f"{found.local}/f/setup?token={token}"
        return f"  First run: create the administrator with this one-time link: {link}\n"
    notice = f"  First run: create the administrator at {found.local}/f/setup on this computer,\n"
    if found.phones:
        return (
            notice + f"  or from another one with this one-time link: {found.phones}/f/setup?token={token}\n"
        )
    return notice + (
        f"  or, through a proxy or SSH tunnel, with this one-time link: {found.local}/f/setup?token={token}\n"
        f"  (the server listens on {host} only: other computers cannot reach it directly)\n"
    )


# Files -----------------------------------------------------------------------------------------


def protect_database_file(url: str) -> None:
    """Create the SQLite file readable by its owner only (0600), and tighten an existing one."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or ":memory:" in url:
        return
    path = Path(url[len(prefix) :].split("?", 1)[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except PermissionError:  # not ours to change: leave it, the administrator's choice
            pass


def sweep_uploads(instance: Path, max_age: float = UPLOAD_MAX_AGE) -> list[Path]:
    """Delete framework uploads whose preview was never confirmed within `max_age` seconds."""
    folder = instance / "uploads"
    if not folder.is_dir():
        return []
    cutoff = time.time() - max_age
    removed = []
    for file in folder.iterdir():
        if file.is_file() and file.stat().st_mtime < cutoff:
            file.unlink(missing_ok=True)
            removed.append(file)
    return removed
