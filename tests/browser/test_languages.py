"""Issue 14: one session, a phone in Polish, one in Italian, one in Finnish, the projector in Italian.

The framework is made in the editor with Italian and Polish translations only, so the Finnish
phone shows the session's language (Italian) with a note, as an assembly would meet a framework
that is not translated into every language yet. The facilitator's dashboard stays English.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1366, "height": 768}
FRAMEWORK = "Assembly skills (languages test)"
SKILLS = [
    ("LIS", "Active listening", "Listens to partners to understand their needs before proposing solutions."),
    ("TRU", "Trust building", "Builds lasting relationships of trust between researchers and companies."),
]
TRANSLATIONS = {
    "it": [
        ("Ascolto attivo", "Ascolta i partner per capirne le esigenze prima di proporre soluzioni."),
        ("Costruzione della fiducia", "Costruisce rapporti di fiducia duraturi tra ricercatori e imprese."),
    ],
    "pl": [
        ("Aktywne słuchanie", "Słucha partnerów, aby zrozumieć ich potrzeby, zanim zaproponuje rozwiązania."),
        ("Budowanie zaufania", "Buduje trwałe relacje oparte na zaufaniu między naukowcami a firmami."),
    ],
}
FINNISH_COMMENT = "Määritelmä on selkeä, mutta esimerkkejä tarvitaan enemmän."


def _phone(browser: Any, watched: Any, locale: str, who: str) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=locale)
    return watched.attach(context.new_page(), who)


def _make_framework(dash: Any, base: str) -> None:
    dash.goto(base + "/f/frameworks/new")
    dash.get_by_label("Framework name").fill(FRAMEWORK)
    for n, (code, name, definition) in enumerate(SKILLS, start=1):
        if not dash.get_by_label(f"Code of skill {n}").count():  # a new framework starts with one row
            dash.get_by_role("button", name="Add a skill").click()
        dash.get_by_label(f"Code of skill {n}").fill(code)
        dash.get_by_label(f"Name of skill {n}").fill(name)
        dash.get_by_label(f"Definition of skill {n}").fill(definition)
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator(".flash")).to_have_text("Framework created.")
    languages = dash.locator("#framework-languages")
    expect(languages.locator('[data-lang="fi"]')).to_have_text("Suomi 0 of 2")
    for lang, names in TRANSLATIONS.items():
        dash.locator(f'.lang-status [data-lang="{lang}"]').click()
        heading = {"it": "Italiano", "pl": "Polski"}[lang]
        expect(dash.get_by_role("heading", level=1)).to_have_text(f"Translations: {heading}")
        for (code, _name, _definition), (name, definition) in zip(SKILLS, names, strict=True):
            dash.get_by_label(f"Name of {code} in {heading}").fill(name)
            dash.get_by_label(f"Definition of {code} in {heading}").fill(definition)
        dash.get_by_role("button", name="Save the translations").click()
        expect(dash.locator(".flash")).to_contain_text("Translations saved")
        expect(dash.locator(f'.lang-status [data-lang="{lang}"]')).to_have_text(f"{heading} 2 of 2")
    expect(dash.locator('.lang-status [data-lang="fi"]')).to_have_class(re.compile("incomplete"))


def _make_session(dash: Any, base: str) -> str:
    dash.goto(base + "/f/sessions/new")
    dash.get_by_label("Title").fill("Assemblea europea, Bologna")
    framework = dash.get_by_label("Framework")
    framework.select_option(framework.locator("option", has_text=FRAMEWORK).get_attribute("value"))
    for label in ui.CRITERIA:
        dash.get_by_label(label, exact=True).set_checked(label in ("Relevance", "Importance"))
    dash.get_by_label("Language", exact=True).select_option("it")
    dash.get_by_label("Facilitator-paced").check()
    dash.get_by_role("button", name="Create session").click()
    expect(dash).to_have_url(re.compile(r"/f/sessions/[A-Z0-9]{4,12}$"))
    expect(dash.locator("#conn")).to_have_text("online")
    return str(dash.url.rsplit("/", 1)[1])


def _join(phone: Any, base: str, code: str, agree: str, button: str, waiting: str, sector: str) -> None:
    phone.get_by_label(sector, exact=True).check()  # "University" in the phone's language
    phone.get_by_label(agree).check()
    phone.get_by_role("button", name=button).tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(phone.locator("#waiting")).to_have_text(waiting)


def _fits(phone: Any) -> None:
    """Nothing wider than the 360-pixel screen: long words wrap instead of pushing sideways."""
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_one_room_three_languages(live_server, facilitator, desktop, facilitator_login, browser, watched):
    base, dash = live_server.url, facilitator
    _make_framework(dash, base)
    code = _make_session(dash, base)
    ui.set_state(dash, "Open lobby", "open")

    projector = desktop(facilitator_login, viewport=PROJECTOR, who="projector")
    projector.goto(f"{base}/f/sessions/{code}/projector")
    expect(projector.locator("html")).to_have_attribute("lang", "it")
    expect(projector.locator(".proj-wait")).to_have_text("Inquadra il codice per partecipare.")

    polish = _phone(browser, watched, "pl-PL", "phone pl")
    polish.goto(f"{base}/j/{code}")
    expect(polish.locator("html")).to_have_attribute("lang", "pl")
    _join(
        polish,
        base,
        code,
        "Wyrażam zgodę",
        "Dołącz do sesji",
        "Jesteś w sesji. Czekamy, aż prowadzący zacznie…",
        "Uczelnia",
    )

    italian = _phone(browser, watched, "it-IT", "phone it")
    italian.goto(f"{base}/j/{code}")
    _join(
        italian,
        base,
        code,
        "Acconsento",
        "Partecipa alla sessione",
        "Ci sei. In attesa che il facilitatore inizi…",
        "Università",
    )

    finnish = _phone(browser, watched, "en-GB", "phone fi")  # an English phone that picks Finnish
    finnish.goto(f"{base}/j/{code}")
    expect(finnish.get_by_role("button", name="Join the session")).to_be_visible()
    finnish.get_by_role("link", name="Suomi").tap()
    expect(finnish.locator("html")).to_have_attribute("lang", "fi")
    _join(
        finnish,
        base,
        code,
        "Hyväksyn",
        "Liity istuntoon",
        "Olet mukana. Odotetaan, että fasilitaattori aloittaa…",
        "Yliopisto",
    )
    expect(dash.locator("#participants")).to_have_text("3")

    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("button", name="Show on phones").click()

    expect(polish.locator(".skill-name")).to_have_text("Aktywne słuchanie")
    expect(polish.locator("#skill-name")).to_have_attribute("lang", "pl")
    expect(polish.locator(".lang-note")).to_have_count(0)
    expect(polish.locator("#item .definition + *")).not_to_have_text("null")
    expect(ui.criterion(polish, 0).locator("legend")).to_contain_text("Na ile ta umiejętność jest istotna")
    expect(italian.locator(".skill-name")).to_have_text("Ascolto attivo")
    expect(ui.criterion(italian, 1).locator("legend")).to_contain_text("Quanto è importante")
    # Finnish is not in this framework: the session's Italian, marked, and the interface in Finnish.
    expect(finnish.locator(".skill-name")).to_have_text("Ascolto attivo")
    expect(finnish.locator("#skill-name")).to_have_attribute("lang", "it")
    expect(finnish.locator(".lang-note")).to_have_text(
        "Tätä taitoa ei ole vielä käännetty kielellesi; se näytetään kielellä italia."
    )
    expect(ui.criterion(finnish, 0).locator("legend")).to_contain_text("Kuinka relevantti tämä taito on")
    expect(projector.locator(".proj-skill")).to_have_text("Ascolto attivo")
    expect(projector.locator(".proj-prompt")).to_have_text("Vota dal tuo telefono.")

    ui.rate(polish, 0, 4, mark="✓ zapisano")
    ui.rate(polish, 1, 5, mark="✓ zapisano")
    ui.rate(italian, 0, 3, mark="✓ salvato")
    ui.scale_button(italian, 1, "Non so valutare").tap()
    expect(ui.criterion(italian, 1).locator(".saved-mark")).to_have_text("✓ salvato")
    ui.rate(finnish, 0, 2, mark="✓ tallennettu")
    ui.rate(finnish, 1, 4, mark="✓ tallennettu")
    finnish.get_by_label("Kommentti").fill(FINNISH_COMMENT)
    finnish.get_by_role("button", name="Lähetä kommentti").tap()
    expect(finnish.locator("#comment-mark")).to_have_text("✓ tallennettu")

    # The dashboard counts every answer, whatever language it was given in.
    relevance = ui.criterion_result(dash, "Relevance")
    expect(ui.stat(relevance, "answered")).to_have_text("3")
    importance = ui.criterion_result(dash, "Importance")
    expect(ui.stat(importance, "answered")).to_have_text("2")
    expect(ui.stat(importance, "can't judge")).to_have_text("1")
    expect(dash.locator("#comments .text")).to_have_text([FINNISH_COMMENT])
    expect(dash.locator("#participant-search")).to_be_visible()
    expect(dash.locator(".who-chip")).to_have_count(3)
    expect(projector.locator(".proj-progress strong")).to_have_text(["3", "3"])

    for phone in (polish, italian, finnish):
        _fits(phone)
    for phone in (polish, finnish):
        phone.evaluate("window.scrollTo(0, 0)")
    ui.snap(polish, "phone-polish.png", full_page=True)
    ui.snap(finnish, "phone-finnish.png", full_page=True)

    dash.get_by_role("button", name="Reveal results").click()
    expect(projector.locator(".proj-stats").first).to_contain_text("mediana 3")
    expect(polish.locator("#results h2")).to_have_text("Wyniki")
    ui.snap(projector, "projector-italian-1366x768.png")

    # The export: each rating with the language the phone showed, the comment with its phone's.
    from openpyxl import load_workbook

    response = dash.request.get(f"{base}/f/sessions/{code}/export.xlsx")
    assert response.ok
    from tests.fixtures.export_factories import header_names

    book = load_workbook(io.BytesIO(response.body()))
    ratings = list(book["Ratings"].iter_rows(values_only=True))
    header = header_names(book, "Ratings")  # readable headers; the Codebook names each column
    shown = {(row[header.index("pseudonym")], row[header.index("language")]) for row in ratings[1:]}
    assert shown == {("P01", "pl"), ("P02", "it"), ("P03", "it")}
    comments = list(book["Comments"].iter_rows(values_only=True))
    assert comments[1][header_names(book, "Comments").index("language")] == "fi"
    about = {row[1]: row[2] for row in book["About"].iter_rows(min_row=2, values_only=True) if len(row) > 2}
    assert "it (4)" in about["languages_ratings"] and "pl (2)" in about["languages_ratings"]
    assert "fi (1)" in about["languages_comments"]
    # "Uczelnia", "Università" and "Yliopisto" are one answer: one group of three, not suppressed
    people = list(book["Participants"].iter_rows(values_only=True))
    sector = header_names(book, "Participants").index("profile_sector")
    assert [row[sector] for row in people[1:]] == ["University"] * 3
