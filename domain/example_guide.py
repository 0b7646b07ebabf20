"""A short example guide (a programme guide's sections) for the demo review and tests."""

from __future__ import annotations

NAME = "Programme guide for KT professionals (example)"

# (code, title, text): paragraphs separated by a blank line.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "G1",
        "Who the programme is for",
        "The programme is for people who move knowledge between universities, research centres "
        "and the organisations that use research: technology transfer officers, liaison staff, "
        "research managers and the business developers who work with them.\n\n"
        "No degree in a particular subject is required. What matters is that you already take "
        "part in collaborations, or are about to, and want to do it with more confidence.",
    ),
    (
        "G2",
        "How the programme is organised",
        "The programme runs over six months. Each month has one day together in person and two "
        "short online meetings with a small group of peers.\n\n"
        "Between the meetings you work on a case from your own job. A mentor who has done "
        "similar work reads your notes and meets you twice.",
    ),
    (
        "G3",
        "What you will be able to do",
        "By the end you can plan a collaboration from the first meeting to the signed agreement, "
        "explain research to people who do not share its vocabulary, and negotiate terms that both "
        "sides can keep.\n\n"
        "You will also have a written portfolio of your case, which your employer can recognise "
        "as professional development.",
    ),
    (
        "G4",
        "How your work is assessed",
        "There is no examination. Your mentor and one other participant read your portfolio and "
        "discuss it with you in the last month.\n\n"
        "The assessment asks whether you reflected on what happened in your case and what you "
        "would do differently, not whether the case itself succeeded.",
    ),
)
