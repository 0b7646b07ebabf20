"""Issue 14 meets the review over days and the phone's data pages: their pages, flash messages
and refusals come in the reader's language (the English wording is checked in
test_async_review.py and test_security_gdpr.py)."""

from __future__ import annotations

from core.extensions import socketio
from tests.conftest import ack
from tests.integration.test_async_review import P, _as_facilitator, _join, clock, guide_review  # noqa: F401


def test_review_page_and_its_refusals_in_the_facilitators_language(guide_review, client, app):  # noqa: F811
    session = guide_review
    _as_facilitator(client, session)
    page = client.get(f"/f/sessions/{session.code}/review", headers={"Accept-Language": "pl"}).text
    assert "Przegląd rozłożony na dni" in page and "Osobiste linki" in page
    assert "0 uczestników" in page  # ngettext: Polish "many" form for 0
    assert "Review over days" not in page
    backwards = {"timezone": "UTC", "open_from": "2026-12-10T10:00", "open_until": "2026-12-09T10:00"}
    shown = client.post(
        f"/f/sessions/{session.code}/review/schedule", data=backwards, follow_redirects=True,
        headers={"Accept-Language": "it"},
    )  # fmt: skip
    assert "La revisione deve chiudersi dopo l&#39;apertura." in shown.text
    assert session.open_until.day == 15  # nothing lost


def test_phone_review_card_and_open_question_refusal_in_the_phones_language(guide_review, app, clock):  # noqa: F811
    session = guide_review
    session.open_questions = ["missing"]
    clock.advance(hours=1, minutes=1)  # the review is open
    phone = app.test_client()
    phone.set_cookie("sb_lang", "fi")
    assert phone.post(f"/j/{session.code}", data={}).status_code == 302
    page = phone.get(f"/s/{session.code}").text
    assert "Jatkamiskoodisi" in page and "Kopioi koodi" in page
    assert "Your resume code" not in page
    token = phone.get_cookie(f"sb_p_{session.code}").value
    sock = socketio.test_client(app, namespace=P, auth={"token": token})
    item = ack(sock, "sync", {}, P)["session"]["items"][0]
    refused = ack(
        sock, "submit_open_answer", {"skill_id": item["skill_id"], "question": "unclear", "text": "x"}, P
    )
    assert refused["error"] == "bad_payload"  # the code stays machine-readable
    # The phone joined in Finnish, so its refusals come in Finnish.
    assert refused["message"] == "Tässä istunnossa ei kysytä tätä avointa kysymystä."


def test_response_rate_days_are_written_in_the_facilitators_language(guide_review, client, app, clock):  # noqa: F811
    """The "Response rate" table named its days in English ("Tue 1 Dec") on a Polish or Italian
    page, and its bars' labels read "0 of 1" whatever the language (one joined, nobody answered yet)."""
    session = guide_review
    clock.advance(hours=1, minutes=1)  # 10:01 in Rome: the page a phone loads opens the review
    _join(app, session)
    _as_facilitator(client, session)
    table = {}
    for lang in ("pl", "it", "en"):
        page = client.get(f"/f/sessions/{session.code}/review", headers={"Accept-Language": lang}).text
        table[lang] = page[page.index('id="rate-table"') :].split("</table>")[0]
    assert "wt., 1 gru" in table["pl"] and 'aria-label="0 z 1"' in table["pl"]
    assert "mar 1 dic" in table["it"] and 'aria-label="0 su 1"' in table["it"]
    assert "Tue" not in table["pl"] + table["it"]
    assert "Tue 1 Dec" in table["en"] and 'aria-label="0 of 1"' in table["en"]
