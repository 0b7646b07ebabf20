"""Issues 13 and 14: a self-assessment in the respondent's language: the framework's skills,
definitions and clusters, the questions, the built-in anchors and the coordinator's translated
anchors, on the phone, in the profile and in its PDF."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from services import assessment as publishing
from tests.conftest import login
from tests.integration.test_assessment import _csrf, answer_all, fresh_get, make_assessment, start

__all__ = ["make_assessment"]  # the fixture, shared


def _phone(app: Any, lang: str) -> Any:
    phone = app.test_client()
    phone.set_cookie("sb_lang", lang)
    return phone


def test_a_polish_phone_takes_it_in_polish_and_gets_a_polish_profile_and_pdf(
    app: Any, make_assessment: Any
) -> None:
    assessment = make_assessment()
    total = len(assessment.framework_version.skills)
    phone = _phone(app, "pl")
    start(phone, assessment.code)
    first = fresh_get(phone, f"/a/{assessment.code}/skill/1").text
    assert '<h1 id="skill-name">Komunikacja</h1>' in first
    assert "Jasno wyjaśnia potrzeby nauki i biznesu" in first  # the framework's definition_pl
    assert "Interpersonalne" in first and "Interpersonal<" not in first  # cluster_pl
    assert "Jak dobrze ją opanowałem/-am?" in first and "How well do I master it?" not in first
    assert "Potrafię to z pomocą lub pod kierunkiem innych" in first  # a built-in anchor in Polish
    assert "not yet translated" not in first and "nie jest jeszcze przetłumaczona" not in first

    answer_all(phone, assessment.code, {"mastery": "2", "use": "4", "importance": "5"}, total)
    profile = phone.get(f"/a/{assessment.code}/profile").text
    assert (
        "Komunikacja" in profile
        and "Interpersonalne" in profile
        and "Opanowanie" in profile
        and "Używanie" in profile
    )
    assert "Communication" not in profile and ">Mastery<" not in profile
    pdf = phone.get(f"/a/{assessment.code}/profile.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout
    words = text.decode()
    assert "Komunikacja" in words and "Interpersonalne" in words and "Communication" not in words


def test_the_coordinator_translates_anchors_per_skill_and_phones_show_them(
    app: Any, make_assessment: Any, make_user: Any
) -> None:
    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    coordinator = app.test_client()
    login(coordinator, owner)
    page = coordinator.get(f"/f/assessments/{assessment.code}?lang=fi").text
    assert (
        'name="lang" value="fi"' in page and "Osaan sen avun tai ohjauksen turvin" in page
    )  # the grey default
    levels = [f"Taso {n}: viestin perille meno" for n in range(1, 6)]
    sent = coordinator.post(
        f"/f/assessments/{assessment.code}/skills",
        data={"csrf_token": _csrf(page), "lang": "fi", "anchors-COM-mastery": "\n".join(levels)},
    )
    assert sent.status_code == 302 and sent.location.endswith(
        f"/f/assessments/{assessment.code}?lang=fi#skills"
    )
    assert assessment.anchors["mastery"]["COM@fi"] == levels
    assert publishing.anchors(assessment, assessment.framework_version.skills[0], "mastery") != tuple(levels)

    finnish, polish, english = _phone(app, "fi"), _phone(app, "pl"), _phone(app, "en")
    for phone in (finnish, polish, english):
        start(phone, assessment.code)
    shown = fresh_get(finnish, f"/a/{assessment.code}/skill/1").text
    assert all(level in shown for level in levels) and "Viestintä" in shown
    second = fresh_get(finnish, f"/a/{assessment.code}/skill/2").text  # no own anchors: the built-in ones
    assert "Osaan sen avun tai ohjauksen turvin" in second and "Taso 1" not in second
    assert "Taso 1" not in fresh_get(polish, f"/a/{assessment.code}/skill/1").text
    assert "I can do it with help or guidance" in fresh_get(english, f"/a/{assessment.code}/skill/1").text


def test_a_skill_without_a_translation_says_so_and_keeps_the_framework_text(
    app: Any, make_assessment: Any
) -> None:
    assessment = make_assessment()
    skill = assessment.framework_version.skills[0]
    skill.extra = {k: v for k, v in skill.extra.items() if not k.endswith("_nl")}
    phone = _phone(app, "nl")
    start(phone, assessment.code)
    page = fresh_get(phone, f"/a/{assessment.code}/skill/1").text
    assert re.search(r'<h1 id="skill-name" lang="en">Communication</h1>', page)
    assert "Deze vaardigheid is nog niet in je taal vertaald" in page
    assert "Hoe goed beheers ik het?" in page  # the questions are still Dutch


def _pdf_words(phone: Any, code: str) -> str:
    pdf = phone.get(f"/a/{code}/profile.pdf")
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())  # lines joined: a sentence may wrap in the PDF


def test_the_coordinator_translates_how_to_develop_it_and_each_respondent_reads_their_own(
    app: Any, make_assessment: Any, make_user: Any
) -> None:
    """Issue 14: the coordinator's per-skill advice (text and links) per language, in the
    editor's language forms; the profile page and the PDF show it in the respondent's language,
    else the own text; it stays editable once people have answered (the anchors freeze)."""
    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    total = len(assessment.framework_version.skills)
    own = "Join a mentoring pair with an industry partner"
    publishing.update_skill(
        assessment, "COM", {}, own, [{"label": "Module 3", "url": "https://example.org/m3"}]
    )
    coordinator = app.test_client()
    login(coordinator, owner)
    page = coordinator.get(f"/f/assessments/{assessment.code}?lang=pl").text
    assert 'name="guidance-COM"' in page and f'placeholder="{own}"' in page  # the own text in grey
    polish = "Dołącz do pary mentorskiej z partnerem z przemysłu"
    sent = coordinator.post(
        f"/f/assessments/{assessment.code}/skills",
        data={"csrf_token": _csrf(page), "lang": "pl", "guidance-COM": polish,
              "links-COM": "Moduł 3 | https://example.org/m3-pl"},
    )  # fmt: skip
    assert sent.status_code == 302
    assert assessment.guidance["COM"]["text@pl"] == polish and assessment.guidance["COM"]["text"] == own
    assert "text@pl" not in assessment.guidance.get("NEG", {})  # an empty box adds nothing

    phones = {lang: _phone(app, lang) for lang in ("pl", "fi", "en")}
    for phone in phones.values():
        start(phone, assessment.code)
        answer_all(phone, assessment.code, {"mastery": "2", "use": "2", "importance": "5"}, total)
    shown = phones["pl"].get(f"/a/{assessment.code}/profile").text
    assert polish in shown and "Moduł 3" in shown and "https://example.org/m3-pl" in shown
    assert own not in shown and ">Module 3<" not in shown
    words = _pdf_words(phones["pl"], assessment.code)
    assert polish in words and own not in words
    for lang in ("fi", "en"):  # no Finnish translation: the own text
        page_ = phones[lang].get(f"/a/{assessment.code}/profile").text
        assert own in page_ and polish not in page_
    assert own in _pdf_words(phones["fi"], assessment.code)

    # Answered: the anchors are frozen, the advice is not, in any language.
    assert publishing.is_frozen(assessment)
    page = fresh_get(coordinator, f"/f/assessments/{assessment.code}?lang=fi").text
    assert "Osaan sen avun tai ohjauksen turvin" in page and "readonly" in page  # anchors frozen
    finnish = "Liity mentoripariin teollisuuskumppanin kanssa"
    sent = coordinator.post(
        f"/f/assessments/{assessment.code}/skills",
        data={"csrf_token": _csrf(page), "lang": "fi", "guidance-COM": finnish},
    )
    assert sent.status_code == 302
    assert finnish in phones["fi"].get(f"/a/{assessment.code}/profile").text
    assert finnish in _pdf_words(phones["fi"], assessment.code)
    # The own text saved again in the main form keeps every translation.
    publishing.update_skill(assessment, "COM", {}, own + ".", [])
    kept = assessment.guidance["COM"]
    assert kept["text@pl"] == polish and kept["text@fi"] == finnish
