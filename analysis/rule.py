"""Measures, their scale bands, and the consensus rule a session fixes before voting."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from analysis.text import N_, Num


class Measure(StrEnum):
    """What a criterion measures; fixes which scale points count as agreement.

    A StrEnum (a str and an Enum): Measure.RELEVANCE == "relevance" and f"{m}" gives the value.
    """

    RELEVANCE = "relevance"  # 4-point, Lynn 1986: 3-4 relevant
    IMPORTANCE = "importance"  # 5-point (4-5 important) or 9-point GRADE-style (7-9)
    CLARITY = "clarity"  # 4-point, 3-4 clear
    ESSENTIALITY = "essentiality"  # Lawshe 1975: 1 not necessary, 2 useful, 3 essential
    APPROPRIATENESS = "appropriateness"  # 9-point, RAND/UCLA and GRADE: 7-9 appropriate


# (measure, number of scale points) -> (points at the top that agree, points at the bottom
# that disagree), counted from each end of the scale.
BANDS: dict[tuple[Measure, int], tuple[int, int]] = {
    (Measure.RELEVANCE, 4): (2, 2),
    (Measure.CLARITY, 4): (2, 2),
    (Measure.IMPORTANCE, 5): (2, 2),
    (Measure.IMPORTANCE, 9): (3, 3),
    (Measure.ESSENTIALITY, 3): (1, 1),
    (Measure.APPROPRIATENESS, 9): (3, 3),
}


def as_measure(measure: Measure | str) -> Measure:
    """The Measure for an enum member or its string value; ValueError otherwise."""
    try:
        return Measure(measure)
    except ValueError:
        names = ", ".join(m.value for m in Measure)
        raise ValueError(f"unknown measure {measure!r}; use one of {names}") from None


def scale_bands(measure: Measure, scale_min: int, scale_max: int) -> tuple[int, int]:
    """(lowest agreeing point, highest disagreeing point) for this measure and scale.

    Relevance and clarity need a 4-point scale, importance 5 or 9 points, essentiality 3
    (Lawshe's coding) and appropriateness 9; another scale raises ValueError."""
    points = scale_max - scale_min + 1
    band = BANDS.get((measure, points))
    if band is None:
        allowed = sorted(p for m, p in BANDS if m is measure)
        raise ValueError(
            f"{measure.value} is defined on a {' or '.join(map(str, allowed))}-point scale, "
            f"not {scale_min}-{scale_max}"
        )
    top, bottom = band
    return scale_max - top + 1, scale_min + bottom - 1


NINEPOINT_METHODS = ("standard", "comet", "rand_ucla")
NINEPOINT_LABELS = {
    "standard": N_("RAND/UCLA for appropriateness, COMET 70/15 for importance"),
    "comet": N_("COMET 70/15"),
    "rand_ucla": N_("RAND/UCLA (median and IPRAS)"),
}


@dataclass(frozen=True)
class ConsensusRule:
    """The consensus definition stored with a session and frozen when voting starts
    (Diamond et al. 2014, J Clin Epidemiol 67:401: define it before voting).

    agree_pct: share of valid ratings in the top band needed for "consensus" (and in the
        bottom band for "consensus_against"); 0.75 is the median threshold Diamond found.
    iqr_max: largest IQR (type 7 quartiles) still counted as consensus; None = no IQR test.
    ninepoint_method: for 9-point scales, which replace agree_pct/iqr_max there: "standard"
        (the default: each scale's own method, RAND/UCLA median + IPRAS for appropriateness
        as in Fitch et al. 2001, COMET 70/15 for 9-point importance as in the COMET
        Handbook), or "comet" or "rand_ucla" for every 9-point scale.
    alpha: one-tailed level for Lawshe CVR critical values (Ayre & Scally 2014).
    """

    agree_pct: float = 0.75
    iqr_max: float | None = 1.0
    ninepoint_method: str = "standard"
    alpha: float = 0.05

    def __post_init__(self) -> None:
        _check_number("agree_pct", self.agree_pct)
        if not 0 < self.agree_pct <= 1:
            raise ValueError(f"agree_pct must be a share in (0, 1], got {self.agree_pct}")
        if self.iqr_max is not None:
            _check_number("iqr_max", self.iqr_max)
            if self.iqr_max < 0:
                raise ValueError(f"iqr_max must be >= 0 or None, got {self.iqr_max}")
        if self.ninepoint_method not in NINEPOINT_METHODS:
            raise ValueError(
                f"ninepoint_method must be one of {', '.join(NINEPOINT_METHODS)}, "
                f"got {self.ninepoint_method!r}"
            )
        _check_number("alpha", self.alpha)
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must lie strictly between 0 and 1, got {self.alpha}")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe dict, the form stored with the session."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ConsensusRule:
        """Build from a stored dict; missing keys take defaults, unknown keys or bad
        values raise ValueError with a message naming the field."""
        if not isinstance(d, dict):
            raise ValueError(f"consensus rule must be a dict, got {type(d).__name__}")
        unknown = set(d) - {"agree_pct", "iqr_max", "ninepoint_method", "alpha"}
        if unknown:
            raise ValueError(f"unknown consensus rule field(s): {', '.join(sorted(unknown))}")
        return cls(**d)

    def ninepoint_for(self, measure: Measure | str) -> str:
        """ "comet" or "rand_ucla": the method that classifies a 9-point item of this measure."""
        if self.ninepoint_method != "standard":
            return self.ninepoint_method
        return "rand_ucla" if as_measure(measure) is Measure.APPROPRIATENESS else "comet"

    def describe(self) -> str:
        """One sentence for exports and the dashboard (an analysis.text.Text: English, and
        translatable at the edge)."""
        iqr = N_("no IQR condition") if self.iqr_max is None else N_("IQR <= %(max)s", max=Num(self.iqr_max))
        return N_(
            "Consensus: >= %(pct)s in the top band and %(iqr)s (against: >= %(pct)s in the bottom band); "
            "9-point scales: %(nine)s; CVR one-tailed alpha = %(alpha)s; fewer than 3 ratings: too few.",
            pct=Num(self.agree_pct, ".0%"),
            iqr=iqr,
            nine=NINEPOINT_LABELS[self.ninepoint_method],
            alpha=Num(self.alpha),
        )


def _check_number(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
