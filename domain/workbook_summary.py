"""Summary sheet: statistics per skill, criterion and session, pooled rows and segments.

Statistics come from `analysis`; this module only chooses the columns and the rows. In a
merged export each skill and criterion gets one row per session, a pooled row (session
"ALL", over the sessions that rated it on the same scale) and one pooled row per option of
each profile question with options (in a one-session export, one row per option under the
session). Segments use the profiles as the export shows them (see workbook_tally.People), so
a segment row can be recomputed from the Ratings sheet; a segment with fewer than 3 valid
ratings is withheld, with complementary suppression (analysis.complementary_suppression) so
that no withheld segment can be recovered from the total row and the shown segments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from analysis import ItemSummary, SuggestedAction, pool_compare, segment_breakdown, suggest_action, summarize
from analysis.text import N_
from domain.export_data import CriterionInfo, Decision, SessionInfo, SkillInfo
from domain.workbook_layout import Layout
from domain.workbook_report import ReportLine, short_name
from domain.workbook_tally import People, Tally, Votes
from domain.workbook_xlsx import Column, SheetRows

MIN_RATERS = 3  # METHODOLOGY.md: suppress segments with fewer raters
SUPPRESSED = "suppressed (<3)"
POOLED = "ALL"
STATS = (
    ("median", N_("Median of the valid ratings.")),
    ("q1", N_("First quartile, Hyndman & Fan type 7 (= Excel QUARTILE.INC).")),
    ("q3", N_("Third quartile, type 7.")),
    ("iqr", N_("Interquartile range, q3 - q1.")),
    ("mean", N_("Mean of the valid ratings.")),
    ("sd", N_("Standard deviation (n - 1).")),
    ("cv", N_("Coefficient of variation, sd / mean.")),
    ("pct_agree", N_("Share of valid ratings in the top band (3-4 of 4, 4-5 of 5, 7-9 of "
     "9, 3 = essential).")),
    ("pct_disagree", N_("Share of valid ratings in the bottom band (stored 0-1, shown as a percentage).")),
    ("i_cvi", N_("Item content validity index, share rating 3-4 (Lynn 1986); relevance, clarity.")),
    ("i_cvi_threshold", N_("I-CVI cut-off for this number of raters (Lynn 1986; Polit & Beck 2006).")),
    ("i_cvi_passes", N_("1 = I-CVI meets the cut-off (rounded half-up to 2 decimals), 0 = not.")),
    ("k_star", N_("Modified kappa k* (Polit, Beck & Owen 2007); read beside the I-CVI.")),
    ("k_band", N_("Band of k* (Cicchetti & Sparrow).")),
    ("cvr", N_("Lawshe's content validity ratio (1975); essentiality only.")),
    ("cvr_critical", N_("Essential ratings needed for significance: exact binomial, one-tailed "
     "(Ayre & Scally 2014).")),
    ("cvr_testable", N_("1 = enough raters to test the CVR (5 or more), 0 = not testable.")),
    ("cvr_significant", N_("1 = CVR significant, 0 = not; empty when not testable.")),
    ("rwg", N_("Within-group agreement rwg, 0-1 (James, Demaree & Wolf 1984).")),
    ("ad_median", N_("Average deviation from the median (Burke et al. 1999).")),
    ("consensus", N_("Consensus under the session's rule (see the value codes below).")),
    ("consensus_detail", N_("How the consensus classification was reached.")),
    ("flags", N_("Warnings, separated by '; ' (see the value codes below).")),
)  # fmt: skip


PERCENT = ("pct_agree", "pct_disagree")
DECIMAL = ("median", "q1", "q3", "iqr", "mean", "sd", "cv", "i_cvi", "i_cvi_threshold", "k_star", "cvr",
           "rwg", "ad_median")  # fmt: skip
STAT_FORMATS = {**dict.fromkeys(PERCENT, "percent"), **dict.fromkeys(DECIMAL, "decimal")}


def summary_columns(layout: Layout) -> list[Column]:
    """The Summary's columns; the headers are readable labels (workbook_labels.LABELS), a
    count column's says which scale point it counts."""
    return [
        replace(c, label=N_("Ratings of %(point)s", point=c.header.removeprefix("count_")))
        if c.header.startswith("count_") else c
        for c in _summary_columns(layout)
    ]  # fmt: skip


