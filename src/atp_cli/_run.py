"""The work of ``atp run``: load, choose agents, run with sinks, report, exit code."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import anyio
import attrs

from atp_cli._agents import select_agents, validate_agents
from atp_cli._env import substitution_env
from atp_cli._errors import EXIT_INFRA
from atp_cli._observe import Observability
from atp_cli._reports import ReportTarget, parse_report_targets, write_reports
from atp_cli._store import database_url, public_url, require_positive
from atp_core.errors import ConfigError
from atp_core.protocol import AgentSpec, SandboxOptions, Suite, SuiteRunResult

EXIT_INTERRUPTED = 130


@attrs.frozen(kw_only=True)
class RunRequest:
    """One ``atp run``: a loaded suite, its agents and how to run and report."""

    suite: Suite
    agents: Sequence[AgentSpec]
    targets: Sequence[ReportTarget]
    config: Any
    runs: int | None = None
    tag_filter: Callable[[Iterable[str]], bool] | None = None
    fail_fast: bool = False
    progress: bool = True


@attrs.frozen(kw_only=True)
class StorePlan:
    """Where results go and what the store is asked besides: resume, baseline gate."""

    url: str
    resume: str | None = None
    baseline: str | None = None
    alpha: float = 0.05


def config_overrides(args: argparse.Namespace) -> dict[str, object]:
    """CLI flags as dotted config keys (the last layer of configuration)."""
    out: dict[str, object] = {}
    for pair in getattr(args, "config", []):
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--config expects KEY=VALUE, got {pair!r}")
        out[key] = value
    flags = {
        "runner.parallel": getattr(args, "parallel", None),
        "runner.keep_workspaces": getattr(args, "keep_workspaces", None) or None,
        "runner.workspace_root": getattr(args, "workspace_root", None),
        "sandbox.mode": getattr(args, "sandbox", None),
        "database.url": getattr(args, "db", None),
        "log.level": getattr(args, "log_level", None),
        "log.format": getattr(args, "log_format", None),
    }
    out.update({k: v for k, v in flags.items() if v is not None})
    return out


def load_config_for(args: argparse.Namespace) -> Any:
    """The layered configuration with this command's flags on top."""
    from atp_core.config import load_config

    return load_config(Path.cwd(), os.environ, config_overrides(args))


def execute(args: argparse.Namespace) -> int:
    """Run ``atp run`` and return its exit code."""
    from atp_core.suite import load_suite, parse_tag_expr

    config = load_config_for(args)
    targets = parse_report_targets(args.report)
    suite = load_suite(args.suite, env=substitution_env(),
                       default_timeout=config.runner.default_timeout)
    agents = select_agents(suite, args.agent, args.adapter, args.adapter_config)
    validate_agents(agents)
    require_positive(args.runs, "--runs")
    tag_filter = parse_tag_expr(args.tags) if args.tags else None
    if tag_filter is not None and not any(tag_filter(t.tags) for t in suite.tests):
        raise ConfigError(f"no test of {suite.name!r} matches --tags {args.tags!r}")
    request = RunRequest(
        suite=suite, agents=agents, targets=targets, config=config, runs=args.runs,
        tag_filter=tag_filter,
        fail_fast=args.fail_fast, progress=not args.no_progress,
    )
    if args.no_store and (args.resume or args.baseline):
        raise ConfigError("--resume and --baseline need the results store; drop --no-store")
    store = None if args.no_store else StorePlan(
        url=database_url(config), resume=args.resume, baseline=args.baseline
    )
    return run_requests([request], store, args)


def run_requests(
    requests: Sequence[RunRequest], store: StorePlan | None, args: argparse.Namespace
) -> int:
    """Run each request in turn under one Ctrl-C handler; return the combined exit code."""
    from atp_cli._observe import configure_logs, start_observability

    configure_logs(requests[0].config)
    observe = start_observability(requests[0].config, args)
    from atp_core.runner import collector_tuned_for_runs

    try:
        with collector_tuned_for_runs():
            return anyio.run(_Runner(requests, store, observe).run_all)
    finally:
        observe.close()


def _options(request: RunRequest, stop: anyio.Event) -> Any:
    from atp_core.runner import RunOptions

    runner, sandbox = request.config.runner, request.config.sandbox
    return RunOptions(
        runs=request.runs,
        parallel=runner.parallel,
        tag_filter=request.tag_filter,
        fail_fast=request.fail_fast,
        keep_workspaces=runner.keep_workspaces,
        workspace_root=Path(runner.workspace_root) if runner.workspace_root else None,
        sandbox=SandboxOptions(mode=sandbox.mode, memory_mb=sandbox.memory_mb,
                               cpu_seconds=sandbox.cpu_seconds,
                               max_processes=sandbox.max_processes,
                               container_image=sandbox.container_image),
        stop_event=stop,
    )


