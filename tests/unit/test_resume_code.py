"""Resume codes and dates in a session's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.resume_code import from_local, generate_resume_code, is_resume_code, resume_hash, to_local


def test_codes_are_two_groups_from_the_join_alphabet_and_read_forgivingly():
    code = generate_resume_code()
    assert len(code) == 9 and code[4] == "-" and is_resume_code(code)
    assert is_resume_code(code.lower().replace("-", " "))
    assert not is_resume_code("K7QA-MX3") and not is_resume_code("O0O0-O0O0")
    assert resume_hash("ABC", code) == resume_hash("ABC", code.lower().replace("-", ""))
    assert resume_hash("ABC", code) != resume_hash("ABD", code)  # a code means one session


@pytest.mark.parametrize(
    ("typed", "zone", "utc"),
    [
        ("2026-12-01T10:00", "Europe/Rome", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),  # winter: UTC+1
        ("2026-07-01T10:00", "Europe/Rome", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),  # summer: UTC+2
        ("2026-12-01T10:00", "America/New_York", datetime(2026, 12, 1, 15, 0, tzinfo=UTC)),
        ("2026-12-01T10:00", "UTC", datetime(2026, 12, 1, 10, 0, tzinfo=UTC)),
    ],
)
def test_local_dates_become_utc_and_back(typed, zone, utc):
    assert from_local(typed, zone) == utc
    assert to_local(utc, zone).strftime("%Y-%m-%dT%H:%M") == typed


def test_bad_dates_and_zones_are_refused_and_empty_is_none():
    assert from_local("  ", "UTC") is None
    with pytest.raises(ValueError, match="time zone"):
        from_local("2026-12-01T10:00", "Mars/Olympus")
    with pytest.raises(ValueError, match="not a date"):
        from_local("tomorrow", "UTC")
