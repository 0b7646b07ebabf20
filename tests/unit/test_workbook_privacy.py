"""Suppression that protects: rare profiles hidden row by row, breakdowns safe from differencing.

The attacker holds the default workbook and subtracts: ALL (or the session row) minus every
shown segment of a breakdown. That must never give one withheld segment's figures, and no
participant whose profile answer is rare in their session may be told apart by it.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import replace

import pytest

from analysis import complementary_suppression, segment_breakdown
from domain.export_data import ParticipantRow, ProfileQuestion
from domain.workbook_tally import OTHER, fold_rare
from tests.fixtures.export_factories import (
    T0,
    export,
    make_data,
    make_session,
    make_votes,
    records,
)

SECTORS = ("university", "industry", "public", "ngo")
SECTOR = ProfileQuestion("sector", "Sector", SECTORS)
COUNTS = ["participants", "answered", "abstained", *(f"count_{p}" for p in range(1, 5))]
SUPPRESSED = "suppressed (<3)"


def random_workshop(seed: int, sessions: int):
    """Sessions of 4-12 people with skewed sectors; ratings with can't-judge and gaps."""
    rng = random.Random(seed)
    infos, people, ratings = [], [], []
    for i in range(1, sessions + 1):
        code = f"S{i}"
        infos.append(make_session(code, skills=("COM", "NEG", "TEA"), profile_questions=(SECTOR,),
                                  place=f"Town {i}", country=("PL", "DE", "ES")[i % 3]))  # fmt: skip
        size = rng.randint(4, 12)
        weights = [rng.random() ** 2 for _ in SECTORS]
        sectors = rng.choices(SECTORS, weights, k=size)
        people += [ParticipantRow(code, f"P{n:02d}", {"sector": s}, T0, T0) for n, s in enumerate(sectors, 1)]
        for skill in ("COM", "NEG", "TEA"):
            for key, top in (("relevance", 4), ("essentiality", 3)):
                values = [rng.choice([*range(1, top + 1), None]) for _ in range(size)]
                answered = [v for v in values[: rng.randint(size - 2, size)]]
                ratings += make_votes(code, skill, key, answered)
    return make_data(infos, people, ratings), people


def truth(people):
    return {(p.session_code, p.pseudonym): p.profile["sector"] for p in people}


def attack(rows):
    """Per item: total minus the shown segments, and the withheld segments' labels."""
    items = defaultdict(list)
    for r in rows:
        items[(r["session"], r["skill_code"], r["criterion"])].append(r)
    for (where, skill, criterion), group in items.items():
        total = next((r for r in group if not r["segment"]), None)
        segments = [r for r in group if r["segment"]]
        if total is None or not segments:
            continue
        shown = [r for r in segments if r["answered"] != SUPPRESSED]
        hidden = [r["segment"] for r in segments if r["answered"] == SUPPRESSED]
        remainder = {k: (total[k] or 0) - sum(r[k] or 0 for r in shown) for k in COUNTS}
        yield (where, skill, criterion), remainder, hidden


def total_answered(rows, where, skill, criterion):
    return next(r["answered"] for r in rows if (r["session"], r["skill_code"], r["criterion"], r["segment"])
                == (where, skill, criterion, None))  # fmt: skip