def _summary_columns(layout: Layout) -> list[Column]:
    merged = [
        Column("sessions_disagree", 10, N_("1 = sessions with 3+ ratings reached different "
               "consensus classifications (pooled rows only), 0 = they agree.")),
        Column("wording_differs", 10, N_("1 = the definition text was not the same in every "
               "session, so the pooled rows mix versions; 0 = same text.")),
    ] if layout.merged else []  # fmt: skip
    return [
        Column("session", 10, N_('Session code; "%(pooled)s" = pooled over the sessions.', pooled=POOLED)),
        Column(
            "session_name", 20, N_("The session's place, country and date; for ALL, the sessions pooled.")
        ),
        Column("segment", 14, N_("Empty, or profile question=answer for a pooled segment row.")),
        Column("skill_code", 11, N_("Skill code.")),
        Column("skill_name", 28, N_("Skill name.")),
        Column("cluster", 16, N_("Skill cluster.")),
        Column("criterion", 13, N_("Criterion key.")),
        Column("measure", 13, N_("What the criterion measures; selects the statistics.")),
        Column("round", 7, N_("Round summarised: the item's current round in that session (see About).")),
        Column("participants", 10, N_("Participants of the session(s) or segment.")),
        Column("answered", 9, N_("Valid ratings (n).")),
        Column("abstained", 9, N_('"Can\'t judge" answers, excluded from every statistic.')),
        Column("not_answered", 9, N_("participants - answered - abstained.")),
        *(Column(f"count_{p}", 8, N_("Valid ratings of %(point)s.", point=p)) for p in layout.points),
        *(
            Column(key, 10 if key != "consensus_detail" else 40, doc, number=STAT_FORMATS.get(key, ""))
            for key, doc in STATS
        ),
        *merged,
        Column("suggested_action", 14, N_("What the statistics suggest (see the codes below).")),
        Column("suggested_reasons", 40, N_("Why, one reason per criterion, separated by ' | '.")),
        Column("decision_action", 14, N_("The facilitator's recorded decision for the skill.")),
        Column("decision_reason", 40, N_("The reason recorded with the decision.")),
    ]


@dataclass
class _Entry:
    session: str
    segment: str
    skill: SkillInfo
    criterion: CriterionInfo
    round: int | None
    participants: int
    values: list[int | None]
    summary: ItemSummary | None = None
    error: str = ""
    suppressed: bool = False
    disagree: bool | None = None
    decision: Decision | None = None


def _safe(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, str]:
    """Statistics must not stop an export: bad input (a rating off the scale) is reported."""
    try:
        return fn(*args, **kwargs), ""
    except ValueError as exc:
        return None, f"not computed: {exc}"


def _kwargs(c: CriterionInfo, rule: Any) -> dict[str, Any]:
    return {"scale_min": c.scale_min, "scale_max": c.scale_max, "measure": c.measure, "rule": rule}


def write_summary(
    sheet: SheetRows, layout: Layout, people: People, tally: Tally, report: list[ReportLine] | None = None
) -> dict[tuple[str, str], ItemSummary | None]:
    """Write the Summary rows; return the headline summary per (skill, criterion) for charts
    (the pooled one in a merged export). `report` receives one line per skill and session
    (pooled first) for the Report sheet."""
    headline: dict[tuple[str, str], ItemSummary | None] = {}
    for skill in layout.skills:
        entries: list[_Entry] = []
        for k, c in layout.items:
            if k.code == skill.code:
                entries += _criterion_entries(layout, skill, c, people, tally)
        for e in entries:
            if not e.segment and (e.session == POOLED or not layout.merged):
                headline[(skill.code, e.criterion.key)] = e.summary
        actions = _actions(entries)
        for row, e in zip(_rows(layout, entries, actions), entries, strict=True):
            sheet.append(row, level=1 if e.segment else 0)  # segments fold under their total
        if report is not None:
            report += _report_lines(layout, skill, entries, actions)
    return headline


def _report_lines(
    layout: Layout, skill: SkillInfo, entries: list[_Entry], actions: dict[str, SuggestedAction | None]
) -> list[ReportLine]:
    sessions = {s.code: s for s in layout.sessions}
    lines: dict[str, ReportLine] = {}
    for e in entries:
        if e.segment:
            continue
        line = lines.get(e.session)
        if line is None:
            own = sessions.get(e.session)
            name = layout.session_skill(own, skill.code) if own else None
            line = ReportLine(name or skill, own, e.participants, action=actions.get(e.session))
            line.decision = e.decision
            lines[e.session] = line
        line.summaries[e.criterion.key] = e.summary
    pooled = [lines.pop(POOLED)] if POOLED in lines else []
    return [*pooled, *lines.values()]


def _actions(entries: list[_Entry]) -> dict[str, SuggestedAction | None]:
    groups: dict[str, dict[str, ItemSummary]] = {}
    for e in entries:
        if not e.segment and e.summary is not None:
            groups.setdefault(e.session, {})[e.criterion.measure] = e.summary
    return {key: _safe(suggest_action, summaries)[0] for key, summaries in groups.items()}


