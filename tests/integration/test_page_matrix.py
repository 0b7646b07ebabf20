"""Every facilitator, projector and phone page, for every kind of session it can show.

Sessions are built from each criterion preset and from all of them together, in every state, with
and without a second round, with and without comments. Each page must answer 200 and show the
figures that matter for its criteria: N and the median everywhere, I-CVI for relevance and clarity,
CVR for essentiality. Pages drawn by JavaScript are checked through the Socket.IO payload they draw.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from core.extensions import socketio
from domain.scales import PRESETS
from tests.conftest import ack, login

PRESET_SETS = {key: (key,) for key in PRESETS} | {"all presets": tuple(PRESETS)}
# Round 1, five phones: top, top, one below the top, bottom, can't judge.
# Round 2 (the first skill again): top, top, top, one below, top.
ROUND_1 = {k: [p.scale_max, p.scale_max, p.scale_max - 1, p.scale_min, None] for k, p in PRESETS.items()}
ROUND_2 = {
    k: [p.scale_max, p.scale_max, p.scale_max, p.scale_max - 1, p.scale_max] for k, p in PRESETS.items()
}
# (N, median, I-CVI, CVR) worked out by hand from the answers above; None where the figure does not apply.
# Relevance round 1: 3 of 4 valid answers in 3-4 -> I-CVI .75. Essential round 1: 2 of 4 say
# "essential" -> CVR (2 - 4/2) / (4/2) = 0; round 2: 4 of 5 -> (4 - 2.5) / 2.5 = .60.
EXPECTED: dict[str, dict[int, tuple[int, float, float | None, float | None]]] = {
    "relevance": {1: (4, 3.5, 0.75, None), 2: (5, 4, 1.0, None)},
    "importance": {1: (4, 4.5, None, None), 2: (5, 5, None, None)},
    "clarity": {1: (4, 3.5, 0.75, None), 2: (5, 4, 1.0, None)},
    "essentiality": {1: (4, 2.5, None, 0.0), 2: (5, 3, None, 0.6)},
    "appropriateness": {1: (4, 8.5, None, None), 2: (5, 9, None, None)},
}
COMMENTS = {0: "Too broad for one skill.", 3: "Overlaps with teamwork."}
SKILLS = ("COM", "NEG")  # the two skills answered, first to last


# Rounds and comments need answers, so they vary in the live and closed states only; these four
# cases hold every pair of (state, second round, comments) values at least once.
ANSWERED = (("live", False, True), ("live", True, False), ("closed", False, False), ("closed", True, True))


def _cases() -> list[Any]:
    cases = []
    for name, criteria in PRESET_SETS.items():
        for state, revote, comments in (("draft", False, False), ("open", False, False), *ANSWERED):
            tag = f"{name}-{state}{'-revote' if revote else ''}{'-comments' if comments else ''}"
            cases.append(pytest.param(criteria, state, revote, comments, id=tag))
    return cases


def expected(key: str, skill: str, revote: bool) -> tuple[int, float, float | None, float | None]:
    return EXPECTED[key][2 if revote and skill == SKILLS[0] else 1]


class _Tables(HTMLParser):
    """The page's tables as rows of cell texts, with row-spanning cells repeated on each row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._spans: dict[int, tuple[int, str]] = {}  # column -> (rows left, text)
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._rowspan = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self._spans = {}
        elif tag == "tr":
            self._row = []
            self._fill_spans()
        elif tag in ("td", "th"):
            self._cell, self._rowspan = [], int(dict(attrs).get("rowspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            if self._rowspan > 1:
                self._spans[len(self._row)] = (self._rowspan - 1, text)
            self._row.append(text)
            self._fill_spans()
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _fill_spans(self) -> None:
        assert self._row is not None
        while len(self._row) in self._spans:
            left, text = self._spans[len(self._row)]
            self._row.append(text)
            if left == 1:
                del self._spans[len(self._row) - 1]
            else:
                self._spans[len(self._row) - 1] = (left - 1, text)


def tables(html: str) -> list[list[dict[str, str]]]:
    """Each table as a list of rows keyed by the header row's texts."""
    parser = _Tables()
    parser.feed(html)
    return [[dict(zip(t[0], row, strict=False)) for row in t[1:]] for t in parser.tables if t]


def number(text: str) -> float | None:
    return None if text in ("", "–") else float(text)


def page(client: Any, url: str, *texts: str) -> str:
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, f"{url} answered {response.status_code}:\n{html[:2000]}"
    for text in texts:
        assert text in html, f"{url} does not show {text!r}"
    return html


@pytest.mark.parametrize(("criteria", "state", "revote", "comments"), _cases())
def test_every_page_for_every_kind_of_session(app, client, make_meeting, criteria, state, revote, comments):
    answered = state in ("live", "closed")
    meeting = make_meeting(
        state=state,
        criteria=criteria,
        values={k: ROUND_1[k] for k in criteria},
        skills=len(SKILLS),
        second_round={k: ROUND_2[k] for k in criteria} if revote else None,
        comments=COMMENTS if comments else None,
        profiles=[{"sector": "University"}] * 3 + [{"sector": "Business"}] * 2,
    )
    session, code = meeting.session, meeting.session.code
    labels = [PRESETS[k].label for k in criteria]
    login(client, session.facilitator)

    page(client, "/f/", session.title, code)
    page(client, f"/f/sessions/{code}", code, session.title)
    page(client, f"/f/sessions/{code}/projector", code, session.title)
    page(client, "/f/export", code)
    if len(criteria) > 1:  # the workbook's content is tested in test_spreadsheets; here only that it comes
        export = client.get(f"/f/sessions/{code}/export.xlsx")
        assert export.status_code == 200 and export.data[:2] == b"PK"

    results = page(client, f"/f/sessions/{code}/results", session.title, *labels)
    rows = {(r["Skill"].split()[0], r["Criterion"]): r for r in tables(results)[0]}
    compare = page(client, f"/f/sessions/{code}/compare", *(labels if answered else ()))
    pooled = {
        (r["Skill"].split()[0], r["Criterion"]): r["Pooled"] for r in tables(compare)[0] if "Pooled" in r
    }
    for key, label in zip(criteria, labels, strict=True):
        for skill in SKILLS:
            row = rows[(skill, label)]
            if not answered:
                assert row["N"] == "0" and number(row["Median"]) is None, row
                continue
            n, median, i_cvi, cvr = expected(key, skill, revote)
            assert (int(row["N"]), number(row["Median"])) == (n, median), (skill, row)
            cvr_text, _, caveat = row["CVR"].partition(" ")  # a re-voted CVR carries a caveat
            assert (number(row["I-CVI"]), number(cvr_text)) == (i_cvi, cvr), (skill, row)
            revoted_cvr = revote and skill == SKILLS[0] and cvr is not None
            assert ("assumes independent votes" in caveat) == revoted_cvr, (skill, row)
            assert row["Can't judge"] == ("0" if revote and skill == SKILLS[0] else "1"), row
            cell = pooled[(skill, label)]
            assert cell.endswith(f"({n})") and float(cell.split(" · ")[0]) == median, cell
    figures = {r["Criterion"]: r for r in tables(results)[1]}
    for label in labels:
        assert figures[label]["Raters"] == str(5 if answered and revote else 4 if answered else 0)
    # Movement between rounds: the re-voted skill's median per round (services/movement.py).
    moved = [r for r in tables(results)[2:] if r and "Net change" in r[0]] if answered and revote else []
    assert len(moved) == (1 if answered and revote else 0)
    for key, label in zip(criteria, labels, strict=True):
        for round_ in (1, 2) if moved else ():
            row = next(r for r in moved[0] if r["Criterion"] == label and r["Round"] == str(round_))
            n, median, _i_cvi, _cvr = EXPECTED[key][round_]
            assert row["Skill"].split()[0] == SKILLS[0]
            assert (int(row["N"]), number(row["Median"])) == (n, median)

    page(client, f"/f/sessions/{code}/edit", session.title)

    dashboard = _facilitator_sync(app, client, code, "dashboard")
    assert dashboard["session"]["state"] == state
    _check_live_figures(dashboard["session"], dashboard["results"], criteria, revote, answered)
    assert [c["text"] for c in dashboard["comments"]] == (list(COMMENTS.values()) if comments else [])
    # The room sees how many answered each skill, and results only once revealed (the first skill).
    projector = _facilitator_sync(app, client, code, "projector")
    assert projector["session"]["state"] == state
    shown = SKILLS[:1] if answered else ()
    _check_live_figures(projector["session"], projector["results"], criteria, revote, answered, skills=shown)
    assert len(projector["results"]) == len(shown)
    counts = [set(p["answered"].values()) for p in projector["progress"]]
    assert counts[: len(SKILLS)] == [{len(ROUND_1[criteria[0]]) if answered else 0}] * len(SKILLS)
    assert all(c == {0} for c in counts[len(SKILLS) :])

    phone = app.test_client()
    page(phone, "/")
    join_text = {"draft": "not opened yet", "open": "I agree", "live": "I agree", "closed": "ended"}[state]
    page(phone, f"/j/{code}", join_text)
    for index, token in list(enumerate(meeting.tokens))[::4]:  # one who commented, one who did not
        phone.set_cookie(f"sb_p_{code}", token)
        page(phone, f"/s/{code}", f"P{index + 1:02d}", session.title)
        mine = _phone_sync(app, phone, token)
        assert mine["session"]["state"] == state
        first = str(mine["session"]["items"][0]["skill_id"])
        if answered:
            _check_live_figures(
                mine["session"], mine["results"], criteria, revote, answered, skills=SKILLS[:1]
            )
            assert mine["answers"][first]["comment"] == (COMMENTS.get(index, "") if comments else "")
        else:
            assert mine["results"] == [] and mine["answers"] == {}


def _check_live_figures(session, results, criteria, revote, answered, skills=SKILLS):
    by_skill = {i["skill_id"]: i["code"] for i in session["items"]}
    by_code = {by_skill[r["skill_id"]]: r for r in results}
    for skill in skills:
        entry = by_code[skill]
        assert entry["round"] == (2 if revote and skill == SKILLS[0] else 1)
        for c in session["criteria"]:
            s = entry["criteria"][str(c["id"])]
            if not answered:
                assert (s["n"], s["median"]) == (0, None)
                continue
            n, median, i_cvi, cvr = expected(c["key"], skill, revote)
            assert (s["n"], s["median"], s["i_cvi"], s["cvr"]) == (n, median, i_cvi, cvr), (
                skill,
                c["key"],
                s,
            )
    assert [c["key"] for c in session["criteria"]] == list(criteria)


def _facilitator_sync(app, client, code, view):
    sock = socketio.test_client(
        app, namespace="/facilitator", flask_test_client=client, auth={"code": code, "view": view}
    )
    assert sock.is_connected("/facilitator")
    reply = ack(sock, "sync", {"code": code}, "/facilitator")
    sock.disconnect(namespace="/facilitator")
    assert reply["ok"], reply
    return reply


def _phone_sync(app, client, token):
    sock = socketio.test_client(
        app, namespace="/participant", flask_test_client=client, auth={"token": token}
    )
    assert sock.is_connected("/participant")
    reply = ack(sock, "sync", {}, "/participant")
    sock.disconnect(namespace="/participant")
    assert reply["ok"], reply
    return reply
