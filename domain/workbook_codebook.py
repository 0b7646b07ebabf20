"""About and Codebook sheets: where the data came from, and what every column and code means."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.decision import LABELS as ACTION_LABELS
from analysis.summary import NOT_INTERPRETABLE
from analysis.text import N_, Num, measure_name
from domain.export_data import CriterionInfo, SessionInfo, WorkbookData
from domain.workbook_figures import FIGURE_CODES
from domain.workbook_layout import Layout
from domain.workbook_open import OPEN_CODES
from domain.workbook_open import SHEET as OPEN_SHEET
from domain.workbook_summary import MIN_RATERS, POOLED, SUPPRESSED
from domain.workbook_tally import OTHER, People
from domain.workbook_xlsx import Column, SheetRows

EXPORT = "(export)"
SHEET_ROW = N_(
    "The sheet itself: its tab's title in this workbook, in the exporting person's language. "
    "The code in the column sheet stays the same in every language (and is the sheet's code name)."
)
OTHER_MEANING = N_(
    "an answer held by fewer than %(min)s participants of the session (with the next least "
    "common one when needed), or one that with the other profile answers would single out "
    "fewer than %(min)s people; see About, profiles",
    min=MIN_RATERS,
)
ABOUT_COLUMNS = [
    Column("session", 10, N_('Session code; "%(export)s" = the whole file; "%(pooled)s" = across sessions.',
                             export=EXPORT, pooled=POOLED), wrap=True),
    Column("field", 26, N_("What the row records."), wrap=True),
    Column("value", 90, N_("The recorded value."), wrap=True),
]  # fmt: skip
STATIC_CODES: dict[tuple[str, str], list[tuple[object, str]]] = {
    ("Ratings", "current"): [(1, N_("the item's current round: feeds every figure")),
                             (0, N_("an earlier round, superseded by a re-vote; kept for the record"))],
    ("Ratings", "cant_judge"): [(0, N_("rated: value holds the rating")),
                                (1, N_("answered \"can't judge\": value is empty"))],
    ("Comments", "state"): [("visible", N_("shown to the group")),
                            ("hidden", N_("hidden by the facilitator")),
                            ("starred", N_("highlighted by the facilitator"))],
    ("Summary", "session"): [(POOLED, N_("pooled over the sessions that rated the item on the same scale"))],
    ("Summary", "answered"): [(SUPPRESSED, N_(
        "segment with fewer than %(min)s valid ratings, or withheld with it so that it cannot be "
        "recovered from the total (complementary suppression): every figure of the row is withheld",
        min=MIN_RATERS))],
    ("Summary", "consensus"): [
        ("consensus", N_("agreement in the top band under the rule")),
        ("consensus_against", N_("agreement in the bottom band")),
        ("no_consensus", N_("neither")), ("too_few", N_("fewer than 3 valid ratings"))],
    ("Summary", "k_band"): [("poor", N_("k* (as shown, two decimals rounded half-up) below .40")),
                            ("fair", N_("k* .40 to .59")),
                            ("good", N_("k* .60 to .74 (e.g. .743 shows as .74)")),
                            ("excellent", N_("k* .75 or more")),
                            (NOT_INTERPRETABLE, N_("fewer than 3 valid ratings: no band"))],
    ("Summary", "flags"): [
        ("small_panel", N_("fewer than 6 valid ratings")),
        ("many_abstentions", N_("at least 20% answered can't judge")),
        ("below_cvi_threshold", N_("relevance I-CVI below the cut-off for the panel size")),
        ("revise_wording", N_("clarity I-CVI below the cut-off: revise the definition")),
        ("cvr_not_testable", N_("too few raters for a CVR test (N <= 4)")),
        ("cvr_not_significant", N_("CVR below the exact critical value")),
        ("panel_disagreement", N_("9-point scale: RAND/UCLA disagreement (IPR > IPRAS)")),
        ("polarised", N_("at least 30% in both the top and the bottom band"))],
    ("Summary", "suggested_action"): list(ACTION_LABELS.items()),
    ("Figures", "figure"): FIGURE_CODES,
    (OPEN_SHEET, "question"): OPEN_CODES,
}  # fmt: skip


def write_about(
    sheet: SheetRows, layout: Layout, data: WorkbookData, people: People, sheets: Sequence[SheetRows]
) -> None:
    """Provenance: the export, then each session's design, then what does not match."""
    n = len(layout.sessions)
    kind = N_("merged export of %(n)s sessions", n=n) if layout.merged else N_("one session")
    rows: list[tuple[str, str, object]] = [
        (EXPORT, "exported_utc", data.exported_at),
        (EXPORT, "app_version", data.app_version),
        (EXPORT, "content", kind),
        (EXPORT, "labels_language", N_("Sheet titles, headers and notes are in the exporting person's "
         "language (%(language)s); names, comments and answers stay as they were entered.",
         language=data.language)),
        (EXPORT, "rounds", N_("Every figure (Summary, Figures, Matrix, Charts) uses each item's "
         "current round in its session: the latest round in which anyone answered it (a re-vote "
         "that got no answer yet changes nothing), the same round the app shows. Ratings holds "
         "every round; its column current = 1 marks the rows that feed the figures.")),
        (EXPORT, "profiles", _profiles_note(data.full_profiles)),
        (EXPORT, "privacy", N_("Participants appear only under pseudonyms. Segment rows with fewer "
         "than %(min)s valid ratings are withheld, and as many more as it takes (the smallest "
         "first) so that no withheld row can be recovered by subtracting the shown ones from the "
         "total (complementary suppression, docs/methodology.md).", min=MIN_RATERS)),
        (EXPORT, "times", N_("All dates and times are UTC.")),
        (EXPORT, "quantiles", N_("Median, quartiles, IQR and percentiles use Hyndman & Fan (1996) "
         "type 7 (R's default quantile type 7, numpy 'linear', Excel QUARTILE.INC / "
         "PERCENTILE.INC).")),
        (EXPORT, "rounding", N_("Cut-offs (I-CVI, k* bands) are compared on the value rounded "
         "half-up to two decimals; k* is given to two decimals and its band is read on it.")),
        (EXPORT, "cvr_independence", N_("CVR significance (the exact binomial critical values) assumes "
         "independent judgements. Live discussion before a vote, re-votes after discussion and pooling "
         "meetings that heard one another break that assumption, so read cvr_significant there as a "
         "guide, not a test; the Rounds sheet shows which items were re-voted.")),
        (EXPORT, "missing_data", N_("Can't judge and no answer count as missing. Alpha uses every "
         "rating; ICC uses the complete table left after removing, one at a time, the skill or "
         "participant with the largest share missing (docs/methodology.md, section 10).")),
    ]  # fmt: skip
    for other in sheets:
        if other.dropped:
            note = N_(
                "%(sheet)s: %(rows)s rows beyond Excel's row limit were left out",
                sheet=other.title,
                rows=Num(other.dropped, ","),
            )
            rows.append((EXPORT, "truncated", note))
    if layout.merged:
        rows.append((EXPORT, "pooled_rule", layout.pooled_rule.describe()))
    for s in layout.sessions:
        rows += _session_rows(s, layout, people)
    rows += _skill_versions(layout)
    if layout.merged:
        mismatches = layout.mismatches() or [(N_("what does not match"), N_(
            "nothing: same skills, wording, criteria and rules in every session"))]  # fmt: skip
        rows += [(POOLED, what, detail) for what, detail in mismatches]
    for row in rows:
        sheet.append(row)


