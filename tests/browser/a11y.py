"""Accessibility checks in the browser: axe-core injected into a page, serious and critical findings fail."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# WCAG 2.1 A and AA plus axe's best practices (a page has one main landmark, one h1, ...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Findings on pages a test cannot reach again (the first-run page exists once per server).
seen: dict[str, list[dict[str, Any]]] = {}


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page: Any, impacts: tuple[str, ...] = BLOCKING) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the debugger, not as an inline <script>, which the page's CSP refuses.
        page.evaluate(_axe_source() + "\n;undefined")
    found = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            const result = await axe.run(document, options);
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || "",
                                            html: n.html})),
            }));
        }""",
        TAGS,
    )
    return [v for v in found if v["impact"] in impacts]


def describe(found: list[dict[str, Any]]) -> str:
    """One readable block per violation: rule, impact, what it asks, then each element and why."""
    lines = []
    for v in found:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    at {node['target']}: {summary}")
            lines.append(f"       {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Any, where: str) -> None:
    """Fail with every serious or critical axe-core violation on the page, described readably."""
    found = violations(page)
    assert not found, f"axe-core: {len(found)} serious/critical violation(s) on {where}:\n{describe(found)}"


def assert_all_accessible(pages: dict[str, Any]) -> None:
    """Check several pages at one moment; report every page's violations, not just the first page's."""
    assert_none({where: violations(page) for where, page in pages.items()})


def assert_none(found: dict[str, list[dict[str, Any]]]) -> None:
    """Fail with the violations gathered per page or moment, each described readably."""
    report = "\n".join(f"--- {where}:\n{describe(v)}" for where, v in found.items() if v)
    assert not report, f"axe-core: serious/critical violations:\n{report}"


def remember(page: Any, where: str) -> None:
    """Keep the page's findings for a later test instead of failing the fixture that saw it."""
    seen[where] = violations(page)
