"""Report sheet: the workbook's first page, in plain words, for a reader without the Codebook.

One block per skill: in a merged export first the pooled row ("All N sessions pooled"), then
one row per session that showed the skill, each session named by its title, place, country
and date. Per criterion one sentence with N, median and IQR, the share in the top band and
the criterion's own verdict (I-CVI against its cut-off, k* with its band, CVR with its exact
critical value); then the consensus, the suggested action and why, the facilitator's
recorded decision and reason, and the comments the facilitator starred. Every number comes
from the same ItemSummary as the Summary sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analysis import ItemSummary, SuggestedAction
from analysis.decision import LABELS as ACTION_LABELS
from analysis.rule import as_measure, scale_bands
from domain.export_data import CriterionInfo, Decision, SessionInfo, SkillInfo
from domain.workbook_layout import Layout
from domain.workbook_xlsx import Column, SheetRows

CONSENSUS_WORDS = {
    "consensus": "consensus for (top band)",
    "consensus_against": "consensus against (bottom band)",
    "no_consensus": "no consensus",
    "too_few": "too few ratings to tell (fewer than 3)",
}


def report_columns(layout: Layout) -> list[Column]:
    return [
        Column("Skill", 22, "Skill code and name.", wrap=True),
        Column("Session", 26, "Where the figures come from: the session's title, place, country and date, "
               "or all sessions pooled (merged export).", wrap=True),
        Column("Topic", 18, "What the line is about: participants, a criterion, consensus, suggested action, "
               "decision, starred comments.", wrap=True),
        Column("In words", 90, "The figures in plain words (every number is the Summary's).", wrap=True),
    ]  # fmt: skip


@dataclass
class ReportLine:
    """One row of the Report: a skill in one session, or pooled."""

    skill: SkillInfo
    session: SessionInfo | None  # None: pooled over the sessions
    participants: int
    summaries: dict[str, ItemSummary | None] = field(default_factory=dict)  # criterion key ->
    action: SuggestedAction | None = None
    decision: Decision | None = None


def session_name(s: SessionInfo) -> str:
    """Title, place, country and date: never only the code."""
    parts = [s.title, s.place, s.country, s.date.isoformat() if s.date else ""]
    return ", ".join(p for p in parts if p) or s.code


def short_name(s: SessionInfo) -> str:
    """Place, country and date, for the data sheets' session_name column."""
    parts = [s.place, s.country, s.date.isoformat() if s.date else ""]
    return ", ".join(p for p in parts if p) if s.place or s.country else session_name(s)


def _number(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}".rstrip("0")


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{round(x * 100)}%"


def _top_band(c: CriterionInfo) -> str:
    try:
        low, _ = scale_bands(as_measure(c.measure), c.scale_min, c.scale_max)
    except ValueError:
        return "in the top band"
    if low == c.scale_max:
        anchor = c.anchors[-1] if c.anchors else str(low)
        return f'answer "{anchor}"'
    return f"rate {low}-{c.scale_max}"


def criterion_words(c: CriterionInfo, s: ItemSummary | None) -> str:
    """One plain sentence about one criterion of one skill."""
    if s is None:
        return "not computed (see Summary)"
    abstained = f", {s.n_abstain} could not judge" if s.n_abstain else ""
    if s.n == 0:
        return f"nobody rated it{abstained}"
    parts = [f"{s.n} rated{abstained}", f"median {_number(s.median)} (IQR {_number(s.iqr)})",
             f"{_pct(s.pct_agree)} {_top_band(c)}"]  # fmt: skip
    if s.i_cvi is not None and s.i_cvi_threshold is not None:
        verdict = "meets" if s.i_cvi_passes else "below"
        parts.append(f"I-CVI {s.i_cvi:.2f}, {verdict} the {s.i_cvi_threshold:.2f} cut-off for {s.n} raters")
    elif s.i_cvi is not None:
        parts.append(f"I-CVI {s.i_cvi:.2f} (no cut-off for {s.n} raters)")
    if s.k_star is not None or s.k_band:
        parts.append(f"k* {_number(s.k_star)} ({s.k_band})")
    if s.cvr is not None:
        if not s.cvr_testable:
            verdict = "too few raters to test it (5 needed)"
        elif s.cvr_significant:
            verdict = f"significant ({s.cvr_critical} of {s.n} needed)"
        else:
            verdict = f"not significant ({s.cvr_critical} of {s.n} needed)"
        parts.append(f"CVR {s.cvr:.2f}, {verdict}")
    if "panel_disagreement" in s.flags:
        parts.append("the panel disagrees (RAND/UCLA)")
    if "polarised" in s.flags:
        parts.append("polarised: 30% or more at both ends")
    return "; ".join(parts)


def write_report(
    sheet: SheetRows,
    layout: Layout,
    lines: Sequence[ReportLine],
    starred: Mapping[tuple[str, str], list[str]],
) -> None:
    """A few rows per skill and session: one topic each, so the sheet prints one page wide."""
    for line in lines:
        pooled = f"All {len(layout.sessions)} sessions pooled"
        where = pooled if line.session is None else session_name(line.session)
        skill = f"{line.skill.code} {line.skill.name}"
        for topic, words in _topics(layout, line, starred):
            sheet.append([skill, where, topic, words])


def _topics(
    layout: Layout, line: ReportLine, starred: Mapping[tuple[str, str], list[str]]
) -> list[tuple[str, str]]:
    out = [("Participants", f"{line.participants}")]
    for c in layout.criteria:
        if c.key in line.summaries:
            out.append((c.label, criterion_words(c, line.summaries[c.key])))
    consensus = "; ".join(
        f"{c.label}: {CONSENSUS_WORDS.get(s.consensus, s.consensus)}"
        for c in layout.criteria
        if (s := line.summaries.get(c.key)) is not None
    )
    out.append(("Consensus", consensus or "-"))
    if line.action:
        label = ACTION_LABELS.get(line.action.action, line.action.action)
        out.append(("Suggested action", f"{label}. Why: {' | '.join(line.action.reasons)}"))
    if line.session is not None:
        d = line.decision
        decided = (
            f"{ACTION_LABELS.get(d.action, d.action)}. Reason: {d.reason or '-'}"
            if d
            else "none recorded yet"
        )
        out.append(("Decision", decided))
        comments = starred.get((line.session.code, line.skill.code), [])
        if comments:
            out.append(("Starred comments", " / ".join(comments)))
    return out