def _profiles_note(full: bool) -> str:
    if full:
        return N_(
            "FULL: profile answers are shown as given, chosen explicitly at export. A participant "
            "with a rare answer (the only one from a sector or country) can be recognised: keep "
            "this file for your own analysis and do not share it."
        )
    return N_(
        "protected: in Ratings, Matrix, Participants and the segment rows, a profile answer held "
        'by fewer than %(min)s participants of the session reads "%(other)s" (with the next '
        'least common answer when needed, so that "%(other)s" is never one or two people). The '
        'answers are also safe together: more answers read "%(other)s" until every combination '
        "of profile answers shown is held by %(min)s or more participants of the session "
        "(the only industry participant from Finland cannot be picked out by crossing two columns).",
        min=MIN_RATERS,
        other=OTHER,
    )


def _session_rows(s: SessionInfo, layout: Layout, people: People) -> list[tuple[str, str, object]]:
    rule, note = layout.rules[s.code]
    fields: list[tuple[str, object]] = [
        ("title", s.title), ("date", s.date), ("place", s.place), ("country", s.country),
        ("language", s.language), ("facilitator", s.facilitator),
        ("framework", s.framework_name), ("framework_version", s.framework_version),
        ("pacing", s.pacing), ("state", s.state), ("anonymity", s.anonymity),
        ("participants", people.count(s.code)), ("skills", len(s.skills)),
        ("consensus_rule", rule.describe()),
        *((f"rule.{key}", _plain(value)) for key, value in sorted(s.rule.items())),
        *((("rule_note", note),) if note else ()),
        *((f"criterion.{c.key}", _describe(c)) for c in s.criteria),
        *((f"profile.{q.key}", N_("%(question)s; options: %(options)s", question=q.label,
                                  options=", ".join(q.options) or N_("free text")))
          for q in s.profile_questions),
    ]  # fmt: skip
    return [(s.code, field, value) for field, value in fields]