def _criterion_entries(
    layout: Layout, skill: SkillInfo, c: CriterionInfo, people: People, tally: Tally
) -> list[_Entry]:
    rated: list[tuple[SessionInfo, _Entry, Votes]] = []
    for s in layout.sessions:
        own_skill, own = layout.session_skill(s, skill.code), layout.session_criterion(s, c.key)
        if own_skill is None or own is None:
            continue
        round_, votes = tally.final(s.code, skill.code, c.key)
        values = list(votes.values())
        e = _Entry(s.code, "", own_skill, own, round_, people.count(s.code), values)
        e.decision = s.decisions.get(skill.code)
        rated.append((s, e, votes))
    pool = {s.code: votes for s, _, votes in rated if layout.poolable(s, skill, c)}
    comparison, pool_error = None, ""
    if layout.merged and pool:
        per_session = {code: list(votes.values()) for code, votes in pool.items()}
        comparison, pool_error = _safe(pool_compare, per_session, **_kwargs(c, layout.pooled_rule))
    for s, e, _ in rated:
        rule = layout.rules[s.code][0]
        if comparison and s.code in comparison.sessions and rule == layout.pooled_rule:
            e.summary = comparison.sessions[s.code]  # same values, same rule: reuse
        else:
            e.summary, e.error = _safe(summarize, e.values, **_kwargs(e.criterion, rule))
    out = [e for _, e, _ in rated]
    if layout.merged and pool:
        values = [v for votes in pool.values() for v in votes.values()]
        participants = sum(people.count(code) for code in pool)
        e = _Entry(POOLED, "", skill, c, None, participants, values, error=pool_error)
        e.summary = comparison.pooled if comparison else None
        e.disagree = comparison.disagree if comparison else None
        out.append(e)
    if pool:
        out += _segments(layout, skill, c, pool, people)
    return out


def _segments(
    layout: Layout, skill: SkillInfo, c: CriterionInfo, votes: dict[str, Votes], people: People
) -> Iterator[_Entry]:
    for q in layout.questions:
        if not q.options:
            continue
        by_answer: dict[str, list[int | None]] = {o: [] for o in q.options}
        for code, session_votes in votes.items():
            for pseudonym, value in session_votes.items():
                answer = people.profile(code, pseudonym).get(q.key)
                if answer in by_answer:
                    by_answer[answer].append(value)
        labelled = {f"{q.key}={o}": values for o, values in by_answer.items()}
        kwargs = _kwargs(c, layout.pooled_rule)
        total = sum(v is not None for session_votes in votes.values() for v in session_votes.values())
        unlisted = total - sum(v is not None for values in by_answer.values() for v in values)
        result, error = _safe(segment_breakdown, labelled, min_raters=MIN_RATERS, unlisted=unlisted, **kwargs)
        for o in q.options:
            label = f"{q.key}={o}"
            participants = sum(people.count(code, q.key, o) for code in votes)
            where = POOLED if layout.merged else next(iter(votes))
            e = _Entry(where, label, skill, c, None, participants, by_answer[o], error=error)
            if result is not None:
                e.summary = result[label]
                e.suppressed = e.summary is None
            yield e


def _rows(
    layout: Layout, entries: list[_Entry], actions: dict[str, SuggestedAction | None]
) -> Iterator[list[Any]]:
    names = {s.code: short_name(s) for s in layout.sessions}
    for e in entries:
        action = None if e.segment else actions.get(e.session)
        decision = e.decision
        pooled = e.session == POOLED and not e.segment
        merged = [e.disagree, layout.wording_differs(e.skill) if pooled else None]
        merged = merged if layout.merged else []
        yield [
            e.session, names.get(e.session, "all sessions pooled"), e.segment, e.skill.code,
 e.skill.name, e.skill.cluster, e.criterion.key,
            e.criterion.measure, e.round, *_numbers(layout, e), *merged,
            action.action if action else None,
            " | ".join(action.reasons) if action else None,
            decision.action if decision else None,
            decision.reason if decision else None,
        ]  # fmt: skip


def _numbers(layout: Layout, e: _Entry) -> list[Any]:
    width = 4 + len(layout.points) + len(STATS)
    if e.suppressed:
        return [SUPPRESSED] * width
    s = e.summary
    answered = s.n if s else sum(v is not None for v in e.values)
    abstained = s.n_abstain if s else sum(v is None for v in e.values)
    counts = dict(zip(range(s.scale_min, s.scale_max + 1), s.counts, strict=True)) if s else {}
    stats = s.to_dict() if s else {}
    if e.error:
        stats["consensus_detail"] = e.error
    if isinstance(stats.get("flags"), list):
        stats["flags"] = "; ".join(stats["flags"])
    return [
        e.participants,
        answered,
        abstained,
        max(0, e.participants - answered - abstained),
        *(counts.get(p) for p in layout.points),
        *(stats.get(key) for key, _ in STATS),
    ]