def current_votes(ratings_rows):
    """From the Ratings sheet alone: (session, skill, criterion) -> [(profile, value)]."""
    out = defaultdict(list)
    for r in ratings_rows:
        if r["current"] == 1:
            out[(r["session"], r["skill_code"], r["criterion"])].append((r["profile_sector"], r["value"]))
    return out


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("sessions", [1, 3])
def test_a_differencing_attack_recovers_no_withheld_segment(seed, sessions):
    data, people = random_workshop(seed, sessions)
    wb = export(data)
    summary = records(wb["Summary"])
    votes = current_votes(records(wb["Ratings"]))
    shown_sector = {(r["session"], r["pseudonym"]): r["profile_sector"] for r in records(wb["Participants"])}
    attacked = 0
    for (where, skill, criterion), remainder, hidden in attack(summary):
        sessions_in = [s.code for s in data.sessions] if where == "ALL" else [where]
        # what each withheld segment really holds, from the Ratings sheet (profiles as shown)
        cells = {}
        for label in hidden:
            answer = label.split("=", 1)[1]
            values = [v for s in sessions_in for p, v in votes.get((s, skill, criterion), []) if p == answer]
            holders = sum(1 for (s, _), a in shown_sector.items() if s in sessions_in and a == answer)
            counts = Counter(values)
            cells[label] = {
                "participants": holders,
                "answered": sum(v is not None for v in values),
                "abstained": counts[None],
                **{f"count_{p}": counts[p] for p in range(1, 5)},
            }
        if hidden:
            attacked += 1
            assert remainder["answered"] >= 3 or len(hidden) == len(SECTORS), (where, skill, criterion)
            keys = ["answered", *(f"count_{p}" for p in range(1, 5 if criterion == "relevance" else 4))]
            for label, cell in cells.items():
                if cell["answered"] and cell["answered"] < total_answered(summary, where, skill, criterion):
                    recovered = [remainder[k] for k in keys] == [cell[k] for k in keys]
                    assert not recovered, (where, skill, criterion, label)
    assert attacked or not any(r["answered"] == SUPPRESSED for r in summary)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("sessions", [1, 3])
def test_rare_profiles_are_never_shown_row_by_row(seed, sessions):
    data, people = random_workshop(seed, sessions)
    real = truth(people)
    wb = export(data)
    held = Counter((p.session_code, p.profile["sector"]) for p in people)
    for sheet in ("Participants", "Ratings", "Matrix"):
        rows = records(wb[sheet])
        shown = Counter((r["session"], r["profile_sector"]) for r in rows if sheet != "Ratings")
        for r in rows:
            answer = r["profile_sector"]
            if answer != OTHER:
                assert answer == real[(r["session"], r["pseudonym"])]
                assert held[(r["session"], answer)] >= 3, (sheet, r)
        for (_, answer), n in shown.items():
            assert n >= 3, (sheet, answer, n)  # "other (<3)" too: never one or two people
    listed = records(wb["Participants"])
    for (session, answer), n in held.items():  # a rare answer never appears for that session
        if n < 3:
            assert all(r["profile_sector"] != answer for r in listed if r["session"] == session)


def test_segment_rows_are_recomputed_from_the_ratings_sheet():
    data, _ = random_workshop(3, 3)
    wb = export(data)
    votes = current_votes(records(wb["Ratings"]))
    checked = 0
    for r in records(wb["Summary"]):
        if not r["segment"] or r["answered"] == SUPPRESSED:
            continue
        answer = r["segment"].split("=", 1)[1]
        values = [v for (s, k, c), pairs in votes.items() if k == r["skill_code"] and c == r["criterion"]
                  for p, v in pairs if p == answer]  # fmt: skip
        assert r["answered"] == sum(v is not None for v in values)
        assert r["abstained"] == sum(v is None for v in values)
        checked += 1
    assert checked


def test_the_full_export_keeps_every_profile_and_about_says_so():
    data, people = random_workshop(1, 3)
    full = export(replace(data, full_profiles=True))
    real = truth(people)
    for sheet in ("Participants", "Ratings", "Matrix"):
        assert all(r["profile_sector"] == real[(r["session"], r["pseudonym"])] for r in records(full[sheet]))
    about = {r["field"]: r["value"] for r in records(full["About"]) if r["session"] == "(export)"}
    assert about["profiles"].startswith("FULL")
    protected = export(random_workshop(1, 3)[0])
    about = {r["field"]: r["value"] for r in records(protected["About"]) if r["session"] == "(export)"}
    assert about["profiles"].startswith("protected")


def test_fold_rare_adds_the_next_smallest_answer_until_other_holds_three():
    assert fold_rare({"a": 5, "b": 4, "c": 1}) == {"c", "b"}  # "other" of one would point at c
    assert fold_rare({"a": 5, "b": 2, "c": 1}) == {"b", "c"}
    assert fold_rare({"a": 5, "b": 4}) == set()
    assert fold_rare({"a": 2}) == {"a"}  # nothing left to fold in: all of them are other


