"""The results workbook: one writer for a single meeting and for a merged export of many.

Sheets: Report (plain words per skill, for a reader without the Codebook), About
(provenance), Summary (statistics per skill and criterion), Figures
(meeting-level figures per criterion, session and pooled), Rounds (re-voted items round by
round), Ratings (tidy,
one row per rating), Matrix (one row per participant), Comments, Open answers (where the
session asks open questions), Participants, Codebook,
Charts. Each data source of WorkbookData is read once, so the database layer may stream
them; only small per-item tallies are kept in memory.

Summary, Matrix, Figures and Charts use each item's current round in each session (the
latest round with an answer, as the app decides it: SessionInfo.rounds); superseded rounds
stay in Ratings, marked current = 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import BinaryIO

from analysis.text import N_, Num, Text
from domain.export_data import (
    CommentRow,
    CriterionInfo,
    ParticipantRow,
    RatingRow,
    SkillInfo,
    WorkbookData,
)
from domain.kinds.export import (
    ListExport,
    priorities_columns,
    rankings_columns,
    write_priorities,
    write_rankings,
)
from domain.kinds.pooling import pooled_sheet, write_pooled
from domain.workbook_charts import chart_columns, write_charts
from domain.workbook_codebook import ABOUT_COLUMNS, EXPORT, write_about, write_codebook
from domain.workbook_figures import FIGURES_COLUMNS, write_figures
from domain.workbook_layout import Layout
from domain.workbook_log import write_log
from domain.workbook_open import SHEET as OPEN_SHEET
from domain.workbook_open import asks_open_questions, open_columns, write_open_answers
from domain.workbook_report import ReportLine, report_columns, short_name, write_report
from domain.workbook_rounds import ROUNDS_COLUMNS, write_rounds
from domain.workbook_summary import summary_columns, write_summary
from domain.workbook_tally import People, Tally
from domain.workbook_xlsx import Column, SheetRows, XlsxBuilder

SESSION_NAME = Column("session_name", 20, N_("The session's place, country and date (title when no place)."))
SKILL = [
    Column("skill_code", 11, N_("Skill code; skills are matched across sessions by code.")),
    Column("skill_name", 28, N_("Skill name as shown in that session.")),
]
RATING = [
    Column("criterion", 13, N_("Criterion key (see the value codes below).")),
    Column("value", 7, N_("Rating on the criterion's scale; empty when cant_judge = 1.")),
    Column("cant_judge", 10, N_('1 = answered "can\'t judge" (value empty), 0 = rated.')),
    Column("round", 7, N_("Voting round (1 = first vote, 2 = re-vote, ...).")),
    Column(
        "current",
        8,
        N_("1 = the item's current round, which feeds every figure; 0 = superseded by a re-vote."),
    ),
    Column("first_given_utc", 19, N_("When the rating was first given. Date and time in UTC.")),
    Column("last_changed_utc", 19, N_("When the rating was last changed. Date and time in UTC.")),
    Column(
        "language",
        9,
        N_("Language the phone showed the skill in (en = the framework's own text); empty = not recorded."),
    ),
]
COMMENT = [
    Column("pseudonym", 11, N_("Author's pseudonym within the session.")),
    Column("text", 80, N_("The comment, verbatim (stored as text, never as a formula)."), wrap=True),
    Column("created_utc", 19, N_("When the comment was written. Date and time in UTC.")),
    Column("state", 10, N_("Moderation state (see the value codes below).")),
    Column("language", 9, N_("Language of the phone's interface when it was written; empty = not recorded.")),
]
PARTICIPANT = [
    Column("joined_utc", 19, N_("When the participant joined. Date and time in UTC.")),
    Column("consent_utc", 19, N_("When consent was recorded; empty if none. Date and time in UTC.")),
]
CODEBOOK = [
    Column("sheet", 12, N_("Sheet the entry describes.")),
    Column("column", 24, N_("Column the entry describes: its machine-readable name.")),
    Column(
        "label",
        24,
        N_(
            "The column's header as the sheet shows it, when that is a readable label "
            "in the exporting person's language; empty = the header is the name."
        ),
    ),
    Column("meaning", 80, N_("What the column holds."), wrap=True),
    Column("code", 14, N_("A coded value of the column.")),
    Column("code_meaning", 50, N_("What the coded value means."), wrap=True),
]


def _lead(layout: Layout) -> list[Column]:
    """Session, pseudonym and one column per profile question."""
    return [
        Column("session", 10, N_("Session (meeting) code.")),
        SESSION_NAME,
        Column("pseudonym", 11, N_("Participant's pseudonym within the session (no names kept).")),
        *(Column(f"profile_{q.key}", 16,
                 N_('Answer to the profile question "%(question)s".', question=q.label), label=q.label)
          for q in layout.questions),
    ]  # fmt: skip


def _item_column(skill: SkillInfo, criterion: CriterionInfo) -> Column:
    doc = N_(
        "%(criterion)s of %(skill)s (%(name)s), current round. Empty: can't judge, not answered or not "
        "asked (see Ratings).",
        criterion=criterion.label,
        skill=skill.code,
        name=skill.name,
    )
    label = N_("%(skill)s: %(criterion)s", skill=skill.code, criterion=criterion.label)
    return Column(
        f"{skill.code}_{criterion.key}", max(8, len(skill.code) + len(criterion.key) + 2), doc, label=label
    )


def _columns(layout: Layout, lists: ListExport) -> dict[str, list[Column]]:
    """Every sheet's columns, in sheet order."""
    prioritisation = (
        {
            "Rankings": rankings_columns(lists, _lead(layout)),
            "Priorities": priorities_columns(),
            **pooled_sheet(lists),
        }
        if lists.questions
        else {}
    )
    return {
        "Report": report_columns(layout),
        "About": ABOUT_COLUMNS,
        "Summary": summary_columns(layout),
        "Figures": FIGURES_COLUMNS,
        "Rounds": ROUNDS_COLUMNS,
        "Ratings": [*_lead(layout), *SKILL, *RATING],
        "Matrix": [*_lead(layout), *(_item_column(k, c) for k, c in layout.items)],
        "Comments": [Column("session", 10, N_("Session (meeting) code.")), SESSION_NAME, *SKILL, *COMMENT],
        **(
            {
                OPEN_SHEET: open_columns(
                    [Column("session", 10, N_("Session (meeting) code.")), SESSION_NAME, *SKILL]
                )
            }
            if asks_open_questions(layout)
            else {}
        ),
        "Participants": [*_lead(layout), *PARTICIPANT],
        **prioritisation,
        "Codebook": CODEBOOK,
        "Charts": chart_columns(layout),
    }


