"""Baselines kept in the store: save a suite run under a name, load it back, compare."""

from __future__ import annotations

import datetime as dt

from atp_core.baseline._compare import compare
from atp_core.baseline._correction import Correction
from atp_core.baseline._types import Comparison
from atp_core.errors import StorageError
from atp_core.protocol import SuiteRunResult
from atp_core.store import BaselineRecord, Store


async def _result(store: Store, suite_run_id: str) -> SuiteRunResult:
    result = await store.load_suite_run_result(suite_run_id)
    if result is None:
        raise StorageError(
            f"suite run {suite_run_id} is not in the results store {store.url}; "
            "list suite runs with 'atp results list'"
        )
    return result


async def save_baseline(
    store: Store, suite_run_id: str, name: str, *, now: dt.datetime | None = None
) -> BaselineRecord:
    """Save suite run ``suite_run_id`` as baseline ``name`` (replacing one of that name).

    The snapshot keeps every run's score and verdict per test, as the runner produced them.
    """
    header = await store.suite_run_header(suite_run_id)
    if header is not None and header.status == "running":
        raise StorageError(
            f"suite run {suite_run_id} has not finished; finish it (atp run --resume "
            f"{suite_run_id}) before saving it as a baseline"
        )
    result = await _result(store, suite_run_id)
    snapshot = {
        "tests": {
            t.test_id: {
                "name": t.name,
                "scores": [r.score for r in t.runs],
                "verdicts": [r.verdict for r in t.runs],
            }
            for t in result.tests
        }
    }
    record = BaselineRecord(
        name=name, suite=result.suite, agent=result.agent,
        created_at=(now or dt.datetime.now(dt.UTC)).isoformat(), suite_run_id=suite_run_id,
        snapshot=snapshot,
    )
    await store.put_baseline(record)
    return record


async def list_baselines(store: Store, suite: str | None = None) -> tuple[BaselineRecord, ...]:
    """Every saved baseline (of ``suite`` when given), by name."""
    return await store.list_baselines(suite)


async def load_baseline(store: Store, name: str) -> SuiteRunResult:
    """The suite run result a baseline points at."""
    record = await store.get_baseline(name)
    if record is None:
        raise StorageError(
            f"no baseline named {name!r} in {store.url}; save one with "
            "'atp baseline save SUITE_RUN_ID --name NAME'"
        )
    return await _result(store, record.suite_run_id)


async def compare_with_baseline(
    store: Store,
    suite_run_id: str,
    name: str,
    *,
    alpha: float = 0.05,
    correction: Correction = "holm",
) -> Comparison:
    """Compare a stored suite run with a stored baseline (``atp baseline compare``)."""
    current = await _result(store, suite_run_id)
    return compare(current, await load_baseline(store, name), alpha=alpha, correction=correction)
