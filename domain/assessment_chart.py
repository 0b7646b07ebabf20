"""Geometry of the profile's radar and bar charts, drawn as inline SVG by the templates."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.assessment import Profile

SCALE_MAX = 5
RADAR_SIZE = 320
RADAR_RADIUS = 110
# Axis labels: the SVG is scaled to the screen's width (about 330 px on a 360-pixel phone, where the
# viewBox is about 500 units wide), so 19 units draw at ~12.5 px; long names wrap onto two lines.
LABEL_SIZE = 19
LABEL_LINE = 21
LABEL_CHARS = 13
BAR_LABEL = 150
BAR_WIDTH = 180
BAR_HEIGHT = 9
ROW_GAP = 8


@dataclass(frozen=True)
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float  # the baseline of the first line
    anchor: str  # SVG text-anchor
    lines: tuple[str, ...] = ()  # the label as drawn: at most two lines of about LABEL_CHARS


def wrap_label(label: str, width: int = LABEL_CHARS) -> tuple[str, ...]:
    """A label in at most two lines of about `width` characters, by words; a longer word is
    hyphenated, and what does not fit in two lines ends in '…'."""
    words: list[str] = []
    for word in (part for chunk in label.split() for part in re.split(r"(?<=-)", chunk) if part):
        while len(word) > width + 1:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and not lines[-1].endswith("-") and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        elif lines and lines[-1].endswith("-") and len(lines[-1]) + len(word) <= width:
            lines[-1] += word
        else:
            lines.append(word)
    if len(lines) > 2:
        rest = lines[1] + ("" if lines[1].endswith("-") else " ") + lines[2]
        lines = [lines[0], rest[: width - 1].rstrip() + "…"]
    return tuple(lines)


@dataclass(frozen=True)
class Polygon:
    question: str
    points: str  # "x,y x,y ..." for <polygon points>
    dashed: bool = False


@dataclass(frozen=True)
class Radar:
    size: int
    centre: float
    axes: tuple[Axis, ...]
    rings: tuple[str, ...]
    polygons: tuple[Polygon, ...]


def _point(i: int, n: int, value: float, centre: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n  # first axis points up, clockwise
    r = RADAR_RADIUS * value / SCALE_MAX
    return round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)


def _points(values: Sequence[float | None], centre: float) -> str:
    n = len(values)
    return " ".join("{},{}".format(*_point(i, n, v or 0, centre)) for i, v in enumerate(values))


def radar(profile: Profile, by_cluster: bool = False) -> Radar | None:
    """One axis per skill (or cluster); one polygon per question, the previous take dashed.

    A radar needs three axes or more to enclose an area: with fewer there is none."""
    rows: list[tuple[str, dict[str, float | None], dict[str, float | None]]]
    if by_cluster:
        rows = [(c.name, dict(c.means), dict(c.previous)) for c in profile.clusters]
    else:
        rows = [(s.skill.name, dict(s.values), dict(s.previous)) for s in profile.skills]
    n = len(rows)
    if n < 3:
        return None
    centre = RADAR_SIZE / 2
    axes = []
    for i, (label, _, _) in enumerate(rows):
        x, y = _point(i, n, SCALE_MAX, centre)
        lx, ly = _point(i, n, SCALE_MAX + 0.6, centre)
        anchor = "middle" if abs(lx - centre) < 8 else ("start" if lx > centre else "end")
        lines = wrap_label(label)
        # A label at the top grows upwards, one at the bottom downwards; beside the chart a label
        # is centred on its axis, so that it keeps clear of the top and bottom ones.
        extra = (len(lines) - 1) * LABEL_LINE
        if anchor == "middle" and ly < centre:
            first = ly - 2 - extra
        elif anchor == "middle":
            first = ly + LABEL_SIZE
        else:
            first = ly + 6 - extra / 2
        axes.append(Axis(label, x, y, lx, round(first, 1), anchor, lines))
    rings = tuple(_points([level] * n, centre) for level in range(1, SCALE_MAX + 1))
    polygons = [Polygon(q.key, _points([r[1].get(q.key) for r in rows], centre)) for q in profile.questions]
    if profile.has_previous:
        polygons.append(Polygon("mastery", _points([r[2].get("mastery") for r in rows], centre), dashed=True))
    return Radar(RADAR_SIZE, centre, tuple(axes), rings, tuple(polygons))


@dataclass(frozen=True)
class Bar:
    question: str
    value: float | None
    y: float
    width: float


@dataclass(frozen=True)
class BarRow:
    label: str
    y: float
    bars: tuple[Bar, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """The label in one line, or two where it is long (Finnish and Polish names often are),
        each short enough for the label column; a longer rest ends in "…"."""
        return label_lines(self.label, LABEL_CHARS)


LABEL_CHARS = 21  # characters that fit BAR_LABEL at 11 px, wide letters (ä, ö, m) included


def label_lines(text: str, width: int) -> tuple[str, ...]:
    if len(text) <= width:
        return (text,)
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        return (text[: width - 1] + "…",)
    rest = text[cut + 1 :]
    return text[:cut], rest if len(rest) <= width else rest[: width - 1] + "…"


@dataclass(frozen=True)
class BarChart:
    width: int
    height: float
    label_width: int
    bar_width: int
    ticks: tuple[tuple[int, float], ...]
    rows: tuple[BarRow, ...]


def bars(profile: Profile) -> BarChart:
    """Horizontal bars per skill, one per question, on a common 0-5 axis."""
    per_row = len(profile.questions) * (BAR_HEIGHT + 1) + ROW_GAP
    rows = []
    for i, score in enumerate(profile.skills):
        top = 14 + i * per_row
        rows.append(
            BarRow(
                score.skill.name,
                top,
                tuple(
                    Bar(
                        q.key,
                        score.values.get(q.key),
                        top + j * (BAR_HEIGHT + 1),
                        round(BAR_WIDTH * (score.values.get(q.key) or 0) / SCALE_MAX, 1),
                    )
                    for j, q in enumerate(profile.questions)
                ),
            )
        )
    ticks = tuple((t, BAR_LABEL + BAR_WIDTH * t / SCALE_MAX) for t in range(SCALE_MAX + 1))
    height = 14 + len(rows) * per_row
    return BarChart(BAR_LABEL + BAR_WIDTH + 24, height, BAR_LABEL, BAR_WIDTH, ticks, tuple(rows))