def test_complementary_suppression_withholds_a_second_cell():
    valid = {"a": 5, "b": 4, "c": 1}
    answers = {"a": 5, "b": 4, "c": 2}
    assert complementary_suppression(valid, answers) == {"b", "c"}
    assert complementary_suppression({"a": 5, "b": 4}, {"a": 5, "b": 4}) == set()
    # two small cells of 1 + 1 still make fewer than 3 together: a third one goes
    assert complementary_suppression({"a": 5, "b": 1, "c": 1}, {"a": 5, "b": 1, "c": 1}) == {"a", "b", "c"}
    # an empty cell gives nothing away, so it is shown, and it cannot cover another one
    assert complementary_suppression({"a": 5, "b": 4, "c": 2, "d": 0}, {"a": 5, "b": 4, "c": 2, "d": 0}) == {
        "b", "c"}  # fmt: skip
    # ratings in no listed segment (no answer, "other") are mixed into the remainder anyway
    assert complementary_suppression({"a": 5, "b": 4, "c": 2}, {"a": 5, "b": 4, "c": 2}, unlisted=1) == {"c"}


def test_segment_breakdown_without_complementary_suppression_is_the_old_rule():
    rel = {"scale_min": 1, "scale_max": 4, "measure": "relevance"}
    values = {"a": [4, 4, 4, 3], "b": [1, 2]}
    assert segment_breakdown(values, **rel)["a"] is None  # a would give b away
    assert segment_breakdown(values, complementary=False, **rel)["a"] is not None


COUNTRY = ProfileQuestion("country", "Country", ("PL", "FI", "IT"))


def crossed_workshop(seed: int):
    """Two questions each safe alone (every answer held by 3+) whose crossing singles people out."""
    rng = random.Random(seed)
    info = make_session("S1", skills=("COM", "NEG"), profile_questions=(SECTOR, COUNTRY))
    size = rng.randint(6, 16)
    pairs = [(rng.choice(SECTORS[:3]), rng.choice(COUNTRY.options)) for _ in range(size)]
    if seed % 3 == 0:
        pairs[-1] = (pairs[-1][0], "")  # one who left the country blank
    people = [ParticipantRow("S1", f"P{n:02d}", {"sector": s, "country": c}, T0, T0)
              for n, (s, c) in enumerate(pairs, 1)]  # fmt: skip
    ratings = [r for skill in ("COM", "NEG") for r in make_votes("S1", skill, "relevance", [4] * size)]
    return make_data([info], people, ratings), people


def test_the_only_industry_participant_from_finland_cannot_be_picked_out():
    sectors = ["university"] * 5 + ["industry"] + ["industry"] * 5 + ["university"]
    countries = ["PL"] * 5 + ["PL"] + ["FI"] * 5 + ["FI"]  # each answer 6 times; two pairs held by 1
    people = [ParticipantRow("S1", f"P{n:02d}", {"sector": s, "country": c}, T0, T0)
              for n, (s, c) in enumerate(zip(sectors, countries, strict=True), 1)]  # fmt: skip
    info = make_session("S1", skills=("COM",), profile_questions=(SECTOR, COUNTRY))
    wb = export(make_data([info], people, make_votes("S1", "COM", "relevance", [4] * 12)))
    for sheet in ("Participants", "Ratings", "Matrix"):
        rows = records(wb[sheet])
        combos = Counter((r["profile_sector"], r["profile_country"]) for r in rows if sheet != "Ratings")
        assert all(n >= 3 for n in combos.values()), (sheet, combos)
        assert ("industry", "PL") not in combos and ("university", "FI") not in combos


@pytest.mark.parametrize("seed", range(40))
def test_crossing_two_profile_columns_singles_nobody_out(seed):
    data, people = crossed_workshop(seed)
    real = {p.pseudonym: p.profile for p in people}
    rows = records(export(data)["Participants"])
    combos = Counter((r["profile_sector"], r["profile_country"]) for r in rows)
    assert all(n >= 3 for n in combos.values()) or len(rows) < 3, combos
    for key in ("sector", "country"):
        alone = Counter(r[f"profile_{key}"] for r in rows)
        assert all(n >= 3 for n in alone.values()), (key, alone)  # "other (<3)" too
        for r in rows:  # nothing invented: an answer shown is the real one
            assert r[f"profile_{key}"] in (OTHER, real[r["pseudonym"]][key] or None)
