"""Resume codes: eight characters that bring a participant back on any device, and local dates."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.joincode import ALPHABET, normalize_code

LENGTH = 8  # 23^8, about 78 billion per session; tries are throttled per address


def generate_resume_code() -> str:
    """A random code written in two groups, "K7QA-MX3D", from the join codes' alphabet."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def resume_hash(session_code: str, code: str) -> str:
    """What is stored: the code's SHA-256 with the session's code (a code means one session)."""
    return hashlib.sha256(f"{session_code}:{normalize_code(code)}".encode()).hexdigest()


def is_resume_code(text: str) -> bool:
    code = normalize_code(text)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name` ("Europe/Rome"); ValueError for an unknown one."""
    if name not in available_timezones():
        raise ValueError(f"Unknown time zone {name!r}: use a name such as Europe/Rome or UTC.")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        raise ValueError(f"Unknown time zone {name!r}.") from None


def from_local(text: str, zone_name: str) -> datetime | None:
    """'2026-12-01T09:00' typed in the session's zone -> an aware UTC datetime; '' -> None."""
    if not text.strip():
        return None
    try:
        local = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time (2026-12-01T09:00).") from None
    return local.replace(tzinfo=zone(zone_name)).astimezone(UTC)


def to_local(moment: datetime | None, zone_name: str) -> datetime | None:
    return moment.astimezone(zone(zone_name)) if moment else None
