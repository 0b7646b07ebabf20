"""List-question results for the results page (one session) and the comparison page (pooled)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.kinds.export import NotPooled
from domain.kinds.pooling import pool_lists
from domain.kinds.table import result_tables
from models import LiveSession
from services.prioritisation import list_export


def session_tables(session: LiveSession) -> list[dict[str, Any]]:
    """Each list question's current round, as a table of figures per skill."""
    return result_tables(list_export([session]))


def pooled_tables(sessions: Sequence[LiveSession]) -> tuple[list[dict[str, Any]], tuple[NotPooled, ...]]:
    """List questions asked in two or more of these sessions, pooled over everyone who answered
    where their settings allow; and those left apart, each with its reason."""
    pooled = pool_lists(list_export(sessions))
    return result_tables(pooled), pooled.not_pooled
