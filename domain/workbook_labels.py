"""What a workbook shows people: sheet titles and column headers, in the exporting person's language.

Every sheet and column keeps a stable code (the sheet's code name, the column's name in the
Codebook), which scripts use; the tab and the header row show readable labels, translated at
the edge (XlsxBuilder's `translate`). Sheet titles follow Excel's rules: at most 31
characters, none of []:*?/\\, not starting or ending with an apostrophe, unique.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from analysis.text import N_

Translate = Callable[[str], str]

SHEETS = {
    "Report": N_("Report"),
    "About": N_("About"),
    "Summary": N_("Summary"),
    "Figures": N_("Figures"),
    "Rounds": N_("Rounds"),
    "Ratings": N_("Ratings"),
    "Matrix": N_("Matrix"),
    "Comments": N_("Comments"),
    "Open answers": N_("Open answers"),
    "Participants": N_("Participants"),
    "Rankings": N_("Rankings"),
    "Priorities": N_("Priorities"),
    "Pooled priorities": N_("Pooled priorities"),
    "Codebook": N_("Codebook"),
    "Charts": N_("Charts"),
    "Log": N_("Log"),
    "Responses": N_("Responses"),
    "Skills": N_("Skills"),
    "Clusters": N_("Clusters"),
    "Breakdown": N_("Breakdown"),
    "Validation": N_("Validation"),
}

# A column's readable header by its name (the same name means the same thing on every sheet).
LABELS = {
    # people, sessions, items
    "session": N_("Session"),
    "Session": N_("Session"),
    "session_name": N_("Where and when"),
    "sessions": N_("Sessions"),
    "segment": N_("Group (profile answer)"),
    "pseudonym": N_("Pseudonym"),
    "respondent": N_("Respondent"),
    "respondents": N_("Respondents"),
    "take": N_("Take"),
    "skill_code": N_("Skill code"),
    "skill_name": N_("Skill"),
    "Skill": N_("Skill"),
    "skills": N_("Skills"),
    "cluster": N_("Cluster"),
    "criterion": N_("Criterion"),
    "measure": N_("Measures"),
    "round": N_("Round"),
    "current": N_("Current round"),
    "participants": N_("Participants"),
    "profile_question": N_("Profile question"),
    "answer": N_("Answer"),
    # answers
    "value": N_("Value"),
    "cant_judge": N_("Can't judge"),
    "first_given_utc": N_("First given (UTC)"),
    "last_changed_utc": N_("Last changed (UTC)"),
    "language": N_("Language"),
    "text": N_("Text"),
    "created_utc": N_("Written (UTC)"),
    "written_utc": N_("Written (UTC)"),
    "changed_utc": N_("Changed (UTC)"),
    "completed_utc": N_("Completed (UTC)"),
    "joined_utc": N_("Joined (UTC)"),
    "consent_utc": N_("Consent given (UTC)"),
    "state": N_("State"),
    "question": N_("Question"),
    "accepted_version": N_("Accepted in version"),
    # Summary and Rounds
    "answered": N_("Answered (n)"),
    "abstained": N_("Can't judge"),
    "not_answered": N_("Not answered"),
    "median": N_("Median"),
    "q1": N_("First quartile"),
    "q3": N_("Third quartile"),
    "iqr": N_("Interquartile range"),
    "mean": N_("Mean"),
    "sd": N_("Standard deviation"),
    "cv": N_("Coefficient of variation"),
    "pct_agree": N_("Agree (top band)"),
    "pct_disagree": N_("Disagree (bottom band)"),
    "i_cvi": N_("I-CVI"),
    "i_cvi_threshold": N_("I-CVI cut-off"),
    "i_cvi_passes": N_("I-CVI meets the cut-off"),
    "k_star": N_("Modified kappa k*"),
    "k_band": N_("Band of k*"),
    "cvr": N_("CVR (Lawshe)"),
    "cvr_critical": N_("Essential ratings needed"),
    "cvr_testable": N_("CVR testable"),
    "cvr_significant": N_("CVR significant"),
    "rwg": N_("Agreement within the group (rwg)"),
    "ad_median": N_("Average deviation from the median"),
    "consensus": N_("Consensus"),
    "consensus_detail": N_("How consensus was reached"),
    "flags": N_("Warnings"),
    "sessions_disagree": N_("Sessions disagree"),
    "wording_differs": N_("Wording differs"),
    "suggested_action": N_("Suggested action"),
    "suggested_reasons": N_("Why this action"),
    "decision_action": N_("Decision"),
    "decision_reason": N_("Reason for the decision"),
    "paired": N_("Paired"),
    "share_changed": N_("Share changed"),
    "net_change": N_("Net change"),
    "stable": N_("Stable"),
    # Figures
    "figure": N_("Figure"),
    "se": N_("Standard error"),
    "target": N_("Usual reading"),
    "unrated": N_("Unrated skills"),
    "raters": N_("Raters"),
    "ratings": N_("Ratings"),
    "method": N_("Method"),
    "note": N_("Note"),
    # Report
    "Topic": N_("Topic"),
    "In words": N_("In words"),
    # About, Codebook, Log
    "field": N_("Field"),
    "sheet": N_("Sheet"),
    "column": N_("Column"),
    "label": N_("Label"),
    "meaning": N_("Meaning"),
    "code": N_("Code"),
    "code_meaning": N_("Meaning of the code"),
    "at": N_("When (UTC)"),
    "who": N_("Who"),
    "action": N_("Action"),
    "on": N_("On"),
    "details": N_("Details"),
    # list questions (pick, rank, points)
    "kind": N_("Kind"),
    "prompt": N_("Question text"),
    "n": N_("N"),
    "kendall_w": N_("Kendall's W"),
    "chi2": N_("Chi-square"),
    "df": N_("Degrees of freedom"),
    "p": N_("p-value"),
    "group_rank": N_("Group rank"),
    "picked": N_("Picked"),
    "rank": N_("Rank given"),
    "points": N_("Points"),
    "count": N_("Count"),
    "share": N_("Share"),
    "chosen": N_("Chosen"),
    "threshold": N_("Threshold"),
    "tied_at_cut": N_("Tied at the cut"),
    "ranked": N_("Ranked"),
    "mean_rank": N_("Mean rank"),
    "median_rank": N_("Median rank"),
    "borda": N_("Borda score"),
    "given": N_("Given"),
    "total": N_("Total"),
    "ci_low": N_("95% CI, low"),
    "ci_high": N_("95% CI, high"),
    # self-assessment
    "gap": N_("Gap"),
    "k": N_("Skills (k)"),
    "alpha": N_("Cronbach's alpha"),
    "omega": N_("McDonald's omega"),
    "item_total_r": N_("Item-total correlation"),
    "floor": N_("Floor"),
    "ceiling": N_("Ceiling"),
}

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A title Excel accepts, unique (case-insensitively) among `taken`."""
    clean = _FORBIDDEN.sub(" ", title).strip().strip("'").strip() or "Sheet"
    clean = clean[:MAX_TITLE].rstrip("'").strip()
    used = {t.lower() for t in taken}
    candidate, n = clean, 2
    while candidate.lower() in used:
        tail = f" ({n})"
        candidate, n = clean[: MAX_TITLE - len(tail)].rstrip() + tail, n + 1
    return candidate


def code_name(code: str) -> str:
    """The sheet's code name (what VBA and some tools address it by): its stable code."""
    return re.sub(r"\W", "_", code)
