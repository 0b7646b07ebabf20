"""The self-assessment workbook: anonymised responses, aggregates, validation and a codebook.

Same writer and conventions as the sessions' workbook (domain/workbook_xlsx.py): inline
strings only (no formula can be written), UTC times, a Codebook describing every column.
Respondents appear as R001, R002, ... in the order they finished: no code, no identity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO

from analysis.pooling import PRIVACY_MIN_RATERS
from analysis.scale_reliability import FLOOR_CEILING_LIMIT, FloorCeiling
from analysis.text import N_, Num, Text
from domain.assessment import SCALE, AssessmentQuestion, SkillRef
from domain.assessment_summary import Aggregates, Response
from domain.workbook_codebook import SHEET_ROW
from domain.workbook_xlsx import Column, SheetRows, XlsxBuilder

SUPPRESSED = "(suppressed)"
WHO = Column("respondent", 11, N_("Anonymous respondent number, in the order people finished."))
WHEN = Column(
    "completed_utc", 19, N_("When the respondent finished their latest take. Date and time in UTC.")
)
TAKE = Column("take", 6, N_("Which take of the questionnaire this is (1 = first, 2 = retake, ...)."))
SKILL = [Column("skill_code", 11, N_("Skill code.")), Column("skill_name", 28, N_("Skill name.")),
         Column("cluster", 18, N_("The skill's cluster in the framework."))]  # fmt: skip
CODEBOOK = [
    Column("sheet", 12, N_("Sheet the entry describes.")),
    Column("column", 24, N_("Column the entry describes: its machine-readable name.")),
    Column("label", 24, N_("The column's header as the sheet shows it, in the exporting person's language.")),
    Column("meaning", 80, N_("What the column holds.")),
    Column("code", 10, N_("A coded value of the column.")),
    Column("code_meaning", 60, N_("What the coded value means.")),
]


@dataclass(frozen=True)
class AssessmentBook:
    title: str
    code: str
    version: int
    framework: str
    app_version: str
    questions: tuple[AssessmentQuestion, ...]
    skills: tuple[SkillRef, ...]
    profile_questions: tuple[dict[str, Any], ...]
    responses: tuple[Response, ...]
    aggregates: Aggregates


def _profile_columns(book: AssessmentBook) -> list[Column]:
    return [Column(f"profile_{q['key']}", 16, N_('Answer to "%(question)s" (empty: not answered).',
                                                  question=str(q["label"])),
                   label=str(q["label"]))
            for q in book.profile_questions]  # fmt: skip


def _stats(what: Text) -> list[Column]:
    return [
        Column("n", 6, N_("Respondents with an answer (%(what)s).", what=what)),
        *(
            Column(
                f"n_{p}",
                6,
                N_("How many answered %(point)s.", point=p),
                label=N_("Answered %(point)s", point=p),
            )
            for p in SCALE
        ),
        Column("mean", 8, N_("Mean (1-5).")),
        Column("sd", 8, N_("Standard deviation (n - 1).")),
    ]


def _columns(book: AssessmentBook) -> dict[str, list[Column]]:
    profile = _profile_columns(book)
    wide = [Column(f"{s.code}_{q.key}", 12, N_('%(question)s of %(skill)s (%(name)s): "%(prompt)s" (1-5).',
                                            question=Text(q.label, {}), skill=s.code, name=s.name,
                                            prompt=Text(q.prompt, {})),
                   label=N_("%(skill)s: %(question)s", skill=s.code, question=Text(q.label, {})))
            for s in book.skills for q in book.questions]  # fmt: skip
    reliability = [
        Column("cluster", 18, N_("Cluster: its skills read as the items of one scale.")),
        Column("question", 11, N_("Which question's answers form the scale.")),
        Column("n", 6, N_("Respondents who answered every skill of the cluster (listwise).")),
        Column("k", 4, N_("Number of skills (items).")),
        Column("alpha", 8, N_("Cronbach's alpha (Cronbach 1951).")),
        Column("omega", 8, N_("McDonald's omega total, one factor fitted by minres (McDonald 1999).")),
        Column("skill_code", 11, N_("Item: skill code (empty on the scale's own row).")),
        Column("item_total_r", 12, N_("Corrected item-total correlation (item vs the sum of the others).")),
        Column("floor", 8, N_("Share at the lowest score (1); for the scale, its mean score.")),
        Column("ceiling", 8, N_("Share at the highest score (5); for the scale, its mean score.")),
        Column("flags", 24, N_("floor_effect / ceiling_effect: more than %(limit)s at the extreme "
                               "(Terwee et al. 2007).", limit=Num(FLOOR_CEILING_LIMIT, ".0%"))),
    ]  # fmt: skip
    return {
        "About": [
            Column("field", 22, N_("What the row records.")),
            Column("value", 90, N_("The recorded value.")),
        ],
        "Responses": [
            WHO,
            *profile,
            TAKE,
            WHEN,
            *SKILL,
            Column("question", 11, N_("Question key.")),
            Column("value", 7, N_("Answer, 1-5 (see the anchors below).")),
        ],  # fmt: skip
        "Matrix": [WHO, *profile, TAKE, WHEN, *wide],
        "Skills": [
            *SKILL,
            Column("question", 11, N_("Question key.")),
            *_stats(N_("this skill")),
            Column("gap", 8, N_("Mean importance minus mean mastery (question = mastery rows only).")),
        ],  # fmt: skip
        "Clusters": [
            Column("cluster", 18, N_("Cluster.")),
            Column("question", 11, N_("Question key.")),
            *_stats(N_("each respondent's mean over the cluster's skills, counted at its nearest point")),
        ],  # fmt: skip
        "Breakdown": [
            Column("profile_question", 18, N_("Profile question.")),
            Column("answer", 20, N_("Answer given.")),
            Column(
                "respondents",
                11,
                N_("How many gave that answer; '%(suppressed)s' for 1 or 2.", suppressed=SUPPRESSED),
            ),
            *(
                Column(
                    f"mean_{q.key}",
                    12,
                    N_(
                        "Mean over all skills (%(question)s); '%(suppressed)s' below %(min)s respondents.",
                        question=Text(q.label, {}),
                        suppressed=SUPPRESSED,
                        min=PRIVACY_MIN_RATERS,
                    ),
                    label=N_("Mean: %(question)s", question=Text(q.label, {})),
                )
                for q in book.questions
            ),
        ],  # fmt: skip
        "Validation": reliability,
        "Codebook": CODEBOOK,
    }


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _write_data(book: AssessmentBook, sheets: dict[str, SheetRows]) -> None:
    keys = [str(q["key"]) for q in book.profile_questions]
    for r in book.responses:
        lead = [f"R{r.number:03d}", *(r.profile.get(k) for k in keys), r.round, r.completed_at]
        for s in book.skills:
            for q in book.questions:
                sheets["Responses"].append(
                    [*lead, s.code, s.name, s.cluster, q.key, r.answers.get((s.code, q.key))]
                )
        wide = [r.answers.get((s.code, q.key)) for s in book.skills for q in book.questions]
        sheets["Matrix"].append([*lead, *wide])


def _flags(fc: FloorCeiling) -> str:
    return " ".join(name for name, on in (("floor_effect", fc.has_floor_effect),
                                          ("ceiling_effect", fc.has_ceiling_effect)) if on)  # fmt: skip


def _write_aggregates(book: AssessmentBook, sheets: dict[str, SheetRows]) -> None:
    agg = book.aggregates
    for s in agg.skills:
        for q in book.questions:
            d = s.by_question[q.key]
            gap = _num(s.gap) if q.key == "mastery" else None
            sheets["Skills"].append([s.skill.code, s.skill.name, s.skill.cluster, q.key, d.n, *d.counts,
                                     _num(d.mean), _num(d.sd), gap])  # fmt: skip
    for c in agg.clusters:
        for q in book.questions:
            d = c.by_question[q.key]
            sheets["Clusters"].append([c.name, q.key, d.n, *d.counts, _num(d.mean), _num(d.sd)])
            rel = c.reliability[q.key]
            scale = rel.scale_floor_ceiling
            figures = [_num(rel.alpha), _num(rel.omega), None, None]
            sheets["Validation"].append(
                [c.name, q.key, rel.n, rel.k, *figures, _num(scale.floor), _num(scale.ceiling), _flags(scale)]
            )
            items = [k for k in book.skills if k.cluster == c.name]
            for item, r, fc in zip(items, rel.item_total, rel.item_floor_ceiling, strict=True):
                sheets["Validation"].append([c.name, q.key, rel.n, rel.k, None, None, item.code, _num(r),
                                             _num(fc.floor), _num(fc.ceiling), _flags(fc)])  # fmt: skip
    for b in agg.breakdowns:
        for answer, count, means in b.groups:
            values = [SUPPRESSED if means is None else _num(means[q.key]) for q in book.questions]
            shown = SUPPRESSED if count is None else count  # a withheld group's headcount too
            sheets["Breakdown"].append([b.label, answer, shown, *values])


def _write_about(book: AssessmentBook, sheet: SheetRows) -> None:
    rows = [
        ("exported_utc", datetime.now(UTC)),
        ("app_version", book.app_version),
        ("self_assessment", book.title),
        ("code", book.code),
        ("version", book.version),
        ("framework", book.framework),
        ("respondents", len(book.responses)),
        ("takes", N_("Each respondent's latest completed take; earlier takes are not exported.")),
        ("privacy", N_("Anonymous: respondents are numbered, no personal code or identity is exported. "
         "Breakdown groups under %(min)s respondents are suppressed, with as many others as it takes "
         "that none can be recovered from the overall figures.", min=PRIVACY_MIN_RATERS)),
        ("times", N_("All dates and times are UTC.")),
    ]  # fmt: skip
    for field, value in rows:
        sheet.append([field, value])


def _write_codebook(book: AssessmentBook, sheet: SheetRows, sheets: list[SheetRows]) -> None:
    for s in sheets:
        sheet.append([s.name, "", s.title, SHEET_ROW])
        for c in s.columns:
            sheet.append([s.name, c.header, c.label, c.doc])
    for q in book.questions:
        for level, anchor in enumerate(q.anchors, 1):
            meaning = N_("%(key)s: %(prompt)s", key=q.key, prompt=Text(q.prompt, {}))
            sheet.append(["Responses", "value", "", meaning, level,
                          N_("%(anchor)s (default anchor)", anchor=Text(anchor, {}))])  # fmt: skip
    for pq in book.profile_questions:
        fewer = N_("fewer than %(min)s respondents gave this answer", min=PRIVACY_MIN_RATERS)
        sheet.append(["Breakdown", "answer", "", f"{pq['label']}: {SUPPRESSED}", SUPPRESSED, fewer])


FREEZE = {"Responses": "B2", "Matrix": "B2"}


def write_assessment_workbook(
    book: AssessmentBook, out: BinaryIO | str, translate: Callable[[str], str] = str
) -> None:
    """Write the workbook; headers, sheet titles and notes in `translate`'s language."""
    with XlsxBuilder(translate) as builder:
        sheets = {name: builder.add_sheet(name, columns, FREEZE.get(name, "A2"))
                  for name, columns in _columns(book).items()}  # fmt: skip
        _write_about(book, sheets["About"])
        _write_data(book, sheets)
        _write_aggregates(book, sheets)
        _write_codebook(book, sheets["Codebook"], builder.sheets)
        builder.save(out)
