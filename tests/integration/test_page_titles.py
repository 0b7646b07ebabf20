"""Every facilitator page names itself in its title ("<page> – Sounding Board"), never the bare name."""

from __future__ import annotations

import html
import json
import re

from flask import Flask

from services import assessment, frameworks
from tests.conftest import login

BARE = "Sounding Board"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _routes(app: Flask) -> list[str]:
    """The facilitator's GET routes, as rules (files such as QR codes and workbooks included)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("facilitator.") and "GET" in (rule.methods or ())
    )


def _title(page: str) -> str:
    found = TITLE.search(page)
    assert found, "a page without a <title>"
    return " ".join(found.group(1).split())


def test_the_first_run_page_names_itself(client):
    assert _title(client.get("/f/setup").get_data(as_text=True)) == "First run – Sounding Board"


def test_every_facilitator_page_has_a_title_naming_it(app, client, make_user, make_session):
    admin = make_user("admin")
    framework = frameworks.ensure_example_framework()
    session = make_session(state="draft", facilitator=admin, framework_id=framework.id, title="Bologna")
    published = assessment.create_assessment(admin, assessment.AssessmentInput("Self-check", framework.id))
    login(client, admin)
    values = {
        "<code>": session.code,
        "<int:framework_id>": str(framework.id),
        "<int:user_id>": str(admin.id),
        "<lang>": "it",
    }
    titles = {}
    for rule in _routes(app):
        url = rule.replace("/assessments/<code>", f"/assessments/{published.code}")
        url = url.replace("qr.<fmt>", "qr.svg").replace("export.<fmt>", "export.xlsx")
        for part, value in values.items():
            url = url.replace(part, value)
        response = client.get(url)
        if response.mimetype != "text/html" or response.status_code in (301, 302):
            continue  # a file, or a page for someone else (setup and sign-in, checked above)
        assert response.status_code == 200, url
        titles[url] = _title(response.get_data(as_text=True))
    assert len(titles) >= 20, titles
    bare = [url for url, title in titles.items() if title == BARE or not title.endswith(f" – {BARE}")]
    assert not bare, f"pages without a title naming them: {bare}"
    assert titles[f"/f/sessions/{session.code}"] == "Dashboard – Bologna – Sounding Board"
    assert titles[f"/f/sessions/{session.code}/results"] == "Results: Bologna – Sounding Board"
    assert titles["/f/"] == "Sessions – Sounding Board"
    signed_out = app.test_client()  # the sign-in page, checked last
    assert _title(signed_out.get("/f/login").get_data(as_text=True)) == "Sign in – Sounding Board"


def test_the_dashboard_speaks_of_states_in_one_vocabulary(client, make_user, make_session):
    """The title names the page; the state is said once, by the badge, in the reader's words."""
    user = make_user()
    session = make_session(state="open", facilitator=user, title="Bologna")
    login(client, user)
    page = client.get(f"/f/sessions/{session.code}").get_data(as_text=True)
    assert _title(page) == "Dashboard – Bologna – Sounding Board"  # not "live" while the badge says open
    assert re.search(r'<span id="state" class="badge state-open" data-words=\'[^\']*\'>open</span>', page)
    client.get("/lang/it")
    page = client.get(f"/f/sessions/{session.code}").get_data(as_text=True)
    words = json.loads(html.unescape(re.search(r"data-words='([^']*)'", page).group(1)))
    assert words == {"draft": "bozza", "open": "aperta", "live": "dal vivo", "closed": "chiusa"}
    assert ">aperta</span>" in page and _title(page) == "Cruscotto – Bologna – Sounding Board"
    assert '<span class="badge state-open">aperta</span>' in client.get("/f/").get_data(as_text=True)


def test_the_first_run_page_says_each_sentence_as_one_message(client):
    """A translator sees the whole sentence, with the address or command in its place."""
    client.get("/lang/it")
    page = " ".join(client.get("/f/setup").get_data(as_text=True).split())
    command = "<code>flask --app run create-user</code>"
    assert f"altri account si aggiungono dalla pagina Account (oppure con {command})." in page
    refused = client.get("/f/setup", environ_base={"REMOTE_ADDR": "192.0.2.44"})
    text = " ".join(refused.get_data(as_text=True).split())
    assert refused.status_code == 403
    assert "(apri lì <code>http://127.0.0.1:&lt;port&gt;/f/setup</code>), oppure con il link" in text
