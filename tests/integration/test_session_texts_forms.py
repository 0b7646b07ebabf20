"""The session form and the self-assessment editor keep the translations they show: each test
reads the page, changes what a facilitator would change, and posts the form as rendered."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from flask import Flask

from models import db
from services import assessment as publishing
from services import frameworks
from tests.conftest import login


class _Form(HTMLParser):
    """The values a browser would submit for the form holding `field` (text, hidden, checked, selected)."""

    def __init__(self, field: str) -> None:
        super().__init__(convert_charrefs=True)
        self.field, self.forms, self.values = field, [], []  # type: ignore[var-annotated]
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None
        self.chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.values = []
            self.forms.append(self.values)
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values.append((name, ""))
        elif tag == "select" and name:
            self.select, self.first_option, self.chosen = name, None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a and not self.chosen:
                self.values.append((self.select, a.get("value", "")))
                self.chosen = True

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text.removeprefix("\r").removeprefix("\n"))  # as browsers do
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.chosen and self.first_option is not None:
                self.values.append((self.select, self.first_option))
            self.select = None


def form_as_rendered(html: str, field: str) -> dict[str, Any]:
    """The form holding `field`, as the browser would post it unchanged (name -> value or values)."""
    parser = _Form(field)
    parser.feed(html)
    found = [values for values in parser.forms if any(name == field for name, _ in values)]
    assert len(found) == 1, f"{len(found)} forms hold {field!r}"
    posted: dict[str, Any] = {}
    for name, value in found[0]:
        posted[name] = (
            [*posted[name], value]
            if name in posted and isinstance(posted[name], list)
            else ([posted[name], value] if name in posted else value)
        )
    return posted


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.get_data(as_text=True))


def test_a_translation_equal_to_other_shipped_wording_is_kept(
    app: Flask, client: Any, make_session: Any
) -> None:
    """An Italian "Settore" is the catalog's word for the built-in "Sector", but here it is the
    facilitator's own translation of their own question: saving the form must not drop it."""
    session = make_session(state="draft")
    questions = [
        *session.profile_questions,
        {
            "key": "organisation",
            "label": "Kind of organisation",
            "options": ["Public body", "Other"],
            "texts": {"it": {"label": "Settore", "options": ["Ente pubblico", "Altro"]}},
        },
    ]
    session.profile_questions = questions
    db.session.commit()
    login(client, session.facilitator)
    url = f"/f/sessions/{session.code}/edit"
    posted = form_as_rendered(_page(client, url), "profile_questions")
    assert posted["profile_questions_it"].splitlines()[-1] == "Settore: Ente pubblico, Altro"
    assert client.post(url, data=posted).status_code == 302
    db.session.refresh(session)
    assert session.profile_questions[-1]["texts"]["it"]["label"] == "Settore"


def test_editing_the_first_profile_question_keeps_the_second_ones_translations(
    app: Flask, client: Any, make_user: Any
) -> None:
    owner = make_user("coordinator")
    framework = frameworks.ensure_example_framework()
    made = publishing.create_assessment(owner, publishing.AssessmentInput("Own words", framework.id))
    login(client, owner)
    url = f"/f/assessments/{made.code}/edit"
    for _save in range(2):  # the second save posts what the page shows after the first
        posted = form_as_rendered(_page(client, url), "profile_questions")
        first, second = posted["profile_questions"].splitlines()
        posted["profile_questions"] = "\n".join([first.replace("Sector", "Field of work"), second])
        assert client.post(url, data=posted).status_code == 302
    db.session.refresh(made)
    sector, years = made.profile_questions
    assert sector["label"] == "Field of work"
    assert years["texts"]["it"]["label"] == "Anni di esperienza nel trasferimento di conoscenze"
    assert years["texts"]["pl"]["options"][-1] == "Powyżej 10"
    italian = form_as_rendered(_page(client, url), "profile_questions")["profile_questions_it"]
    assert italian.splitlines()[1].startswith("Anni di esperienza nel trasferimento di conoscenze:")
