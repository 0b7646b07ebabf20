"""Wording Sounding Board proposes or ships (the demo's titles and questions, the default consent
and profile questions): written in English here, in every shipped language in the catalogs.

Where a session still uses one of these texts unchanged and has no translation of its own, a
phone shows the catalog's (as preset criteria do); the session form also fills the translation
fields with them, so the facilitator sees and may change every language.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for the catalogs; translated where it is shown."""
    return message


DEFAULT_CONSENT = N_(
    "Your answers are recorded under a pseudonym (P01, P02, ...) for the validation of the "
    "skills framework. We do not ask for your name. You may leave at any time."
)

# The demo
MEETING_TITLE = N_("Demo validation meeting")
REVIEW_TITLE = N_("Demo review of the programme guide")
WORKSHOP_TITLE = N_("Demo prioritisation workshop")
ASSESSMENT_TITLE = N_("KT soft skills: self-assessment (demo)")
PICK_PROMPT = N_("Which skills are indispensable?")  # also the form's example
RANK_PROMPT = N_("Put your top three in order")
POINTS_PROMPT = N_("Spread 100 points over the skills")

# Profile questions: a live session's, and a self-assessment's
SECTOR = N_("Sector")
UNIVERSITY, BUSINESS, EXPERT, OTHER = N_("University"), N_("Business"), N_("Expert"), N_("Other")
PUBLIC_BODY = N_("Public body")
YEARS = N_("Years in knowledge transfer")
UNDER_2, OVER_10 = N_("Under 2"), N_("Over 10")

# (key, label, options)
SESSION_PROFILE = (("sector", SECTOR, (UNIVERSITY, BUSINESS, EXPERT, OTHER)),)
ASSESSMENT_PROFILE = (
    ("sector", SECTOR, (UNIVERSITY, BUSINESS, PUBLIC_BODY, OTHER)),
    ("years", YEARS, (UNDER_2, "2-5", "6-10", OVER_10)),
)

WORDS = frozenset(
    {
        DEFAULT_CONSENT,
        MEETING_TITLE,
        REVIEW_TITLE,
        WORKSHOP_TITLE,
        ASSESSMENT_TITLE,
        PICK_PROMPT,
        RANK_PROMPT,
        POINTS_PROMPT,
        SECTOR,
        UNIVERSITY,
        BUSINESS,
        EXPERT,
        OTHER,
        PUBLIC_BODY,
        YEARS,
        UNDER_2,
        OVER_10,
    }
)
