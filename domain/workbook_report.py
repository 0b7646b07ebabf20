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
from analysis.text import N_, Num, Text
from domain.export_data import CriterionInfo, Decision, SessionInfo, SkillInfo
from domain.workbook_layout import Layout
from domain.workbook_xlsx import Column, SheetRows

CONSENSUS_WORDS = {
    "consensus": N_("consensus for (top band)"),
    "consensus_against": N_("consensus against (bottom band)"),
    "no_consensus": N_("no consensus"),
    "too_few": N_("too few ratings to tell (fewer than 3)"),
}


def joined(separator: str, parts: Sequence[str]) -> Text:
    """Parts (texts to translate or plain values) joined, each written in the reader's language:
    the template is only their shape, so the catalog has no entry for it."""
    template = separator.join(f"%(p{i})s" for i in range(len(parts)))
    return Text(template, {f"p{i}": part for i, part in enumerate(parts)})


def report_columns(layout: Layout) -> list[Column]:
    return [
        Column("Skill", 22, N_("Skill code and name."), wrap=True),
        Column("Session", 26, N_("Where the figures come from: the session's title, place, country and date, "
               "or all sessions pooled (merged export)."), wrap=True),
        Column("Topic", 18, N_("What the line is about: participants, a criterion, consensus, suggested "
               "action, decision, starred comments."), wrap=True),
        Column("In words", 90, N_("The figures in plain words (every number is the Summary's)."), wrap=True),
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
    """At most two decimals ("4", "1.5", "0.67"), written the reader's way (Num: "0,67" in Polish)."""
    if x is None:
        return "-"
    return Num(round(float(x), 2), "g")  # type: ignore[return-value]  # a float that prints as text


def _fixed(x: float) -> str:
    """Two decimals ("0.70"), the reader's way."""
    return Num(x, ".2f")  # type: ignore[return-value]


def _pct(x: float | None) -> str:
    return "-" if x is None else Num(x, ".0%")  # type: ignore[return-value]


def _top_band(c: CriterionInfo) -> Text:
    try:
        low, _ = scale_bands(as_measure(c.measure), c.scale_min, c.scale_max)
    except ValueError:
        return N_("in the top band")
    if low == c.scale_max:
        anchor = c.anchors[-1] if c.anchors else str(low)
        return N_('answer "%(anchor)s"', anchor=anchor)
    return N_("rate %(low)s-%(high)s", low=low, high=c.scale_max)


def criterion_words(c: CriterionInfo, s: ItemSummary | None) -> Text:
    """One plain sentence about one criterion of one skill, in the reader's language."""
    if s is None:
        return N_("not computed (see Summary)")
    abstained = [N_("%(n)s could not judge", n=s.n_abstain)] if s.n_abstain else []
    if s.n == 0:
        return joined(", ", [N_("nobody rated it"), *abstained])
    parts: list[str] = [
        joined(", ", [N_("%(n)s rated", n=s.n), *abstained]),
        N_("median %(median)s (IQR %(iqr)s)", median=_number(s.median), iqr=_number(s.iqr)),
        joined(" ", [_pct(s.pct_agree), _top_band(c)]),
    ]
    if s.i_cvi is not None and s.i_cvi_threshold is not None:
        values = {"value": _fixed(s.i_cvi), "cut": _fixed(s.i_cvi_threshold), "n": s.n}
        if s.i_cvi_passes:
            parts.append(N_("I-CVI %(value)s, meets the %(cut)s cut-off for %(n)s raters", **values))
        else:
            parts.append(N_("I-CVI %(value)s, below the %(cut)s cut-off for %(n)s raters", **values))
    elif s.i_cvi is not None:
        parts.append(N_("I-CVI %(value)s (no cut-off for %(n)s raters)", value=_fixed(s.i_cvi), n=s.n))
    if s.k_star is not None or s.k_band:
        parts.append(Text("k* %(k)s (%(band)s)", {"k": _number(s.k_star), "band": s.k_band}))
    if s.cvr is not None:
        cvr, needed = _fixed(s.cvr), {"critical": s.cvr_critical, "n": s.n}
        if not s.cvr_testable:
            parts.append(N_("CVR %(cvr)s, too few raters to test it (5 needed)", cvr=cvr))
        elif s.cvr_significant:
            parts.append(N_("CVR %(cvr)s, significant (%(critical)s of %(n)s needed)", cvr=cvr, **needed))
        else:
            parts.append(N_("CVR %(cvr)s, not significant (%(critical)s of %(n)s needed)", cvr=cvr, **needed))
    if "panel_disagreement" in s.flags:
        parts.append(N_("the panel disagrees (RAND/UCLA)"))
    if "polarised" in s.flags:
        parts.append(N_("polarised: 30 percent or more at both ends"))
    return joined("; ", parts)


def write_report(
    sheet: SheetRows,
    layout: Layout,
    lines: Sequence[ReportLine],
    starred: Mapping[tuple[str, str], list[str]],
) -> None:
    """A few rows per skill and session: one topic each, so the sheet prints one page wide."""
    for line in lines:
        pooled = N_("All %(n)s sessions pooled", n=len(layout.sessions))
        where = pooled if line.session is None else session_name(line.session)
        skill = f"{line.skill.code} {line.skill.name}"
        for topic, words in _topics(layout, line, starred):
            sheet.append([skill, where, topic, words])


def _topics(
    layout: Layout, line: ReportLine, starred: Mapping[tuple[str, str], list[str]]
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [(N_("Participants"), f"{line.participants}")]
    for c in layout.criteria:
        if c.key in line.summaries:
            out.append((c.label, criterion_words(c, line.summaries[c.key])))
    consensus = [
        joined(": ", [c.label, CONSENSUS_WORDS.get(s.consensus, s.consensus)])
        for c in layout.criteria
        if (s := line.summaries.get(c.key)) is not None
    ]
    out.append((N_("Consensus"), joined("; ", consensus) if consensus else "-"))
    if line.action:
        label = ACTION_LABELS.get(line.action.action, line.action.action)
        why = N_("%(action)s. Why: %(reasons)s", action=label, reasons=joined(" | ", line.action.reasons))
        out.append((N_("Suggested action"), why))
    if line.session is not None:
        d = line.decision
        decided = (
            N_(
                "%(action)s. Reason: %(reason)s",
                action=ACTION_LABELS.get(d.action, d.action),
                reason=d.reason or "-",
            )
            if d
            else N_("none recorded yet")
        )
        out.append((N_("Decision"), decided))
        comments = starred.get((line.session.code, line.skill.code), [])
        if comments:
            out.append((N_("Starred comments"), " / ".join(comments)))
    return out
