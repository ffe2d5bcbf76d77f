"""``run_suite``: runs a suite against one agent with bounded concurrency (SPEC §3)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import anyio
import anyio.lowlevel

import atp_core
from atp_core.protocol import (
    Adapter,
    AgentSpec,
    RunFinished,
    RunRecord,
    RunSink,
    RunStarted,
    Suite,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
    SuiteStatus,
    TestCase,
    TestFinished,
    TestResult,
)
from atp_core.runner._case import Job, SuiteContext, execute_run
from atp_core.runner._fanout import Fanout
from atp_core.runner._judge import EvaluatorCache
from atp_core.runner._options import RunOptions
from atp_core.runner._plan import Plan, build_test_result, cannot_pass, make_plan
from atp_core.runner._pool import WorkspacePool
from atp_core.runner._reaper import Reaper
from atp_core.runner._request import agent_ref


async def run_suite(
    suite: Suite, agent: AgentSpec, options: RunOptions, sinks: Sequence[RunSink] = ()
) -> SuiteRunResult:
    """Run every selected test of ``suite`` against ``agent``, its runs spread over time.

    Runs go round-robin (run 1 of every test, then run 2, ...) with at most
    ``options.parallel`` at once, all through one adapter. Runner events go to ``sinks``.
    If the caller's scope is cancelled, ``SuiteFinished`` (status ``interrupted``) is still
    delivered before the cancellation propagates.
    """
    adapter = options.adapter_factory(agent)
    owned_root = options.workspace_root is None
    root = options.workspace_root or Path(tempfile.mkdtemp(prefix="atp-run-"))
    fanout, reaper = Fanout(sinks), Reaper()
    plan = make_plan(suite, options)
    at_once = min(options.parallel, len(plan.jobs))
    workspaces = WorkspacePool(root, reaper, fresh=owned_root, at_once=at_once)
    runner = _SuiteRun(suite, agent, options, plan, root, fanout)
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(fanout.deliver)
            tg.start_soon(reaper.run)
            try:
                async with adapter:
                    await runner.run(adapter, workspaces)
            finally:
                with anyio.CancelScope(shield=True):
                    await workspaces.aclose()
                    reaper.close()
                    result = runner.result()
                    await fanout.publish(SuiteFinished(suite_run_id=runner.id, result=result))
                    await fanout.close()
    finally:
        # After the reaper has finished, so the two never delete the same tree at once.
        if owned_root and not options.keep_workspaces:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(lambda: shutil.rmtree(root, True))
    return result


class _SuiteRun:
    """The mutable state of one suite run."""

    def __init__(
        self,
        suite: Suite,
        agent: AgentSpec,
        options: RunOptions,
        plan: Plan,
        root: Path,
        fanout: Fanout,
    ) -> None:
        self.suite, self.agent, self.options, self.plan = suite, agent, options, plan
        self.root, self.fanout = root, fanout
        self.id = options.suite_run_id or options.new_id()
        self.started_at = options.clock.now().isoformat()
        self.records: dict[str, list[RunRecord]] = {k: list(v) for k, v in plan.done.items()}
        # Aggregates already published, by test id, with the number of runs they cover:
        # result() reuses them instead of computing every test's statistics twice.
        self.finished: dict[str, tuple[int, TestResult]] = {}
        self.tests_by_id = {t.id: t for t in plan.tests}
        self.started = 0
        self.stop_early = False
        self.interrupted = True  # until run() finishes normally
        self.runs_scope = anyio.CancelScope()

    async def run(self, adapter: Adapter, workspaces: WorkspacePool) -> None:
        """Start the runs in plan order, stop on request, wait for them."""
        await self.fanout.publish(
            SuiteStarted(
                suite_run_id=self.id,
                suite=self.suite.name,
                agent=self.agent.name,
                total_runs=len(self.plan.jobs),
                test_ids=tuple(t.id for t in self.plan.tests),
                started_at=self.started_at,
            )
        )
        pending = {j.test.id for j in self.plan.jobs}
        for test in self.plan.tests:
            if test.id not in pending and self.records[test.id]:
                self._test_finished(test.id)
        ctx = SuiteContext(
            suite=self.suite.name,
            agent=self.agent,
            adapter=adapter,
            options=self.options,
            workspaces=workspaces,
            agent_ref=agent_ref(self.agent),
            suite_run_id=self.id,
            evaluators=EvaluatorCache(self.options.evaluator_factory),
        )
        stop = self.options.stop_event
        async with anyio.create_task_group() as watch:
            if stop is not None:
                watch.start_soon(self._watch, stop)
            with self.runs_scope:
                await self._dispatch(ctx)
            watch.cancel_scope.cancel()
        self.interrupted = stop is not None and stop.is_set()

    async def _watch(self, stop: anyio.Event) -> None:
        await stop.wait()
        self.runs_scope.cancel()

    async def _dispatch(self, ctx: SuiteContext) -> None:
        # ``parallel`` workers share one iterator of the jobs, in plan order: at most that
        # many runs at once, and no task to spawn per run (spawning cost ~0.03 ms a run).
        jobs = iter(self.plan.jobs)
        async with anyio.create_task_group() as tg:
            for _ in range(min(self.options.parallel, len(self.plan.jobs))):
                tg.start_soon(self._work, ctx, jobs)
                # One turn of the event loop between starts: the first runs' requests go out
                # (their connections complete, their agents start working) while later
                # workers still prepare, instead of all waiting for the last one's setup.
                await anyio.lowlevel.checkpoint()

    async def _work(self, ctx: SuiteContext, jobs: Iterator[Job]) -> None:
        for job in jobs:
            if self.stop_early:
                return
            self.started += 1
            ctx.workspaces.to_come = len(self.plan.jobs) - self.started
            await self._one(ctx, job)

    async def _one(self, ctx: SuiteContext, job: Job) -> None:
        self.fanout.publish_nowait(
            RunStarted(suite_run_id=self.id, test_id=job.test.id, run_number=job.run_number)
        )
        record = await execute_run(ctx, job)
        self._record(job, record)  # no await inside: a cancellation cannot cut it in half
        await self.fanout.breathe()

    def _record(self, job: Job, record: RunRecord) -> None:
        if self.options.record_filter is not None:
            record = self.options.record_filter(record)
        runs = self.records[job.test.id]
        runs.append(record)
        self.fanout.publish_nowait(RunFinished(suite_run_id=self.id, record=record))
        if len(runs) == job.total_runs:
            self._test_finished(job.test.id)
        if self.options.fail_fast and cannot_pass(job.test, runs, job.total_runs):
            self.stop_early = True

    def _test_finished(self, test_id: str) -> None:
        result = self._test_result(self.tests_by_id[test_id])
        self.fanout.publish_nowait(TestFinished(suite_run_id=self.id, result=result))

    def _test_result(self, test: TestCase) -> TestResult:
        runs = self.records[test.id]
        cached = self.finished.get(test.id)
        if cached is not None and cached[0] == len(runs):
            return cached[1]
        result = build_test_result(test, runs, self.plan.planned[test.id], self.options.k)
        self.finished[test.id] = (len(runs), result)
        return result

    def result(self) -> SuiteRunResult:
        """The suite result so far: every test with at least one finished run."""
        tests = tuple(self._test_result(t) for t in self.plan.tests if self.records[t.id])
        return SuiteRunResult(
            id=self.id,
            suite=self.suite.name,
            agent=self.agent.name,
            started_at=self.started_at,
            finished_at=self.options.clock.now().isoformat(),
            status=self._status(),
            tests=tests,
            suite_version=self.suite.version,
            atp_version=atp_core.__version__,
        )

    def _status(self) -> SuiteStatus:
        if self.interrupted:
            return "interrupted"
        if self.stop_early and self.started < len(self.plan.jobs):
            return "stopped_early"
        return "completed"
