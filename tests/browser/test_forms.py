"""Forms filled in as rendered: the session set-up, the framework editor and the framework import."""

from __future__ import annotations

import io
import re

import pytest

from tests.browser import ui
from tests.browser.ui import expect

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CLOSE = "Close the session? Answers become read-only."
STEPS = {
    "draft": [],
    "open": [("Open lobby", "open")],
    "live": [("Open lobby", "open"), ("Start voting", "live")],
}
STEPS["closed"] = [*STEPS["live"], ("Close session", "closed")]


def _edit_set_up(dash, title: str, place: str) -> None:
    """Open "Edit set-up" from the dashboard, change the title and the place, save."""
    dash.get_by_role("link", name="Edit set-up").click()
    expect(dash.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Edit "))
    dash.get_by_label("Title").fill(title)
    dash.get_by_label("Place").fill(place)
    dash.get_by_role("button", name="Save").click()


@pytest.mark.parametrize("state", ["draft", "open", "live", "closed"])
def test_edit_set_up_saves_in_every_state(live_server, facilitator, watched, state):
    base, dash = live_server.url, facilitator
    watched.confirm.add(CLOSE)
    code = ui.create_session(
        dash, base, f"Set-up in state {state}", criteria=("Relevance", "Clarity of the definition")
    )
    for button, target in STEPS[state]:
        ui.set_state(dash, button, target)

    _edit_set_up(dash, f"Renamed {state} meeting", f"Aula Magna {state}")
    expect(dash).to_have_url(f"{base}/f/sessions/{code}")
    expect(dash.locator("p.flash[role=status]")).to_have_text("Session saved.")
    expect(dash.locator(".topbar-title")).to_have_text(f"Renamed {state} meeting")

    dash.goto(f"{base}/f/")  # stored: the home page lists it with its new place
    row = dash.locator("tr").filter(has=dash.get_by_text(code, exact=True))
    expect(row).to_contain_text(f"Renamed {state} meeting")
    expect(row).to_contain_text(f"Aula Magna {state}")

    dash.goto(f"{base}/f/sessions/{code}/edit")
    expect(dash.get_by_label("Place")).to_have_value(f"Aula Magna {state}")
    form = dash.locator("form.form-grid")
    # The framework never changes once the session exists: shown, not offered.
    expect(form.get_by_label("Framework")).to_have_count(0)
    expect(form).to_contain_text("KT professionals' soft skills (example)")
    if state in ("draft", "open"):
        expect(form.get_by_label("Relevance", exact=True)).to_be_checked()
        expect(form.get_by_label("Consensus: share agreeing (%)")).to_be_editable()
    else:  # fixed once voting starts: read as text, no inputs that look editable
        expect(form.get_by_label("Relevance", exact=True)).to_have_count(0)
        expect(form.get_by_label("Consensus: share agreeing (%)")).to_have_count(0)
        expect(form.locator(".fixed-field").filter(has_text="Criteria")).to_contain_text(
            "Relevance, Clarity of the definition"
        )
        expect(form.locator(".fixed-field").filter(has_text="Consensus: share agreeing")).to_contain_text(
            "75%"
        )
    if state == "closed":
        expect(form.get_by_label("Consent text shown before joining")).to_have_count(0)


def test_edit_set_up_changes_criteria_before_voting(live_server, facilitator):
    base, dash = live_server.url, facilitator
    code = ui.create_session(dash, base, "Criteria change before voting")
    dash.get_by_role("link", name="Edit set-up").click()
    dash.get_by_label("Importance", exact=True).uncheck()
    dash.get_by_label("Essential?", exact=True).check()
    dash.get_by_label("Consensus: share agreeing (%)").fill("80")
    dash.get_by_role("button", name="Save").click()
    expect(dash).to_have_url(f"{base}/f/sessions/{code}")
    expect(dash.locator("#rule")).to_contain_text("at least 80%")
    dash.goto(f"{base}/f/sessions/{code}/edit")
    expect(dash.get_by_label("Essential?", exact=True)).to_be_checked()
    expect(dash.get_by_label("Importance", exact=True)).not_to_be_checked()
    expect(dash.get_by_label("Relevance", exact=True)).to_be_checked()


def _upload(page, label: str, name: str, text: str) -> None:
    page.get_by_label(re.compile(label)).set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Check the file").click()


def test_import_replaces_the_skills_of_an_unused_framework(live_server, facilitator):
    base, dash = live_server.url, facilitator
    dash.goto(f"{base}/f/")
    dash.get_by_role("link", name="Import from a spreadsheet").click()
    first = (
        "code,name,definition,cluster\n"
        "COM,Communication,Speaks clearly.,People\n"
        "NEG,Negotiation,Agrees.,People\n"
    )
    _upload(dash, "Spreadsheet", "Imported skills.csv", first)
    dash.get_by_role("button", name="Import 2 skills").click()
    expect(dash.locator("p.flash[role=status]")).to_have_text("Imported 2 skills (version 1).")
    expect(dash.get_by_role("heading", level=1)).to_contain_text("Imported skills")

    # Nobody used version 1: a second file keeping the code COM updates it in place.
    dash.get_by_role("link", name="Replace the skills from a spreadsheet (new version)").click()
    second = (
        "code,name,definition,cluster\n"
        "COM,Communicating,Listens and speaks clearly.,People\n"
        "LEA,Leading,Leads.,Management\n"
    )
    _upload(dash, "Spreadsheet", "Imported skills v2.csv", second)
    expect(dash.get_by_role("cell", name="Communicating")).to_be_visible()
    dash.get_by_role("button", name="Import 2 skills").click()
    expect(dash.locator("p.flash[role=status]")).to_have_text("Imported 2 skills (version 1).")
    rows = dash.locator("#skill-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator('input[name="code"]')).to_have_value("COM")
    expect(rows.nth(0).locator("textarea")).to_have_value("Listens and speaks clearly.")
    expect(rows.nth(1).locator('input[name="code"]')).to_have_value("LEA")


def _fill_skill(page, number: int, code: str, name: str, definition: str, cluster: str = "") -> None:
    page.get_by_label(f"Code of skill {number}", exact=True).fill(code)
    page.get_by_label(f"Name of skill {number}", exact=True).fill(name)
    page.get_by_label(f"Cluster of skill {number}", exact=True).fill(cluster)
    page.get_by_label(f"Definition of skill {number}", exact=True).fill(definition)


def _codes(page) -> list[str]:
    return [box.input_value() for box in page.locator('#skill-rows input[name="code"]').all()]


def test_framework_editor_creates_edits_reorders_and_removes(live_server, facilitator):
    base, dash = live_server.url, facilitator
    dash.goto(f"{base}/f/")
    dash.get_by_role("link", name="New framework").click()
    dash.get_by_label("Framework name").fill("Editor's framework")
    _fill_skill(dash, 1, "AAA", "Active listening", "Listens before answering.", "People")
    dash.get_by_role("button", name="Add a skill").click()
    _fill_skill(dash, 2, "BBB", "Budgeting", "Plans the money.", "Management")
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator("p.flash[role=status]")).to_have_text("Framework created.")
    expect(dash.get_by_role("heading", level=1)).to_contain_text("Editor's framework")
    assert _codes(dash) == ["AAA", "BBB"]
    editor = dash.url

    # Rename, change a definition, add a third skill, move it to the top, remove the first one.
    dash.get_by_label("Framework name").fill("Editor's framework, revised")
    dash.get_by_label("Definition of skill 2", exact=True).fill("Plans and tracks the money.")
    dash.get_by_role("button", name="Add a skill").click()
    _fill_skill(dash, 3, "CCC", "Coaching", "Helps others grow.")
    dash.get_by_role("button", name="Move skill 3 up").click()
    dash.get_by_role("button", name="Move skill 2 up").click()
    assert _codes(dash) == ["CCC", "AAA", "BBB"]
    dash.get_by_role("button", name="Remove skill 2").click()
    assert _codes(dash) == ["CCC", "BBB"]
    dash.get_by_role("button", name="Save").click()
    expect(dash.locator("p.flash[role=status]")).to_have_text("Saved as version 1.")

    dash.goto(editor)  # stored, in the new order
    expect(dash.get_by_label("Framework name")).to_have_value("Editor's framework, revised")
    assert _codes(dash) == ["CCC", "BBB"]
    expect(dash.get_by_label("Definition of skill 2", exact=True)).to_have_value(
        "Plans and tracks the money."
    )
    dash.goto(f"{base}/f/")
    expect(dash.get_by_role("link", name="Editor's framework, revised")).to_be_visible()


def _import_example_guide(page, base: str, name: str) -> None:
    """Import the example guide's sections from a spreadsheet, as a coordinator would."""
    from openpyxl import Workbook

    from domain.example_guide import SECTIONS

    book = Workbook()
    book.active.title = "Sections"
    book.active.append(["code", "title", "text"])
    for row in SECTIONS:
        book.active.append(list(row))
    book.create_sheet("Framework").append(["name", name])
    out = io.BytesIO()
    book.save(out)
    page.goto(f"{base}/f/frameworks/import")
    page.get_by_label("Kind of list").select_option(label="Guide")
    page.get_by_label(re.compile("^Spreadsheet")).set_input_files(
        {"name": "guide.xlsx", "mimeType": XLSX, "buffer": out.getvalue()}
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name=f"Import {len(SECTIONS)} sections").click()
    expect(page.locator("p.flash[role=status]")).to_contain_text(f"Imported {len(SECTIONS)} sections")


def test_criteria_are_worded_for_the_list_picked_and_stored_as_shown(live_server, facilitator):
    base, dash = live_server.url, facilitator
    _import_example_guide(dash, base, "Programme guide (criteria wording)")
    dash.goto(f"{base}/f/sessions/new")
    dash.get_by_label("Title").fill("Guide review, criteria as shown")
    criteria = dash.locator(".criteria-field")
    framework = dash.get_by_label("Framework")

    framework.select_option(framework.locator("option", has_text="criteria wording").get_attribute("value"))
    expect(dash.get_by_label("Clarity of the section", exact=True)).to_be_visible()
    expect(dash.get_by_label("Clarity of the definition", exact=True)).to_have_count(0)
    expect(criteria).to_contain_text("How clear is this section?")
    expect(criteria).not_to_contain_text("this skill")
    questions = dash.locator(".list-questions")  # the prioritisation hint and example follow too
    expect(questions).to_contain_text("spread points over all the sections")
    expect(questions.get_by_label("Question shown on phones").first).to_have_attribute(
        "placeholder", "Which sections are indispensable?"
    )

    ui.choose_example_framework(dash)  # another kind of list: the wording follows
    expect(dash.get_by_label("Clarity of the definition", exact=True)).to_be_visible()
    expect(dash.get_by_label("Clarity of the section", exact=True)).to_have_count(0)
    expect(criteria).to_contain_text("How relevant is this skill to KT professionals?")
    expect(criteria).not_to_contain_text("section")
    expect(questions).to_contain_text("spread points over all the skills")

    framework.select_option(framework.locator("option", has_text="criteria wording").get_attribute("value"))
    for label in ("Relevance", "Importance", "Clarity of the section", "Essential?", "Appropriateness (1-9)"):
        dash.get_by_label(label, exact=True).set_checked(label in ("Relevance", "Clarity of the section"))
    dash.get_by_role("button", name="Create session").click()
    expect(dash).to_have_url(re.compile(r"/f/sessions/[A-Z0-9]{4,12}$"))
    expect(dash.locator("#conn")).to_have_text("online")
    ui.set_state(dash, "Open lobby", "open")
    ui.set_state(dash, "Start voting", "live")
    dash.get_by_role("link", name="Edit set-up").click()  # fixed now: the stored criteria, read back
    stored = dash.locator(".fixed-field").filter(has_text=re.compile("^Criteria"))
    expect(stored).to_have_text(re.compile(r"^Criteria\s*Relevance, Clarity of the section$"))


LEGENDS_JS = """() => [...document.querySelectorAll("fieldset.card > legend")].map((legend) => {
  const card = legend.parentElement.getBoundingClientRect();
  const box = legend.getBoundingClientRect();
  const next = legend.nextElementSibling.getBoundingClientRect();
  return { text: legend.textContent.trim(), below_top: box.top - card.top, above_next: next.top - box.bottom,
           lines: Math.round(box.height / parseFloat(getComputedStyle(legend).lineHeight)) };
})"""


@pytest.mark.parametrize("width", [1366, 400])
def test_a_card_legend_that_wraps_stays_inside_its_card(live_server, desktop, facilitator_login, width):
    """A legend on a card's top border sat across it once it wrapped: "Criteria in your own words
    (optional)" in the set-up form's three columns, and more titles on a narrow screen or in a long
    language. Each card's legend is now its heading inside the card, however many lines it takes."""
    page = desktop(facilitator_login, viewport={"width": width, "height": 800})
    page.goto(live_server.url + "/f/sessions/new")
    legends = page.evaluate(LEGENDS_JS)
    assert any(legend["lines"] > 1 for legend in legends), legends  # the case in question is on the page
    for legend in legends:
        assert legend["below_top"] >= 1, legend  # under the card's top border, not across it
        assert legend["above_next"] >= 0, legend  # and above what follows, not beside it
