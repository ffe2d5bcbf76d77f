"""Suite runs started from the browser: executed in the server, stored, fed live."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
import anyio.abc
import attrs
import structlog

from atp_core.errors import AtpError
from atp_core.protocol import AgentSpec, Suite, SuiteRunResult
from atp_core.store import Store, StoreSink, detect_run_context
from atp_web.errors import BadRequest
from atp_web.services.feed import FeedSink, LiveFeed
from atp_web.services.suites import SuiteFile
from atp_web.settings import WebSettings

log = structlog.get_logger("atp.web")
BUILTIN = "builtin:"
SUITE = "suite:"
START_TIMEOUT = 30.0


@attrs.frozen(kw_only=True)
class LaunchRequest:
    """What the launch form asks for."""

    suite: SuiteFile
    agent: str
    runs: int | None = None


def agent_choices(suite: Suite | None) -> list[tuple[str, str]]:
    """(value, label) of every agent a run may target: the suite's own, then built-ins."""
    from atp_core.agents import AGENTS

    own = [(f"{SUITE}{a.name}", f"{a.name} (from the suite, {a.type})")
           for a in (suite.agents if suite else ())]
    return own + [(f"{BUILTIN}{name}", f"{name} (built-in)") for name in sorted(AGENTS)]


def choose_agent(suite: Suite, choice: str) -> AgentSpec:
    """The agent spec for a form's agent value; ``BadRequest`` when it names none."""
    if choice.startswith(BUILTIN):
        from atp_core.agents import AGENTS, builtin_spec

        name = choice.removeprefix(BUILTIN)
        if name not in AGENTS:
            raise BadRequest(f"unknown built-in agent {name!r}")
        return builtin_spec(name)
    name = choice.removeprefix(SUITE)
    for agent in suite.agents:
        if agent.name == name:
            return agent
    raise BadRequest(f"agent {name!r} is not in the suite's agents: block")


class Launcher:
    """Starts suite runs in the server's task group; each writes through ``StoreSink``."""

    def __init__(
        self, store: Store, feed: LiveFeed, settings: WebSettings, sinks: tuple[Any, ...] = ()
    ) -> None:
        self.store = store
        self.feed = feed
        self.settings = settings
        self.extra_sinks = sinks
        self.group: anyio.abc.TaskGroup | None = None
        self.stop = anyio.Event()
        self._active: set[anyio.Event] = set()

    async def start(self, request: LaunchRequest) -> str:
        """Load the suite, start the run, return its id once the store has it."""
        from atp_core.suite import load_suite

        if self.group is None:
            raise RuntimeError("the launcher runs only inside the app's lifespan")
        try:
            suite = await anyio.to_thread.run_sync(load_suite, request.suite.path)
        except AtpError as exc:
            raise BadRequest(f"the suite {request.suite.key} is invalid: {exc}") from exc
        agent = choose_agent(suite, request.agent)
        suite_run_id = uuid.uuid4().hex
        progress = self.feed.track(suite_run_id)
        failed: list[str] = []
        self.group.start_soon(self._run, suite, agent, suite_run_id, request.runs, failed)
        with anyio.move_on_after(START_TIMEOUT):
            while not progress.started.is_set() and not failed:
                await self.feed.wait(suite_run_id, 0.05)
        if failed:
            raise BadRequest(f"the run could not start: {failed[0]}")
        return suite_run_id

    async def _run(
        self, suite: Suite, agent: AgentSpec, suite_run_id: str, runs: int | None,
        failed: list[str],
    ) -> SuiteRunResult | None:
        from atp_core.runner import RunOptions, run_suite

        options = RunOptions(
            runs=runs, parallel=self.settings.parallel, suite_run_id=suite_run_id,
            workspace_root=self.settings.workspace_root, stop_event=self.stop,
        )
        done = anyio.Event()
        self._active.add(done)
        try:
            context = await anyio.to_thread.run_sync(detect_run_context)
            async with StoreSink(self.store, suite=suite, agent=agent, context=context) as sink:
                sinks = [sink, FeedSink(self.feed), *self.extra_sinks]
                return await run_suite(suite, agent, options, sinks)
        except Exception as exc:
            # A failure here must not end the server's task group (and the server with it).
            failed.append(f"{type(exc).__name__}: {exc}")
            log.error("dashboard_run_failed", suite_run_id=suite_run_id, error=failed[-1])
            self.feed.touch(suite_run_id)
            return None
        finally:
            self._active.discard(done)
            done.set()

    async def wait_idle(self) -> None:
        """Return once every run started here has ended."""
        for done in list(self._active):
            await done.wait()
