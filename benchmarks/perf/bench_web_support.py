"""What the dashboard benchmarks share (not a benchmark itself).

Seeded scratch stores (SQLite in a temporary directory, PostgreSQL as a scratch database on
127.0.0.1:5432, dropped afterwards), the dashboard's routes with real ids picked from the
store, ``atp serve`` as a subprocess on a free loopback port, and percentiles.
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import anyio
import attrs
import httpx
from _common import HERE, ROOT
from seed_store import TEMPLATE_ID, seed, write_template

from atp_core.store import Store, open_store

PG = "postgresql://postgres@127.0.0.1:5432/"
BASELINE = "bench-web"
SUITE_FILE = """\
test_suite: "bench-web"
version: "1.0"
tests:
  - {id: "t1", name: "echo", task: {description: "hello"},
     assertions: [{type: "contains", config: {pattern: "hello"}}]}
"""


def percentile(times: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``times``, nearest rank below (as the store benchmark)."""
    ordered = sorted(times)
    return ordered[int(q * (len(ordered) - 1))]


def p50_p95(times: Sequence[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    return statistics.median(times), percentile(times, 0.95)


async def _pg_admin(sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="postgres",
                                 timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextlib.contextmanager
def seeded_store(engine: str, runs: int) -> Iterator[str | None]:
    """A fresh store of ``engine`` seeded with ``runs`` runs; None if PostgreSQL is down."""
    with tempfile.TemporaryDirectory() as tmp:
        drop = None
        if engine == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        else:
            name = f"atp_bench_{uuid.uuid4().hex[:10]}"
            try:
                anyio.run(_pg_admin, f"CREATE DATABASE {name}")
            except (OSError, TimeoutError) as exc:
                print(f"{engine}: skipped, PostgreSQL on 127.0.0.1:5432 unreachable ({exc})",
                      file=sys.stderr)
                yield None
                return
            url, drop = PG + name, f"DROP DATABASE {name} WITH (FORCE)"
        try:
            suite_runs, seconds = anyio.run(seed, url, runs)
            print(f"{engine}: seeded {runs:,} runs ({suite_runs:,} suite runs) in {seconds:.0f} s",
                  file=sys.stderr)
            yield url
        finally:
            if drop is not None:
                anyio.run(_pg_admin, drop)


@attrs.frozen(kw_only=True)
class Ids:
    """Real ids of a seeded store, for the routes that take one."""

    suite_runs: tuple[str, ...]
    tests: tuple[str, ...]
    agents: tuple[str, ...]
    suites: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]  # two suite runs of one suite, for /compare
    template: str  # a suite run written through StoreSink: its run ids are URL-safe
    run_ids: tuple[str, ...]
    artifact: str


async def pick_ids(url: str, sample: int = 200) -> Ids:
    """Sample ids across the store; add a StoreSink-written suite run and a baseline if absent.

    The seeder's copied runs have ids with ``/`` in them, which no URL path segment can
    carry, so run-level routes use the runs of one suite run written the ordinary way.
    """
    rng = random.Random(14)
    async with open_store(url) as store:
        total = (await store.list_suite_runs(limit=1)).total
        offsets = sorted(rng.sample(range(total), min(sample, total)))
        headers = [(await store.list_suite_runs(limit=1, offset=o)).items[0] for o in offsets]
        detail = await store.get_suite_run(headers[0].id)
        assert detail is not None
        template = await _template(store)
        runs = (await store.get_test(template, detail.tests[0].test_id))
        assert runs is not None
        pairs = await _pairs(store, sorted({h.suite for h in headers}))
        if not await store.list_baselines(None):
            from atp_core.baseline import save_baseline

            await save_baseline(store, pairs[0][0], BASELINE)
        return Ids(
            suite_runs=tuple(h.id for h in headers), tests=tuple(t.test_id for t in detail.tests),
            agents=tuple(sorted({h.agent for h in headers})),
            suites=tuple(sorted({h.suite for h in headers})), pairs=pairs, template=template,
            run_ids=tuple(r.id for r in runs.runs), artifact=runs.runs[0].artifacts[0].path,
        )


async def _template(store: Store) -> str:
    if await store.suite_run_header(TEMPLATE_ID) is None:
        await write_template(store, tests=10, runs=50, events=2)
    return TEMPLATE_ID


async def _pairs(store: Store, suites: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for suite in suites:
        items = (await store.list_suite_runs(suite=suite, limit=2)).items
        if len(items) == 2 and items[0].agent == items[1].agent:
            out.append((items[1].id, items[0].id))
    return tuple(out)


Route = tuple[str, Callable[[random.Random], str]]


def routes(ids: Ids) -> list[Route]:
    """Every read-only page and API route, each a URL maker over random real ids."""
    def sid(r: random.Random) -> str:
        return r.choice(ids.suite_runs)

    def test(r: random.Random) -> str:
        return f"{sid(r)}/tests/{r.choice(ids.tests)}"

    def pair(r: random.Random) -> str:
        a, b = r.choice(ids.pairs)
        return f"a={a}&b={b}"

    art = f"/runs/{ids.template}/tests/{ids.tests[0]}/artifacts/{{}}?path={ids.artifact}"
    return [
        ("/", lambda r: "/"),
        ("/runs", lambda r: "/runs"),
        ("/runs?suite&agent", lambda r: f"/runs?suite={r.choice(ids.suites)}"
                                        f"&agent={r.choice(ids.agents)}"),
        ("/runs?order=oldest&page", lambda r: f"/runs?order=oldest&page={r.randint(1, 20)}"),
        ("/runs?format=csv", lambda r: "/runs?format=csv"),
        ("/runs/{id}", lambda r: f"/runs/{sid(r)}"),
        ("/runs/{id}?format=xlsx", lambda r: f"/runs/{sid(r)}?format=xlsx"),
        ("/runs/{id}/tests/{t}", lambda r: f"/runs/{test(r)}"),
        ("/runs/{id}/tests/{t}/artifacts/{run}", lambda r: art.format(r.choice(ids.run_ids))),
        ("/agents", lambda r: "/agents"),
        ("/agents/{name}", lambda r: f"/agents/{r.choice(ids.agents)}"),
        ("/compare", lambda r: "/compare"),
        ("/compare?a&b", lambda r: f"/compare?{pair(r)}"),
        ("/baselines", lambda r: "/baselines"),
        ("/launch", lambda r: "/launch"),
        ("/healthz", lambda r: "/healthz"),
        ("/metrics", lambda r: "/metrics"),
        ("/api/v1/openapi.json", lambda r: "/api/v1/openapi.json"),
        ("/api/v1/runs", lambda r: "/api/v1/runs"),
        ("/api/v1/runs/{id}", lambda r: f"/api/v1/runs/{sid(r)}"),
        ("/api/v1/runs/{id}/progress", lambda r: f"/api/v1/runs/{sid(r)}/progress"),
        ("/api/v1/runs/{id}/tests/{t}", lambda r: f"/api/v1/runs/{test(r)}"),
        ("/api/v1/test-runs/{run}/events",
         lambda r: f"/api/v1/test-runs/{r.choice(ids.run_ids)}/events"),
        ("/api/v1/test-runs/{run}/artifacts",
         lambda r: f"/api/v1/test-runs/{r.choice(ids.run_ids)}/artifacts?path={ids.artifact}"),
        ("/api/v1/agents", lambda r: "/api/v1/agents"),
        ("/api/v1/agents/{name}", lambda r: f"/api/v1/agents/{r.choice(ids.agents)}"),
        ("/api/v1/trends", lambda r: "/api/v1/trends"),
        ("/api/v1/compare?a&b", lambda r: f"/api/v1/compare?{pair(r)}"),
        ("/api/v1/baselines", lambda r: "/api/v1/baselines"),
        ("/api/v1/suites", lambda r: "/api/v1/suites"),
    ]


def suites_dir(tmp: Path) -> Path:
    """A directory with one small suite file, for the launch page and ``/api/v1/suites``."""
    (tmp / "bench-web.yaml").write_text(SUITE_FILE, encoding="utf-8")
    return tmp


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def atp_serve(url: str, workers: int = 1) -> Iterator[str]:
    """``atp serve --db URL --workers N`` on a free loopback port, until the block ends.

    Yields its base URL.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        argv = [str(Path(sys.executable).parent / "atp"), "serve", "--host", "127.0.0.1",
                "--port", str(port), "--db", url, "--suites", str(suites_dir(Path(tmp))),
                "--workers", str(workers)]
        proc = subprocess.Popen(argv, cwd=ROOT, env=dict(os.environ),
                                stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, proc)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"atp serve exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit("atp serve did not become healthy within 60 s")


__all__ = ["HERE", "Ids", "atp_serve", "p50_p95", "percentile", "pick_ids", "routes",
           "seeded_store", "suites_dir"]
