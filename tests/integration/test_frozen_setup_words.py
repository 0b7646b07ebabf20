"""Once voting starts the set-up form shows the frozen fields as text: in the reader's words."""

from __future__ import annotations

from services.prioritisation import QuestionSpec
from tests.conftest import login


def test_frozen_list_questions_read_in_the_facilitators_language(client, make_user, make_session):
    """A Polish facilitator read '1. Które umiejętności…? (pick, k 3, exact True, threshold 50)'."""
    user = make_user()
    questions = [
        QuestionSpec("pick", "Które umiejętności?", {"k": 3, "exact": True, "threshold": 50}),
        QuestionSpec("points", "", {"budget": 100}),
    ]
    session = make_session(state="live", facilitator=user, criteria=[], questions=questions)
    login(client, user)
    page = client.get(f"/f/sessions/{session.code}/edit", headers={"Accept-Language": "pl"}).text
    assert "exact True" not in page and "(pick" not in page and "budget 100" not in page
    assert "1. Które umiejętności? (Wybór k z n · " in page
    assert "Ile (do wyboru lub uszeregowania; puste = szeregowanie wszystkich): 3" in page
    assert "Wybierz: dokładnie tyle" in page
    assert "Wybrana, gdy wskaże ją co najmniej (% panelu): 50" in page
    assert "2. Punkty (Punkty do rozdzielenia: 100)" in page  # no prompt: the kind's name
