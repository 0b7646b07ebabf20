"""The results page (meeting-level figures, breakdowns) and the comparison of meetings."""

from __future__ import annotations

from services import meeting_stats
from tests.conftest import ack, login

P = "/participant"


def _rate_all(session, phone, values_per_phone, sectors):
    socks = [phone(session, {"sector": sector}) for sector in sectors]
    state = ack(socks[0], "sync", {}, P)["session"]
    criterion = state["criteria"][0]["id"]
    for sock, values in zip(socks, values_per_phone, strict=True):
        for item, value in zip(state["items"], values, strict=False):
            reply = ack(
                sock,
                "submit_rating",
                {"skill_id": item["skill_id"], "criterion_id": criterion, "value": value},
                P,
            )
            assert reply["ok"], reply
    return state


def test_meeting_figures_and_breakdown(make_session, phone, client):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    # Four raters on ten skills: everyone finds every skill relevant except two on skill 1.
    grid = [[4] * 10, [3] * 10, [1] + [4] * 9, [2] + [3] * 9]
    _rate_all(session, phone, grid, ["University", "University", "University", "Business"])
    figure = meeting_stats.meeting_figures(session)[0]
    # I-CVI = 2/4 on skill 1 and 1.0 on nine skills: S-CVI/Ave = (0.5 + 9)/10, S-CVI/UA = 9/10.
    assert (figure["s_cvi_ave"], figure["s_cvi_ua"]) == (0.95, 0.9)
    assert figure["raters"] == 4 and figure["icc_raters"] == 4
    rows = meeting_stats.breakdown(session, "sector")
    first = rows[0]["segments"]
    assert first["University"]["n"] == 3 and first["Business"] is None  # one rater: suppressed
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/results").get_data(as_text=True)
    assert "S-CVI/Ave" in page and "0.95" in page and "suppressed" in page
    assert page.count("Meeting-level figures") == 1
    assert f"<title>Results · {session.title}</title>" in page


def test_comparison_flags_meetings_that_disagree(make_session, phone, make_user, client):
    owner = make_user()
    italy = make_session(
        state="live", pacing="self", criteria=["importance"], facilitator=owner, country="IT"
    )
    poland = make_session(
        state="live", pacing="self", criteria=["importance"], facilitator=owner, country="PL"
    )
    _rate_all(italy, phone, [[5], [5], [4], [5]], ["Business"] * 4)
    _rate_all(poland, phone, [[1], [2], [1], [2]], ["Business"] * 4)
    comparison = meeting_stats.compare([italy, poland])
    row = next(r for r in comparison["rows"] if r["sessions"][italy.code]["n"])
    assert row["disagree"] is True
    assert row["pooled"]["n"] == 8
    assert row["sessions"][italy.code]["consensus"] == "consensus"
    assert row["sessions"][poland.code]["consensus"] == "consensus_against"
    login(client, owner)
    page = client.get(f"/f/sessions/{italy.code}/compare").get_data(as_text=True)
    assert "meetings disagree" in page and poland.code in page
