"""Short join codes: six characters from an alphabet without look-alikes, case-insensitive."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: codes are read off a projector and typed on phones.
ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
LENGTH = 6


def generate_code(length: int = LENGTH) -> str:
    """Return a random join code (23^6, about 148 million possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(raw: str) -> str:
    """Upper-case and drop the spaces and dashes people type between groups."""
    return "".join(ch for ch in raw.upper() if ch not in " -_")


def is_valid_code(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)
