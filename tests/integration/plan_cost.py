"""Rows a PostgreSQL statement visits, from EXPLAIN ANALYZE: a bound on work that no timing gives.

A plan that re-runs an aggregate once per row (a nested loop over a subquery, when the planner
has no statistics and guesses one row) visits rows by the square of the session; a good plan,
a few times the session. `visited` adds, over the plan's nodes, the rows each produced and
threw away (filters, join filters, rechecks), times its loops. Tests assert a bound on it;
bench/query_plans.py prints it for every statement the app runs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event

_probes = itertools.count()
THROWN_AWAY = ("Rows Removed by Filter", "Rows Removed by Join Filter", "Rows Removed by Index Recheck")


@dataclass(frozen=True)
class PlanCost:
    visited: int  # rows produced or thrown away by every node, times its loops
    max_loops: int  # the most any node ran
    worst: str  # the node that visited most, with its loops: where to look
    repeated: tuple[str, ...] = ()  # every node run more than once, with its rows and loops

    def to_dict(self) -> dict[str, Any]:
        return {
            "visited": self.visited,
            "max_loops": self.max_loops,
            "worst": self.worst,
            "repeated": self.repeated,
        }


def explain(conn: Connection, statement: str, params: Any = None, generic: bool = False) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, FORMAT JSON) of a statement as the app sent it (its DBAPI parameters), in a
    transaction rolled back afterwards (a write is run, then undone); the top plan node.

    `generic`: the plan PostgreSQL may keep for a prepared statement (psycopg prepares one that a
    connection ran 5 times), made without the parameters' values (plan_cache_mode).
    """
    with conn.begin() as transaction:
        try:
            if generic:
                rows = _explain_generic(conn, statement, params or {})
            else:
                sql = f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}"
                rows = conn.exec_driver_sql(sql, params or {}).scalar()
        finally:
            transaction.rollback()
    plan = rows[0] if isinstance(rows, list) else rows
    return plan["Plan"]


def _explain_generic(conn: Connection, statement: str, params: dict[str, Any]) -> Any:
    import psycopg

    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    prepared = re.sub(r"%\((\w+)\)s", number, statement).replace("%%", "%")
    arguments = f"({', '.join(f'%({name})s' for name in names)})" if names else ""
    name = f"plan_cost_{next(_probes)}"  # left behind if it fails: the transaction is aborted
    connection = conn.connection.dbapi_connection
    assert isinstance(connection, psycopg.Connection)
    with psycopg.ClientCursor(connection) as cursor:  # EXECUTE takes literals
        cursor.execute(f"PREPARE {name} AS {prepared}")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {name}{arguments}", params)
        plan = cursor.fetchone()
        cursor.execute(f"DEALLOCATE {name}")
    return plan[0] if plan else None


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def visited(plan: dict[str, Any]) -> PlanCost:
    """The rows a plan's nodes visited (EXPLAIN gives rows and removed rows per loop)."""
    total, max_loops, worst, worst_rows, repeated = 0, 0, "", -1, []
    for node in _nodes(plan):
        loops = node.get("Actual Loops", 0)
        rows = round((node.get("Actual Rows", 0) + sum(node.get(k, 0) for k in THROWN_AWAY)) * loops)
        total += rows
        max_loops = max(max_loops, loops)
        name = " ".join(
            filter(None, (node["Node Type"], node.get("Relation Name") or node.get("Subplan Name")))
        )
        if rows > worst_rows:
            worst, worst_rows = f"{name} ({rows} rows, {loops} loops)", rows
        if loops > 1:
            repeated.append(f"{name} ({rows} rows, {loops} loops)")
    return PlanCost(total, max_loops, worst, tuple(repeated))


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (with its parameters) the engine runs inside the block, in order."""
    caught: list[tuple[str, Any]] = []

    def catch(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if not many:
            caught.append((statement, params))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        yield caught
    finally:
        event.remove(engine, "before_cursor_execute", catch)


def costs(engine: Engine, run: Callable[[], Any], matching: Callable[[str], bool]) -> list[PlanCost]:
    """Run `run`, then EXPLAIN ANALYZE each statement it ran that `matching` accepts: their costs."""
    with statements(engine) as caught:
        run()
    with engine.connect() as conn:
        return [visited(explain(conn, s, p)) for s, p in caught if matching(s)]
