"""code_exec checks: pytest, custom_command and lint, each run inside the sandbox.

The commands run in the run's workspace through ``atp_core.sandbox.run_sandboxed`` with
the run's sandbox options, so they see only the workspace (writable) and the system
(read-only), have no network and are killed at their ``timeout``. When no sandbox can
run here the check's status is ``error`` with the reason: never a pass.
"""

from __future__ import annotations

import abc
import contextlib
import os
import re
import shlex
import shutil
import stat
import sys
import uuid
from pathlib import Path
from typing import Any, ClassVar

from atp_core.errors import SandboxError
from atp_core.evaluators._code_exec_config import CustomCommandConfig, LintConfig, PytestConfig
from atp_core.evaluators._code_exec_output import (
    parse_eslint,
    parse_junit,
    parse_ruff,
    parse_score,
)
from atp_core.evaluators._outcome import Outcome, failed, passed, skipped
from atp_core.protocol import AssertionSpec, CheckResult, EvalContext
from atp_core.protocol._interfaces import workspace_file
from atp_core.sandbox import SandboxResult, resolve_mode, run_sandboxed

_TAIL = 2000
_REPORT_CAP = 16 * 1024 * 1024


def _tail(text: str) -> str:
    return text if len(text) <= _TAIL else "..." + text[-_TAIL:]


def _error(message: str, **details: Any) -> Outcome:
    return Outcome(status="error", message=message, details=details)


def _stopped(result: SandboxResult, what: str, timeout: float) -> Outcome | None:
    reasons = {
        "timeout": f"timed out after {timeout:g} s",
        "memory": "exceeded the sandbox memory limit",
        "cpu": "exceeded the sandbox CPU-time limit",
    }
    if result.killed_reason is None:
        return None
    why = reasons.get(result.killed_reason, f"was killed ({result.killed_reason})")
    return failed(f"{what} {why}", **_details(result))


def _details(result: SandboxResult) -> dict[str, Any]:
    return {
        "exit_code": result.exit_code,
        "sandbox": result.mode,
        "limits": result.limits,
        "stdout": _tail(result.stdout),
        "stderr": _tail(result.stderr),
    }


def _program(mode: str, name: str) -> str | None:
    """A tool from ATP's environment (bound read-only into the sandbox), or the image's."""
    if mode == "container":
        return name
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


