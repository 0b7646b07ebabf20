"""Threshold rules: half-up rounding to two decimals and I-CVI cut-offs by panel size."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache


def round_half_up(value: float, places: int = 2) -> float:
    """Round half away from zero at `places` decimals, as published tables do.

    Python's round() rounds half to even and works on the binary float, so round(0.775, 2)
    gives 0.78 only by accident. This rounds the shortest decimal form of the value
    (repr), so 31/40 = 0.775 becomes 0.78 and 0.745 becomes 0.75.
    """
    return _round_text(repr(float(value)), places)


@lru_cache(maxsize=4096)
def _round_text(text: str, places: int) -> float:
    """round_half_up of the value written as `text`; kept per text: the shares of a panel recur."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(text).quantize(quantum, rounding=ROUND_HALF_UP))


def meets_threshold(value: float, threshold: float, places: int = 2) -> bool:
    """True when value, rounded half-up to `places` decimals, is at least threshold.

    Published cut-offs such as I-CVI >= .78 are themselves rounded fractions (.78 is 7/9),
    and their tables treat 7 of 9 as passing; a strict float test 7/9 >= 0.78 would fail.
    So 7/9 passes .78, 8/10 passes, 7/10 fails, and 31/40 (= .775, rounds to .78) passes.
    """
    return round_half_up(value, places) >= round_half_up(threshold, places)


def icvi_threshold(n_rated: int) -> float | None:
    """Minimum acceptable I-CVI for a panel of n_rated experts (Lynn 1986, Nurs Res 35:382;
    Polit & Beck 2006, Res Nurs Health 29:489).

    3-5 experts: 1.00; 6-8 experts: .83; 9 or more: .78. Fewer than 3 experts: None
    ("too few" — Lynn's minimum panel is 3).
    """
    if n_rated < 0:
        raise ValueError(f"panel size {n_rated} is negative")
    if n_rated < 3:
        return None
    if n_rated <= 5:
        return 1.0
    if n_rated <= 8:
        return 0.83
    return 0.78
