"""One run of one test: workspace, request, agent call under a deadline, judging, record."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import attrs

from atp_core.errors import AdapterError
from atp_core.protocol import (
    Adapter,
    AgentSpec,
    CheckResult,
    ComponentRef,
    Context,
    EvalContext,
    Request,
    Response,
    RunRecord,
    TestCase,
)
from atp_core.runner._constraints import Observed, check_constraints
from atp_core.runner._judge import (
    AgentOutcome,
    EvaluatorFactory,
    agent_check,
    expected_artifact_checks,
    no_checks_check,
    run_assertions,
)
from atp_core.runner._measure import cost_of, steps_of, tokens_of
from atp_core.runner._options import RunOptions, RunTools
from atp_core.runner._pool import WorkspacePool
from atp_core.runner._request import (
    RequestParts,
    RunPlace,
    build_request,
    request_parts,
    task_id_for,
)
from atp_core.runner._scoring import components, run_verdict, threshold_check, weighted_score
from atp_core.runner._trace import Trace
from atp_core.runner._workspace import write_artifacts


@attrs.frozen(kw_only=True)
class SuiteContext:
    """What every run of one suite run shares."""

    suite: str
    agent: AgentSpec
    adapter: Adapter
    options: RunOptions
    workspaces: WorkspacePool
    agent_ref: ComponentRef  # one shared, redacted copy for every run's record
    suite_run_id: str
    evaluators: EvaluatorFactory  # builds each assertion's evaluator once per suite run
    # Each test's task and constraints, built once: every run of the test sends the same.
    request_parts: dict[str, RequestParts] = attrs.Factory(dict)


@attrs.frozen(kw_only=True)
class Job:
    """One planned run."""

    test: TestCase
    run_number: int
    total_runs: int


async def execute_run(ctx: SuiteContext, job: Job) -> RunRecord:
    """Run ``job`` to its record; agent and evaluator failures become data in it."""
    clock = ctx.options.clock
    started_at = clock.now().isoformat()
    try:
        workspace = await ctx.workspaces.make(
            job.test.id, job.run_number, job.test.task.workspace_fixture
        )
    except OSError as exc:
        return _workspace_failed(ctx, job, started_at, exc)
    try:
        return await _run_in(ctx, job, workspace, started_at)
    finally:
        if not ctx.options.keep_workspaces:
            ctx.workspaces.discard(workspace)


async def _run_in(ctx: SuiteContext, job: Job, workspace: Path, started_at: str) -> RunRecord:
    place = RunPlace(
        test=job.test,
        run_number=job.run_number,
        total_runs=job.total_runs,
        suite=ctx.suite,
        workspace=str(workspace),
    )
    shared = ctx.request_parts.get(job.test.id)
    if shared is None:
        shared = ctx.request_parts[job.test.id] = request_parts(job.test)
    task_id = task_id_for(job.test.id, job.run_number, ctx.options.new_id())
    request = build_request(place, task_id, shared)
    scope = ctx.options.run_scope
    if scope is None:
        return await _run_request(ctx, job, workspace, started_at, request)
    with scope(ctx.suite_run_id, job.test.id, job.run_number, task_id):
        return await _run_request(ctx, job, workspace, started_at, request)


async def _run_request(
    ctx: SuiteContext, job: Job, workspace: Path, started_at: str, request: Request
) -> RunRecord:
    trace = Trace(max_events=ctx.options.max_events_per_run)
    start = ctx.options.clock.monotonic()
    if ctx.options.tools is None:
        response, outcome = await _call_agent(ctx.adapter, request, trace, job.test.timeout_seconds)
    else:
        async with _tools(ctx.options.tools, request, trace) as request:
            response, outcome = await _call_agent(
                ctx.adapter, request, trace, job.test.timeout_seconds
            )
    duration = max(0.0, ctx.options.clock.monotonic() - start)
    if response.task_id != request.task_id:
        trace.warning(f"response task_id {response.task_id!r} is not {request.task_id!r}")
    for warning in await write_artifacts(workspace, response.artifacts):
        trace.warning(warning)
    events = tuple(trace.events)
    eval_ctx = EvalContext(
        test=job.test,
        request=request,
        response=response,
        events=events,
        workspace=workspace,
        sandbox=ctx.options.sandbox,
    )
    seen = Observed(
        metrics=response.metrics,
        events=events,
        duration_seconds=duration,
        deadline_passed=outcome.deadline_passed,
    )
    checks = await _judge(ctx, eval_ctx, outcome, seen)
    parts = components(checks, job.test.constraints, _usage(seen))
    score = weighted_score(parts, job.test.scoring)
    if job.test.pass_threshold is not None:
        checks.append(threshold_check(score, job.test.pass_threshold))
    return RunRecord(
        test_id=job.test.id,
        run_number=job.run_number,
        agent=ctx.agent.name,
        status=outcome.status,
        verdict=run_verdict(checks, job.test.pass_threshold),
        score=score,
        started_at=started_at,
        duration_seconds=duration,
        components=parts,
        checks=tuple(checks),
        error=outcome.error,
        error_kind=outcome.error_kind,
        metrics=response.metrics,
        events=events,
        artifacts=tuple(response.artifacts),
        protocol_warnings=trace.all_warnings(),
        trace_id=response.trace_id,
        adapter=ctx.agent_ref,
        workspace=str(workspace) if ctx.options.keep_workspaces else None,
    )


@asynccontextmanager
async def _tools(tools: RunTools, request: Request, trace: Trace) -> AsyncIterator[Request]:
    """The request, with ``context.tools_endpoint`` while tools are served for the run."""
    async with tools.serve(request.task_id, trace) as endpoint:
        context = attrs.evolve(request.context or Context(), tools_endpoint=endpoint)
        yield attrs.evolve(request, context=context)


def _usage(seen: Observed) -> tuple[int | None, int | None, float | None]:
    return (
        steps_of(seen.metrics, seen.events),
        tokens_of(seen.metrics, seen.events),
        cost_of(seen.metrics),
    )


async def _judge(
    ctx: SuiteContext, eval_ctx: EvalContext, outcome: AgentOutcome, seen: Observed
) -> list[CheckResult]:
    test = eval_ctx.test
    checks = [agent_check(outcome)]
    clock = ctx.options.clock if ctx.options.time_checks else None
    checks += await run_assertions(eval_ctx, ctx.evaluators, clock)
    checks += expected_artifact_checks(
        test.task.expected_artifacts, eval_ctx.response.artifacts, eval_ctx.workspace
    )
    if not test.assertions and not test.task.expected_artifacts:
        checks.append(no_checks_check())
    checks += check_constraints(test.constraints, seen)
    return checks


async def _call_agent(
    adapter: Adapter, request: Request, trace: Trace, timeout: float
) -> tuple[Response, AgentOutcome]:
    """Call the agent under the hard deadline; stand in a response when there is none."""
    own = request.constraints.timeout_seconds
    try:
        if adapter.enforces_deadline and own is not None and own <= timeout:
            # The adapter's own deadline is at least as tight: one cancel scope is enough.
            response = await adapter.execute(request, trace)
        else:
            with anyio.fail_after(timeout):
                response = await adapter.execute(request, trace)
    except TimeoutError as exc:
        outcome = AgentOutcome(
            status="timeout",
            error=str(exc) or "deadline passed",
            error_kind="timeout",
            deadline_passed=True,
            timeout=timeout,
        )
    except AdapterError as exc:
        outcome = AgentOutcome(status="failed", error=str(exc), error_kind=exc.kind)
    except Exception as exc:
        outcome = AgentOutcome(
            status="failed", error=f"{type(exc).__name__}: {exc}", error_kind="adapter_bug"
        )
    else:
        return response, AgentOutcome(status=response.status, error=response.error)
    stand_in = Response(
        task_id=request.task_id,
        status=outcome.status,  # type: ignore[arg-type]
        error=outcome.error,
    )
    return stand_in, outcome


def _workspace_failed(ctx: SuiteContext, job: Job, started_at: str, exc: OSError) -> RunRecord:
    message = f"the run's workspace could not be prepared: {exc}"
    check = CheckResult(name="workspace", status="error", message=message, details={"kind": "run"})
    return RunRecord(
        test_id=job.test.id,
        run_number=job.run_number,
        agent=ctx.agent.name,
        status="failed",
        verdict="error",
        score=0.0,
        started_at=started_at,
        duration_seconds=0.0,
        checks=(check,),
        error=message,
        error_kind="workspace",
        adapter=ctx.agent_ref,
    )
