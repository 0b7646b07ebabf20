"""Each question kind names the items of a stored answer in its order, for people to read."""

from __future__ import annotations

import pytest

from domain.kinds import get_kind


@pytest.mark.parametrize(
    ("kind", "value", "parts"),
    [
        ("pick", {"picks": [5, 2]}, [(5, None), (2, None)]),
        ("pick", {}, []),
        ("rank", {"order": [3, 1, 2]}, [(3, None), (1, None), (2, None)]),
        ("points", {"points": {"4": 30, "7": 70}}, [(7, 70), (4, 30)]),
    ],
)
def test_parts_of_an_answer(kind, value, parts):
    assert get_kind(kind).parts(value) == parts