# Frozen header row and identifier columns: what stays on screen while scrolling.
FREEZE = {
    "Report": "C2", "About": "C2", "Summary": "F2", "Figures": "C2", "Rounds": "E2", "Ratings": "D2",
    "Matrix": "D2", "Comments": "E2", OPEN_SHEET: "E2", "Participants": "D2", "Codebook": "C2",
    "Charts": "C2",
}  # fmt: skip


def write_workbook(data: WorkbookData, out: BinaryIO | str) -> None:
    """Write the results workbook of one or more sessions to a path or a binary stream."""
    layout = Layout.of(data.sessions)
    with XlsxBuilder(data.translate) as book:
        sheets = {
            name: book.add_sheet(name, columns, FREEZE.get(name, "A2"))
            for name, columns in _columns(layout, data.lists).items()
        }
        protect = not data.full_profiles
        people = _write_participants(sheets["Participants"], data.participants, layout, protect)
        seen = LanguagesSeen()
        tally = _write_ratings(sheets["Ratings"], data.ratings, layout, people, seen)
        starred = _write_comments(sheets["Comments"], data.comments, layout, seen)
        if OPEN_SHEET in sheets:
            write_open_answers(sheets[OPEN_SHEET], data.open_answers, layout)
        _write_matrix(sheets["Matrix"], layout, people, tally)
        report: list[ReportLine] = []
        headline = write_summary(sheets["Summary"], layout, people, tally, report)
        write_report(sheets["Report"], layout, report, starred)
        write_figures(sheets["Figures"], layout, tally)
        write_rounds(sheets["Rounds"], layout, tally)
        write_charts(book, sheets["Charts"], layout, headline, tally)
        if "Rankings" in sheets:
            _write_lists(sheets, data.lists, layout, people)
        write_log(book, data.log)
        write_about(sheets["About"], layout, data, people, book.sheets)
        for row in seen.rows():
            sheets["About"].append(row)
        write_codebook(sheets["Codebook"], layout, book.sheets)
        book.save(out)


def _write_lists(sheets: Mapping[str, SheetRows], lists: ListExport, layout: Layout, people: People) -> None:
    """The list questions' sheets (pick, rank, points): Rankings per person, Priorities per question."""

    def lead(code: str) -> list[tuple[str, list[str | None]]]:
        name = names[code]
        return [
            (p, [code, name, p, *_answers(layout, people.profile(code, p))]) for p in people.pseudonyms(code)
        ]

    names = {s.code: short_name(s) for s in layout.sessions}
    write_rankings(sheets["Rankings"], lists, lead)
    write_priorities(sheets["Priorities"], lists)
    write_pooled(sheets, lists)


