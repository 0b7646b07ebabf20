"""Self-assessment respondents' data: they delete it themselves; the purge unlinks it, keeping the figures."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from domain.assessment import hash_resume_code
from models import AssessmentAnswer, AssessmentRespondent, AssessmentRound, AuditEntry, db, utcnow
from services import assessment_erasure
from services import assessment_results as results
from tests.conftest import login
from tests.integration.test_assessment import _csrf, answer_all, fresh_get, make_assessment, start
from tests.integration.test_security_gdpr import _everything_in_the_database

__all__ = ["make_assessment"]  # the fixture, imported for this module's tests

SECTORS = ("University", "University", "Business", "Public body")
MASTERY = ("2", "3", "4", "5")


def _taken(app: Any, assessment: Any) -> list[tuple[Any, str]]:
    """Four people take it: (their browser, their personal code)."""
    total = len(assessment.framework_version.skills)
    people = []
    for sector, mastery in zip(SECTORS, MASTERY, strict=True):
        phone = app.test_client()
        code = start(phone, assessment.code, sector=sector)
        answer_all(phone, assessment.code, {"mastery": mastery, "use": "3", "importance": "5"}, total)
        people.append((phone, code))
    return people


def _skills(assessment: Any) -> Any:
    return results.aggregates(assessment).skills


def test_a_respondent_deletes_their_answers_from_their_profile_page(app, make_assessment, make_user):
    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    people = _taken(app, assessment)
    phone, code = people[-1]  # the one with mastery 5
    before = results.aggregates(assessment)
    assert before.n == 4

    profile = fresh_get(phone, f"/a/{assessment.code}/profile")
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*id="withdraw">', profile.text)
    assert form and form.group(1) == f"/a/{assessment.code}/withdraw"
    unconfirmed = phone.post(form.group(1), data={"csrf_token": _csrf(profile.text)})
    assert unconfirmed.status_code == 302 and results.aggregates(assessment).n == 4  # nothing deleted

    profile = fresh_get(phone, f"/a/{assessment.code}/profile")
    done = phone.post(form.group(1), data={"csrf_token": _csrf(profile.text), "confirm": "yes"})
    assert done.status_code == 200 and "Your answers were withdrawn" in done.text
    assert f"sa_{assessment.code}=;" in done.headers["Set-Cookie"]  # the browser forgets the code
    found = db.session.scalar(
        sa.select(AssessmentRespondent).where(AssessmentRespondent.code_hash == hash_resume_code(code))
    )
    assert found is None
    assert db.session.scalar(sa.select(sa.func.count(AssessmentRespondent.id))) == 3
    assert fresh_get(app.test_client(), f"/r/{code}").status_code == 404  # the code leads nowhere

    after = results.aggregates(assessment)  # recomputed without them: mastery 2, 3, 4
    assert after.n == 3 and assessment.withdrawn_respondents == 1
    com = next(s for s in after.skills if s.skill.code == "COM")
    assert com.by_question["mastery"].mean == 3.0
    desk = app.test_client()
    login(desk, owner)
    page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
    assert "Results: 3 completed" in page and "1 person withdrew their answers" in page

    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assessment_withdrawn"))
    assert entry.actor == "respondent" and entry.target == assessment.code
    assert entry.detail["respondents"] == 1 and entry.detail["answers"] > 0
    assert code not in repr(entry.detail)


def test_the_purge_leaves_nothing_identifying_and_keeps_the_figures(app, make_assessment):
    assessment = make_assessment()
    people = _taken(app, assessment)
    codes = [code for _phone, code in people]
    hashes = [hash_resume_code(code) for code in codes]
    profiles = [repr({"sector": s}) for s in SECTORS]  # as stored
    everything = _everything_in_the_database()
    assert all(h in everything for h in hashes) and all(p in everything for p in profiles)  # can fail
    figures = _skills(assessment)

    runner = app.test_cli_runner()
    refused = runner.invoke(args=["purge", assessment.code])
    assert refused.exit_code == 1 and "Close the self-assessment before purging" in refused.output
    assessment.state = type(assessment.state)("closed")
    db.session.commit()
    done = runner.invoke(args=["purge", assessment.code])
    assert done.exit_code == 0, done.output
    assert "removed 4 personal code(s), 4 profile(s)" in done.output

    everything = _everything_in_the_database()
    for secret in [*codes, *hashes, *profiles]:
        assert secret not in everything
    stamps = {
        *db.session.scalars(sa.select(AssessmentAnswer.answered_at)),
        *db.session.scalars(sa.select(AssessmentRound.completed_at)),
        *db.session.scalars(sa.select(AssessmentRound.started_at)),
        *db.session.scalars(sa.select(AssessmentRespondent.created_at)),
    }
    assert stamps == {assessment.created_at}  # when anyone came or answered is gone too
    assert _skills(assessment) == figures  # the aggregates stay
    assert results.aggregates(assessment).n == 4
    for code in codes:
        assert fresh_get(app.test_client(), f"/r/{code}").status_code == 404
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assessment_purged"))
    assert entry.actor == "command line" and entry.target == assessment.code and entry.detail["codes"] == 4


def test_retention_purges_respondents_past_it_and_the_coordinator_can_purge_now(
    app, make_assessment, make_user
):
    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    (_old, old_code), (_new, new_code) = _taken(app, assessment)[:2]
    old = db.session.scalar(
        sa.select(AssessmentRespondent).where(AssessmentRespondent.code_hash == hash_resume_code(old_code))
    )
    long_ago = utcnow() - timedelta(days=assessment.retention_days + 1)
    old.created_at = long_ago
    for take in old.rounds:
        take.started_at = take.completed_at = long_ago
    db.session.execute(
        sa.update(AssessmentAnswer)
        .where(AssessmentAnswer.respondent_id == old.id)
        .values(answered_at=long_ago)
    )
    db.session.commit()
    assert assessment.retention_days == 180
    assert assessment_erasure.purge_due() == {assessment: [old]}

    done = app.test_cli_runner().invoke(args=["purge"])
    assert (
        done.exit_code == 0
        and f"{assessment.code} (KT self-assessment): removed 1 personal code(s)" in done.output
    )
    assert assessment_erasure.purge_due() == {}
    assert fresh_get(app.test_client(), f"/r/{old_code}").status_code == 404
    assert fresh_get(app.test_client(), f"/r/{new_code}").status_code == 302  # still theirs

    desk = app.test_client()
    login(desk, owner)
    assert (
        "/purge" not in fresh_get(desk, f"/f/assessments/{assessment.code}").text
    )  # open: no Purge button yet
    desk.post(
        f"/f/assessments/{assessment.code}/state",
        data={
            "csrf_token": _csrf(fresh_get(desk, f"/f/assessments/{assessment.code}").text),
            "state": "closed",
        },
    )
    page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
    form = re.search(r'<form method="post" action="([^"]+/purge)">', page)
    assert form
    purged = desk.post(
        form.group(1), data={"csrf_token": _csrf(page), "confirm": "yes"}, follow_redirects=True
    )
    assert "Purged: removed 3 personal codes and 3 profiles" in purged.text
    assert fresh_get(app.test_client(), f"/r/{new_code}").status_code == 404
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "assessment_purged", AuditEntry.actor == owner.email)
    )
    assert entry is not None and entry.detail["codes"] == 3


def test_the_coordinator_sets_the_retention_period_on_the_page(app, make_assessment, make_user):
    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    (_phone, code), *_ = _taken(app, assessment)[:1]
    desk = app.test_client()
    login(desk, owner)
    page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
    form = re.search(r'<form method="post" action="([^"]+/retention)"', page)
    field = re.search(
        r'<input type="number" id="retention_days" name="retention_days"[^>]*value="(\d+)"', page
    )
    assert form and field and field.group(1) == "180"
    refused = desk.post(
        form.group(1), data={"csrf_token": _csrf(page), "retention_days": "0"}, follow_redirects=True
    )
    assert "between 1 and 3650 days" in refused.text and assessment.retention_days == 180
    page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
    saved = desk.post(
        form.group(1), data={"csrf_token": _csrf(page), "retention_days": "30"}, follow_redirects=True
    )
    assert "kept 30 days after each person" in saved.text and assessment.retention_days == 30
    assert (
        "deleted 30 days after their last answer" in fresh_get(desk, f"/f/assessments/{assessment.code}").text
    )
    respondent = db.session.scalar(
        sa.select(AssessmentRespondent).where(AssessmentRespondent.code_hash == hash_resume_code(code))
    )
    when = utcnow() - timedelta(days=31)
    respondent.created_at = when
    for take in respondent.rounds:
        take.started_at = take.completed_at = when
    db.session.execute(
        sa.update(AssessmentAnswer)
        .where(AssessmentAnswer.respondent_id == respondent.id)
        .values(answered_at=when)
    )
    db.session.commit()
    assert assessment_erasure.purge_due() == {assessment: [respondent]}  # 31 days > the 30 set
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assessment_retention"))
    assert entry.actor == owner.email and entry.detail == {"days": 30}
