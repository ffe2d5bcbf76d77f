"""Trends of many suite/agent pairs in few queries: what the dashboard's charts read.

Listing the latest suite runs to find recent pairs, then reading each pair's trend with two
queries, made the home page, ``/api/v1/trends`` and the agent pages cost about twenty queries
each; under a hundred concurrent clients their number, not their size, set the latency
(docs/dashboard.md, Performance). Here the pairs are one ``GROUP BY`` and the trends of up to
``PAIRS_PER_QUERY`` pairs are one ``UNION ALL`` of per-pair ``ORDER BY ... LIMIT`` reads, each
an index range scan of ``suite_runs_by_pair`` that stops after ``limit`` rows, with every
point's mean test score from a correlated average over ``tests_order``.
"""

from __future__ import annotations

from collections.abc import Sequence

from atp_core.store._codec import Row
from atp_core.store._tables import Tables
from atp_core.store._types import TrendPoint

Pair = tuple[str, str]
# Four parameters per pair keeps a query far below SQLite's 32,766 bound parameters.
PAIRS_PER_QUERY = 100

_POINT_COLUMNS = "id, suite, agent, started_at, started_ts, status, tests_total, tests_passed"


async def recent_pairs(
    tables: Tables, tenant: str, limit: int, agent: str | None = None
) -> tuple[Pair, ...]:
    """Suite/agent pairs (of ``agent`` when given) by their latest suite run, newest first."""
    if limit <= 0:
        return ()
    t = tables.suite_runs
    where = "tenant_id = {}"
    args: list[object] = [tenant]
    if agent is not None:
        where += " AND agent = {}"
        args.append(agent)
    # S608: the text joins constant fragments only; every value is a bound parameter.
    rows: list[Row] = await t.raw(
        "SELECT suite, agent, MAX(started_ts) AS last_ts FROM suite_runs "  # noqa: S608
        f"WHERE {where} GROUP BY suite, agent ORDER BY last_ts DESC, suite, agent LIMIT {{}}",
        *args,
        limit,
    )
    return tuple((r["suite"], r["agent"]) for r in rows)


def _point(row: Row) -> TrendPoint:
    total, passed = row["tests_total"], row["tests_passed"]
    mean = row["mean_score"]
    return TrendPoint(
        suite_run_id=row["id"],
        started_at=row["started_at"],
        status=row["status"],
        tests_total=total,
        tests_passed=passed,
        pass_rate=passed / total if total else None,
        mean_score=None if mean is None else float(mean),
    )


async def _chunk(tables: Tables, tenant: str, pairs: Sequence[Pair], limit: int) -> list[Row]:
    arms = []
    args: list[object] = []
    for i, (suite, agent) in enumerate(pairs):
        arms.append(  # constant fragments only, as below; values are bound parameters
            f"SELECT * FROM (SELECT {_POINT_COLUMNS} FROM suite_runs "  # noqa: S608
            "WHERE tenant_id = {} AND suite = {} AND agent = {} "
            f"ORDER BY started_ts DESC LIMIT {{}}) AS pair_{i}"
        )
        args.extend([tenant, suite, agent, limit])
    sql = (
        "SELECT p.*, (SELECT AVG(t.mean_score) FROM tests t WHERE t.suite_run_id = p.id) "  # noqa: S608
        f"AS mean_score FROM ({' UNION ALL '.join(arms)}) AS p"
    )
    rows: list[Row] = await tables.suite_runs.raw(sql, *args)
    return rows


async def trends(
    tables: Tables, tenant: str, pairs: Sequence[Pair], limit: int
) -> dict[Pair, tuple[TrendPoint, ...]]:
    """The latest ``limit`` suite runs of each pair, oldest first; a pair with none has ()."""
    wanted = list(dict.fromkeys(pairs))
    found: dict[Pair, list[Row]] = {pair: [] for pair in wanted}
    if limit > 0:
        for start in range(0, len(wanted), PAIRS_PER_QUERY):
            for row in await _chunk(tables, tenant, wanted[start : start + PAIRS_PER_QUERY], limit):
                found[row["suite"], row["agent"]].append(row)
    return {
        pair: tuple(_point(r) for r in sorted(rows, key=lambda r: r["started_ts"]))
        for pair, rows in found.items()
    }