def _skill_names(layout: Layout) -> dict[tuple[str, str], str]:
    return {(s.code, k.code): k.name for s in layout.sessions for k in s.skills}


def _answers(layout: Layout, profile: Mapping[str, str]) -> list[str | None]:
    return [profile.get(q.key) for q in layout.questions]


def _write_participants(
    sheet: SheetRows, participants: Iterable[ParticipantRow], layout: Layout, protect: bool
) -> People:
    """Read every participant first: whether an answer is rare depends on the whole session."""
    people = People(protect)
    names = {s.code: short_name(s) for s in layout.sessions}
    rows = list(participants)
    for p in rows:
        people.add(p)
    people.seal()
    for p in rows:
        shown = people.profile(p.session_code, p.pseudonym)
        name = names.get(p.session_code)
        sheet.append([p.session_code, name, p.pseudonym, *_answers(layout, shown), p.joined_at, p.consent_at])
    return people


class LanguagesSeen:
    """Which languages the export's answers were given in, counted as the rows stream by."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = {"items": {}, "comments": {}}

    def add(self, what: str, language: str) -> None:
        key = language or ""
        self.counts[what][key] = self.counts[what].get(key, 0) + 1

    def rows(self) -> list[tuple[str, str, object]]:
        def listed(counts: dict[str, int]) -> Text:
            """'pl (3), not recorded (1)': a text whose template is its own shape (no catalog
            entry), so that its parts, the words and the counts, are written the reader's way."""
            ordered = sorted(counts.items(), key=lambda kv: -kv[1])
            if not ordered:
                return N_("none")
            template = ", ".join(f"%(l{i})s (%(n{i})s)" for i in range(len(ordered)))
            params: dict[str, object] = {}
            for i, (key, n) in enumerate(ordered):
                params[f"l{i}"], params[f"n{i}"] = key or N_("not recorded"), Num(n, ",")
            return Text(template, params)

        return [
            (EXPORT, "languages_ratings", N_("Languages the skills were shown in on the phones, with "
             "the number of ratings: %(list)s.", list=listed(self.counts["items"]))),
            (EXPORT, "languages_comments", N_("Languages of the phones when comments were written, "
             "with the number of comments: %(list)s.", list=listed(self.counts["comments"]))),
        ]  # fmt: skip


def _write_ratings(
    sheet: SheetRows, ratings: Iterable[RatingRow], layout: Layout, people: People, seen: LanguagesSeen
) -> Tally:
    tally = Tally(layout.sessions)
    names = _skill_names(layout)
    places = {s.code: short_name(s) for s in layout.sessions}
    answers: dict[tuple[str, str], list[str | None]] = {}
    for r in ratings:
        who = (r.session_code, r.pseudonym)
        if who not in answers:
            answers[who] = _answers(layout, people.profile(*who))
        sheet.append(
            [
                r.session_code,
                places.get(r.session_code),
                r.pseudonym,
                *answers[who],
                r.skill_code,
                names.get((r.session_code, r.skill_code)),
                r.criterion_key,
                r.value,
                1 if r.value is None else 0,
                r.round,
                1 if tally.is_current(r) else 0,
                r.first_at,
                r.last_at,
                r.language,
            ]
        )
        tally.add(r)
        seen.add("items", r.language)
    return tally


def _write_comments(
    sheet: SheetRows, comments: Iterable[CommentRow], layout: Layout, seen: LanguagesSeen
) -> dict[tuple[str, str], list[str]]:
    """Write every comment; return the starred ones by (session, skill) for the Report."""
    names = _skill_names(layout)
    places = {s.code: short_name(s) for s in layout.sessions}
    starred: dict[tuple[str, str], list[str]] = {}
    for c in comments:
        name = names.get((c.session_code, c.skill_code))
        place = places.get(c.session_code)
        row = [
            c.session_code,
            place,
            c.skill_code,
            name,
            c.pseudonym,
            c.text,
            c.created_at,
            c.state,
            c.language,
        ]
        sheet.append(row)
        seen.add("comments", c.language)
        if c.state == "starred":
            starred.setdefault((c.session_code, c.skill_code), []).append(c.text)
    return starred


def _write_matrix(sheet: SheetRows, layout: Layout, people: People, tally: Tally) -> None:
    for session in layout.sessions:
        finals = [tally.final(session.code, k.code, c.key)[1] for k, c in layout.items]
        name = short_name(session)
        for pseudonym in people.pseudonyms(session.code):
            profile = people.profile(session.code, pseudonym)
            values = [final.get(pseudonym) for final in finals]
            sheet.append([session.code, name, pseudonym, *_answers(layout, profile), *values])
