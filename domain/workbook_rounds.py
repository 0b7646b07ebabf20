"""Rounds sheet: every round of each re-voted item side by side, with the change between rounds.

One row per session, skill, criterion and round, for items voted more than once: the
round's N, median, IQR and share in the top band (analysis.summarize under the session's
rule), and against the round before it, over the people who rated both: the share who
changed their answer, the net change and whether the item is stable (analysis.round_change,
Scheibe, Skutsch & Schofer 1975: net change below 15%). The current round, which every
other figure uses, is marked.
"""

from __future__ import annotations

from analysis import RoundChange, round_change, summarize
from analysis.text import N_
from domain.workbook_layout import Layout
from domain.workbook_report import short_name
from domain.workbook_tally import Tally
from domain.workbook_xlsx import Column, SheetRows

ROUNDS_COLUMNS = [
    Column("session", 10, N_("Session code.")),
    Column("session_name", 20, N_("The session's place, country and date.")),
    Column("skill_code", 11, N_("Skill code.")),
    Column("skill_name", 24, N_("Skill name.")),
    Column("criterion", 13, N_("Criterion key.")),
    Column("round", 7, N_("Voting round (1 = first vote, 2 = re-vote, ...).")),
    Column("current", 8, N_("1 = the item's current round, which feeds every other figure; 0 = superseded.")),
    Column("answered", 9, N_("Valid ratings in this round.")),
    Column("abstained", 9, N_('"Can\'t judge" answers in this round.')),
    Column("median", 8, N_("Median of the round's valid ratings (type 7)."), number="decimal"),
    Column("iqr", 7, N_("Interquartile range of the round (type 7)."), number="decimal"),
    Column("pct_agree", 9, N_("Share of the round's valid ratings in the top band."), number="percent"),
    Column("consensus", 14, N_("Consensus of the round under the session's rule.")),
    Column("paired", 8, N_("People with a valid rating in this round and the one before.")),
    Column("share_changed", 9, N_("Share of the paired people who gave a different answer than in the round "
           "before."), number="percent"),
    Column("net_change", 9, N_("Net change against the round before: the share of paired people who would "
           "have to move to turn one distribution into the other (Scheibe, Skutsch & Schofer 1975)."),
           number="percent"),
    Column("stable", 7, N_("1 = net change below 15% (stable), 0 = not; empty for round 1 or nobody "
           "paired.")),
]  # fmt: skip


def write_rounds(sheet: SheetRows, layout: Layout, tally: Tally) -> None:
    for s in layout.sessions:
        rule = layout.rules[s.code][0]
        name = short_name(s)
        for skill in layout.skills:
            own = layout.session_skill(s, skill.code)
            if own is None or s.current_round(skill.code) < 2:
                continue
            for c in s.criteria:
                rounds = tally.rounds(s.code, skill.code, c.key)
                before = None
                for number in sorted(rounds):
                    votes = rounds[number]
                    try:
                        summary = summarize(
                            list(votes.values()),
                            rule=rule,
                            scale_min=c.scale_min,
                            scale_max=c.scale_max,
                            measure=c.measure,
                        )
                    except ValueError:  # off-scale rating: reported in Summary, not fatal here
                        summary = None
                    change: RoundChange | None = round_change(before, votes) if before is not None else None
                    sheet.append([
                        s.code, name, skill.code, own.name, c.key, number,
                        1 if number == s.current_round(skill.code) else 0,
                        summary.n if summary else None, summary.n_abstain if summary else None,
                        summary.median if summary else None, summary.iqr if summary else None,
                        summary.pct_agree if summary else None, summary.consensus if summary else None,
                        change.n_paired if change else None,
                        1 - change.share_unchanged if change and change.share_unchanged is not None else None,
                        change.net_change if change else None,
                        (1 if change.stable else 0) if change and change.stable is not None else None,
                    ])  # fmt: skip
                    before = votes