class _Runner:
    """Runs requests agent by agent; the first Ctrl-C stops cleanly, the second aborts."""

    def __init__(
        self, requests: Sequence[RunRequest], store: StorePlan | None, observe: Observability
    ) -> None:
        self.requests = requests
        self.plan = store
        self.observe = observe
        self.store: Any = None
        self.stop = anyio.Event()
        self.codes: list[int] = []

    async def run_all(self) -> int:
        if self.plan is None:
            await self._run_all()
        else:
            from atp_core.store import open_store

            # Opened before any agent is called: a bad database stops the run here.
            async with open_store(self.plan.url) as self.store:
                await self._run_all()
            print(f"atp: results stored in {public_url(self.plan.url)}; browse them with "
                  f"`atp results list` or the dashboard: `atp serve`", file=sys.stderr)
        if self.stop.is_set():
            return EXIT_INTERRUPTED
        return worst_exit_code(self.codes)

    async def _run_all(self) -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._watch_signals, tg.cancel_scope)
            for request in self.requests:
                await self._run_one(request)
            tg.cancel_scope.cancel()

    async def _run_one(self, request: RunRequest) -> None:
        from atp_core.runner import ProgressSink, exit_code

        agents = request.agents
        options = self.observe.wrap(_options(request, self.stop))
        if self.plan is not None and self.plan.resume:
            agents, options = await self._resume(request, options, self.plan.resume)
        for agent in agents:
            if self.stop.is_set():
                return
            sinks: list[Any] = [ProgressSink(stream=sys.stderr)] if request.progress else []
            sinks.extend(self.observe.sinks)
            result = await self._run_agent(request, agent, options, sinks)
            comparison = None
            if self.plan is not None and self.plan.baseline:
                comparison = await self._compare(result, self.plan.baseline)
                self.codes.append(1 if comparison.has_regression else 0)
            if not write_reports(result, request.targets, baseline=comparison):
                self.codes.append(EXIT_INFRA)
            if comparison is not None:
                from atp_core.baseline import render_comparison

                sys.stdout.write(render_comparison(comparison, "console").rstrip("\n") + "\n")
            self.codes.append(exit_code(result))

    async def _run_agent(
        self, request: RunRequest, agent: AgentSpec, options: Any, sinks: list[Any]
    ) -> SuiteRunResult:

        if request.suite.tools is not None:
            from atp_core.tools import open_tool_server

            # The suite's tools are served on loopback for as long as its runs take.
            async with open_tool_server(request.suite.tools) as tools:
                return await self._store_and_run(
                    request, agent, attrs.evolve(options, tools=tools), sinks)
        return await self._store_and_run(request, agent, options, sinks)

    async def _store_and_run(
        self, request: RunRequest, agent: AgentSpec, options: Any, sinks: list[Any]
    ) -> SuiteRunResult:
        from atp_core.runner import run_suite

        if self.store is None:
            return await run_suite(request.suite, agent, options, sinks)
        from atp_core.store import StoreSink, detect_run_context

        context = detect_run_context()
        stored_agent = attrs.evolve(agent, config=self.observe.redactor().value(agent.config))
        async with StoreSink(self.store, suite=request.suite, agent=stored_agent,
                             context=context) as sink:
            return await run_suite(request.suite, agent, options, [*sinks, sink])

    async def _resume(
        self, request: RunRequest, options: Any, run_id: str
    ) -> tuple[Sequence[AgentSpec], Any]:
        header = await self.store.suite_run_header(run_id)
        if header is None:
            raise ConfigError(f"no suite run {run_id!r} in the results store")
        if header.suite != request.suite.name:
            raise ConfigError(
                f"suite run {run_id} is of suite {header.suite!r}, not {request.suite.name!r}"
            )
        agents = [a for a in request.agents if a.name == header.agent]
        if not agents:
            raise ConfigError(f"suite run {run_id} used agent {header.agent!r}; "
                              "choose it with --agent")
        done = await self.store.completed_runs(run_id)
        print(f"atp: resuming {run_id}: {len(done)} runs already done", file=sys.stderr)
        return agents[:1], attrs.evolve(options, suite_run_id=run_id, completed=done)

    async def _compare(self, result: SuiteRunResult, name: str) -> Any:
        from atp_core.baseline import compare, load_baseline

        return compare(result, await load_baseline(self.store, name),
                       alpha=self.plan.alpha if self.plan else 0.05)

    async def _watch_signals(self, scope: anyio.CancelScope) -> None:
        with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            async for _ in signals:
                if self.stop.is_set():
                    scope.cancel()
                    return
                print("\natp: stopping; finished runs are kept (press Ctrl-C again to abort)",
                      file=sys.stderr)
                self.stop.set()


def worst_exit_code(codes: Sequence[int]) -> int:
    """Combine exit codes of several suite runs: interrupted, infrastructure, failure, pass."""
    for code in (EXIT_INTERRUPTED, 3, 1):
        if code in codes:
            return code
    return 0
