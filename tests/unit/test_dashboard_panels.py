"""The dashboard shows the panels that apply to what a session asks (domain/kinds registry)."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.kinds import RATING_PANELS, dashboard_panels


@pytest.mark.parametrize(
    ("has_criteria", "kinds", "expected"),
    [
        (False, ["pick"], {"questions"}),  # a pick-only workshop: no rating panel
        (False, ["pick", "rank", "points"], {"questions"}),
        (True, [], set(RATING_PANELS)),
        (True, ["rank"], {*RATING_PANELS, "questions"}),
        (False, [], set(RATING_PANELS)),  # asks nothing yet: the rating panels, as before
    ],
)
def test_panels_follow_what_the_session_asks(has_criteria, kinds, expected):
    assert dashboard_panels(has_criteria, kinds) == expected


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError):
        dashboard_panels(True, ["poll"])
