"""A results store seeded with real suite runs, and a dashboard over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import attrs
import pytest
from starlette.testclient import TestClient

from atp_core.baseline import save_baseline
from atp_core.protocol import AgentSpec, Suite, SuiteRunResult
from atp_core.runner import RunOptions, run_suite
from atp_core.store import Store, StoreSink, open_store
from atp_core.suite import load_suite_text
from atp_web import WebSettings, create_app

FLAKY = """\
test_suite: "web-demo"
version: "1.0"
defaults: {runs_per_test: 4, timeout_seconds: 10}
agents:
  - name: "flaky"
    type: "python"
    config:
      target: "atp_core.agents.entry:run"
      kwargs: {agent: "flaky", failure_rate: 0.5, seed: SEED}
tests:
  - id: "greet"
    name: "Greet the team"
    task: {description: "Say hello to the team"}
    assertions:
      - {type: "contains", config: {pattern: "hello"}}
  - id: "status"
    name: "Report status"
    task: {description: "status: nominal"}
    assertions:
      - {type: "contains", config: {pattern: "nominal"}}
      - {type: "no_errors", config: {}}
"""

XSS = """\
test_suite: "web-xss"
version: "1.0"
defaults: {runs_per_test: 1, timeout_seconds: 10}
agents:
  - name: "html-injector"
    type: "python"
    config: {target: "atp_core.agents.entry:run", kwargs: {agent: "html-injector"}}
tests:
  - id: "inject"
    name: "Inject <b>markup</b>"
    task: {description: "Write a page"}
    assertions:
      - {type: "contains", config: {pattern: "never-there"}}
"""

SLOW = """\
test_suite: "web-slow"
version: "1.0"
defaults: {runs_per_test: 1, timeout_seconds: 0.7}
agents:
  - name: "slow"
    type: "python"
    config: {target: "atp_core.agents.entry:run", kwargs: {agent: "hang"}}
tests:
  - {id: "one", name: "One", task: {description: "wait"},
     assertions: [{type: "no_errors", config: {}}]}
  - {id: "two", name: "Two", task: {description: "wait"},
     assertions: [{type: "no_errors", config: {}}]}
  - {id: "three", name: "Three", task: {description: "wait"},
     assertions: [{type: "no_errors", config: {}}]}
"""


@attrs.frozen(kw_only=True)
class Seeded:
    """The seeded store: its URL, suite directory and the suite runs in it."""

    url: str
    suites_dir: Path
    flaky_a: SuiteRunResult
    flaky_b: SuiteRunResult
    xss: SuiteRunResult


async def _run(store: Store, suite: Suite, agent: AgentSpec) -> SuiteRunResult:
    async with StoreSink(store, suite=suite, agent=agent) as sink:
        return await run_suite(suite, agent, RunOptions(parallel=4), [sink])


async def _seed(url: str, suites_dir: Path) -> tuple[SuiteRunResult, ...]:
    out = []
    async with open_store(url) as store:
        for text in (FLAKY.replace("SEED", "1"), FLAKY.replace("SEED", "7"), XSS):
            suite = load_suite_text(text, "seed.yaml", suites_dir)
            out.append(await _run(store, suite, suite.agents[0]))
        await save_baseline(store, out[0].id, "demo-baseline")
    return tuple(out)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """A SQLite store with two runs of web-demo (flaky agent), one of web-xss, a baseline."""
    root = tmp_path_factory.mktemp("web")
    suites_dir = root / "suites"
    suites_dir.mkdir()
    (suites_dir / "slow.yaml").write_text(SLOW, encoding="utf-8")
    (suites_dir / "xss.yaml").write_text(XSS, encoding="utf-8")
    url = f"sqlite:///{root / 'atp.db'}"
    a, b, xss = anyio.run(_seed, url, suites_dir)
    return Seeded(url=url, suites_dir=suites_dir, flaky_a=a, flaky_b=b, xss=xss)


@pytest.fixture
def settings(seeded: Seeded) -> WebSettings:
    """Dashboard settings over the seeded store."""
    return WebSettings(database_url=seeded.url, suites_dirs=(seeded.suites_dir,),
                       poll_interval=0.1, parallel=1)


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    """A test client of a dashboard over the seeded store."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client
