"""Results workbook: every sheet read back with openpyxl and compared with the input data."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from analysis import ConsensusRule, meeting_figures, round_change, suggest_action, summarize
from domain.export_data import Decision, RatingRow
from domain.workbook import write_workbook
from tests.fixtures.export_factories import (
    T0,
    column_names,
    export,
    make_comment,
    make_data,
    make_people,
    make_session,
    make_skill,
    make_votes,
    records,
)

CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
SHEETS = [
    "Report", "About", "Summary", "Figures", "Rounds", "Ratings", "Matrix", "Comments", "Participants",
    "Codebook", "Charts",
]  # fmt: skip
REL_COM = [4, 4, 3, None, 2]
ESS_COM = [3, 3, 2, 3, None]


def one_session_data(full=False, **session_overrides):
    session = make_session(
        decisions={"COM": Decision("keep", "strong support", "Facilitator One", T0)},
        rounds={"COM": 2},  # COM was re-voted
        **session_overrides,
    )
    people = make_people("S1", ["university", "industry", "university", "public", "industry", "public"])
    ratings = [
        *make_votes("S1", "COM", "relevance", [1, 1, 1, 1, 1]),  # round 1, replaced by round 2
        *make_votes("S1", "COM", "relevance", REL_COM, round=2),
        *make_votes("S1", "COM", "essentiality", ESS_COM, round=2),
        *make_votes("S1", "NEG", "relevance", [2, 1]),
    ]
    comments = [make_comment("S1", "P02", "COM", "Clear, keep it.", language="en"),
                make_comment("S1", "P04", "COM", "Essential for teams.", state="starred", language="en"),
                make_comment("S1", "P03", "NEG", "Too vague", state="hidden", language="pl")]  # fmt: skip
    data = make_data([session], iter(people), iter(ratings), iter(comments))
    return replace(data, full_profiles=full), people, ratings


def test_sheets_have_frozen_filtered_headers_and_widths():
    data, _, _ = one_session_data()
    wb = export(data)
    assert wb.sheetnames == SHEETS
    frozen = {"Report": "C2", "About": "C2", "Summary": "F2", "Figures": "C2", "Rounds": "E2",
              "Ratings": "D2", "Matrix": "D2", "Comments": "E2", "Participants": "D2", "Codebook": "C2",
              "Charts": "C2"}  # fmt: skip
    for ws in wb.worksheets:
        assert ws.freeze_panes == frozen[ws.title], ws.title
        # prints readably: landscape A4, one page wide, the header row on every page
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.column_dimensions["A"].width > 0
        assert all(cell.font.b for cell in ws[1]), ws.title


def test_ratings_sheet_is_one_row_per_rating_with_profile_and_utc_times():
    data, people, ratings = one_session_data(full=True)  # the full export: profiles intact
    rows = records(export(data)["Ratings"])
    sectors = {p.pseudonym: p.profile["sector"] for p in people}
    assert rows == [
        {
            "session": "S1", "session_name": "Kraków, PL, 2026-05-04", "pseudonym": r.pseudonym,
            "profile_sector": sectors[r.pseudonym],
            "skill_code": r.skill_code, "skill_name": f"Skill {r.skill_code}",
            "criterion": r.criterion_key, "value": r.value,
            "cant_judge": int(r.value is None), "round": r.round,
            "current": int(r.skill_code != "COM" or r.round == 2),
            "first_given_utc": r.first_at.replace(tzinfo=None),
            "last_changed_utc": r.last_at.replace(tzinfo=None),
            "language": None,  # not recorded (ratings made before phones said what they showed)
        }
        for r in ratings
    ]  # fmt: skip


def test_aware_datetimes_are_written_as_naive_utc_with_a_date_format():
    cest = timezone(timedelta(hours=2))
    local = datetime(2026, 5, 4, 11, 30, tzinfo=cest)
    rating = RatingRow("S1", "P01", "COM", "relevance", 3, 1, local, local)
    wb = export(make_data([make_session()], make_people("S1", ["public"]), [rating]))
    cell = wb["Ratings"]["L2"]
    assert cell.value == datetime(2026, 5, 4, 9, 30)
    assert cell.number_format == "yyyy-mm-dd hh:mm:ss"


def test_participants_and_comments_sheets():
    data, people, _ = one_session_data(full=True)
    wb = export(data)
    assert records(wb["Participants"]) == [
        {"session": "S1", "session_name": "Kraków, PL, 2026-05-04", "pseudonym": p.pseudonym,
         "profile_sector": p.profile["sector"],
         "joined_utc": T0.replace(tzinfo=None), "consent_utc": p.consent_at.replace(tzinfo=None)}
        for p in people
    ]  # fmt: skip
    created = (T0 + timedelta(hours=1)).replace(tzinfo=None)
    assert records(wb["Comments"]) == [
        {"session": "S1", "session_name": "Kraków, PL, 2026-05-04", "skill_code": "COM",
         "skill_name": "Skill COM", "pseudonym": "P02",
         "text": "Clear, keep it.", "created_utc": created, "state": "visible", "language": "en"},
        {"session": "S1", "session_name": "Kraków, PL, 2026-05-04", "skill_code": "COM",
         "skill_name": "Skill COM", "pseudonym": "P04",
         "text": "Essential for teams.", "created_utc": created, "state": "starred", "language": "en"},
        {"session": "S1", "session_name": "Kraków, PL, 2026-05-04", "skill_code": "NEG",
         "skill_name": "Skill NEG", "pseudonym": "P03",
         "text": "Too vague", "created_utc": created, "state": "hidden", "language": "pl"},
    ]  # fmt: skip


def test_matrix_has_current_round_values_and_empty_cells_for_cant_judge():
    data, people, _ = one_session_data()
    rows = records(export(data)["Matrix"])
    assert list(rows[0]) == [
        "session", "session_name", "pseudonym", "profile_sector",
        "COM_relevance", "COM_essentiality", "NEG_relevance", "NEG_essentiality",
    ]  # fmt: skip
    assert [r["pseudonym"] for r in rows] == [p.pseudonym for p in people]
    assert [r["COM_relevance"] for r in rows] == [*REL_COM, None]  # round 2, not round 1
    assert [r["COM_essentiality"] for r in rows] == [*ESS_COM, None]
    assert [r["NEG_relevance"] for r in rows] == [2, 1, None, None, None, None]
    assert all(r["NEG_essentiality"] is None for r in rows)


def test_summary_matches_analysis_and_carries_action_and_decision():
    data, _, _ = one_session_data()
    rows = [r for r in records(export(data)["Summary"]) if not r["segment"]]
    assert [(r["skill_code"], r["criterion"]) for r in rows] == [
        ("COM", "relevance"),
        ("COM", "essentiality"),
        ("NEG", "relevance"),
        ("NEG", "essentiality"),
    ]
    assert "sessions_disagree" not in rows[0]  # merged-only column
    rule = ConsensusRule(agree_pct=0.75, iqr_max=1.0)
    rel = summarize(REL_COM, scale_min=1, scale_max=4, measure="relevance", rule=rule)
    ess = summarize(ESS_COM, scale_min=1, scale_max=3, measure="essentiality", rule=rule)
    action = suggest_action({"relevance": rel, "essentiality": ess})
    expected = rel.to_dict()
    row = rows[0]
    assert (row["session"], row["segment"], row["round"]) == ("S1", None, 2)
    assert (row["participants"], row["answered"], row["abstained"], row["not_answered"]) == (6, 4, 1, 1)
    assert [row[f"count_{p}"] for p in range(1, 5)] == [0, 1, 1, 2]
    for key in ("median", "q1", "q3", "iqr", "mean", "sd", "i_cvi", "k_star", "k_band", "rwg",
                "consensus", "consensus_detail"):  # fmt: skip
        assert row[key] == expected[key], key
    assert row["i_cvi_passes"] == int(expected["i_cvi_passes"])
    assert row["flags"] == "; ".join(expected["flags"])
    assert row["suggested_action"] == action.action
    assert row["suggested_reasons"] == " | ".join(action.reasons)
    assert (row["decision_action"], row["decision_reason"]) == ("keep", "strong support")
    assert rows[1]["cvr"] == ess.to_dict()["cvr"] and rows[1]["count_4"] is None
    neg = rows[3]  # nobody rated NEG essentiality: a row of zeros, not an error
    assert (neg["answered"], neg["not_answered"], neg["consensus"]) == (0, 6, "too_few")
    assert neg["decision_action"] is None


def test_about_records_provenance_rule_and_criteria():
    data, _, _ = one_session_data()
    about = {(r["session"], r["field"]): r["value"] for r in records(export(data)["About"])}
    assert about[("(export)", "exported_utc")] == (T0 + timedelta(days=1)).replace(tzinfo=None)
    assert about[("(export)", "app_version")] == "1.2.3"
    for field, value in [("title", "Workshop S1"), ("place", "Kraków"), ("country", "PL"),
                         ("language", "pl"), ("facilitator", "Facilitator One"),
                         ("framework", "KT soft skills"), ("framework_version", 2),
                         ("pacing", "facilitator"), ("anonymity", "pseudonymous"),
                         ("participants", 6), ("rule.agree_pct", 0.75), ("rule.iqr_max", 1)]:  # fmt: skip
        assert about[("S1", field)] == value, field
    assert about[("S1", "date")] == datetime(2026, 5, 4)
    assert "type 7" in about[("(export)", "quantiles")]
    assert "current round" in about[("(export)", "rounds")]
    assert about[("S1", "consensus_rule")] == ConsensusRule().describe()
    assert about[("S1", "criterion.relevance")] == (
        "Relevance; measures relevance; scale 1-4; 1 = Not relevant, 2 = Somewhat relevant, "
        "3 = Quite relevant, 4 = Highly relevant"
    )


def test_unusable_rule_falls_back_to_the_default_and_says_so():
    data, _, _ = one_session_data(rule={"agree_pct": 7})
    about = {(r["session"], r["field"]): r["value"] for r in records(export(data)["About"])}
    assert "default rule used" in about[("S1", "rule_note")]


def test_codebook_explains_every_column_and_code():
    data, _, _ = one_session_data()
    wb = export(data)
    book = records(wb["Codebook"])
    described = {(r["sheet"], r["label"] or r["column"]) for r in book if r["code"] is None}
    for ws in wb.worksheets:
        for cell in ws[1]:  # the header as shown: a readable label or the column's name
            assert (ws.title, cell.value) in described, (ws.title, cell.value)
    assert all(r["meaning"] for r in book if r["code"] is None)
    codes = {(r["sheet"], r["column"], r["code"]): r["code_meaning"] for r in book}
    assert codes[("Ratings", "value", 4)] == "Highly relevant"
    assert codes[("Ratings", "value", 3)] in ("Quite relevant", "Essential")
    assert ("Ratings", "cant_judge", 1) in codes and ("Comments", "state", "starred") in codes
    for code in ("consensus", "consensus_against", "no_consensus", "too_few"):
        assert ("Summary", "consensus", code) in codes
    for code in ("keep", "revise", "discuss", "remove_candidate", "undecided"):
        assert ("Summary", "suggested_action", code) in codes


def chart_parts(data):
    out = io.BytesIO()
    write_workbook(data, out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    with zipfile.ZipFile(out) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        charts = sorted(names, key=lambda n: int(n.removeprefix("xl/charts/chart").removesuffix(".xml")))
        roots = [ElementTree.fromstring(archive.read(n)) for n in charts]
    return wb, roots


def _title(root):
    return "".join(t.text for t in root.find("c:chart/c:title", CHART_NS).iterfind(".//{*}t"))


def test_charts_sheet_has_a_data_table_and_native_bar_charts():
    data, _, _ = one_session_data()
    wb, roots = chart_parts(data)
    table = records(wb["Charts"])
    assert [(r["skill_code"], r["median_relevance"]) for r in table] == [("COM", 3.5), ("NEG", 1.5)]
    assert [table[0][f"relevance_{p}"] for p in range(1, 5)] == [0, 1, 1, 2]
    # N and can't judge are in the label and in the chart: one rater must not look like twelve
    assert table[0]["label_relevance"] == "COM (n 4, 1 can't judge)" and table[0]["relevance_cant_judge"] == 1
    assert table[1]["label_relevance"] == "NEG (n 2)"
    assert len(roots) == 4  # per criterion: medians on its own axis, and the answers
    assert all(root.find(".//c:barChart", CHART_NS) is not None for root in roots)
    titles = [_title(r) for r in roots]
    assert titles == [
        "Median per skill: Relevance (1-4)", "Answers per skill: Relevance (number of people)",
        "Median per skill: Essential? (1-3)", "Answers per skill: Essential? (number of people)",
    ]  # fmt: skip
    scaling = [r.find(".//c:valAx/c:scaling", CHART_NS) for r in (roots[0], roots[2])]
    axis = [
        (float(x.find("c:min", CHART_NS).get("val")), float(x.find("c:max", CHART_NS).get("val")))
        for x in scaling
    ]
    assert axis == [(1, 4), (1, 3)]  # each criterion on its own scale
    formulas = [f.text for f in roots[1].iterfind(".//c:f", CHART_NS)]
    assert formulas[:2] == ["'Charts'!$C$2:$C$3", "'Charts'!$E$2:$E$3"]  # labels with N, then count of 1s
    assert roots[1].find(".//c:grouping", CHART_NS).get("val") == "stacked"  # counts, not shares
    legend = [t.text for t in roots[1].iterfind(".//c:tx//c:v", CHART_NS)]
    assert legend == ["Not relevant", "Somewhat relevant", "Quite relevant", "Highly relevant", "can't judge"]
    fills = [f.get("val") for f in roots[1].iterfind(".//c:ser/c:spPr/{*}solidFill/{*}srgbClr", CHART_NS)]
    blues = fills[:4]
    assert blues == sorted(blues, reverse=True) and fills[4] == "BFBFBF"  # light to dark, then grey
    assert wb["Charts"].row_breaks.count == 4  # each chart prints whole on its own page


def test_merged_charts_add_a_median_per_country():
    data, _ = merged_data()
    data = replace(
        data, sessions=(data.sessions[0], replace(data.sessions[1], country="DE"), data.sessions[2])
    )
    wb, roots = chart_parts(data)
    table = {r["skill_code"]: r for r in records(wb["Charts"])}
    assert table["COM"]["median_relevance_PL"] == 4  # S1 4, 4, 3, 4 and S3 4, 3
    assert table["COM"]["median_relevance_DE"] == 1  # S2 1, 2, 1
    titles = [_title(r) for r in roots]
    assert "Median per skill and country: Relevance (1-4)" in titles


def test_empty_session_exports_a_valid_workbook_without_data_rows():
    wb = export(make_data([make_session(skills=())]))
    assert wb.sheetnames == SHEETS
    for title in ("Summary", "Ratings", "Matrix", "Comments", "Participants", "Charts"):
        assert wb[title].max_row == 1, title
    assert records(wb["About"])  # provenance is still there


def test_session_without_votes_lists_its_items_with_zero_counts():
    wb = export(make_data([make_session()]))
    rows = [r for r in records(wb["Summary"]) if not r["segment"]]
    assert len(rows) == 4 and {r["answered"] for r in rows} == {0}
    assert {r["suggested_action"] for r in rows} == {"undecided"}
    assert wb["Ratings"].max_row == 1 and wb["Matrix"].max_row == 1


def test_a_rating_off_the_scale_is_reported_not_fatal():
    ratings = make_votes("S1", "COM", "relevance", [4, 9])
    wb = export(make_data([make_session()], make_people("S1", ["public", "public"]), ratings))
    row = records(wb["Summary"])[0]
    assert row["answered"] == 2 and row["median"] is None
    assert row["consensus_detail"].startswith("not computed:")


def merged_data():
    s1 = make_session("S1", skills=("COM", "NEG"))
    s2 = make_session("S2", skills=("COM", "TEA"), rule={"agree_pct": 0.8})
    s3 = make_session("S3", skills=(make_skill("COM", definition="Reworded."), "NEG"))
    people = [
        *make_people("S1", ["university", "university", "industry", "public"]),
        *make_people("S2", ["university", "industry", "industry"]),
        *make_people("S3", ["university", "public", "public"]),
    ]
    ratings = [
        *make_votes("S1", "COM", "relevance", [4, 4, 3, 4]),
        *make_votes("S2", "COM", "relevance", [1, 2, 1]),
        *make_votes("S3", "COM", "relevance", [4, None, 3]),
        *make_votes("S1", "NEG", "relevance", [3, 3, 3, 3]),
        *make_votes("S2", "TEA", "relevance", [2, 2, 2]),
    ]
    return make_data([s1, s2, s3], people, ratings), people


def test_merged_export_pools_sessions_and_lists_what_does_not_match():
    data, _ = merged_data()
    wb = export(data)
    rows = records(wb["Summary"])
    com = [r for r in rows if r["skill_code"] == "COM" and r["criterion"] == "relevance"]
    assert [(r["session"], r["segment"]) for r in com][:4] == [
        ("S1", None),
        ("S2", None),
        ("S3", None),
        ("ALL", None),
    ]
    pooled = com[3]
    expected = summarize([4, 4, 3, 4, 1, 2, 1, 4, None, 3], scale_min=1, scale_max=4,
                         measure="relevance", rule=ConsensusRule()).to_dict()  # fmt: skip
    assert (pooled["participants"], pooled["answered"], pooled["abstained"]) == (10, 9, 1)
    assert pooled["median"] == expected["median"] and pooled["i_cvi"] == expected["i_cvi"]
    assert pooled["sessions_disagree"] == 1  # S1 consensus, S2 consensus against
    assert pooled["wording_differs"] == 1
    assert com[1]["consensus_detail"].endswith("(needs 80%), IQR 0.5 (max 1)")  # S2's own rule
    neg = [r for r in rows if r["skill_code"] == "NEG" and r["criterion"] == "relevance"]
    assert [r["session"] for r in neg if not r["segment"]] == ["S1", "S3", "ALL"]
    assert {r["session"] for r in rows if r["skill_code"] == "TEA"} == {"S2", "ALL"}
    mismatch = [r["value"] for r in records(wb["About"]) if r["session"] == "ALL"]
    assert "NEG: in S1, S3; not in S2" in mismatch
    assert "TEA: in S2; not in S1, S3" in mismatch
    assert "COM: 2 versions" in mismatch
    assert any("pooled rows use S1's rule" in m for m in mismatch)
    matrix = records(wb["Matrix"])
    assert len(matrix) == 10 and "TEA_relevance" in matrix[0]
    assert [r["TEA_relevance"] for r in matrix if r["session"] == "S1"] == [None] * 4


def test_segments_with_fewer_than_three_raters_are_suppressed():
    data, people = merged_data()
    rows = records(export(replace(data, full_profiles=True))["Summary"])
    com = {r["segment"]: r for r in rows
           if r["skill_code"] == "COM" and r["criterion"] == "relevance" and r["segment"]}  # fmt: skip
    assert set(com) == {"sector=university", "sector=industry", "sector=public"}
    university = com["sector=university"]  # S1 P01, P02; S2 P01; S3 P01: 4, 4, 1, 4
    expected = summarize([4, 4, 1, 4], scale_min=1, scale_max=4, measure="relevance").to_dict()
    assert (university["session"], university["answered"]) == ("ALL", 4)
    assert university["median"] == expected["median"] and university["participants"] == 4
    public = com["sector=public"]  # S1 P04 = 4, S3 P02 can't judge, P03 = 3: two valid
    numeric = ["participants", "answered", "abstained", "median", "i_cvi", "count_4", "consensus"]
    assert all(public[key] == "suppressed (<3)" for key in numeric)
    assert not any(isinstance(v, int | float) for v in public.values())
    # industry has three raters (S1 P03 = 3, S2 P02 = 2, P03 = 1) but is withheld too:
    # otherwise ALL - university - industry would give public's ratings exactly
    industry = com["sector=industry"]
    assert industry["answered"] == "suppressed (<3)"
    ws = export(replace(data, full_profiles=True))["Summary"]  # segments fold under their ALL row
    levels = {r[2].value: ws.row_dimensions[r[0].row].outline_level for r in ws.iter_rows(min_row=2)}
    assert levels["sector=public"] == 1 and levels[None] == 0
    assert ws.sheet_format.outlineLevelRow == 1 and ws.sheet_properties.outlinePr.summaryBelow is False


@pytest.mark.parametrize("out_kind", ["path", "stream"])
def test_write_to_a_path_or_a_stream(tmp_path, out_kind):
    data, _, _ = one_session_data()
    path = tmp_path / "results.xlsx"
    if out_kind == "path":
        write_workbook(data, str(path))
    else:
        with open(path, "wb") as fh:
            write_workbook(data, fh)
    assert zipfile.is_zipfile(path)


def test_a_skill_nobody_could_judge_is_sent_back_for_a_clearer_definition():
    ratings = make_votes("S1", "NEG", "relevance", [None] * 4) + make_votes(
        "S1", "NEG", "essentiality", [3] * 4
    )
    data = make_data([make_session()], make_people("S1", ["public"] * 4), ratings)
    rows = [r for r in records(export(data)["Summary"]) if r["skill_code"] == "NEG" and not r["segment"]]
    assert {r["suggested_action"] for r in rows} == {"clarify"}
    assert rows[0]["abstained"] == 4 and "no one could judge" in rows[0]["suggested_reasons"]


def test_figures_sheet_per_session_and_pooled_with_n_and_method():
    ratings = [
        *make_votes("S1", "COM", "relevance", [4, 4, 3]),
        *make_votes("S1", "NEG", "relevance", [2, 4, None]),
        *make_votes("S2", "COM", "relevance", [4, 3, 4, 4]),
        *make_votes("S2", "NEG", "relevance", [1, 2, 4, 3]),
    ]
    people = make_people("S1", ["public"] * 3) + make_people("S2", ["public"] * 4)
    data = make_data([make_session("S1"), make_session("S2")], people, ratings)
    rows = [r for r in records(export(data)["Figures"]) if r["criterion"] == "relevance"]
    got = {(r["session"], r["figure"]): r for r in rows}
    s1 = meeting_figures([[4, 4, 3], [2, 4, None]], measure="relevance", scale_min=1, scale_max=4)
    assert got[("S1", "S-CVI/Ave")]["value"] == pytest.approx(s1.s_cvi_ave)
    assert got[("S1", "alpha (ordinal)")]["value"] == pytest.approx(s1.alpha)
    assert got[("S1", "ICC(2,k)")]["raters"] == 2  # P03 said "can't judge" on NEG
    assert got[("S1", "S-CVI/Ave")]["session_name"] == "Workshop S1, Kraków, PL"
    pooled = meeting_figures(
        [[4, 4, 3, 4, 3, 4, 4], [2, 4, None, 1, 2, 4, 3]], measure="relevance", scale_min=1, scale_max=4
    )
    assert got[("ALL", "S-CVI/UA")]["value"] == pytest.approx(pooled.s_cvi_ua)
    assert got[("ALL", "ICC(2,1)")]["value"] == pytest.approx(pooled.icc_21)
    assert got[("ALL", "alpha (ordinal)")]["ratings"] == 13
    assert all(r["method"] for r in rows)
    essentiality = [r["figure"] for r in records(export(data)["Figures"]) if r["criterion"] == "essentiality"]
    assert "S-CVI/Ave" not in essentiality and "ICC(2,k)" in essentiality


def report(wb):
    """Report rows as {(skill, session): {topic: words}}, in order."""
    out = {}
    for r in records(wb["Report"]):
        out.setdefault((r["Skill"], r["Session"]), {})[r["Topic"]] = r["In words"]
    return out


def test_report_says_per_skill_in_plain_words_what_the_figures_say():
    data, _, _ = one_session_data()
    wb = export(data)
    assert wb.sheetnames[0] == "Report"
    rows = report(wb)
    where = "Workshop S1, Kraków, PL, 2026-05-04"  # named, never only by the code
    assert list(rows) == [("COM Skill COM", where), ("NEG Skill NEG", where)]
    com = rows[("COM Skill COM", where)]
    assert com["Participants"] == "6"
    rule = ConsensusRule(agree_pct=0.75, iqr_max=1.0)
    rel = summarize(REL_COM, scale_min=1, scale_max=4, measure="relevance", rule=rule)
    ess = summarize(ESS_COM, scale_min=1, scale_max=3, measure="essentiality", rule=rule)
    assert com["Relevance"] == (
        f"4 rated, 1 could not judge; median {rel.median:g} (IQR {rel.iqr:g}); 75% rate 3-4; "
        f"I-CVI 0.75, below the 1.00 cut-off for 4 raters; k* {rel.k_star:.2f} ({rel.k_band})"
    )
    ess_text = '4 rated, 1 could not judge; median 3 (IQR 0.25); 75% answer "Essential"'
    assert com["Essential?"].startswith(ess_text)
    assert "CVR 0.50, too few raters to test it (5 needed)" in com["Essential?"]
    assert (rel.consensus, ess.consensus) == ("no_consensus", "consensus")
    assert com["Consensus"] == "Relevance: no consensus; Essential?: consensus for (top band)"
    action = suggest_action({"relevance": rel, "essentiality": ess})
    assert com["Suggested action"] == f"{action.label}. Why: {' | '.join(action.reasons)}"
    assert com["Decision"] == "Keep. Reason: strong support"
    assert com["Starred comments"] == "Essential for teams."  # the visible one is not starred
    neg = rows[("NEG Skill NEG", where)]
    assert neg["Essential?"] == "nobody rated it" and neg["Decision"] == "none recorded yet"
    assert "Starred comments" not in neg


def test_merged_report_puts_the_pooled_row_first_and_names_each_session():
    data, _ = merged_data()
    rows = [
        (where, topics) for (skill, where), topics in report(export(data)).items() if skill.startswith("COM")
    ]
    assert [where for where, _ in rows] == [
        "All 3 sessions pooled", "Workshop S1, Kraków, PL, 2026-05-04", "Workshop S2, Kraków, PL, 2026-05-04",
        "Workshop S3, Kraków, PL, 2026-05-04",
    ]  # fmt: skip
    pooled = rows[0][1]
    assert pooled["Participants"] == "10" and pooled["Relevance"].startswith("9 rated, 1 could not judge")
    assert "Decision" not in pooled  # decisions are taken per session


def test_rounds_sheet_puts_each_revoted_round_side_by_side_with_its_stability():
    data, _, _ = one_session_data()
    sheet = export(data)["Rounds"]
    rows = records(sheet)
    assert {(r["skill_code"], r["criterion"]) for r in rows} == {
        ("COM", "relevance"),
        ("COM", "essentiality"),
    }
    rel = [r for r in rows if r["criterion"] == "relevance"]
    assert [(r["round"], r["current"]) for r in rel] == [(1, 0), (2, 1)]
    first, second = rel
    r1 = summarize([1, 1, 1, 1, 1], scale_min=1, scale_max=4, measure="relevance")
    r2 = summarize(REL_COM, scale_min=1, scale_max=4, measure="relevance")
    assert (first["answered"], first["median"], first["iqr"]) == (5, r1.median, r1.iqr)
    assert (second["answered"], second["abstained"], second["median"]) == (4, 1, r2.median)
    assert first["paired"] is None and first["stable"] is None
    # paired: P01, P02, P03, P05 rated both (P04 could not judge in round 2); all four changed
    change = round_change(dict(enumerate([1, 1, 1, 1, 1])), dict(enumerate(REL_COM)))
    assert second["paired"] == change.n_paired == 4
    assert second["share_changed"] == pytest.approx(1 - change.share_unchanged) == 1
    assert second["net_change"] == pytest.approx(change.net_change) and second["stable"] == 0
    assert sheet["O3"].number_format == "0%"  # shares as percentages


def test_ratings_keep_the_language_shown_and_about_lists_the_languages_used():
    """Issue 14: each rating says what language the phone showed the skill in; the About sheet
    counts the languages of the ratings and of the comments."""
    data, _, ratings = one_session_data()
    shown = [replace(r, language=("pl" if i % 2 else "it")) for i, r in enumerate(ratings)]
    wb = export(replace(data, ratings=shown))
    rows = records(wb["Ratings"])
    assert [r["language"] for r in rows] == [r.language for r in shown]
    about = {row[1]: row[2] for row in wb["About"].iter_rows(min_row=2, values_only=True)}
    n_pl = sum(1 for r in shown if r.language == "pl")
    n_it = len(shown) - n_pl
    assert f"pl ({n_pl:,})" in about["languages_ratings"] and f"it ({n_it:,})" in about["languages_ratings"]
    assert "en (2)" in about["languages_comments"] and "pl (1)" in about["languages_comments"]


def test_summary_headers_are_readable_and_the_codebook_names_them():
    data, _, _ = one_session_data()
    wb = export(data)
    header = next(wb["Summary"].iter_rows(values_only=True))
    assert {"Median", "Interquartile range", "Suggested action", "Can't judge"} <= set(header)
    assert not {"median", "iqr", "suggested_action", "abstained"} & set(header)  # no codes on show
    names = column_names(wb, "Summary")
    assert names["Median"] == "median" and names["Ratings of 4"] == "count_4"
    assert len(set(names.values())) == len(header)  # every header maps to one column name
    assert records(wb["Summary"])[0]["skill_code"] == data.sessions[0].skills[0].code
    ws = wb["Summary"]  # labels wrap between words, in a taller header row, and so print whole
    assert all(cell.alignment.wrap_text for cell in ws[1]) and ws.row_dimensions[1].height >= 30
    for cell in ws[1]:
        longest = max(len(word) for word in cell.value.split())
        assert ws.column_dimensions[cell.column_letter].width >= longest + 2, cell.value