def _skill_versions(layout: Layout) -> list[tuple[str, str, object]]:
    """Each skill's wording once per distinct version, with the sessions that used it."""
    rows: list[tuple[str, str, object]] = []
    for skill in layout.skills:
        versions: dict[tuple[str, str, str], list[str]] = {}
        for s in layout.sessions:
            own = layout.session_skill(s, skill.code)
            if own is not None:
                versions.setdefault((own.name, own.cluster, own.definition), []).append(s.code)
        for (name, cluster, definition), codes in versions.items():
            every = layout.merged and len(codes) == len(layout.sessions)
            where = POOLED if every else ", ".join(codes)
            rows.append((where, f"skill.{skill.code}", f"{name} [{cluster}]: {definition}"))
    return rows


def _plain(value: object) -> object:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _describe(c: CriterionInfo) -> str:
    anchors = ", ".join(f"{p} = {a}" for p, a in zip(_points(c), c.anchors, strict=False))
    return N_(
        "%(label)s; measures %(measure)s; scale %(low)s-%(high)s; %(anchors)s",
        label=c.label,
        measure=measure_name(c.measure),
        low=c.scale_min,
        high=c.scale_max,
        anchors=anchors,
    )


def _points(c: CriterionInfo) -> range:
    return range(c.scale_min, c.scale_max + 1)


def _scale_codes(layout: Layout) -> list[tuple[str, object, str]]:
    """(meaning, code, label) for every distinct criterion scale, naming its sessions."""
    variants: dict[CriterionInfo, list[str]] = {}
    for s in layout.sessions:
        for c in s.criteria:
            variants.setdefault(c, []).append(s.code)
    out: list[tuple[str, object, str]] = []
    for c, codes in variants.items():
        sessions = ", ".join(codes)
        meaning = (
            N_("%(key)s: %(label)s (sessions %(sessions)s)", key=c.key, label=c.label, sessions=sessions)
            if layout.merged
            else f"{c.key}: {c.label}"
        )
        for p in _points(c):
            anchor = c.anchors[p - c.scale_min] if p - c.scale_min < len(c.anchors) else ""
            out.append((meaning, p, anchor))
    return out


def write_codebook(sheet: SheetRows, layout: Layout, sheets: Sequence[SheetRows]) -> None:
    """Every sheet (its code, its tab's title) and every column of it (name, readable label),
    each followed by the codes its values use."""
    for other in sheets:
        sheet.append([other.name, "", other.title, SHEET_ROW])
        for column in other.columns:
            lead = [other.name, column.header, column.label]
            sheet.append([*lead, column.doc])
            for code, meaning in STATIC_CODES.get((other.name, column.header), ()):
                sheet.append([*lead, "", code, meaning])
            if column.header.startswith("profile_"):
                sheet.append([*lead, "", OTHER, OTHER_MEANING])
            if (other.name, column.header) == ("Ratings", "value"):
                for meaning, code, label in _scale_codes(layout):
                    sheet.append([*lead, meaning, code, label])
