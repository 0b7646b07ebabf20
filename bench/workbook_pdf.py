"""How the results workbook prints: five closed sessions on the example framework, to PDF.

The issue's audit set: sessions of 12, 8, 7, 5 and 3 participants, relevance (1-4) and
essentiality (1-3), one session with re-votes, starred comments. Writes each session's
workbook and the merged one, converts them with LibreOffice headless and reports the pages
(pdfinfo). With --png, also renders the first pages of each PDF (pdftoppm) to look at.

Run: .venv/bin/python bench/workbook_pdf.py [--out /tmp/wb-pdf] [--png 4]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.example_framework import SKILLS  # noqa: E402
from domain.export_data import (  # noqa: E402
    CommentRow,
    CriterionInfo,
    Decision,
    ParticipantRow,
    ProfileQuestion,
    RatingRow,
    SessionInfo,
    SkillInfo,
    WorkbookData,
)
from domain.workbook import write_workbook  # noqa: E402

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
CRITERIA = (
    CriterionInfo("relevance", "Relevance", "relevance", 1, 4,
                  ("Not relevant", "Somewhat relevant", "Quite relevant", "Highly relevant")),
    CriterionInfo("essentiality", "Essential?", "essentiality", 1, 3,
                  ("Not necessary", "Useful but not essential", "Essential")),
)  # fmt: skip
SECTOR = ProfileQuestion("sector", "Sector", ("University", "Business", "Expert", "Other"))
COUNTRY = ProfileQuestion("country", "Country", ("PL", "DE", "IT", "ES", "FI"))
PLACES = (("Kraków", "PL"), ("Berlin", "DE"), ("Bologna", "IT"), ("Sevilla", "ES"), ("Tampere", "FI"))
SIZES = (12, 8, 7, 5, 3)


def sessions() -> list[WorkbookData]:
    rng = random.Random(7)
    skills = tuple(SkillInfo(code, name, definition, cluster) for code, name, cluster, definition in SKILLS)
    out = []
    for i, size in enumerate(SIZES):
        code = f"WS{i + 1}"
        place, country = PLACES[i]
        revoted = {k.code: 2 for k in skills[:3]} if i == 0 else {}
        info = SessionInfo(
            code, f"Validation workshop {i + 1}", date(2026, 5, 4 + i), place, country, "en", "Facilitator",
            "KT soft skills", 1, "facilitator", "closed", "pseudonymous", {"agree_pct": 0.75, "iqr_max": 1.0},
            CRITERIA, skills, (SECTOR, COUNTRY),
            {k.code: Decision("keep", "clear support in the room", "Facilitator", T0) for k in skills[:4]},
            revoted,
        )  # fmt: skip
        people = [
            ParticipantRow(
                code, f"P{n:02d}", {"sector": rng.choice(SECTOR.options), "country": place[1]}, T0, T0
            )
            for n, place in ((n, PLACES[i]) for n in range(1, size + 1))
        ]
        ratings, comments = [], []
        for k in skills:
            for c in CRITERIA:
                for r in range(1, revoted.get(k.code, 1) + 1):
                    for p in people:
                        value = None if rng.random() < 0.08 else rng.randint(c.scale_max - 2, c.scale_max)
                        at = T0 + timedelta(minutes=r)
                        ratings.append(RatingRow(code, p.pseudonym, k.code, c.key, value, r, at, at))
            state = "starred" if rng.random() < 0.3 else "visible"
            comments.append(CommentRow(code, "P01", k.code, f"On {k.name}: an example remark.", T0, state))
        out.append(WorkbookData((info,), people, ratings, comments, T0 + timedelta(days=9), "bench"))
    return out


def merged(parts: list[WorkbookData]) -> WorkbookData:
    return WorkbookData(
        tuple(s for d in parts for s in d.sessions),
        [p for d in parts for p in d.participants],
        [r for d in parts for r in d.ratings],
        [c for d in parts for c in d.comments],
        T0 + timedelta(days=9),
        "bench",
    )


def to_pdf(xlsx: Path, out: Path) -> int:
    profile = out / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pdf = str(xlsx.with_suffix(".pdf"))
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/wb-pdf")
    parser.add_argument("--png", type=int, default=0, help="render this many first pages of each PDF")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    parts = sessions()
    books = {f"session-{d.sessions[0].code}": d for d in parts}
    books["merged"] = merged(parts)
    for name, data in books.items():
        path = out / f"{name}.xlsx"
        write_workbook(data, str(path))
        pages = to_pdf(path, out)
        print(f"{name}: {pages} pages")
        if args.png:
            pdf = str(path.with_suffix(".pdf"))
            pages_png = ["pdftoppm", "-png", "-r", "60", "-l", str(args.png), pdf, str(out / name)]
            subprocess.run(pages_png, check=True)


if __name__ == "__main__":
    main()