class _SandboxedCheck(abc.ABC):
    """Shared shape: resolve the sandbox, check the path, judge; sandbox trouble is an error."""

    config_type: ClassVar[type[Any]]

    def __init__(self, config: Any, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Run the check's command in the sandbox and judge what it printed."""
        path = getattr(self.config, "path", ".")
        try:
            target = workspace_file(ctx, path)
        except ValueError as exc:
            return failed(str(exc)).result(self.spec)
        if not target.exists():
            return failed(f"path {path!r} does not exist in the workspace").result(self.spec)
        try:
            outcome = await self._judge(ctx, await resolve_mode(ctx.sandbox))
        except SandboxError as exc:
            outcome = _error(f"sandbox unavailable: {exc}")
        return outcome.result(self.spec)

    @abc.abstractmethod
    async def _judge(self, ctx: EvalContext, mode: str) -> Outcome:
        """Run the check in the sandbox (``mode``) and judge its output."""

    async def _run(self, ctx: EvalContext, argv: list[str], timeout: float) -> SandboxResult:
        return await run_sandboxed(
            argv, workspace=ctx.workspace, options=ctx.sandbox, timeout=timeout
        )


class PytestCheck(_SandboxedCheck):
    """Runs ``python -m pytest`` on the workspace; the score is the pass rate."""

    config_type = PytestConfig

    async def _judge(self, ctx: EvalContext, mode: str) -> Outcome:
        cfg: PytestConfig = self.config
        python = "python" if mode == "container" else sys.executable
        report = ctx.workspace / f".atp-pytest-{uuid.uuid4().hex}.xml"
        argv = [python, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                f"--junitxml={report}", *cfg.args, cfg.path]
        try:
            result = await self._run(ctx, argv, cfg.timeout)
            xml = _read_report(report)
        finally:
            with contextlib.suppress(OSError):
                report.unlink(missing_ok=True)
        return _pytest_outcome(cfg, result, xml)


def _read_report(path: Path) -> str | None:
    """The report pytest wrote, read safely: code under test may have replaced it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return f.read(_REPORT_CAP).decode("utf-8", errors="replace")


def _pytest_outcome(cfg: PytestConfig, result: SandboxResult, xml: str | None) -> Outcome:
    details = _details(result)
    if stopped := _stopped(result, "pytest", cfg.timeout):
        return stopped
    if result.exit_code == 5:
        return failed("no tests collected", **details)
    if result.exit_code in (3, 4):
        return _error(f"pytest could not run the tests (exit status {result.exit_code})",
                      **details)
    if xml is None:
        return _error(f"pytest left no readable report (exit status {result.exit_code})",
                      **details)
    try:
        counts = parse_junit(xml)
    except ValueError as exc:
        return _error(f"pytest's report is unreadable: {exc}", **details)
    details.update(total=counts.total, passed=counts.passed, failed=counts.failed,
                   skipped=counts.skipped)
    if counts.total == 0:
        return failed("no tests collected", **details)
    if counts.ran == 0:
        return failed(f"no tests ran ({counts.skipped} skipped)", **details)
    rate = counts.passed / counts.ran
    message = (f"{counts.passed}/{counts.ran} tests passed ({rate:.0%}, threshold "
               f"{cfg.threshold:.0%})" + (f", {counts.skipped} skipped" if counts.skipped else ""))
    if result.exit_code == 2:
        # Tests that were never collected are unknown, so an interrupted run cannot pass.
        return failed(message + "; pytest was interrupted (collection errors)", score=rate,
                      **details)
    if rate >= cfg.threshold:
        return passed(message, score=rate, **details)
    return failed(message, score=rate, **details)


class CustomCommand(_SandboxedCheck):
    """Runs a command without a shell and judges its exit status, output and score line."""

    config_type = CustomCommandConfig

    async def _judge(self, ctx: EvalContext, mode: str) -> Outcome:
        cfg: CustomCommandConfig = self.config
        result = await self._run(ctx, shlex.split(cfg.command), cfg.timeout)
        if stopped := _stopped(result, "the command", cfg.timeout):
            return stopped
        problems: list[str] = []
        if cfg.expect_zero and result.exit_code != 0:
            problems.append(f"exit status {result.exit_code}, expected 0")
        pattern = cfg.success_pattern
        if pattern is not None and not re.search(pattern, result.stdout, re.MULTILINE):
            problems.append(f"stdout does not match {pattern!r}")
        score = None
        if cfg.threshold is not None:
            score, problem = _judge_score(result, cfg.threshold)
            if problem:
                problems.append(problem)
        details = _details(result)
        if problems:
            return failed("; ".join(problems), score=score or 0.0, **details)
        shown = f"score {score:g}" if score is not None else f"exit status {result.exit_code}"
        return passed(f"the command succeeded ({shown})",
                      score=1.0 if score is None else score, **details)


def _judge_score(result: SandboxResult, threshold: float) -> tuple[float | None, str | None]:
    if result.stdout_truncated:
        return None, "stdout was cut off at the output cap, so its last line is not known"
    try:
        score = parse_score(result.stdout)
    except ValueError as exc:
        return None, str(exc)
    if not 0.0 <= score <= 1.0:
        return None, f"score {score:g} is outside 0..1"
    if score < threshold:
        return score, f"score {score:g} is below the threshold {threshold:g}"
    return score, None


class LintCheck(_SandboxedCheck):
    """Runs ruff or eslint with a JSON report and counts the findings."""

    config_type = LintConfig

    async def _judge(self, ctx: EvalContext, mode: str) -> Outcome:
        cfg: LintConfig = self.config
        if cfg.linter == "ruff":
            program = _program(mode, "ruff")
            argv = [str(program), "check", "--output-format", "json", "--no-cache"]
        else:
            local = ctx.workspace / "node_modules" / ".bin" / "eslint"
            program = str(local) if local.is_file() else _program(mode, "eslint")
            argv = [str(program), "--format", "json"]
        if program is None:
            return skipped(f"{cfg.linter} not installed")
        result = await self._run(ctx, [*argv, *cfg.args, cfg.path], cfg.timeout)
        return _lint_outcome(cfg, result)


def _lint_outcome(cfg: LintConfig, result: SandboxResult) -> Outcome:
    details = _details(result)
    if stopped := _stopped(result, cfg.linter, cfg.timeout):
        return stopped
    if result.stdout_truncated:
        return skipped(f"{cfg.linter}'s report was cut off at the output cap", **details)
    if result.exit_code not in (0, 1):
        return _error(f"{cfg.linter} could not lint (exit status {result.exit_code})", **details)
    parse = parse_ruff if cfg.linter == "ruff" else parse_eslint
    try:
        found = parse(result.stdout)
    except ValueError as exc:
        return _error(str(exc), **details)
    errors = [v for v in found if v.is_error]
    details.update(violations=len(found), errors=len(errors),
                   findings=[str(v) for v in found[:50]])
    problems = []
    if len(found) > cfg.max_violations:
        problems.append(f"{len(found)} violations, at most {cfg.max_violations} allowed")
    if cfg.max_errors is not None and len(errors) > cfg.max_errors:
        problems.append(f"{len(errors)} errors, at most {cfg.max_errors} allowed")
    if problems:
        first = "; ".join(str(v) for v in found[:3])
        return failed("; ".join(problems) + f" (first: {first})", **details)
    return passed(f"{len(found)} violations ({len(errors)} errors), within the limits", **details)
