"""Issue 14: `flask --app run demo` on Polish and Finnish phones, as a newcomer meets it: the demo's
own words (titles, consent, the profile question, the prioritisation questions, the guide's
sections) come in the phone's language, and no English is left on the phone pages visited."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.conftest import PHONE, ROOT
from tests.browser.ui import expect
from tests.conftest import match_group

pytestmark = pytest.mark.browser

# Words an English text cannot do without and Polish never uses, and the demo's own English words.
ENGLISH = {
    "the", "and", "your", "you", "with", "this", "that", "what", "which", "how", "are", "for", "of",
    "is", "who", "will", "can", "not", "be", "by", "at", "skill", "skills", "session", "join",
    "sector", "university", "business", "other", "answers", "recorded", "pseudonym", "programme",
    "guide", "meeting", "review", "workshop", "indispensable", "points", "order", "spread", "top",
    "put", "three", "section", "agree", "continue", "communication", "relevance", "clarity",
}  # fmt: skip


def english_left(page: Any) -> list[str]:
    """The English words on the page as shown (hidden text aside), and in its title."""
    text = page.evaluate("() => document.title + '\\n' + document.body.innerText")
    return sorted({w for w in re.findall(r"[^\W\d_]+", text.lower()) if w in ENGLISH})


def _run_demo(live_server: Any) -> dict[str, str]:
    """The README's `flask --app run demo` against the test server; the join codes it prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env.update(
        SOUNDINGBOARD_INSTANCE_PATH=str(live_server.log.parent / "instance"),
        SOUNDINGBOARD_PUBLIC_URL=live_server.url,
    )
    port = live_server.url.rsplit(":", 1)[1]
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "demo", "--port", port],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    return {
        "meeting": match_group(r"Join code: +(\S+)", out),
        "workshop": match_group(r"Prioritisation workshop: \S+/f/sessions/(\w+)", out),
        "review": match_group(r"Review over days .*?/f/sessions/(\w+)/review", out),
    }


def _phone(browser: Any, watched: Any, locale: str, who: str) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=locale)
    return watched.attach(context.new_page(), who)


def _no_english(page: Any, where: str) -> None:
    left = english_left(page)
    assert not left, f"English on the Polish phone's {where}: {left}"


def _join(phone: Any, base: str, code: str, sector: str, agree: str, button: str) -> None:
    phone.goto(f"{base}/j/{code}")
    phone.get_by_label(sector, exact=True).check()
    phone.get_by_label(agree).check()
    phone.get_by_role("button", name=button).tap()
    expect(phone).to_have_url(f"{base}/s/{code}")
    expect(phone.locator("#conn")).not_to_have_text("")


def test_the_demo_on_a_polish_phone_leaves_no_english(
    browser: Any, live_server: Any, facilitator: Any, watched: Any
) -> None:
    base = live_server.url
    codes = _run_demo(live_server)
    polish = _phone(browser, watched, "pl-PL", "phone pl")

    # The meeting: the profile question and the consent, then a skill with its criteria.
    polish.goto(f"{base}/j/{codes['meeting']}")
    expect(polish.get_by_role("button", name="Dołącz do sesji")).to_be_visible()
    _no_english(polish, "join page (profile, consent)")
    expect(polish.get_by_role("heading", level=1)).to_have_text("Spotkanie walidacyjne (demo)")
    expect(polish.locator(".consent")).to_contain_text("Twoje odpowiedzi są zapisywane pod pseudonimem")
    _join(polish, base, codes["meeting"], "Uczelnia", "Wyrażam zgodę", "Dołącz do sesji")
    _no_english(polish, "lobby")
    facilitator.goto(f"{base}/f/sessions/{codes['meeting']}")
    expect(facilitator.locator("#conn")).to_have_text("online")
    ui.set_state(facilitator, "Start voting", "live")
    facilitator.get_by_role("button", name="Show on phones").click()
    expect(polish.locator(".skill-name")).to_have_text("Komunikacja")
    _no_english(polish, "item page")

    # The workshop: the pick list, its prompt in Polish.
    _join(polish, base, codes["workshop"], "Uczelnia", "Wyrażam zgodę", "Dołącz do sesji")
    facilitator.goto(f"{base}/f/sessions/{codes['workshop']}")
    expect(facilitator.locator("#conn")).to_have_text("online")
    ui.set_state(facilitator, "Start voting", "live")
    show = facilitator.locator("#questions-panel article.list-q").first.get_by_role(
        "button", name="Show on phones"
    )
    expect(show).to_be_enabled()
    show.click()
    expect(polish.locator(".question-prompt")).to_have_text("Które umiejętności są niezbędne?")
    expect(polish.locator(".pick-item").first).to_be_visible()
    _no_english(polish, "prioritisation list")
    # The points question's prompt is also its rule: said once, not twice.
    points = facilitator.locator("#questions-panel article.list-q").nth(2)
    points.get_by_role("button", name="Show on phones").click()
    expect(polish.locator(".question-prompt")).to_have_text("Rozdziel 100 punktów między umiejętności")
    expect(polish.locator(".question-rule")).to_have_text("")

    # The review of the guide: a section's title and paragraphs.
    _join(polish, base, codes["review"], "Uczelnia", "Wyrażam zgodę", "Dołącz do sesji")
    expect(polish.locator(".skill-name")).to_contain_text("Dla kogo jest program")
    expect(polish.locator(".item-body p")).to_have_count(2)
    expect(polish.locator(".item-body p").first).to_contain_text("Program jest przeznaczony dla osób")
    _no_english(polish, "guide section")

    # A Finnish phone at 360 px: the profile question and a guide section, for the README.
    finnish = _phone(browser, watched, "fi-FI", "phone fi")
    finnish.goto(f"{base}/j/{codes['review']}")
    expect(finnish.get_by_label("Yliopisto", exact=True)).to_be_visible()
    expect(finnish.locator(".consent")).to_contain_text("Vastauksesi tallennetaan nimimerkillä")
    ui.snap(finnish, "demo-phone-finnish-profile.png", full_page=True)
    _join(finnish, base, codes["review"], "Yliopisto", "Hyväksyn", "Liity istuntoon")
    expect(finnish.locator(".skill-name")).to_contain_text("Kenelle ohjelma on tarkoitettu")
    expect(finnish.locator(".item-body p")).to_have_count(2)
    # the section's title just under the phone's bar, which stays at the top
    finnish.evaluate(
        "() => { document.querySelector('.skill-name').scrollIntoView(); window.scrollBy(0, -64); }"
    )
    ui.snap(finnish, "demo-phone-finnish-guide-section.png")
    overflow = finnish.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the Finnish guide section runs {overflow}px off a 360px phone"
