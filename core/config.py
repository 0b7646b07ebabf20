"""Configuration: defaults, overridden by SOUNDINGBOARD_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

PREFIX = "SOUNDINGBOARD_"
ROOT = Path(__file__).resolve().parent.parent

# name -> (default, parser). Every setting is documented in docs/deploy.md.
SETTINGS: dict[str, tuple[Any, Any]] = {
    "DATABASE_URL": (None, str),  # None: SQLite file in the instance folder
    "SECRET_KEY": (None, str),  # None: generated once and kept in the instance folder
    "INSTANCE_PATH": (str(ROOT / "instance"), str),
    "ASYNC_MODE": ("threading", str),  # run.py switches to gevent for real use
    "MESSAGE_QUEUE": (None, str),  # e.g. redis://127.0.0.1:6379/0 for several processes
    "RESULTS_INTERVAL": (0.25, float),  # seconds between batched result pushes per session
    "MAX_COMMENT_LENGTH": (2000, int),
    "PUBLIC_URL": (None, str),  # e.g. https://vote.example.org when behind a proxy
    "SECURE_COOKIES": (False, lambda v: v.lower() in {"1", "true", "yes"}),
    "PROXIES": (0, int),  # reverse proxies in front of us whose X-Forwarded-* headers to trust
    "RATELIMIT_STORAGE": (None, str),  # None: the Redis message queue if there is one, else memory
    # Per network address (core/security.py). Codes that name no session: a venue's mistypes stay
    # far below; a guesser gets 300 a day against 148 million codes. Joins that create a
    # participant: 40 phones behind one venue address in a minute pass; a script is stopped at 120.
    "JOIN_GUESS_LIMITS": ("30 per minute;100 per hour;300 per day", str),
    "JOIN_LIMITS": ("120 per minute;600 per hour;2000 per day", str),
    "CLOCK_FILE": (None, str),  # tests only: a file holding the time the server should believe
    "SMTP_HOST": (None, str),  # None: no e-mail; coordinators send personal links themselves
    "SMTP_PORT": (587, int),
    "SMTP_USER": (None, str),
    "SMTP_PASSWORD": (None, str),
    "SMTP_FROM": (None, str),  # e.g. "Sounding Board <reviews@example.org>"
    "SMTP_SECURITY": ("starttls", str),  # starttls, ssl or none
    "DB_LOCK_WAIT": (10.0, float),  # seconds a write waits for another process's SQLite lock
    "MAX_CONNECTIONS_PER_ADDRESS": (None, int),  # None: 300, or no cap behind a proxy; 0: no cap
}


# The message queues that keep every promise with several processes: Redis (python-socketio's
# RedisManager takes these three). Flask-SocketIO also speaks Kafka, ZeroMQ and Kombu (AMQP...),
# but closing a person's sockets in every process (core/socket_rooms.py), one dashboard push per
# interval (core/shared_pushes.py) and the shared join counts need Redis beside the queue.
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class ConfigError(ValueError):
    """A setting that cannot work; run.py prints the message and stops."""


def read_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings, each from SOUNDINGBOARD_<NAME> when set, else its default."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    for name, (default, parse) in SETTINGS.items():
        raw = environ.get(PREFIX + name)
        values[name] = parse(raw) if raw not in (None, "") else default
    return values


def instance_secret(instance_path: Path) -> str:
    """Return the secret key kept in the instance folder, creating it on first run."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def flask_config(values: dict[str, Any]) -> dict[str, Any]:
    """Translate our settings into Flask and extension configuration keys."""
    check_message_queue(values["MESSAGE_QUEUE"])
    instance = Path(values["INSTANCE_PATH"]).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    url = values["DATABASE_URL"] or f"sqlite:///{instance / 'soundingboard.db'}"
    return {
        "SECRET_KEY": values["SECRET_KEY"] or instance_secret(instance),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if not url.startswith("sqlite") else {},
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": values["SECURE_COOKIES"],
        "REMEMBER_COOKIE_SECURE": values["SECURE_COOKIES"],
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "RATELIMIT_STORAGE_URI": rate_limit_storage(values),
        "RATELIMIT_STRATEGY": "moving-window",
        "WTF_CSRF_TIME_LIMIT": None,  # a facilitator's page stays open for a whole meeting
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "SB_INSTANCE": str(instance),
        "SB_ASYNC_MODE": values["ASYNC_MODE"],
        "SB_MESSAGE_QUEUE": values["MESSAGE_QUEUE"],
        "SB_RESULTS_INTERVAL": values["RESULTS_INTERVAL"],
        "SB_MAX_COMMENT_LENGTH": values["MAX_COMMENT_LENGTH"],
        "SB_PUBLIC_URL": values["PUBLIC_URL"],
        "SB_PROXIES": values["PROXIES"],
        "SB_SECURE_COOKIES": values["SECURE_COOKIES"],
        "SB_CLOCK_FILE": values["CLOCK_FILE"],
        "SB_SMTP": {
            k: values[f"SMTP_{k.upper()}"] for k in ("host", "port", "user", "password", "from", "security")
        },
        "SB_JOIN_GUESS_LIMITS": values["JOIN_GUESS_LIMITS"],
        "SB_JOIN_LIMITS": values["JOIN_LIMITS"],
        "SB_MAX_CONNECTIONS_PER_ADDRESS": connections_per_address(values),
        "SB_DB_LOCK_WAIT": values["DB_LOCK_WAIT"],
    }


def check_message_queue(url: str | None) -> None:
    """Refuse a queue other than Redis: with it, a signed-out account's or removed participant's
    sockets on the other processes would stay open (docs/deploy.md)."""
    if url and not url.startswith(REDIS_SCHEMES):
        scheme = url.split("://", 1)[0] if "://" in url else url
        raise ConfigError(
            f"SOUNDINGBOARD_MESSAGE_QUEUE: only a Redis URL (redis://, rediss:// or unix://) is supported,"
            f" not {scheme!r}. With several processes Sounding Board keeps the open sockets of each"
            " participant and account in Redis, so that removing someone or signing out closes them in"
            " every process; other queues would leave them open in the other processes."
        )


def connections_per_address(values: dict[str, Any]) -> int:
    """How many connections one client address may hold: 300, none behind a proxy (it is the one peer)."""
    if values["MAX_CONNECTIONS_PER_ADDRESS"] is not None:
        return max(0, int(values["MAX_CONNECTIONS_PER_ADDRESS"]))
    return 0 if values["PROXIES"] else 300


def rate_limit_storage(values: dict[str, Any]) -> str:
    """Where sign-in failures are counted: shared by all processes when a Redis is at hand."""
    if values["RATELIMIT_STORAGE"]:
        return str(values["RATELIMIT_STORAGE"])
    queue = values["MESSAGE_QUEUE"] or ""
    if queue.startswith("unix://"):
        return "redis+unix://" + queue.removeprefix("unix://")
    return queue if queue.startswith(REDIS_SCHEMES) else "memory://"
