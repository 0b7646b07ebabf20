"""The example framework shipped with Sounding Board: soft skills of KT professionals."""

from __future__ import annotations

NAME = "KT professionals' soft skills (example)"

# (code, name, cluster, definition) written for Sounding Board as a starting point.
SKILLS: tuple[tuple[str, str, str, str], ...] = (
    (
        "COM",
        "Communication",
        "Interpersonal",
        "Explains research and business needs clearly to each audience, in writing and in person, "
        "and checks that the message was understood.",
    ),
    (
        "NEG",
        "Negotiation",
        "Interpersonal",
        "Reaches agreements on collaboration, licensing or funding that both academic and business "
        "partners can accept, while protecting each side's core interests.",
    ),
    (
        "EMP",
        "Empathy",
        "Interpersonal",
        "Understands the motives, constraints and feelings of researchers and companies and takes "
        "them into account when brokering.",
    ),
    (
        "NET",
        "Networking",
        "Interpersonal",
        "Builds and maintains relationships of trust with researchers, firms and intermediaries, "
        "and knows whom to connect with whom.",
    ),
    (
        "CRT",
        "Critical thinking",
        "Cognitive",
        "Weighs evidence, claims and risks of a research result or partnership before "
        "recommending a course of action.",
    ),
    (
        "PRB",
        "Problem solving",
        "Cognitive",
        "Finds workable solutions when a collaboration meets legal, financial or practical obstacles.",
    ),
    (
        "ADP",
        "Adaptability",
        "Self-management",
        "Adjusts approach, language and pace to different partners, sectors and unexpected "
        "changes without losing sight of the goal.",
    ),
    (
        "RES",
        "Resilience",
        "Self-management",
        "Keeps going constructively through long deal cycles, rejections and setbacks.",
    ),
    (
        "TEA",
        "Teamwork",
        "Interpersonal",
        "Works with colleagues across departments and organisations, sharing information and "
        "credit to reach a common result.",
    ),
    (
        "ENT",
        "Entrepreneurial mindset",
        "Cognitive",
        "Spots opportunities to turn research into value for society or the market and takes "
        "initiative to pursue them.",
    ),
)
