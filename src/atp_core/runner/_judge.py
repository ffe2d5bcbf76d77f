"""Judging one run: assertions, expected artifacts and the agent's own status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
import structlog

from atp_core.protocol import (
    Artifact,
    AssertionSpec,
    CheckResult,
    Clock,
    EvalContext,
    Evaluator,
    StructuredArtifact,
)
from atp_core.runner._workspace import artifact_target

log = structlog.get_logger(__name__)

EvaluatorFactory = Callable[[AssertionSpec], Evaluator]


class EvaluatorCache:
    """Builds each assertion's evaluator once per suite run instead of once per run.

    Building one validates its config against the plugin's class and the
    ``ATP_PLUGIN_*`` variables, which cost more than a cheap check itself. Evaluators
    are functions of (test, run record), so one instance serves every run. A build that
    fails is not kept: every run that uses it tries again and records its own error.
    """

    def __init__(self, factory: EvaluatorFactory) -> None:
        self._factory = factory
        # Keyed by identity: specs live as long as the suite and hold unhashable configs.
        self._built: dict[int, tuple[AssertionSpec, Evaluator]] = {}

    def __call__(self, spec: AssertionSpec) -> Evaluator:
        """The evaluator for ``spec``, built on first use."""
        kept = self._built.get(id(spec))
        if kept is not None and kept[0] is spec:
            return kept[1]
        evaluator = self._factory(spec)
        self._built[id(spec)] = (spec, evaluator)
        return evaluator


async def run_assertions(
    ctx: EvalContext, factory: EvaluatorFactory, clock: Clock | None = None
) -> list[CheckResult]:
    """Every assertion of the test, in order; a crashing evaluator gives an ``error`` check.

    With ``clock``, each check's ``details["duration_ms"]`` is the evaluator's time.
    """
    return [await _assert(ctx, spec, factory, clock) for spec in ctx.test.assertions]


async def _assert(
    ctx: EvalContext, spec: AssertionSpec, factory: EvaluatorFactory, clock: Clock | None
) -> CheckResult:
    start = 0.0 if clock is None else clock.monotonic()
    try:
        result = await factory(spec).evaluate(ctx)
    except Exception as exc:
        log.warning(
            "evaluator crashed",
            assertion=spec.type,
            test_id=ctx.test.id,
            error=f"{type(exc).__name__}: {exc}",
        )
        return _crashed(spec, f"evaluator crashed: {type(exc).__name__}: {exc}")
    if not isinstance(result, CheckResult):
        return _crashed(spec, f"evaluator returned {type(result).__name__}, not a CheckResult")
    if result.score is not None and not 0.0 <= result.score <= 1.0:
        return _crashed(spec, f"evaluator returned score {result.score} outside 0..1")
    details = {**result.details, "kind": "assertion"}
    if clock is not None:
        details["duration_ms"] = max(0.0, clock.monotonic() - start) * 1000
    return attrs.evolve(result, critical=spec.critical, weight=spec.weight, details=details)


def _crashed(spec: AssertionSpec, message: str) -> CheckResult:
    return CheckResult(
        name=spec.type,
        status="error",
        message=message,
        critical=spec.critical,
        weight=spec.weight,
        details={"kind": "assertion"},
    )


def expected_artifact_checks(
    expected: Sequence[str] | None, artifacts: Sequence[Artifact], workspace: Path
) -> list[CheckResult]:
    """One check per expected artifact: present in the response or in the workspace."""
    names = {_artifact_name(a) for a in artifacts}
    out = []
    for path in expected or ():
        where = _find(path, names, workspace)
        out.append(
            CheckResult(
                name="expected_artifact",
                status="passed" if where else "failed",
                message=f"{path!r} {where}" if where else f"expected artifact {path!r} is missing",
                details={"kind": "artifact", "path": path},
            )
        )
    return out


def _artifact_name(artifact: Artifact) -> str:
    if isinstance(artifact, StructuredArtifact):
        return artifact.name
    return artifact.path


def _find(path: str, names: set[str], workspace: Path) -> str:
    if path in names:
        return "is among the response's artifacts"
    target = artifact_target(workspace, path)
    if target is not None and target.exists():
        return "is in the workspace"
    return ""


@attrs.frozen(kw_only=True)
class AgentOutcome:
    """How the agent call ended: its status, and why if it did not complete."""

    status: str
    error: str | None = None
    error_kind: str | None = None
    deadline_passed: bool = False
    timeout: float = 0.0

    @property
    def infrastructure_failed(self) -> bool:
        """The agent could not be used at all (not reached, crashed, spoke no ATP)."""
        return self.error_kind is not None and not self.deadline_passed


# The usual agent check, shared by every run that has it: records stay small in memory.
_COMPLETED = CheckResult(
    name="agent_status",
    status="passed",
    message="the agent reported completed",
    details={"kind": "agent", "status": "completed"},
)


def agent_check(outcome: AgentOutcome) -> CheckResult:
    """The ``agent_status`` check: passed only when the agent reported ``completed``."""
    details: dict[str, object] = {"kind": "agent", "status": outcome.status}
    if outcome.error_kind is not None:
        details["error_kind"] = outcome.error_kind
    if outcome.deadline_passed:
        message = f"no response within the deadline of {outcome.timeout} s; the agent was stopped"
        return CheckResult(name="agent_status", status="failed", message=message, details=details)
    if outcome.infrastructure_failed:
        message = f"the agent could not be used ({outcome.error_kind}): {outcome.error}"
        return CheckResult(name="agent_status", status="error", message=message, details=details)
    if outcome.status == "completed":
        return _COMPLETED
    message = f"the agent reported status {outcome.status!r}"
    if outcome.error:
        message += f": {outcome.error}"
    return CheckResult(name="agent_status", status="failed", message=message, details=details)


def no_checks_check() -> CheckResult:
    """Recorded when a test has neither assertions nor expected artifacts to decide it."""
    return CheckResult(
        name="checks",
        status="skipped",
        message="no checks to decide: the test has no assertions or expected artifacts",
        details={"kind": "run"},
    )
