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
from atp_cli._reports import ReportTarget, parse_report_targets, write_reports
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
    suite = load_suite(args.suite, env=substitution_env())
    agents = select_agents(suite, args.agent, args.adapter, args.adapter_config)
    validate_agents(agents)
    if args.runs is not None and args.runs < 1:
        raise ConfigError("--runs must be at least 1")
    request = RunRequest(
        suite=suite, agents=agents, targets=targets, config=config, runs=args.runs,
        tag_filter=parse_tag_expr(args.tags) if args.tags else None,
        fail_fast=args.fail_fast, progress=not args.no_progress,
    )
    return run_requests([request])


def run_requests(requests: Sequence[RunRequest]) -> int:
    """Run each request in turn under one Ctrl-C handler; return the combined exit code."""
    runner = _Runner(requests)
    return anyio.run(runner.run_all)


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
                               max_processes=sandbox.max_processes),
        stop_event=stop,
    )


class _Runner:
    """Runs requests agent by agent; the first Ctrl-C stops cleanly, the second aborts."""

    def __init__(self, requests: Sequence[RunRequest]) -> None:
        self.requests = requests
        self.stop = anyio.Event()
        self.results: list[SuiteRunResult] = []

    async def run_all(self) -> int:
        from atp_core.runner import exit_code

        async with anyio.create_task_group() as tg:
            tg.start_soon(self._watch_signals, tg.cancel_scope)
            for request in self.requests:
                await self._run_one(request)
            tg.cancel_scope.cancel()
        if self.stop.is_set():
            return EXIT_INTERRUPTED
        return worst_exit_code([exit_code(r) for r in self.results])

    async def _run_one(self, request: RunRequest) -> None:
        from atp_core.runner import ProgressSink, run_suite

        for agent in request.agents:
            if self.stop.is_set():
                return
            sinks = [ProgressSink(stream=sys.stderr)] if request.progress else []
            result = await run_suite(request.suite, agent, _options(request, self.stop), sinks)
            self.results.append(result)
            write_reports(result, request.targets)

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
